import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { openFeatureSource } from '../../../../server/import/readers/index.ts';
import { collect, collectUntilError, fixture, readerError, scratch } from './support.ts';

const { write } = scratch();

describe('CSV reader', () => {
  it('detects GBK and decodes Chinese headers and values, quoted commas included', async () => {
    const source = await openFeatureSource(fixture('issues-gbk.csv'));
    expect(source).toMatchObject({ format: 'csv', encoding: 'gbk' });
    const features = await collect(source);
    expect(features).toHaveLength(3);
    expect(features[0]).toEqual({
      index: 0,
      geometry: { type: 'Point', coordinates: [102.7521, 24.9502] },
      properties: { 编号: 'GD20240301001', 类别: '0101', 来源: 'patrol', 状态: 'closed', 上报时间: '2024-03-01 08:15:00', 描述: '双桥村农贸市场东门暴露垃圾' },
    });
    expect(features[1].properties.描述).toBe('关上中心学校门口占道经营，早高峰');
    expect(features[2].properties.描述).toBe('楼道小广告,"牛皮癣"待清理');
  });

  it('strips the BOM, trims values, drops empty ones and keeps unparseable coordinates as text', async () => {
    const source = await openFeatureSource(fixture('issues-utf8-bom.csv'));
    expect(source.encoding).toBe('utf8');
    const features = await collect(source);
    expect(features.map((f) => f.id)).toEqual(['IS-001', 'IS-002', 'IS-003']);
    expect(Object.keys(features[0].properties)[0]).toBe('id');
    expect(features[0].geometry).toEqual({ type: 'Point', coordinates: [102.751, 24.9511] });
    expect(features[0].properties).not.toHaveProperty('lng');
    expect(features[1].geometry).toEqual({ type: 'Point', coordinates: ['102.75E', '24.95N'] });
    expect(features[2].geometry).toBeNull();
    expect(features[2].properties).toEqual({ id: 'IS-003', category: '0301', source: 'hotline', status: 'reported', reported_at: '2024-03-02T10:00:00+08:00' });
  });

  it('gives null geometry to a CSV without coordinate columns', async () => {
    const path = write('categories.csv', 'code,parent,kind,name\n0101,01,event,暴露垃圾\n');
    const [row] = await collect(await openFeatureSource(path));
    expect(row).toEqual({ index: 0, geometry: null, properties: { code: '0101', parent: '01', kind: 'event', name: '暴露垃圾' } });
  });

  it('uses lonField/latField when the columns have other names', async () => {
    const path = write('custom.csv', 'id,东经,北纬\nA,102.75,24.95\n');
    const [row] = await collect(await openFeatureSource(path, { lonField: '东经', latField: '北纬' }));
    expect(row).toMatchObject({ geometry: { type: 'Point', coordinates: [102.75, 24.95] }, properties: { id: 'A' } });
  });

  it('recognises X/Y columns case-insensitively', async () => {
    const path = write('xy.csv', 'name,X,Y\n站点,34575744.58,2760724.67\n');
    const [row] = await collect(await openFeatureSource(path));
    expect(row.geometry).toEqual({ type: 'Point', coordinates: [34575744.58, 2760724.67] });
  });

  it('names the line of a ragged row', async () => {
    const path = write('ragged.csv', 'id,lon,lat\nA,102.7,24.9\n\nB,102.8\nC,102.9,24.9\n');
    const { features, error } = await collectUntilError(await openFeatureSource(path));
    expect(features.length).toBe(1);
    expect(error).toMatchObject({ line: 4, index: 1, reason: 'the row has 2 fields but the header has 3' });
  });

  it('names the line of a quoting error', async () => {
    const { error } = await collectUntilError(await openFeatureSource(write('quote.csv', 'id,desc\nA,ok\nB,"bad"x\n')));
    expect(error).toMatchObject({ line: 3, index: 1, reason: expect.stringMatching(/^invalid CSV: Invalid Closing Quote/) });
  });

  it('rejects a longitude column without a latitude column', async () => {
    const { error } = await collectUntilError(await openFeatureSource(write('lon-only.csv', 'id,经度\nA,102.7\n')));
    expect(error.reason).toMatch(/"经度" looks like a coordinate but there is no latitude column/);
  });

  it('lets opts.encoding override the sniffed encoding', async () => {
    const path = write('forced.csv', iconv.encode('名称\n市场\n', 'gbk'));
    const source = await openFeatureSource(path, { encoding: 'utf8' });
    expect(source.encoding).toBe('utf8');
    // GBK bytes are not UTF-8: refused rather than imported as mojibake.
    expect(await readerError(collect(source))).toMatchObject({ code: 'invalid_encoding' });
  });

  it('rejects duplicate header names', async () => {
    const error = await readerError(collect(await openFeatureSource(write('dup.csv', 'id,id\n1,2\n'))));
    expect(error).toMatchObject({ line: 1, reason: 'header column "id" appears twice' });
  });
});
