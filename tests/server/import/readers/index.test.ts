import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { openFeatureSource } from '../../../../server/import/readers/index.ts';
import { collect, fixture, readerError, scratch } from './support.ts';

const { write } = scratch();
const FEATURE = '{"type":"Feature","properties":{"code":"A"},"geometry":null}';

describe('openFeatureSource format detection', () => {
  it('treats a .json FeatureCollection as GeoJSON', async () => {
    const source = await openFeatureSource(write('fc.json', `{"type":"FeatureCollection","features":[${FEATURE}]}`));
    expect(source.format).toBe('geojson');
    expect((await collect(source))[0].properties).toEqual({ code: 'A' });
  });

  it('treats a top-level array as json records', async () => {
    const source = await openFeatureSource(write('records.json', '[{"code":"01","name":"市容环境"}]'));
    expect(source.format).toBe('json');
    expect(await collect(source)).toEqual([{ index: 0, geometry: null, properties: { code: '01', name: '市容环境' } }]);
  });

  it('lets opts.format override the extension', async () => {
    const source = await openFeatureSource(write('grids.txt', `${FEATURE}\n`), { format: 'ndjson' });
    expect(source.format).toBe('ndjson');
    expect(await collect(source)).toHaveLength(1);
  });

  it('rejects an unknown extension', async () => {
    const error = await readerError(openFeatureSource(write('grids.kml', '<kml/>')));
    expect(error.reason).toMatch(/unknown file type "\.kml"/);
  });

  it('rejects a missing file', async () => {
    const error = await readerError(openFeatureSource(fixture('nope.geojson')));
    expect(error).toMatchObject({ reason: 'no such file', message: 'nope.geojson: no such file' });
  });

  it('rejects an empty JSON file', async () => {
    const error = await readerError(openFeatureSource(write('empty.geojson', '  \n')));
    expect(error.reason).toBe('the file holds no JSON object or array');
  });

  it('rejects JSON that is not UTF-8', async () => {
    const error = await readerError(openFeatureSource(write('gbk.geojson', iconv.encode('{"type":"FeatureCollection","name":"关上街道","features":[]}', 'gbk'))));
    expect(error.reason).toMatch(/^the file is not valid UTF-8/);
  });

  it('rejects a JSON object that is neither GeoJSON nor records', async () => {
    const error = await readerError(openFeatureSource(write('other.json', '{"items":[]}')));
    expect(error.reason).toMatch(/^expected a GeoJSON FeatureCollection, a JSON array of records or an object with a "categories" array$/);
  });
});
