/**
 * Builders for the import fixtures in tests/fixtures/import, and the binary writers they need
 * (Shapefile .shp/.shx, dBASE .dbf, zip). Tests also use the writers to make broken variants in a
 * temp dir. Regenerate the committed fixtures with `npx tsx tests/helpers/fixture-writers.ts`.
 */
import { zipSync } from 'fflate';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import iconv from 'iconv-lite';
import proj4 from 'proj4';
import { buildShapefile as writeShapefile, type DbfEncoding, type DbfField, type ShpRecord } from '../../server/plan/shapefile-writer.ts';

export type Ring = [number, number][];
export type { DbfField };
export type ShpFeature = ShpRecord;
export type TextEncoding = DbfEncoding;

/** CGCS2000 3-degree Gauss–Krüger zone 34 (EPSG:4522), with the zone number in the false easting. */
export const GK34 = '+proj=tmerc +lat_0=0 +lon_0=102 +k=1 +x_0=34500000 +y_0=0 +ellps=GRS80 +units=m +no_defs';
export const GK34_PRJ =
  'PROJCS["CGCS2000_3_Degree_GK_Zone_34",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",' +
  'SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],' +
  'PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",34500000.0],PARAMETER["False_Northing",0.0],' +
  'PARAMETER["Central_Meridian",102.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]';
export const CGCS2000_PRJ =
  'GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],' +
  'PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';

/** Fixtures are stamped with a fixed DBF date so regenerating them gives the same bytes. */
const FIXED_DATE = new Date(Date.UTC(2024, 0, 1));

/** The project's Shapefile writer with a fixture's text encoding and a fixed date. */
export function buildShapefile(features: ShpFeature[], fields: DbfField[], encoding: TextEncoding) {
  return writeShapefile(features, fields, { encoding, date: FIXED_DATE });
}

/** A zip of the given entries (names used verbatim, even hostile ones), with a fixed timestamp. */
export function zipEntries(entries: Record<string, Uint8Array | string>): Uint8Array {
  const files = Object.fromEntries(
    Object.entries(entries).map(([name, data]) => [name, typeof data === 'string' ? Buffer.from(data) : data]),
  );
  return zipSync(files, { mtime: new Date(2024, 0, 1) });
}

/** The three 400 m grid squares of grids-gk34.zip, west to east, in GK zone 34 metres. */
export const GK34_SQUARES: Ring[] = [0, 1, 2].map((i) => {
  const [x, y] = [34575600 + 400 * i, 2760600];
  return [[x, y], [x + 400, y], [x + 400, y + 400], [x, y + 400], [x, y]];
});

/** A GK zone 34 point (metres) as [lon, lat] on CGCS2000, for asserting what the CRS step should produce. */
export const gk34ToLonLat = (xy: [number, number]): [number, number] => proj4(GK34, 'WGS84', xy) as [number, number];

const r6 = (v: number) => Math.round(v * 1e6) / 1e6;
const square = (lon: number, lat: number, d: number): Ring => [
  [lon, lat], [r6(lon + d), lat], [r6(lon + d), r6(lat + d)], [lon, r6(lat + d)], [lon, lat],
];

