import { Hono } from 'hono';
import type { AppDeps } from '../app.ts';
import { readMeta } from '../queries/meta.ts';

/** `GET /api/meta` — taxonomy, site types, vocabularies, data range, published plan, region tree, version. */
export function metaRoutes({ db, version }: AppDeps) {
  return new Hono().get('/', async (c) => c.json({ version, ...(await readMeta(db)) }));
}
