import { describe, expect, it } from 'vitest';
import { openFeatureSource } from '../../../../server/import/readers/index.ts';
import { collect, collectUntilError, fixture, readerError, scratch } from './support.ts';

const { write } = scratch();

const feature = (i: number, extra = '') =>
  `{"type":"Feature","id":"F${i}","properties":{"code":"${i}","name":"网格${i}"${extra}},"geometry":{"type":"Point","coordinates":[102.7${i},24.9${i}]}}`;
const collection = (features: string[], before = '', after = '') =>
  `{"type":"FeatureCollection",${before}"features":[\n${features.join(',\n')}\n]${after}}\n`;
const CRS = '"crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::4490"}}';
const many = (n: number) => Array.from({ length: n }, (_, i) => feature(i));

describe('GeoJSON FeatureCollection reader', () => {
  it('reads the fixture with its legacy crs member and feature ids', async () => {
    const source = await openFeatureSource(fixture('regions-crs4490.geojson'));
    expect(source.format).toBe('geojson');
    expect(source.crsHint).toEqual({ geojsonCrs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::4490' } } });
    const features = await collect(source);
    expect(features.map((f) => [f.index, f.id, f.properties.code, f.properties.name])).toEqual([
      [0, 530111001, '530111001', '关上街道'],
      [1, undefined, '530111001001', '关上社区'],
    ]);
    expect(features[1].geometry).toMatchObject({ type: 'Polygon', coordinates: [[[102.745, 24.945], [102.757, 24.945], [102.757, 24.957], [102.745, 24.957], [102.745, 24.945]]] });
  });

  it('takes the id from properties.id when the feature has none', async () => {
    const path = write('prop-id.geojson', collection([feature(0).replace('"id":"F0",', '').replace('"code"', '"id":7,"code"')]));
    const [only] = await collect(await openFeatureSource(path));
    expect(only.id).toBe(7);
  });

  it('finds a crs written after a features array too long to scan whole', async () => {
    const path = write('crs-after.geojson', collection(many(2000), '', `,${CRS},"name":"regions"`));
    const source = await openFeatureSource(path);
    expect(source.crsHint?.geojsonCrs).toMatchObject({ properties: { name: 'urn:ogc:def:crs:EPSG::4490' } });
    expect((await collect(source)).length).toBe(2000);
  });

  it('ignores a crs inside a feature when looking for the top-level one', async () => {
    const inner = feature(1, `,"crs":{"type":"name","properties":{"name":"EPSG:3857"}}`);
    const path = write('inner-crs.geojson', collection([...many(1500), inner]));
    expect((await openFeatureSource(path)).crsHint).toEqual({});
  });

  it('fails at the end rather than guess when a trailing crs is beyond the tail it reads first', async () => {
    const padding = `,"note":"${'x'.repeat(70 * 1024)}"`;
    const path = write('crs-far.geojson', collection(many(1500), '', `,${CRS}${padding}`));
    const source = await openFeatureSource(path);
    expect(source.crsHint).toEqual({});
    const { features, error } = await collectUntilError(source);
    expect(features.length).toBe(1500);
    expect(error.reason).toMatch(/"crs" member follows "features"/);
  });

  it('reports broken JSON at feature 3 with its index and byte, after yielding features 0–2', async () => {
    const text = collection([...many(3), feature(3).replace('"code":"3",', '"code":"3",,'), ...many(2)]);
    const path = write('broken.geojson', text);
    const { features, error } = await collectUntilError(await openFeatureSource(path));
    expect(features.map((f) => f.index)).toEqual([0, 1, 2]);
    expect(error.index).toBe(3);
    expect(error.reason).toContain(`invalid JSON near byte ${Buffer.byteLength(text.slice(0, text.indexOf(',,') + 1))}`);
  });

  it('pins a syntax error deep in a large file to the right feature and byte', async () => {
    const features = many(5000);
    features[4321] = features[4321].replace('[102.', '[102..');
    const text = collection(features);
    const { features: read, error } = await collectUntilError(await openFeatureSource(write('broken-deep.geojson', text)));
    expect(read.length).toBe(4321);
    expect(error.index).toBe(4321);
    expect(error.reason).toContain(`near byte ${Buffer.byteLength(text.slice(0, text.indexOf('102..') + 4))}`);
  });

  it('reports a truncated file with the index of the unfinished feature', async () => {
    const text = collection(many(4));
    const { features, error } = await collectUntilError(await openFeatureSource(write('cut.geojson', text.slice(0, text.indexOf('"F3"') + 10))));
    expect(features.length).toBe(3);
    expect(error).toMatchObject({ index: 3, reason: expect.stringMatching(/truncated/) });
  });

  it('rejects a single Feature', async () => {
    const error = await readerError(openFeatureSource(write('one.geojson', feature(0))));
    expect(error.reason).toMatch(/expected a GeoJSON FeatureCollection, found an object of type "Feature"/);
  });

  it('rejects a top-level array when GeoJSON is forced', async () => {
    const error = await readerError(openFeatureSource(write('arr.json', '[{"code":"01"}]'), { format: 'geojson' }));
    expect(error.reason).toMatch(/found a JSON array/);
  });

  it('rejects a FeatureCollection without a features array', async () => {
    const error = await readerError(openFeatureSource(write('nofeat.geojson', '{"type":"FeatureCollection","features":{}}')));
    expect(error.reason).toMatch(/no "features" array/);
  });

  it('rejects an item that is not a Feature, naming its index', async () => {
    const path = write('bad-item.geojson', collection([...many(2), '{"type":"Point","coordinates":[1,2]}']));
    const { features, error } = await collectUntilError(await openFeatureSource(path));
    expect(features.length).toBe(2);
    expect(error).toMatchObject({ index: 2, reason: expect.stringMatching(/expected a GeoJSON Feature/) });
  });

  it('accepts "type" written after the features', async () => {
    const path = write('type-last.geojson', `{"features":[${many(1200).join(',')}],"type":"FeatureCollection"}`);
    expect((await collect(await openFeatureSource(path))).length).toBe(1200);
  });
});
