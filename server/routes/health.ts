import { Hono } from 'hono';
import type { Database } from '../db/database.ts';
import { tableCounts } from '../queries/health.ts';

/** `GET /api/health` — liveness plus what is loaded. */
export function healthRoutes(db: Database, version: string) {
  return new Hono().get('/', async (c) => c.json({ ok: true as const, version, counts: await tableCounts(db) }));
}
