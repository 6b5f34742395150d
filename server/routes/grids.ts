import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import type { AppDeps } from '../app.ts';
import { filterQuery, type Filters } from '../kpi/filters.ts';
import { countsBy, kpiContextOf } from '../kpi/query.ts';
import { narrowsMap, publishedPlanIds, resolveFilters } from '../kpi/resolve.ts';
import type { RouteDoc } from '../openapi/build.ts';
import { alignedValues, assertCurrentVersion, DEFAULT_VALUE_METRICS, valuesQuery } from '../queries/choropleth-values.ts';
import { featureKpis, gridRows } from '../queries/geo.ts';
import { cachedGeometries, geometryOptions, geometryQuery } from '../queries/geo-geometry.ts';
import { geometryFile } from '../queries/geometry-file.ts';
import type { Database } from '../db/database.ts';
import { featureCollection } from './feature-collection.ts';
import { queryError } from './validation.ts';

const query = filterQuery.extend(geometryQuery.shape);
const valuesRouteQuery = filterQuery.extend(valuesQuery.shape);

/** OpenAPI entries of this route (see server/openapi). */
export const gridDocs: RouteDoc[] = [
  {
    method: 'get', path: '/api/grids', tag: 'map', query,
    summary: 'Grids of the plan inside the scope as GeoJSON, each with its KPIs and workload (the choropleth).',
    description: 'Properties: code, name, community, street, inspector, households, areaKm2 and the KPIs; workload is issues per grid per 30 days '
      + '(null without a closed period). A site scope narrows the issues, not the grids. `geometry=0` omits shapes; `simplify` is a tolerance in metres.',
    responses: { 200: 'GeoJSON FeatureCollection', 400: 'invalid parameter (named in the error)' },
  },
  {
    method: 'get', path: '/api/grids/values', tag: 'map', query: valuesRouteQuery,
    summary: 'The grid choropleth\'s KPIs for the filters, one array per metric in the order of the grid geometry file.',
    description: '`values[metric][i]` belongs to feature `i` of `/api/geometry/grids/{version}.json` (the published grids of every district, whole deployment). '
      + 'Grids outside a region or grid `scope` get null and are listed in `outside`. Send the `version` you hold: another than the current one answers 409 `stale_geometry`.',
    responses: { 200: '{ version, count, metrics, values, outside? }', 400: 'invalid parameter (named in the error)', 409: 'stale_geometry: fetch the geometry again' },
  },
];

/** The published plans the grids come from: `plan` when there is one (one district), `plans` always. */
async function planHead(db: AppDeps['db']): Promise<{ plan: number | null; plans: number[] }> {
  const plans = await publishedPlanIds(db);
  return { plan: plans.length === 1 ? plans[0] : null, plans };
}

/** The codes of the grids a scope narrows the map to; null when it narrows only the issues (or nothing: the top). */
async function gridsInScope(db: Database, f: Filters): Promise<Set<string> | null> {
  if (!(await narrowsMap(db, f.scope))) return null;
  return new Set((await gridRows(db, f)).map((r) => r.code));
}

/**
 * `GET /api/grids?<filters>` — GeoJSON FeatureCollection of the published grids with KPI properties;
 * `GET /api/grids/values` — the same KPIs as arrays aligned to the grid geometry file.
 */
export function gridRoutes(deps: AppDeps) {
  const { db } = deps;
  return new Hono().get('/values', zValidator('query', valuesRouteQuery, queryError), async (c) => {
    const q = c.req.valid('query');
    const file = await geometryFile(db, 'grids');
    assertCurrentVersion(file, q.version);
    const f = await resolveFilters(db, q);
    const ctx = kpiContextOf(deps);
    const [inScope, counts] = await Promise.all([gridsInScope(db, f), countsBy(ctx, f, { by: 'grid' })]);
    const answer = alignedValues(file, q.metric ?? DEFAULT_VALUE_METRICS, (unit) =>
      inScope && !inScope.has(unit.code) ? null : featureKpis(counts.get(unit.code), unit, f, ctx));
    return c.json(answer);
  }).get('/', zValidator('query', query, queryError), async (c) => {
    const q = c.req.valid('query');
    const f = await resolveFilters(db, q);
    const ctx = kpiContextOf(deps);
    const geo = geometryOptions(q);
    const [rows, counts] = await Promise.all([gridRows(db, f), countsBy(ctx, f, { by: 'grid' })]);
    const shapes = geo.include
      ? await cachedGeometries(db, 'grid', rows.map((r) => r.code), { toleranceM: geo.toleranceM })
      : null;
    // Made row by row as the collection is written, a chunk per turn of the event loop.
    return featureCollection(c, await planHead(db), rows, (r) => ({
      id: r.code,
      geometry: shapes?.get(r.code) ?? null,
      properties: {
        code: r.code, name: r.name, community: r.community, street: r.street,
        inspector: r.inspector, households: r.households, areaKm2: Math.round(r.area_km2 * 1000) / 1000,
        ...featureKpis(counts.get(r.code), { areaKm2: r.area_km2, grids: 1 }, f, ctx),
      },
    }));
  });
}
