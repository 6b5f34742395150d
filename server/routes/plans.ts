import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../app.ts';
import { actorOf } from '../auth/middleware.ts';
import type { Writer } from '../db/database.ts';
import { invalidParameter } from '../domain/errors.ts';
import type { ImportReport } from '../import/pipeline.ts';
import type { RouteDoc } from '../openapi/build.ts';
import { gridsGeoJson, gridsShapefileZip } from '../plan/export.ts';
import { metricsWindow } from '../plan/metrics.ts';
import { PlanService } from '../plan/service.ts';
import { DEFAULT_VALIDATION } from '../plan/validate.ts';
import { importClock, importUpload, uploadQuery } from './import.ts';
import { jsonBody, queryError } from './validation.ts';

const position = z.array(z.number()).min(2).max(3)
  .refine((p) => Math.abs(p[0]) <= 180 && Math.abs(p[1]) <= 90, 'expected [longitude, latitude]')
  .transform((p): [number, number] => [p[0], p[1]])
  .describe('[longitude, latitude] in CGCS2000/WGS84');
const code = z.string().trim().min(1).max(64);
const polygon = z.object({ type: z.literal('Polygon'), coordinates: z.array(z.array(position).min(4)).min(1) }).describe('GeoJSON Polygon');
const lineString = z.object({ type: z.literal('LineString'), coordinates: z.array(position).min(2) }).describe('GeoJSON LineString');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');

const idParam = z.object({ id: z.coerce.number().int().positive().describe('grid plan id') });
const gridParam = idParam.extend({ code: code.describe('grid code') });
const diffParam = z.object({ a: z.coerce.number().int().positive().describe('plan to compare from (e.g. the published one)'), b: z.coerce.number().int().positive().describe('plan to compare to (e.g. a draft)') });
const createBody = z.object({
  name: z.string().trim().min(1).max(100),
  district: z.string().trim().min(1).max(12).optional()
    .describe('district code the plan divides; required in a city unless `from` names a plan (a one-district deployment defaults to its district)'),
  from: z.number().int().positive().optional().describe('plan of the same district to copy (default: the district\'s published plan)'),
  empty: z.boolean().optional().describe('start without grids, e.g. to import a file into with POST /api/plans/ID/import'),
}).refine((b) => !(b.empty && b.from !== undefined), { message: 'a draft is either empty or a copy', path: ['empty'] });
const renameBody = z.object({ name: z.string().trim().min(1).max(100) });
const splitBody = z.object({
  grid: code.describe('grid to split'),
  line: lineString.describe('GeoJSON LineString drawn across the grid; it must cross its boundary exactly twice'),
  codes: z.tuple([code, code]).optional().describe('codes of the parts left and right of the line (default: <grid>-1, <grid>-2)'),
});
const mergeBody = z.object({ grids: z.array(code).min(2).max(50).describe('neighbouring grids of one community'), code: code.optional().describe('code of the merged grid (default: the first)') });
const updateBody = z.object({
  geometry: polygon.optional().describe('new outline; neighbours in the community give or take the land'),
  name: z.string().trim().min(1).max(100).optional(),
  inspector: z.string().trim().max(64).nullable().optional(),
  households: z.number().int().min(0).nullable().optional(),
  community: code.optional().describe('move the grid to this community (it must lie inside it)'),
  code: code.optional().describe('new grid code'),
}).refine((b) => Object.values(b).some((v) => v !== undefined), 'send at least one field to change');
const vertexBody = z.object({
  op: z.enum(['move', 'insert', 'delete']),
  at: position.describe('the vertex (move, delete) or a point on the edge (insert)'),
  to: position.optional().describe('where to move the vertex (move only)'),
  tolerance: z.number().positive().max(0.001).optional().describe('how far (degrees) `at` may be from the vertex or edge; default 1e-6'),
}).refine((b) => b.op !== 'move' || b.to !== undefined, { message: 'a move needs `to`', path: ['to'] });
const validateQuery = z.object({
  minAreaKm2: z.coerce.number().min(0).optional().describe(`grids smaller than this are slivers (default ${DEFAULT_VALIDATION.minAreaKm2})`),
  toleranceM: z.coerce.number().min(0).max(100).optional().describe(`gaps/overlaps thinner than this (metres) are boundary noise (default ${DEFAULT_VALIDATION.toleranceM})`),
});
const metricsQuery = z.object({
  from: isoDate.optional().describe('first day of the window (default: 89 days before `to`)'),
  to: isoDate.optional().describe('last day of the window, inclusive (default: today, Asia/Shanghai)'),
  band: z.coerce.number().min(0).max(10).optional().describe('target band around the mean workload, as a ratio (default 0.3 = ±30 %)'),
});
const exportQuery = z.object({ format: z.enum(['geojson', 'shapefile']).optional().describe('geojson (default) or shapefile (zip)') });
const topologyQuery = z.object({ community: code.optional().describe('one community (default: all)') });

