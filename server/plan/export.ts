/**
 * Plan exports with the canonical grid properties (README's *Properties*), so an exported plan imports back
 * through POST /api/import/grids unchanged.
 */
import { zipSync } from 'fflate';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { buildShapefile, type DbfField } from './shapefile-writer.ts';
import type { GridAttrs, GridFeature } from './state.ts';

/** CGCS2000 geographic (EPSG:4490): what civgrid stores, and what the importer recognises from a .prj. */
const CGCS2000_PRJ =
  'GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],' +
  'PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';

/** The grids as a GeoJSON FeatureCollection of canonical properties. */
export function gridsGeoJson(grids: readonly GridFeature[]): FeatureCollection<Polygon | MultiPolygon, GridAttrs> {
  return { type: 'FeatureCollection', features: grids.map((g) => ({ type: 'Feature', id: g.properties.code, properties: { ...g.properties }, geometry: g.geometry })) };
}

/** A zip of `<base>.shp/.shx/.dbf/.prj/.cpg` (UTF-8 attributes). */
export function gridsShapefileZip(grids: readonly GridFeature[], base: string): Uint8Array {
  const width = (key: keyof GridAttrs, min: number) =>
    Math.min(254, Math.max(min, ...grids.map((g) => Buffer.byteLength(String(g.properties[key] ?? ''), 'utf8'))));
  const fields: DbfField[] = [
    { name: 'code', type: 'C', length: width('code', 1) },
    { name: 'name', type: 'C', length: width('name', 1) },
    { name: 'community', type: 'C', length: width('community', 1) },
    { name: 'inspector', type: 'C', length: width('inspector', 1) },
    { name: 'households', type: 'N', length: 10 },
  ];
  const { shp, shx, dbf } = buildShapefile(grids.map((g) => ({ geometry: g.geometry, properties: { ...g.properties } })), fields);
  return zipSync({
    [`${base}.shp`]: shp,
    [`${base}.shx`]: shx,
    [`${base}.dbf`]: dbf,
    [`${base}.prj`]: Buffer.from(CGCS2000_PRJ),
    [`${base}.cpg`]: Buffer.from('UTF-8'),
  });
}
