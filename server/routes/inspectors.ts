import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../app.ts';
import { NotFoundError } from '../domain/errors.ts';
import { filterQuery } from '../kpi/filters.ts';
import { kpiContextOf } from '../kpi/query.ts';
import { rankInspectors } from '../kpi/ranking.ts';
import { resolveFilters } from '../kpi/resolve.ts';
import type { RouteDoc } from '../openapi/build.ts';
import { inspectorFigures } from '../queries/inspectors.ts';
import { queryError } from './validation.ts';

const inspectorQuery = filterQuery.extend({
  name: z.string().trim().min(1).max(64).optional().describe("one inspector's figures (the inspector panel); 404 when no grid in the scope has that inspector"),
  n: z.coerce.number().int().min(1).max(100).default(10).describe('length of the 网格之星 ranking, 1–100'),
});

export const inspectorDocs: RouteDoc[] = [
  {
    method: 'get', path: '/api/inspectors', tag: 'stats', query: inspectorQuery,
    summary: 'Per inspector (网格员): reports found, issues in their grids, due and closed on time there; the 网格之星 ranking when configured.',
    description: 'found = issues reported in the period whose report event names them (the reporter given, or for a patrol report naming nobody '
      + 'the grid\'s inspector), wherever they lie; issues, due, onTime and onTimeRate are the KPI rules\' counters over the grids they hold. '
      + '`named` says whether this deployment ranks inspectors by name (CIVGRID_INSPECTOR_RANKING=1); without it `ranking` is null.',
    responses: { 200: '{named, rows: [{name, grids, found, issues, due, onTime, onTimeRate}], ranking: [{rank, …row}] | null}', 400: 'invalid parameter (named in the error)', 404: 'no such inspector in the scope' },
  },
];

/** `GET /api/inspectors` — inspectors' figures and, when the deployment allows naming them in one, the 网格之星 ranking. */
export function inspectorRoutes(deps: AppDeps) {
  return new Hono().get('/', zValidator('query', inspectorQuery, queryError), async (c) => {
    const q = c.req.valid('query');
    const f = await resolveFilters(deps.db, q);
    const all = await inspectorFigures(kpiContextOf(deps), f);
    const rows = q.name === undefined ? all : all.filter((r) => r.name === q.name);
    if (q.name !== undefined && rows.length === 0) throw new NotFoundError('not_found', `no grid in the scope has the inspector ${q.name}`);
    const named = deps.inspectorRanking === true;
    return c.json({ named, rows, ranking: named ? rankInspectors(all).slice(0, q.n) : null });
  });
}
