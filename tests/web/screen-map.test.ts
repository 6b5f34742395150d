import { describe, expect, it } from 'vitest';
import { gridValuesOf, type GridCollection, type GridValues } from '../../web/map/layers';
import { buildHeatLayer } from '../../web/map/layers/heat-layer';
import { buildDarkBasemap, DARK_LAYERS, focusFilter } from '../../web/screen/map/dark-basemap';
import { buildScreenLayers, buildStreetLines, DARK_ALARM, darkOverdueScale, mapEmphasis, regionLabels, STREET_LINES_ID, type ScreenLayerInput } from '../../web/screen/map/screen-layers';
import { smallRegionLayers } from './region-fixture';

const square = (x: number) => ({ type: 'Polygon' as const, coordinates: [[[x, 24.9], [x + 0.01, 24.9], [x + 0.01, 24.91], [x, 24.91], [x, 24.9]]] });
function grids(overdue: number[]): { shapes: GridCollection; values: GridValues } {
  const shapes: GridCollection = {
    type: 'FeatureCollection',
    features: overdue.map((_o, i) => ({
      type: 'Feature', geometry: square(102.7 + i * 0.01),
      properties: { code: `G${i}`, name: `网格${i}`, community: 'C1', street: 'S1' },
    })),
  };
  const values = gridValuesOf({ version: 'v1', count: overdue.length, values: { overdue } }, { version: 'v1', features: overdue.length })!;
  return { shapes, values };
}

function input(over: Partial<ScreenLayerInput> = {}): ScreenLayerInput {
  const regions = smallRegionLayers();
  const g = grids([0, 1, 2, 5, 8, 13]);
  return {
    grids: g, scale: darkOverdueScale(g.values), heat: [], sites: { type: 'FeatureCollection', features: [] }, markers: [], pulses: [],
    labels: [], streets: regions.street, focus: null, zoom: 11, now: 0, scale2: 2, labelScale: 3,
    show: { grids: true, heat: true, sites: true, pulses: true, labels: true }, emphasis: mapEmphasis('district'), accent: '#38c8ff', highlight: '#ffc53d',
    heatLayer: buildHeatLayer, ...over,
  };
}

describe('screen basemap', () => {
  it('is built only from the region data: no tiles, glyphs or sprites to fetch', () => {
    const style = buildDarkBasemap(smallRegionLayers(), null);
    expect(style.glyphs).toBeUndefined();
    expect(style.sprite).toBeUndefined();
    expect(Object.values(style.sources).every((s) => (s as { type: string }).type === 'geojson')).toBe(true);
  });

  it('highlights the focused street and nothing at district scope', () => {
    const style = buildDarkBasemap(smallRegionLayers(), '530111001');
    const focus = style.layers.find((l) => l.id === DARK_LAYERS.focusLine) as { filter: unknown };
    expect(focus.filter).toEqual(['==', ['get', 'code'], '530111001']);
    expect(focusFilter(null)).toEqual(['==', ['get', 'code'], '']);
  });
});

describe('screen map layers', () => {
  it('draws neither fill nor outline of a grid outside a wall\'s own district', () => {
    const g = grids([3, 4]);
    const values = gridValuesOf({ version: 'v1', count: 2, values: { overdue: [3, null] }, outside: [1] }, { version: 'v1', features: 2 })!;
    const layer = buildScreenLayers(input({ grids: { shapes: g.shapes, values } }))[0] as unknown as { props: Record<string, unknown> };
    const call = (accessor: unknown, i: number) => (accessor as (f: unknown, o: { index: number }) => number[])(g.shapes.features[i], { index: i });
    expect(call(layer.props.getLineColor, 1)[3]).toBe(0);
    expect(call(layer.props.getFillColor, 1)[3]).toBe(0);
    expect(call(layer.props.getLineColor, 0)[3]).toBeGreaterThan(0);
  });

  it('colours grid classes for a dark map, calm blue to alarming red', () => {
    const scale = darkOverdueScale(grids([0, 1, 2, 5, 8, 13]).values);
    expect(scale.colours[0]).toBe(DARK_ALARM[0]);
    expect(scale.colours[scale.colours.length - 1]).toBe(DARK_ALARM[DARK_ALARM.length - 1]);
  });

  it('labels streets and communities at a point inside each', () => {
    const regions = smallRegionLayers();
    const labels = regionLabels(regions.street, regions.community);
    expect(labels.map((l) => l.level).sort()).toEqual([
      ...regions.community.features.map(() => 'community'), ...regions.street.features.map(() => 'street'),
    ].sort());
  });

  it('keeps the same layer ids from one refresh to the next, so deck.gl updates instead of recreating', () => {
    const ids = (i: ScreenLayerInput) => buildScreenLayers(i).map((l) => l.id);
    expect(ids(input())).toEqual(ids(input({ focus: '530111001', zoom: 13, grids: grids([3, 3, 4]) })));
    expect(ids(input())).toContain(STREET_LINES_ID);
  });

  it('scales line widths, radii and text with the wall', () => {
    const layers = buildScreenLayers(input({ scale2: 2 }));
    const labels = layers.find((l) => l.id === 'region-labels')!;
    const pulses = layers.find((l) => l.id === 'live-pulses')!;
    expect((labels.props as unknown as { sizeScale: number }).sizeScale).toBe(3);
    expect((pulses.props as unknown as { radiusScale: number }).radiusScale).toBe(3);
  });

  it('outlines the focused street in the highlight colour, thicker', () => {
    const layer = buildStreetLines(smallRegionLayers().street, '530111001', '#ffc53d', 1);
    const props = layer.props as unknown as { getLineColor: (f: unknown) => number[]; getLineWidth: (f: unknown) => number };
    const focused = { properties: { code: '530111001' } };
    const other = { properties: { code: '530111002' } };
    expect(props.getLineColor(focused)).toEqual([255, 197, 61, 255]);
    expect(props.getLineWidth(focused)).toBeGreaterThan(props.getLineWidth(other));
  });

  it('hides switched-off layers instead of dropping them', () => {
    const layers = buildScreenLayers(input({ show: { grids: false, heat: false, sites: true, pulses: true, labels: true } }));
    expect(layers.find((l) => l.id === 'grid-choropleth')?.props.visible).toBe(false);
    expect(layers.find((l) => l.id === 'issue-heat')?.props.visible).toBe(false);
  });

  it('takes turns between grid classes and heat, so heat never hides the classes', () => {
    const visible = (i: ScreenLayerInput) => Object.fromEntries(buildScreenLayers(i).map((l) => [l.id, l.props.visible !== false]));
    const district = visible(input({ emphasis: mapEmphasis('district') }));
    expect(district['issue-heat']).toBe(false);
    expect(mapEmphasis('district').gridOpacity).toBeGreaterThan(0);
    expect(visible(input({ emphasis: mapEmphasis('street') }))['issue-heat']).toBe(true);
    expect(mapEmphasis('street').gridOpacity).toBe(0);
  });

  it('draws no heat layer until its builder has loaded (deck.gl\'s aggregation layers load on demand)', () => {
    const ids = buildScreenLayers(input({ emphasis: mapEmphasis('street'), heatLayer: null })).map((l) => l.id);
    expect(ids).not.toContain('issue-heat');
    expect(ids).toContain('grid-choropleth');
  });
});