const write = { 400: 'invalid parameter or body (named in details)', 403: 'caller not allowed', 404: 'no such plan or grid', 409: 'the plan is not a draft' };

/** OpenAPI entries of every plan route. */
export const planDocs = ([
  { method: 'get', path: '/api/plans', summary: 'List grid plans with their district, status, author, times and grid count (each district has its own published plan).', responses: { 200: 'plans' } },
  { method: 'post', path: '/api/plans', body: createBody, summary: 'Create a draft of a district by copying a plan (default: the district\'s published one), or an empty one to import a file into.', responses: { 201: 'the new draft', ...write, 400: 'invalid body; in a city a missing or unknown district (the error names the districts)' } },
  { method: 'get', path: '/api/plans/{id}', params: idParam, summary: 'One plan with its grids as a GeoJSON FeatureCollection and its undo/redo depth.', responses: { 200: 'plan', 404: 'no such plan' } },
  { method: 'patch', path: '/api/plans/{id}', params: idParam, body: renameBody, summary: 'Rename a draft.', responses: { 200: 'plan', ...write } },
  { method: 'delete', path: '/api/plans/{id}', params: idParam, summary: 'Discard a draft (its change log is kept).', responses: { 200: 'discarded', ...write } },
  { method: 'post', path: '/api/plans/{id}/split', params: idParam, body: splitBody, summary: 'Split a grid by a line drawn across it.', responses: { 200: 'what changed', ...write, 422: 'the line does not cross the grid twice, or the result would be invalid' } },
  { method: 'post', path: '/api/plans/{id}/merge', params: idParam, body: mergeBody, summary: 'Merge neighbouring grids of one community.', responses: { 200: 'what changed', ...write, 422: 'the grids are not neighbours' } },
  { method: 'put', path: '/api/plans/{id}/grids/{code}', params: gridParam, body: updateBody, summary: 'Redraw a grid (neighbours adjust), move it to another community, or edit code, name, inspector, households.', responses: { 200: 'what changed', ...write, 422: 'the edit would break the tiling' } },
  { method: 'post', path: '/api/plans/{id}/vertices', params: idParam, body: vertexBody, summary: 'Move, insert or delete a vertex; grids sharing it change together.', responses: { 200: 'what changed', ...write, 422: 'no vertex there, a pinned or junction vertex, or a fold' } },
  { method: 'post', path: '/api/plans/{id}/undo', params: idParam, summary: 'Undo the latest change of a draft.', responses: { 200: 'what changed', ...write } },
  { method: 'post', path: '/api/plans/{id}/redo', params: idParam, summary: 'Redo the latest undone change of a draft.', responses: { 200: 'what changed', ...write } },
  { method: 'get', path: '/api/plans/{id}/validate', params: idParam, query: validateQuery, summary: '不重不漏 checks: {errors, warnings}, each with grids, bbox and location.', responses: { 200: 'findings', 404: 'no such plan' } },
  { method: 'get', path: '/api/plans/{id}/metrics', params: idParam, query: metricsQuery, summary: 'Workload per grid and balance of the plan, beside the published plan.', responses: { 200: 'metrics', 404: 'no such plan' } },
  { method: 'get', path: '/api/plans/{id}/topology', params: idParam, query: topologyQuery, summary: 'Nodes and shared arcs of the grids per community; outline arcs have no right-hand grid.', responses: { 200: 'topology', 404: 'no such plan' } },
  { method: 'get', path: '/api/plans/{id}/changes', params: idParam, summary: 'The change log: who changed what, when.', responses: { 200: 'changes', 404: 'no such plan' } },
  { method: 'get', path: '/api/plans/{a}/diff/{b}', params: diffParam, summary: 'Grids added, removed and changed from plan a to b; sites and issues that move between grids.', responses: { 200: 'diff', 404: 'no such plan' } },
  { method: 'post', path: '/api/plans/{id}/import', params: idParam, query: uploadQuery, rawBody: 'application/octet-stream', summary: 'Import a grid file (any format of /api/import) into a draft: grids are upserted by code; one undoable change.', responses: { 200: 'the import report and the change seq', ...write, 409: 'not a draft', 413: 'file over the size limit', 422: 'rejected: the report lists each problem; nothing was written' } },
  { method: 'post', path: '/api/plans/{id}/publish', params: idParam, summary: 'Publish a draft: archive its district\'s current plan, keep that plan\'s issue assignment in history, re-assign the district\'s issues and sites; other districts are not touched.', responses: { 200: 'published', ...write, 409: 'not a draft, or validation errors (listed in details)' } },
  { method: 'get', path: '/api/plans/{id}/export', params: idParam, query: exportQuery, summary: 'Export the grids as GeoJSON or a zipped Shapefile (canonical properties; re-importable).', produces: 'application/octet-stream', responses: { 200: 'file', 404: 'no such plan' } },
] satisfies Omit<RouteDoc, 'tag'>[]).map((d) => ({ ...d, tag: 'plans' }) as RouteDoc);

