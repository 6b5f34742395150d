import { Hono } from 'hono';
import type { Database } from '../db/database.ts';
import type { KpiEngine } from '../kpi/fast/engine.ts';
import type { LoopDelayMonitor } from '../live/loop-delay.ts';
import type { RouteDoc } from '../openapi/build.ts';
import { CachedCounts } from '../queries/health.ts';

export const healthDocs: RouteDoc[] = [
  {
    method: 'get', path: '/api/health', tag: 'system',
    summary: 'Liveness and what is loaded: row counts of regions, grids (published plan), sites and issues, the KPI engine (off | loading | ready | failed, issues held, load time), '
      + 'and the event loop\'s delay over the last 30–60 s (p50, p99, max in ms; recentMaxMs: the max of the last 1–2 s). Answered from memory: while DuckDB is busy the counts may be a moment old.',
    responses: { 200: '{ok, version, counts, kpiEngine, eventLoop}' },
  },
];

/** `GET /api/health` — liveness plus what is loaded; never queues behind DuckDB's work (see {@link CachedCounts}). */
export function healthRoutes(db: Database, version: string, engine?: KpiEngine, loopDelay?: LoopDelayMonitor) {
  const counts = new CachedCounts(db, undefined, () => engine?.heldIssues ?? null);
  return new Hono().get('/', async (c) =>
    c.json({
      ok: true as const, version, counts: await counts.get(),
      kpiEngine: engine?.state ?? { state: 'off' as const, issues: 0, loadMs: null, error: null, lastCatchUpRows: null },
      eventLoop: loopDelay?.figures() ?? null,
    }),
  );
}
