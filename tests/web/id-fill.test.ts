import { describe, expect, it } from 'vitest';
import { COLOURS_ROW, featureColours, featureOfColour, IdFillPolygonLayer, packColours, polygonBounds, quadCorners } from '../../web/map/layers/id-fill';
import { buildGridChoropleth, type GridCollection } from '../../web/map/layers/grid-choropleth';

describe('fills drawn through an ids texture', () => {
  it('reads deck.gl\'s picking colours back as feature indexes (index + 1, low byte first; black is none)', () => {
    // deck.gl's Layer.encodePickingColor, written out: the ids texture holds exactly these bytes.
    const encode = (i: number) => [(i + 1) & 255, ((i + 1) >> 8) & 255, ((i + 1) >> 16) & 255] as const;
    for (const i of [0, 1, 254, 255, 256, 9_999, 65_535, 70_000]) expect(featureOfColour(...encode(i))).toBe(i);
    expect(featureOfColour(0, 0, 0)).toBe(-1);
  });

  it('lays the colours out in rows of the texture\'s width, padding the last with transparent texels', () => {
    const count = COLOURS_ROW + 2;
    const colours = new Uint8Array(count * 4).map((_, k) => (k % 251) + 1);
    const { data, width, height } = packColours(colours, count);
    expect([width, height]).toEqual([COLOURS_ROW, 2]);
    expect(data.length).toBe(COLOURS_ROW * 2 * 4);
    // Feature i sits at texel (i % width, floor(i / width)), as the quad's shader reads it.
    const texel = (i: number) => [...data.subarray(4 * ((Math.floor(i / width)) * width + (i % width)), 4 * ((Math.floor(i / width)) * width + (i % width)) + 4)];
    expect(texel(COLOURS_ROW + 1)).toEqual([...colours.subarray(4 * (COLOURS_ROW + 1), 4 * (COLOURS_ROW + 2))]);
    expect(texel(COLOURS_ROW + 2)).toEqual([0, 0, 0, 0]);
    expect(packColours(new Uint8Array(0), 0).height).toBe(1);
  });

  it('gives each source feature the colour of its rows (a multipolygon\'s parts are rows of one feature)', () => {
    const sources = [0, 2, 2, 1];
    const colours = [[1, 2, 3, 4], [5, 6, 7, 8], [5, 6, 7, 8], [9, 10, 11]];
    const out = featureColours(4, 3, (row) => sources[row], (row) => colours[row]);
    expect([...out]).toEqual([1, 2, 3, 4, 9, 10, 11, 255, 5, 6, 7, 8]);
  });

  it('covers only the polygons\' box on screen, with a pixel of margin, clamped to the screen', () => {
    expect(polygonBounds(new Float64Array([3, 1, 0, 1, 4, 0, 2, 2, 0]))).toEqual([1, 1, 3, 4]);
    expect(polygonBounds(new Float64Array(0))).toBeNull();
    // A projection of lon/lat to CSS pixels (y down) on a 200 × 100 viewport.
    const project = ([x, y]: [number, number]) => [x * 10, 100 - y * 10];
    const c = quadCorners([5, 2, 15, 8], project, 200, 100);
    // x from 50 to 150 px → -0.5 … 0.5; y from 20 to 80 px → 0.6 … -0.6; margins of 2/200 and 2/100.
    expect([...c].map((v) => Math.round(v * 1000) / 1000)).toEqual([-0.51, -0.62, 0.51, -0.62, -0.51, 0.62, 0.51, 0.62]);
    expect([...quadCorners([-100, -100, 100, 100], project, 200, 100)]).toEqual([-1, -1, 1, -1, -1, 1, 1, 1]);
    expect([...quadCorners(null, project, 200, 100)]).toEqual([-1, -1, 1, -1, -1, 1, 1, 1]);
    // Off screen: nothing to cover.
    expect([...quadCorners([100, 50, 101, 51], project, 200, 100)].every((v) => v === 0)).toBe(true);
  });

  const g: GridCollection = {
    type: 'FeatureCollection',
    features: [{ type: 'Feature', geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] }, properties: { code: 'G1', name: 'G1', community: 'C', street: 'S' } }],
  };

  it('is the choropleth\'s fill, whose colour accessor stays the real colours', () => {
    const layer = buildGridChoropleth({ grids: g, values: null, metric: 'reported' });
    const fill = (layer.props._subLayerProps as Record<string, { type?: unknown; highlightedObjectIndex?: number }>)['polygons-fill'];
    expect(fill.type).toBe(IdFillPolygonLayer);
    // deck.gl keeps the picking colours the ids are drawn from only for pickable or highlightable layers.
    expect(fill.highlightedObjectIndex).toBe(-1);
  });

  it('leaves the fills to deck.gl when asked to (the wall)', () => {
    const layer = buildGridChoropleth({ grids: g, values: null, metric: 'reported', fillThroughIds: false });
    const sub = layer.props._subLayerProps as Record<string, { type?: unknown }> | null | undefined;
    expect(sub?.['polygons-fill']?.type).toBeUndefined();
  });
});
