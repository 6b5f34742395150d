import { describe, expect, it } from 'vitest';
import type { Feature, Geometry } from 'geojson';
import { colourTrigger, HAIRLINE_MAX_PX, outlineSplit, ringSegments, splitPositions, ThinLinesLayer, vertexColours } from '../../web/map/layers/thin-lines';
import { buildGridChoropleth, type GridCollection } from '../../web/map/layers/grid-choropleth';

const square = (x: number): Geometry => ({ type: 'Polygon', coordinates: [[[x, 0], [x + 1, 0], [x + 1, 1], [x, 1], [x, 0]]] });
const feature = (geometry: Geometry | null): Feature<Geometry | null> => ({ type: 'Feature', geometry, properties: {} });

describe('hairline outlines in one draw', () => {
  it('turns every ring into line segments, feature after feature', () => {
    const multi: Geometry = { type: 'MultiPolygon', coordinates: [(square(5) as { coordinates: number[][][] }).coordinates, (square(7) as { coordinates: number[][][] }).coordinates] };
    const { positions, starts } = ringSegments([feature(square(0)), feature(null), feature(multi)]);
    // A closed ring of 5 positions has 4 edges, 2 vertices each.
    expect([...starts]).toEqual([0, 8, 8, 24]);
    expect([...positions.slice(0, 6)]).toEqual([0, 0, 0, 1, 0, 0]);
    expect([...positions.slice(3 * 8, 3 * 8 + 3)]).toEqual([5, 0, 0]);
    expect(positions.length).toBe(24 * 3);
  });

  it('repeats each feature\'s colour over its vertices', () => {
    const colours = vertexColours(new Uint32Array([0, 2, 2, 4]), (i) => [[1, 2, 3, 4], [9, 9, 9, 9], [5, 6, 7]][i]);
    expect([...colours]).toEqual([1, 2, 3, 4, 1, 2, 3, 4, 5, 6, 7, 255, 5, 6, 7, 255]);
  });

  it('splits positions into float32 high and low parts that add up to the float64 value', () => {
    const { high, low } = splitPositions(new Float64Array([102.712345678901, 25.0412345678901]));
    expect(high[0] + low[0]).toBeCloseTo(102.712345678901, 12);
    expect(high[1] + low[1]).toBeCloseTo(25.0412345678901, 12);
  });

  it('draws hairlines for thin outlines (alpha by width) and hands wider ones to the path layer', () => {
    const { hairline, wide } = outlineSplit(3, (i: number) => [0.6, HAIRLINE_MAX_PX + 1, 1.2][i]);
    expect(wide).toEqual([1]);
    expect([...hairline]).toEqual([Math.fround(0.6), 0, 1]);
  });

  it('keeps the choropleth one layer by id and data, its outlines a hairline sublayer without picking', () => {
    const grids: GridCollection = { type: 'FeatureCollection', features: [0, 1].map((i) => ({ type: 'Feature', geometry: square(i), properties: { code: `g${i}`, name: `g${i}`, community: 'c', street: 's' } })) };
    const layer = buildGridChoropleth({ grids, values: null, metric: 'reported', selected: 'g1' });
    expect(layer.props.stroked).toBe(false);
    expect(new ThinLinesLayer({ id: 'x', data: grids.features, getColor: () => [0, 0, 0] }).props.data).toBe(grids.features);
  });
});

describe('the hairlines\' colour trigger', () => {
  it('is flat, so an unchanged outline colour trigger compares equal one level deep (deck.gl\'s rule)', () => {
    const a = colourTrigger(['g1', 0], 'k');
    const b = colourTrigger(['g1', 0], 'k');
    expect(a).toEqual(['g1', 0, 'k']);
    expect(a.every((v, i) => v === b[i])).toBe(true);
    expect(colourTrigger(undefined, 'k')).toEqual([null, 'k']);
  });
});
