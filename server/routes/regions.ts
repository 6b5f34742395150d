import { zValidator } from '@hono/zod-validator';
import { kpiContextOf } from '../kpi/query.ts';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../app.ts';
import { invalidParameter, NoDataError } from '../domain/errors.ts';
import { filterQuery } from '../kpi/filters.ts';
import { narrowsMap, resolveFilters } from '../kpi/resolve.ts';
import type { RouteDoc } from '../openapi/build.ts';
import { featureKpis, levelAboveScope, regionCounts, regionRows } from '../queries/geo.ts';
import { cachedGeometries, geometryOptions, geometryQuery } from '../queries/geo-geometry.ts';
import { alignedValues, assertCurrentVersion, DEFAULT_VALUE_METRICS, valuesQuery } from '../queries/choropleth-values.ts';
import { geometryFile, REGION_FILE_LEVELS } from '../queries/geometry-file.ts';
import { queryError } from './validation.ts';

const query = filterQuery.extend({
  level: z.enum(['city', 'district', 'street', 'community']).describe('which level of the hierarchy to list'),
  parent: z.string().regex(/^\d{6,12}$/, 'parent must be a region code of 6–12 digits').optional()
    .describe('only the children of this region'),
  ...geometryQuery.shape,
});

const valuesRouteQuery = filterQuery.extend({
  level: z.enum(REGION_FILE_LEVELS).describe('which level of the hierarchy (a geometry file of its own)'),
  ...valuesQuery.shape,
});

/** OpenAPI entries of this route (see server/openapi). */
export const regionDocs: RouteDoc[] = [
  {
    method: 'get', path: '/api/regions', tag: 'map', query,
    summary: 'Regions of one level as GeoJSON, each with its KPIs for the filter.',
    description: 'Regions of `level` under `parent` and inside a city/district/street/community `scope` (a level above the scope is refused; a site scope narrows the issues only). '
      + 'Properties: code, name, level, parent, areaKm2, grids, and the KPIs (zero counts and null rates for a region without issues). '
      + '`geometry=0` omits shapes; `simplify` is a Douglas–Peucker tolerance in metres.',
    responses: { 200: 'GeoJSON FeatureCollection', 400: 'invalid parameter (named in the error)' },
  },
  {
    method: 'get', path: '/api/regions/values', tag: 'map', query: valuesRouteQuery,
    summary: 'KPIs of every region of a level for the filters, one array per metric in the order of that level\'s geometry file.',
    description: '`values[metric][i]` belongs to feature `i` of `/api/geometry/regions/{level}/{version}.json`. Regions outside a region `scope` get null and are listed in `outside`; '
      + 'a level above the scope is refused. Send the `version` you hold: another than the current one answers 409 `stale_geometry`.',
    responses: { 200: '{ version, count, metrics, values, outside? }', 400: 'invalid parameter (named in the error)', 409: 'stale_geometry: fetch the geometry again' },
  },
];

/** `GET /api/regions?level=…&parent=…&<filters>` — GeoJSON FeatureCollection of regions with KPI properties. */
export function regionRoutes(deps: AppDeps) {
  const { db } = deps;
  return new Hono().get('/values', zValidator('query', valuesRouteQuery, queryError), async (c) => {
    const q = c.req.valid('query');
    const file = await geometryFile(db, q.level);
    assertCurrentVersion(file, q.version);
    const f = await resolveFilters(db, q);
    if (levelAboveScope(q.level, f.scope)) throw invalidParameter('level', `${q.level} lies above the scope ${f.scope.level}:${f.scope.id}`);
    const ctx = kpiContextOf(deps);
    // A grid scope lies below every region level and was refused above.
    const [inScope, counts] = await Promise.all([
      (await narrowsMap(db, f.scope)) ? regionRows(db, { level: q.level, scope: f.scope }).then((rows) => new Set(rows.map((r) => r.code))) : null,
      regionCounts(ctx, f, q.level),
    ]);
    return c.json(alignedValues(file, q.metric ?? DEFAULT_VALUE_METRICS, (unit) =>
      inScope && !inScope.has(unit.code) ? null : featureKpis(counts.get(unit.code), unit, f, ctx)));
  }).get('/', zValidator('query', query, queryError), async (c) => {
    const q = c.req.valid('query');
    const f = await resolveFilters(db, q).catch((err: unknown) => {
      // Before any district is imported there is nothing to list — not an error for the basemap.
      if (err instanceof NoDataError) return null;
      throw err;
    });
    if (!f) return c.json({ type: 'FeatureCollection' as const, features: [] });
    if (levelAboveScope(q.level, f.scope)) {
      const reason = `${q.level} lies above the scope ${f.scope.level}:${f.scope.id}`;
      throw invalidParameter('level', reason);
    }
    const ctx = kpiContextOf(deps);
    const geo = geometryOptions(q);
    const [rows, counts] = await Promise.all([
      regionRows(db, { level: q.level, parent: q.parent, scope: f.scope }),
      regionCounts(ctx, f, q.level),
    ]);
    const shapes = geo.include
      ? await cachedGeometries(db, 'region', rows.map((r) => r.code), { toleranceM: geo.toleranceM })
      : null;
    const features = rows.map((r) => ({
      type: 'Feature' as const,
      id: r.code,
      geometry: shapes?.get(r.code) ?? null,
      properties: {
        code: r.code, name: r.name, level: r.level, parent: r.parent,
        areaKm2: Math.round(r.area_km2 * 1000) / 1000, grids: r.grids,
        ...featureKpis(counts.get(r.code), { areaKm2: r.area_km2, grids: r.grids }, f, ctx),
      },
    }));
    return c.json({ type: 'FeatureCollection' as const, features });
  });
}
