import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import type { AppDeps } from '../app.ts';
import { filterQuery } from '../kpi/filters.ts';
import { countsBy, kpiContextOf } from '../kpi/query.ts';
import { publishedPlanIds, resolveFilters } from '../kpi/resolve.ts';
import type { RouteDoc } from '../openapi/build.ts';
import { featureKpis, gridRows } from '../queries/geo.ts';
import { cachedGeometries, geometryOptions, geometryQuery } from '../queries/geo-geometry.ts';
import { featureCollection } from './feature-collection.ts';
import { queryError } from './validation.ts';

const query = filterQuery.extend(geometryQuery.shape);

/** OpenAPI entries of this route (see server/openapi). */
export const gridDocs: RouteDoc[] = [
  {
    method: 'get', path: '/api/grids', tag: 'map', query,
    summary: 'Grids of the plan inside the scope as GeoJSON, each with its KPIs and workload (the choropleth).',
    description: 'Properties: code, name, community, street, inspector, households, areaKm2 and the KPIs; workload is issues per grid per 30 days '
      + '(null without a closed period). A site scope narrows the issues, not the grids. `geometry=0` omits shapes; `simplify` is a tolerance in metres.',
    responses: { 200: 'GeoJSON FeatureCollection', 400: 'invalid parameter (named in the error)' },
  },
];

/** The published plans the grids come from: `plan` when there is one (one district), `plans` always. */
async function planHead(db: AppDeps['db']): Promise<{ plan: number | null; plans: number[] }> {
  const plans = await publishedPlanIds(db);
  return { plan: plans.length === 1 ? plans[0] : null, plans };
}

/** `GET /api/grids?<filters>` — GeoJSON FeatureCollection of the plan's grids with KPI properties. */
export function gridRoutes(deps: AppDeps) {
  const { db } = deps;
  return new Hono().get('/', zValidator('query', query, queryError), async (c) => {
    const q = c.req.valid('query');
    const f = await resolveFilters(db, q);
    const ctx = kpiContextOf(deps);
    const geo = geometryOptions(q);
    const [rows, counts] = await Promise.all([gridRows(db, f), countsBy(ctx, f, { by: 'grid' })]);
    const shapes = geo.include
      ? await cachedGeometries(db, 'grid', rows.map((r) => r.code), { toleranceM: geo.toleranceM })
      : null;
    const features = rows.map((r) => ({
      id: r.code,
      geometry: shapes?.get(r.code) ?? null,
      properties: {
        code: r.code, name: r.name, community: r.community, street: r.street,
        inspector: r.inspector, households: r.households, areaKm2: Math.round(r.area_km2 * 1000) / 1000,
        ...featureKpis(counts.get(r.code), { areaKm2: r.area_km2, grids: 1 }, f, ctx),
      },
    }));
    return featureCollection(c, await planHead(db), features);
  });
}
