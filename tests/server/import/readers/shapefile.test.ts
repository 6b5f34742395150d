import { readdirSync, readlinkSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { encodingFromCpg } from '../../../../server/import/readers/encoding.ts';
import { openFeatureSource } from '../../../../server/import/readers/index.ts';
import { buildShapefile, GK34_PRJ, GK34_SQUARES, zipEntries, type DbfField, type ShpFeature } from '../../../helpers/fixture-writers.ts';
import { collect, collectUntilError, fixture, readerError, scratch } from './support.ts';

const { write } = scratch();

// ASCII field names: a Chinese name of 4 characters is over the 10-byte limit in UTF-8.
const FIELDS: DbfField[] = [{ name: 'code', type: 'C', length: 20 }, { name: 'name', type: 'C', length: 40 }];
const grid = (i: number): ShpFeature => ({
  geometry: { type: 'Polygon', coordinates: [GK34_SQUARES[i]] },
  properties: { code: `5301110010010${i + 1}`, name: `关上社区第${i + 1}网格` },
});
const layer = (encoding: 'utf8' | 'gbk', features = [grid(0), grid(1)], fields = FIELDS) => {
  const { shp, shx, dbf } = buildShapefile(features, fields, encoding);
  return { 'g.shp': shp, 'g.shx': shx, 'g.dbf': dbf };
};

describe('zipped Shapefile reader', () => {
  it('reads GBK attributes (from .cpg), the .prj and polygons in GK zone 34 from a subfolder', async () => {
    const source = await openFeatureSource(fixture('grids-gk34.zip'));
    expect(source).toMatchObject({ format: 'shapefile', encoding: 'gbk' });
    expect(source.crsHint?.prj).toBe(GK34_PRJ);
    const features = await collect(source);
    expect(features.map((f) => [f.index, f.properties])).toEqual([0, 1, 2].map((i) => [
      i,
      { 网格编码: `5301110010010${i + 1}`, 网格名称: `关上社区第${i + 1}网格`, 社区编码: '530111001001' },
    ]));
    // Outer rings come back clockwise, as a Shapefile stores them.
    expect(features[0].geometry).toEqual({
      type: 'Polygon',
      coordinates: [[[34575600, 2760600], [34575600, 2761000], [34576000, 2761000], [34576000, 2760600], [34575600, 2760600]]],
    });
  });

  it('detects a UTF-8 DBF without .cpg and reads points with their ids', async () => {
    const source = await openFeatureSource(fixture('sites-utf8.zip'));
    expect(source.encoding).toBe('utf8');
    expect(source.crsHint?.prj).toMatch(/^GEOGCS\["GCS_China_Geodetic_Coordinate_System_2000"/);
    const features = await collect(source);
    expect(features.map((f) => [f.id, f.properties.名称, f.geometry])).toEqual([
      ['S001', '双桥村综合农贸市场', { type: 'Point', coordinates: [102.7486, 24.9603] }],
      ['S002', '关上中心学校', { type: 'Point', coordinates: [102.7531, 24.9488] }],
      ['S003', '和平路社区文化广场', { type: 'Point', coordinates: [102.7555, 24.9522] }],
    ]);
  });

  it('falls back to GBK when a DBF without .cpg is not valid UTF-8', async () => {
    const source = await openFeatureSource(write('gbk-no-cpg.zip', zipEntries(layer('gbk'))));
    expect(source.encoding).toBe('gbk');
    expect((await collect(source))[1].properties.name).toBe('关上社区第2网格');
  });

  it('maps .cpg labels to encodings', () => {
    expect(['UTF-8', 'utf8', '65001'].map(encodingFromCpg)).toEqual(['utf8', 'utf8', 'utf8']);
    expect(['GBK', '936', 'CP936', 'GB2312', 'cp936\r\n'].map(encodingFromCpg)).toEqual(Array(5).fill('gbk'));
    expect(encodingFromCpg('1252')).toBeUndefined();
  });

  it('keeps integer codes too wide for a double as exact text, other numbers as numbers', async () => {
    const fields: DbfField[] = [{ name: 'code', type: 'N', length: 20 }, { name: 'area', type: 'N', length: 19 }, { name: 'hh', type: 'N', length: 6 }];
    const features: ShpFeature[] = [{ geometry: null, properties: { code: '53011100100100012345', area: '1234.5', hh: 320 } }];
    const [feature] = await collect(await openFeatureSource(write('wide.zip', zipEntries(layer('utf8', features, fields)))));
    expect(feature).toEqual({ index: 0, geometry: null, properties: { code: '53011100100100012345', area: 1234.5, hh: 320 } });
  });

  it('drops NUL padding after a text value, and keeps a NUL inside one for the import to refuse', async () => {
    const features: ShpFeature[] = [
      { ...grid(0), properties: { code: 'A1\0\0\0', name: '关上社区\0\0' } },
      { ...grid(1), properties: { code: 'A2', name: '关上\0社区' } },
    ];
    const read = await collect(await openFeatureSource(write('nul.zip', zipEntries(layer('utf8', features)))));
    expect(read.map((f) => f.properties)).toEqual([{ code: 'A1', name: '关上社区' }, { code: 'A2', name: '关上\0社区' }]);
  });

  it('ignores macOS resource forks beside the layer', async () => {
    const entries = { ...layer('utf8'), '__MACOSX/._g.shp': 'junk', '._g.shp': 'junk' };
    expect(await collect(await openFeatureSource(write('mac.zip', zipEntries(entries))))).toHaveLength(2);
  });

  it('rejects a zip without a .shp', async () => {
    const error = await readerError(openFeatureSource(write('no-shp.zip', zipEntries({ 'readme.txt': 'hi' }))));
    expect(error.reason).toBe('the zip must hold exactly one .shp layer, found no .shp file');
  });

  it('rejects a zip with two layers, listing them', async () => {
    const two = { ...layer('utf8'), 'b/h.shp': layer('utf8')['g.shp'] };
    const error = await readerError(openFeatureSource(write('two.zip', zipEntries(two))));
    expect(error.reason).toBe('the zip must hold exactly one .shp layer, found 2 .shp files (g.shp, b/h.shp)');
  });

  it('rejects a .shp without its .dbf', async () => {
    const { 'g.shp': shp } = layer('utf8');
    const error = await readerError(openFeatureSource(write('no-dbf.zip', zipEntries({ 'g.shp': shp }))));
    expect(error.reason).toMatch(/no g\.dbf beside g\.shp/);
  });

  it('rejects an entry that escapes the archive (zip-slip)', async () => {
    const { 'g.shp': shp, 'g.dbf': dbf } = layer('utf8');
    const error = await readerError(openFeatureSource(write('slip.zip', zipEntries({ '../evil.shp': shp, '../evil.dbf': dbf }))));
    expect(error.reason).toBe('unsafe path in the zip: invalid relative path: ../evil.shp');
  });

  it('refuses a layer that inflates beyond the limit', async () => {
    const error = await readerError(openFeatureSource(write('big.zip', zipEntries(layer('utf8'))), { maxUnzippedBytes: 300 }));
    expect(error.reason).toMatch(/^the layer inflates to \d+ bytes, over the limit of 300$/);
  });

  it('rejects a .zip that is not a zip', async () => {
    const error = await readerError(openFeatureSource(write('fake.zip', 'not a zip at all')));
    expect(error.reason).toMatch(/^not a readable zip file/);
  });

  it('closes the zip when an iteration is abandoned', async () => {
    const path = write('abandon.zip', zipEntries(layer('utf8')));
    const openOnZip = () => readdirSync('/proc/self/fd').filter((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`) === path;
      } catch {
        return false;
      }
    }).length;
    // yauzl closes its fd asynchronously once the last stream lets go.
    const closedSoon = async () => {
      for (let i = 0; i < 100 && openOnZip() > 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      return openOnZip() === 0;
    };
    const source = await openFeatureSource(path);
    expect(await closedSoon()).toBe(true);
    for await (const feature of source.features) {
      expect(openOnZip()).toBe(1);
      expect(feature.index).toBe(0);
      break;
    }
    expect(await closedSoon()).toBe(true);
  });

  it('fails when the shapefile package skips a corrupt .shp record', async () => {
    const entries = layer('utf8');
    const shp = Buffer.from(entries['g.shp']);
    shp.writeInt32LE(99, 100 + 8 + (shp.length - 100) / 2); // shape type of record 2 → unsupported
    const { features, error } = await collectUntilError(await openFeatureSource(write('corrupt.zip', zipEntries({ ...entries, 'g.shp': shp }))));
    expect(features).toHaveLength(1);
    expect(error).toMatchObject({ index: 1, reason: 'the .shp has 1 readable records but the .dbf has 2: the layer is corrupt' });
  });
});
