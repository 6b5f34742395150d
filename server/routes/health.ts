import { Hono } from 'hono';
import type { Database } from '../db/database.ts';
import type { KpiEngine } from '../kpi/fast/engine.ts';
import type { RouteDoc } from '../openapi/build.ts';
import { tableCounts } from '../queries/health.ts';

export const healthDocs: RouteDoc[] = [
  { method: 'get', path: '/api/health', tag: 'system', summary: 'Liveness and what is loaded: row counts of regions, grids (published plan), sites and issues, and the KPI engine (off | loading | ready | failed, issues held, load time).', responses: { 200: '{ok, version, counts, kpiEngine}' } },
];

/** `GET /api/health` — liveness plus what is loaded. */
export function healthRoutes(db: Database, version: string, engine?: KpiEngine) {
  return new Hono().get('/', async (c) =>
    c.json({ ok: true as const, version, counts: await tableCounts(db), kpiEngine: engine?.state ?? { state: 'off' as const, issues: 0, loadMs: null, error: null, lastCatchUpRows: null } }),
  );
}
