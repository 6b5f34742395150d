import { Hono } from 'hono';
import type { AppDeps } from '../app.ts';
import type { RouteDoc } from '../openapi/build.ts';
import { readMeta } from '../queries/meta.ts';

export const metaDocs: RouteDoc[] = [
  {
    method: 'get', path: '/api/meta', tag: 'system',
    summary: 'The top region (the city, or the one district), categories tree, site types, statuses, sources, data time range, published plan, departments (责任单位), region tree from the top and server version.',
    responses: { 200: 'metadata for filters and navigation' },
  },
];

/** `GET /api/meta` — top region, taxonomy, site types, vocabularies, data range, published plan, region tree, version. */
export function metaRoutes({ db, version }: AppDeps) {
  return new Hono().get('/', async (c) => c.json({ version, ...(await readMeta(db)) }));
}
