import { zValidator } from '@hono/zod-validator';
import { kpiContextOf } from '../kpi/query.ts';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../app.ts';
import { invalidParameter } from '../domain/errors.ts';
import { filterQuery } from '../kpi/filters.ts';
import { resolveFilters } from '../kpi/resolve.ts';
import type { RouteDoc } from '../openapi/build.ts';
import { siteStatus } from '../domain/site-status.ts';
import { featureKpis, siteCounts, siteRows, siteTypeCodes, siteZoneCounts } from '../queries/geo.ts';
import { cachedGeometries, geometryOptions, geometryQuery } from '../queries/geo-geometry.ts';
import { queryError } from './validation.ts';

const query = filterQuery.extend({
  type: z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^\w{1,32}$/, 'site type codes are letters, digits and _')).max(50))
    .optional()
    .describe('site types to list, repeatable or comma-separated (default: all)'),
  zones: z.enum(['0', '1', 'false', 'true']).optional().describe('1 adds each site\'s zone polygon as the `zone` property'),
  ...geometryQuery.shape,
});

/** OpenAPI entries of this route (see server/openapi). */
export const siteDocs: RouteDoc[] = [
  {
    method: 'get', path: '/api/sites', tag: 'map', query,
    summary: 'Key sites inside the scope as GeoJSON, with the KPIs of the issues inside their zones.',
    description: 'Properties: id, type, typeName, name, unit (责任单位 as text), unitDepartment (the department it names, or null), grid, community, street, the KPIs (`overdue` = 超期未结 in the zone), openCount (still open, '
      + 'reported in the period), longOverdue (of the overdue, those more than longOverdueDays days past their deadline), longOverdueDays and status = red | amber | green '
      + '(红黄绿灯): red when longOverdue reaches the configured count and overdue ÷ reported the configured share, amber when overdue and that share reach '
      + 'lower thresholds, else green (data/site-status.json; README *Key-site status*). `type` chooses the sites listed; the '
      + 'common `siteType` filter narrows the issues. `zones=1` adds the zone polygon; `geometry=0` omits shapes; `simplify` is a tolerance in metres.',
    responses: { 200: 'GeoJSON FeatureCollection', 400: 'invalid parameter (named in the error)' },
  },
];

/** `GET /api/sites?type=&<filters>` — GeoJSON FeatureCollection of key sites with their zone and KPIs. */
export function siteRoutes(deps: AppDeps) {
  const { db } = deps;
  return new Hono().get('/', zValidator('query', query, queryError), async (c) => {
    const q = c.req.valid('query');
    const types = q.type?.length ? q.type : null;
    if (types) {
      const known = await siteTypeCodes(db);
      const unknown = types.filter((t) => !known.has(t));
      if (unknown.length) {
        const reason = `unknown site type ${unknown.join(', ')}`;
        throw invalidParameter('type', reason);
      }
    }
    const f = await resolveFilters(db, q);
    const ctx = kpiContextOf(deps);
    const geo = geometryOptions(q);
    const withZones = q.zones === '1' || q.zones === 'true';
    const rule = deps.siteStatus;
    const [rows, counts, zone] = await Promise.all([siteRows(db, f, types), siteCounts(ctx, f), siteZoneCounts(ctx, f, rule.longOverdueDays)]);
    const ids = rows.map((r) => r.id);
    const [shapes, zones] = await Promise.all([
      geo.include ? cachedGeometries(db, 'site', ids, { toleranceM: geo.toleranceM }) : null,
      withZones ? cachedGeometries(db, 'zone', ids, { toleranceM: geo.toleranceM }) : null,
    ]);
    const features = rows.map((r) => {
      const kpis = featureKpis(counts.get(r.id), { areaKm2: null, grids: 0 }, f, ctx);
      const { open: openCount, longOverdue } = zone.get(r.id) ?? { open: 0, longOverdue: 0 };
      const status = siteStatus({ reported: kpis.reported, overdue: kpis.overdue, longOverdue }, rule);
      return {
        type: 'Feature' as const,
        id: r.id,
        geometry: shapes?.get(r.id) ?? null,
        properties: {
          id: r.id, type: r.type, typeName: r.type_name, name: r.name, unit: r.unit, unitDepartment: r.unit_department,
          grid: r.grid_code, community: r.community, street: r.street,
          ...(zones ? { zone: zones.get(r.id) ?? null } : {}),
          ...kpis, openCount, longOverdue, longOverdueDays: rule.longOverdueDays, status,
        },
      };
    });
    return c.json({ type: 'FeatureCollection' as const, features });
  });
}