/** Writes every committed import fixture into `dir`. */
export function writeImportFixtures(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const put = (name: string, data: Uint8Array | string) => writeFileSync(join(dir, name), data);

  const grids = buildShapefile(
    GK34_SQUARES.map((ring, i) => ({
      geometry: { type: 'Polygon', coordinates: [ring] },
      properties: { 网格编码: `5301110010010${i + 1}`, 网格名称: `关上社区第${i + 1}网格`, 社区编码: '530111001001' },
    })),
    [{ name: '网格编码', type: 'C', length: 20 }, { name: '网格名称', type: 'C', length: 40 }, { name: '社区编码', type: 'C', length: 12 }],
    'gbk',
  );
  put('grids-gk34.zip', zipEntries({
    'grids-gk34/grids.shp': grids.shp,
    'grids-gk34/grids.shx': grids.shx,
    'grids-gk34/grids.dbf': grids.dbf,
    'grids-gk34/grids.prj': GK34_PRJ,
    'grids-gk34/grids.cpg': 'GBK',
  }));

  const sites = buildShapefile(
    [
      ['S001', 'market', '双桥村综合农贸市场', '官渡区市场监督管理局', 102.7486, 24.9603],
      ['S002', 'school', '关上中心学校', '关上街道办事处', 102.7531, 24.9488],
      ['S003', 'park', '和平路社区文化广场', '和平路社区居委会', 102.7555, 24.9522],
    ].map(([id, type, name, unit, lon, lat]) => ({
      geometry: { type: 'Point', coordinates: [lon as number, lat as number] },
      properties: { id, type, 名称: name, unit },
    })),
    [{ name: 'id', type: 'C', length: 10 }, { name: 'type', type: 'C', length: 20 }, { name: '名称', type: 'C', length: 60 }, { name: 'unit', type: 'C', length: 60 }],
    'utf8',
  );
  put('sites-utf8.zip', zipEntries({ 'sites.shp': sites.shp, 'sites.shx': sites.shx, 'sites.dbf': sites.dbf, 'sites.prj': CGCS2000_PRJ }));

  put('issues-gbk.csv', iconv.encode([
    '编号,类别,来源,状态,上报时间,经度,纬度,描述',
    'GD20240301001,0101,patrol,closed,2024-03-01 08:15:00,102.7521,24.9502,双桥村农贸市场东门暴露垃圾',
    'GD20240301002,0201,hotline,dispatched,2024-03-01 09:40:00,102.7498,24.9517,"关上中心学校门口占道经营，早高峰"',
    'GD20240301003,0102,inspection,reported,2024-03-01 10:05:00,102.7533,24.9489,"楼道小广告,""牛皮癣""待清理"',
    '',
  ].join('\r\n'), 'gbk'));

  put('issues-utf8-bom.csv', '\uFEFF' + [
    'id,category,source,status,reported_at,lng,lat,description',
    'IS-001,0101,patrol,closed,2024-03-02T08:00:00+08:00,102.7510,24.9511,暴露垃圾 已清理',
    'IS-002,0203,camera,opened,2024-03-02T09:30:00+08:00,102.75E,24.95N,坐标写错了',
    'IS-003,0301, hotline ,reported,2024-03-02T10:00:00+08:00,,,',
    '',
  ].join('\n'));

  const gridLines = [0, 1, 2].map((i) => JSON.stringify({
    type: 'Feature',
    id: `5301110010020${i + 1}`,
    properties: { code: `5301110010020${i + 1}`, name: `双桥社区第${i + 1}网格`, community: '530111001002', inspector: ['张丽', '李强', '王芳'][i] },
    geometry: { type: 'Polygon', coordinates: [square(r6(102.76 + 0.004 * i), 24.96, 0.004)] },
  }));
  put('grids.ndjson', `${gridLines[0]}\n${gridLines[1]}\n\n${gridLines[2]}\n`);

  put('regions-crs4490.geojson', `${JSON.stringify({
    type: 'FeatureCollection',
    crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::4490' } },
    features: [
      {
        type: 'Feature', id: 530111001,
        properties: { code: '530111001', name: '关上街道', level: 'street', parent: '530111' },
        geometry: { type: 'Polygon', coordinates: [square(102.74, 24.94, 0.03)] },
      },
      {
        type: 'Feature',
        properties: { code: '530111001001', name: '关上社区', level: 'community', parent: '530111001' },
        geometry: { type: 'Polygon', coordinates: [square(102.745, 24.945, 0.012)] },
      },
    ],
  }, null, 1)}\n`);

  const leaf = (code: string, name: string, kind: string, limit: number, limit_unit: string) => ({ code, name, kind, limit, limit_unit });
  put('categories-tree.json', `${JSON.stringify({
    categories: [
      { code: '01', name: '市容环境', kind: 'event', children: [
        leaf('0101', '暴露垃圾', 'event', 2, 'work_hours'),
        leaf('0102', '乱张贴/牛皮癣小广告', 'event', 1, 'work_days'),
      ] },
      { code: '02', name: '街面秩序', kind: 'event', children: [
        leaf('0201', '占道经营', 'event', 4, 'work_hours'),
        leaf('0202', '流动摊贩', 'event', 4, 'work_hours'),
      ] },
      { code: '03', name: '公共设施', kind: 'component', children: [leaf('0301', '井盖缺失', 'component', 24, 'hours')] },
    ],
  }, null, 1)}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  writeImportFixtures(join(dirname(fileURLToPath(import.meta.url)), '../fixtures/import'));
}
