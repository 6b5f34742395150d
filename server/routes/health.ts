import { Hono } from 'hono';
import type { Database } from '../db/database.ts';
import type { RouteDoc } from '../openapi/build.ts';
import { tableCounts } from '../queries/health.ts';

export const healthDocs: RouteDoc[] = [
  { method: 'get', path: '/api/health', tag: 'system', summary: 'Liveness and what is loaded: row counts of regions, grids (published plan), sites and issues.', responses: { 200: '{ok, version, counts}' } },
];

/** `GET /api/health` — liveness plus what is loaded. */
export function healthRoutes(db: Database, version: string) {
  return new Hono().get('/', async (c) => c.json({ ok: true as const, version, counts: await tableCounts(db) }));
}