/**
 * `/api/plans` — grid plan versions and the planner's topology-aware editing. The policy
 * (auth/policy.ts) lets planners write here; the change log names the caller's token.
 */
export function planRoutes(deps: AppDeps) {
  const plans = new PlanService(deps.db, deps.engine);
  return new Hono()
    .get('/', async (c) => c.json(await plans.list()))
    .post('/', jsonBody(createBody), async (c) => {
      const b = c.req.valid('json');
      return c.json(await plans.create({ district: b.district, from: b.empty ? null : b.from, name: b.name, author: actorOf(c) }), 201);
    })
    .get('/:id', zValidator('param', idParam, queryError), async (c) => {
      const { id } = c.req.valid('param');
      const plan = await plans.plan(id);
      return c.json({ ...plan, history: await plans.history(id), grids: gridsGeoJson(await plans.features(id)) });
    })
    .patch('/:id', zValidator('param', idParam, queryError), jsonBody(renameBody), async (c) =>
      c.json(await plans.rename(c.req.valid('param').id, c.req.valid('json').name, actorOf(c))))
    .delete('/:id', zValidator('param', idParam, queryError), async (c) => {
      const { id } = c.req.valid('param');
      await plans.discard(id, actorOf(c));
      return c.json({ ok: true as const, id });
    })
    .post('/:id/split', zValidator('param', idParam, queryError), jsonBody(splitBody), async (c) => {
      const b = c.req.valid('json');
      return c.json(await plans.edit(c.req.valid('param').id, actorOf(c), { kind: 'split', edit: { grid: b.grid, line: b.line.coordinates, codes: b.codes } }));
    })
    .post('/:id/merge', zValidator('param', idParam, queryError), jsonBody(mergeBody), async (c) =>
      c.json(await plans.edit(c.req.valid('param').id, actorOf(c), { kind: 'merge', edit: c.req.valid('json') })))
    .put('/:id/grids/:code', zValidator('param', gridParam, queryError), jsonBody(updateBody), async (c) => {
      const { id, code: grid } = c.req.valid('param');
      return c.json(await plans.edit(id, actorOf(c), { kind: 'update', edit: { grid, ...c.req.valid('json') } }));
    })
    .post('/:id/vertices', zValidator('param', idParam, queryError), jsonBody(vertexBody), async (c) =>
      c.json(await plans.edit(c.req.valid('param').id, actorOf(c), { kind: 'vertex', edit: c.req.valid('json') })))
    .post('/:id/import', zValidator('param', idParam, queryError), zValidator('query', uploadQuery, queryError), async (c) => {
      const { id } = c.req.valid('param');
      const query = c.req.valid('query');
      // Refused before the upload is read; the import's own write job checks again.
      await plans.draft(id);
      const into = (importFile: (w: Writer) => Promise<ImportReport>) => plans.importInto(id, actorOf(c), query.filename, importFile);
      return c.json(await importUpload(c, deps.db, { kind: 'grids', planId: id, query, maxBytes: deps.importMaxBytes, maxVertices: deps.importMaxVertices, clock: importClock(deps) }, into));
    })
    .post('/:id/undo', zValidator('param', idParam, queryError), async (c) => c.json(await plans.undo(c.req.valid('param').id, actorOf(c))))
    .post('/:id/redo', zValidator('param', idParam, queryError), async (c) => c.json(await plans.redo(c.req.valid('param').id, actorOf(c))))
    .get('/:id/validate', zValidator('param', idParam, queryError), zValidator('query', validateQuery, queryError), async (c) =>
      c.json(await plans.validate(c.req.valid('param').id, { ...DEFAULT_VALIDATION, ...definedOnly(c.req.valid('query')) })))
    .get('/:id/metrics', zValidator('param', idParam, queryError), zValidator('query', metricsQuery, queryError), async (c) => {
      const q = c.req.valid('query');
      const window = metricsWindow(q.from, q.to, deps.now());
      if (window.end <= window.start) throw invalidParameter('from', 'must not be after to');
      const started = performance.now();
      const result = await plans.metrics(c.req.valid('param').id, window, q.band ?? 0.3);
      return c.json({ window: { from: new Date(window.start), to: new Date(window.end), days: window.days }, ...result, elapsedMs: Math.round(performance.now() - started) });
    })
    .get('/:id/topology', zValidator('param', idParam, queryError), zValidator('query', topologyQuery, queryError), async (c) =>
      c.json(await plans.topology(c.req.valid('param').id, c.req.valid('query').community)))
    .get('/:id/changes', zValidator('param', idParam, queryError), async (c) => c.json(await plans.changes(c.req.valid('param').id)))
    .get('/:a/diff/:b', zValidator('param', diffParam, queryError), async (c) => {
      const { a, b } = c.req.valid('param');
      return c.json(await plans.diff(a, b));
    })
    .post('/:id/publish', zValidator('param', idParam, queryError), async (c) => c.json(await plans.publish(c.req.valid('param').id, actorOf(c))))
    .get('/:id/export', zValidator('param', idParam, queryError), zValidator('query', exportQuery, queryError), async (c) => {
      const { id } = c.req.valid('param');
      const grids = await plans.features(id);
      const base = `plan-${id}`;
      if (c.req.valid('query').format === 'shapefile') {
        return c.body(new Uint8Array(gridsShapefileZip(grids, base)), 200, { 'content-type': 'application/zip', 'content-disposition': `attachment; filename="${base}.zip"` });
      }
      c.header('content-disposition', `attachment; filename="${base}.geojson"`);
      return c.json(gridsGeoJson(grids));
    });
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
