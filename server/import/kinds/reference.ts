import type { Geometry } from 'geojson';
import { bboxOf, positionCount } from '../../domain/geometry.ts';
import { roadClassOf, ROAD_CLASSES, type ReferenceLayer } from '../../domain/reference-layers.ts';
import type { KindHandler } from '../kind.ts';

/** Most features one layer may hold: a city's full road network is tens of thousands. */
export const MAX_REFERENCE_FEATURES = 200_000;

const GEOMETRY_TYPES: Record<ReferenceLayer, readonly string[]> = {
  roads: ['LineString', 'MultiLineString'],
  water: ['LineString', 'MultiLineString', 'Polygon', 'MultiPolygon'],
  poi: ['Point', 'MultiPoint'],
};

/**
 * One reference layer (roads, water or landmarks), replaced whole by each import. Features are
 * kept in file order (the staging id is the feature's position, so repeated or missing ids in
 * downloaded data are no problem); names are optional except for landmarks, whose name is the point.
 */
export function referenceHandler(layer: ReferenceLayer): KindHandler {
  return {
    aliases: {
      name: ['名称', '道路名称', '路名', '河流名称', '水系名称', 'name_zh', 'name:zh', 'road_name', 'mc'],
      // Road class (主干路/次干路/支路, OSM highway, Geofabrik fclass) or landmark type (医院, 学校 …).
      class: ['等级', '道路等级', '类型', '类别', 'highway', 'fclass', 'type', 'kind', 'waterway', 'amenity', 'dldj'],
    },
    geometryTypes: GEOMETRY_TYPES[layer],
    columns: [
      ['id', 'VARCHAR'], ['name', 'VARCHAR'], ['class', 'VARCHAR'], ['rank', 'INTEGER'], ['geometry', 'VARCHAR'], ['vertices', 'INTEGER'],
      ['xmin', 'DOUBLE'], ['ymin', 'DOUBLE'], ['xmax', 'DOUBLE'], ['ymax', 'DOUBLE'],
    ],
    async prepare() {},
    toRow({ index, props, geometry }, report) {
      if (index >= MAX_REFERENCE_FEATURES) {
        return report('geometry', 'too_many_features', `a ${layer} layer holds at most ${MAX_REFERENCE_FEATURES} features`), null;
      }
      const geom = geometry as Geometry;
      // The pipeline's geometry step has already refused features over CIVGRID_MAX_VERTICES.
      const vertices = positionCount(geom);
      const name = props.name === undefined ? null : String(props.name).trim() || null;
      const raw = props.class === undefined ? null : String(props.class).trim() || null;
      if (layer === 'poi' && !name) return report('name', 'required', 'a landmark needs a name (名称)'), null;
      const [cls, rank] = classOf(layer, geom, raw);
      const [xmin, ymin, xmax, ymax] = bboxOf(geom);
      return [String(index), name, cls, rank, JSON.stringify(geom), vertices, xmin, ymin, xmax, ymax];
    },
    async merge(ctx, staging) {
      const s = ctx.session;
      await s.run('DELETE FROM reference_features WHERE layer = $layer', { layer });
      await s.run(
        `INSERT INTO reference_features (layer, seq, name, class, rank, geometry, vertices, xmin, ymin, xmax, ymax)
         SELECT $layer, _idx, name, class, rank, geometry, vertices, xmin, ymin, xmax, ymax FROM ${staging.name}`,
        { layer },
      );
      return { inserted: staging.rows, updated: 0 };
    },
  };
}

/**
 * A feature's class and rank: roads by their class attribute; water by shape (areas under
 * rivers); landmarks keep their own type text (医院, 学校 …), all of one rank.
 */
function classOf(layer: ReferenceLayer, geom: Geometry, raw: string | null): [string, number] {
  if (layer === 'roads') {
    const c = roadClassOf(raw);
    return [c, ROAD_CLASSES.indexOf(c)];
  }
  if (layer === 'water') return geom.type === 'Polygon' || geom.type === 'MultiPolygon' ? ['area', 0] : ['river', 1];
  return [raw ?? '', 0];
}
