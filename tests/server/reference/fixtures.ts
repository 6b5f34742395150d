/**
 * Reference-layer files for the tests, written into a temp dir: roads as GeoJSON in a projected
 * CRS (CGCS2000 Gauss–Krüger zone 34, named by the legacy `crs` member), water as plain WGS84
 * GeoJSON, landmarks as a zipped Shapefile with a GK zone 34 `.prj` and a GBK `.dbf`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildShapefile, GK34_PRJ, zipEntries } from '../../helpers/fixture-writers.ts';

/** South-west corner of the fixture roads, in GK zone 34 metres (inside the fixture city). */
export const GK_ORIGIN: [number, number] = [34575600, 2760600];

const gkLine = (points: [number, number][]) => ({ type: 'LineString', coordinates: points.map(([dx, dy]) => [GK_ORIGIN[0] + dx, GK_ORIGIN[1] + dy]) });

/** A FeatureCollection text, with a legacy `crs` member when given. */
export function collection(features: { properties: Record<string, unknown>; geometry: unknown }[], crs?: string): string {
  return JSON.stringify({
    type: 'FeatureCollection',
    ...(crs ? { crs: { type: 'name', properties: { name: crs } } } : {}),
    features: features.map((f) => ({ type: 'Feature', ...f })),
  });
}

/** Three roads, one per class, each naming its class and name the way a different source does. */
export const ROADS = [
  { properties: { name: '关上中路', highway: 'primary' }, geometry: gkLine([[0, 0], [600, 0], [1200, 10]]) },
  { properties: { NAME: '春城路', 等级: '次干路' }, geometry: gkLine([[0, 400], [1200, 400]]) },
  { properties: { 名称: '双桥巷', fclass: 'residential' }, geometry: { type: 'MultiLineString', coordinates: [gkLine([[300, 0], [300, 400]]).coordinates] } },
];

/** Writes roads.geojson (GK zone 34), water.geojson (WGS84) and poi.zip (Shapefile, GK zone 34, GBK) into `dir`. */
export function writeReferenceFixtures(dir: string): { roads: string; water: string; poi: string } {
  const roads = join(dir, 'roads.geojson');
  writeFileSync(roads, collection(ROADS, 'urn:ogc:def:crs:EPSG::4522'));
  const water = join(dir, 'water.geojson');
  writeFileSync(water, collection([
    { properties: { name: '宝象河', waterway: 'river' }, geometry: { type: 'LineString', coordinates: [[102.71, 24.95], [102.75, 24.96], [102.79, 24.95]] } },
    { properties: { 名称: '示例湖' }, geometry: { type: 'Polygon', coordinates: [[[102.72, 24.91], [102.73, 24.91], [102.73, 24.92], [102.72, 24.91]]] } },
  ]));
  const shp = buildShapefile(
    [
      { geometry: { type: 'Point', coordinates: [GK_ORIGIN[0] + 100, GK_ORIGIN[1] + 100] }, properties: { 名称: '双桥村综合农贸市场', 类型: '农贸市场' } },
      { geometry: { type: 'Point', coordinates: [GK_ORIGIN[0] + 900, GK_ORIGIN[1] + 300] }, properties: { 名称: '关上医院', 类型: '医院' } },
    ],
    [{ name: '名称', type: 'C', length: 40 }, { name: '类型', type: 'C', length: 20 }],
    'gbk',
  );
  const poi = join(dir, 'poi.zip');
  writeFileSync(poi, zipEntries({ 'poi/poi.shp': shp.shp, 'poi/poi.shx': shp.shx, 'poi/poi.dbf': shp.dbf, 'poi/poi.prj': GK34_PRJ, 'poi/poi.cpg': 'GBK' }));
  return { roads, water, poi };
}
