import { describe, expect, it } from 'vitest';
import { openFeatureSource } from '../../../../server/import/readers/index.ts';
import { collect, collectUntilError, fixture, readerError, scratch } from './support.ts';

const { write } = scratch();

describe('JSON records reader', () => {
  it('flattens a categories tree in pre-order, filling parent from the enclosing code', async () => {
    const source = await openFeatureSource(fixture('categories-tree.json'));
    expect(source.format).toBe('json');
    const records = await collect(source);
    expect(records.map((r) => [r.index, r.properties.code, r.properties.parent])).toEqual([
      [0, '01', undefined], [1, '0101', '01'], [2, '0102', '01'],
      [3, '02', undefined], [4, '0201', '02'], [5, '0202', '02'],
      [6, '03', undefined], [7, '0301', '03'],
    ]);
    expect(records[2]).toEqual({
      index: 2,
      geometry: null,
      properties: { code: '0102', name: '乱张贴/牛皮癣小广告', kind: 'event', limit: 1, limit_unit: 'work_days', parent: '01' },
    });
    expect(records[0].properties).not.toHaveProperty('children');
  });

  it('reads a top-level array and keeps an explicit parent', async () => {
    const path = write('flat.json', JSON.stringify([{ code: '01' }, { code: '0101', parent: '01', children: [{ code: '010101', parent: 'X' }] }]));
    expect((await collect(await openFeatureSource(path))).map((r) => r.properties.parent)).toEqual([undefined, '01', 'X']);
  });

  it('rejects a record that is not an object, with its index', async () => {
    const path = write('bad.json', '{"categories":[{"code":"01","children":[{"code":"0101"},"0102"]}]}');
    const { features, error } = await collectUntilError(await openFeatureSource(path));
    expect(features.length).toBe(2);
    expect(error).toMatchObject({ index: 2, reason: expect.stringMatching(/expected a record object/) });
  });

  it('rejects a FeatureCollection when json records are forced', async () => {
    const error = await readerError(openFeatureSource(fixture('regions-crs4490.geojson'), { format: 'json' }));
    expect(error.reason).toMatch(/expected a JSON array of records/);
  });
});
