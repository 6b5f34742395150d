import { describe, expect, it } from 'vitest';
import { retryDelayMs } from '../../web/screen/screen-controller';
import { partsFor, withShapes } from '../../web/screen/screen-data';

type Fc = { type: 'FeatureCollection'; features: { id: string; geometry: unknown; properties: { n: number } }[] };
const fc = (rows: [string, unknown, number][]): Fc => ({ type: 'FeatureCollection', features: rows.map(([id, geometry, n]) => ({ id, geometry, properties: { n } })) });

describe('screen data', () => {
  it('requests only what the configured panels show', () => {
    expect([...partsFor(['kpis', 'ticker'])].sort()).toEqual(['headline', 'recent']);
    expect(partsFor(['sites']).size).toBe(0);
  });

  it('puts stored shapes back on fresh KPI-only features', () => {
    const shape = { type: 'Point', coordinates: [1, 2] };
    const merged = withShapes(fc([['a', null, 5]]), fc([['a', shape, 1]]))!;
    expect(merged.features[0]).toEqual({ id: 'a', geometry: shape, properties: { n: 5 } });
  });

  it('asks for the shapes again when a feature is new', () => {
    expect(withShapes(fc([['a', null, 5], ['b', null, 1]]), fc([['a', {}, 1]]))).toBeUndefined();
  });

  it('retries quickly at first, then every 30 s', () => {
    expect(retryDelayMs(1)).toBe(3_000);
    expect(retryDelayMs(4)).toBe(20_000);
    expect(retryDelayMs(50)).toBe(30_000);
  });
});
