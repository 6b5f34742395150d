import type { Geometry } from 'geojson';
import { bboxOf } from '../../domain/geometry.ts';
import { representativePoint } from '../../spatial/measure.ts';
import { siteZone } from '../../spatial/zones.ts';
import { Assigner, reassignAll } from '../assignment.ts';
import { countExisting, type KindHandler } from '../kind.ts';
import { parseId, parseNumber } from '../values.ts';

/**
 * Polygon types (compounds, parks) have no buffer, but files often give them as a point or a line;
 * those still need a zone, so they get a modest default radius instead of being rejected.
 */
const FALLBACK_RADIUS_M = 100;
function zoneRadius(geom: Geometry, radius: number): number {
  const polygonal = geom.type === 'Polygon' || geom.type === 'MultiPolygon';
  return radius === 0 && !polygonal ? FALLBACK_RADIUS_M : radius;
}

/** Key sites (重点点位). Each gets a zone (its polygon, or a buffer of its point/line) used for issue membership. */
export function sitesHandler(): KindHandler {
  let typeBuffers = new Map<string, number>();
  let typeByName = new Map<string, string>();
  let assigner: Assigner;
  return {
    aliases: {
      id: ['编号', '点位编号', '点位编码', 'site_id', 'code'],
      type: ['类型', '点位类型', 'site_type'],
      name: ['名称', '点位名称'],
      unit: ['责任单位', '主管单位', '管理单位'],
      buffer_m: ['缓冲半径', '半径', 'buffer', 'radius'],
    },
    geometryTypes: ['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon'],
    columns: [
      ['id', 'VARCHAR'], ['type', 'VARCHAR'], ['name', 'VARCHAR'], ['unit', 'VARCHAR'], ['buffer_m', 'DOUBLE'],
      ['geometry', 'VARCHAR'], ['zone', 'VARCHAR'], ['xmin', 'DOUBLE'], ['ymin', 'DOUBLE'], ['xmax', 'DOUBLE'], ['ymax', 'DOUBLE'],
      ['lon', 'DOUBLE'], ['lat', 'DOUBLE'], ['grid_code', 'VARCHAR'], ['community', 'VARCHAR'], ['street', 'VARCHAR'],
    ],
    async prepare(ctx) {
      const types = await ctx.session.all<{ code: string; name: string; buffer_m: number }>('SELECT code, name, buffer_m FROM site_types');
      typeBuffers = new Map(types.map((t) => [t.code, t.buffer_m]));
      // Files from other tools name the type in Chinese (农贸市场, 背街小巷 …); accept each part of a slash name too.
      typeByName = new Map(types.flatMap((t) => [t.name, ...t.name.split('/')].map((n) => [n, t.code] as [string, string])));
      assigner = await Assigner.load(ctx.session);
    },
    toRow({ props, geometry }, report) {
      const id = props.id === undefined ? undefined : parseId(props.id);
      if (!id) return report('id', 'required', 'site id is required'), null;
      if (id.error) return report('id', 'invalid', id.error), null;
      const rawType = props.type === undefined ? '' : String(props.type).trim();
      const type = typeBuffers.has(rawType) ? rawType : typeByName.get(rawType);
      if (!rawType) report('type', 'required', 'site type is required');
      else if (!type) report('type', 'unknown_site_type', `"${rawType}" is not a known site type (${[...typeBuffers.keys()].join(', ')})`);
      const name = props.name === undefined ? '' : String(props.name).trim();
      if (!name) report('name', 'required', 'name is required');
      const buffer = props.buffer_m === undefined ? null : parseNumber(props.buffer_m, { min: 0 });
      if (buffer?.error) report('buffer_m', 'invalid', buffer.error);
      if (!type || !name || buffer?.error) return null;
      const geom = geometry as Geometry;
      const zone = siteZone(geom, zoneRadius(geom, buffer?.value ?? typeBuffers.get(type)!));
      const [xmin, ymin, xmax, ymax] = bboxOf(zone);
      const [lon, lat] = representativePoint(geom);
      const p = assigner.place(lon, lat);
      const unit = props.unit === undefined ? null : String(props.unit).trim();
      return [id.value, type, name, unit, buffer?.value ?? null, JSON.stringify(geom), JSON.stringify(zone), xmin, ymin, xmax, ymax, lon, lat, p.grid, p.community, p.street];
    },
    async merge(ctx, staging) {
      const s = ctx.session;
      const updated = await countExisting(s, staging, 'sites', 'id');
      await s.run(`DELETE FROM sites WHERE id IN (SELECT id FROM ${staging.name})`);
      await s.run(
        `INSERT INTO sites (id, type, name, unit, buffer_m, geometry, zone, xmin, ymin, xmax, ymax, lon, lat, grid_code, community, street)
         SELECT id, type, name, unit, buffer_m, geometry, zone, xmin, ymin, xmax, ymax, lon, lat, grid_code, community, street FROM ${staging.name}`,
      );
      // The accountable unit stays the text the file gives; it also names a department when it is one's code, name or short name.
      await s.run(
        `UPDATE sites SET unit_department = d.code FROM departments d
         WHERE sites.id IN (SELECT id FROM ${staging.name}) AND (sites.unit = d.name OR sites.unit = d.short_name OR sites.unit = d.code)`,
      );
      // New zones change which issues belong to which site.
      const hasIssues = (await s.one<{ n: number }>('SELECT count(*) AS n FROM (SELECT 1 FROM issues LIMIT 1)'))!.n > 0;
      if (hasIssues) await reassignAll(s, await Assigner.load(s));
      return { inserted: staging.rows - updated, updated };
    },
  };
}
