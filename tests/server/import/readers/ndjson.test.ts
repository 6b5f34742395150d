import { describe, expect, it } from 'vitest';
import { openFeatureSource } from '../../../../server/import/readers/index.ts';
import { collect, collectUntilError, fixture, scratch } from './support.ts';

const { write } = scratch();
const line = (i: number) => JSON.stringify({ type: 'Feature', properties: { code: `G${i}` }, geometry: null });

describe('NDJSON reader', () => {
  it('reads one feature per line, skipping blank lines without using an index', async () => {
    const source = await openFeatureSource(fixture('grids.ndjson'));
    expect(source.format).toBe('ndjson');
    const features = await collect(source);
    expect(features.map((f) => [f.index, f.id, f.properties.name, f.properties.inspector])).toEqual([
      [0, '53011100100201', '双桥社区第1网格', '张丽'],
      [1, '53011100100202', '双桥社区第2网格', '李强'],
      [2, '53011100100203', '双桥社区第3网格', '王芳'],
    ]);
    expect(features[2].geometry).toEqual({
      type: 'Polygon',
      coordinates: [[[102.768, 24.96], [102.772, 24.96], [102.772, 24.964], [102.768, 24.964], [102.768, 24.96]]],
    });
  });

  it('names the line and feature index of a JSON syntax error', async () => {
    const path = write('broken.ndjson', [line(0), '', line(1), '{"type":"Feature",', line(3)].join('\r\n'));
    const { features, error } = await collectUntilError(await openFeatureSource(path));
    expect(features.length).toBe(2);
    expect(error).toMatchObject({ line: 4, index: 2, reason: expect.stringMatching(/^invalid JSON/) });
  });

  it('rejects a line that is not a Feature', async () => {
    const path = write('geom.geojsonl', `${line(0)}\n{"type":"Point","coordinates":[1,2]}\n`);
    const { error } = await collectUntilError(await openFeatureSource(path));
    expect(error).toMatchObject({ line: 2, index: 1, reason: expect.stringMatching(/expected a GeoJSON Feature/) });
  });

  it('accepts a BOM and GeoJSON text sequence separators', async () => {
    const path = write('seq.jsonl', `\uFEFF\x1e${line(0)}\n\x1e${line(1)}\n`);
    expect((await collect(await openFeatureSource(path))).map((f) => f.properties.code)).toEqual(['G0', 'G1']);
  });
});
