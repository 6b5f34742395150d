import { describe, expect, it } from 'vitest';
import type { Polygon } from 'geojson';
import { arcsOf } from '../../server/plan/arcs';
import { buildTopology } from '../../server/plan/topology';
import { hexToRgba } from '../../web/map/layers/colours';
import { BAND_COLOURS } from '../../web/plan/compare';
import { buildDiffLayers, buildFinding, buildPlanGrids, buildSelection, buildTopologyLayers, PLAN_LAYER_IDS, VERTEX_COLOURS } from '../../web/plan/layers';
import type { Grid, Grids } from '../../web/plan/outcome';
import { buildVertexModel } from '../../web/plan/vertices';

const rect = (x0: number, x1: number): Polygon => ({ type: 'Polygon', coordinates: [[[x0, 0], [x1, 0], [x1, 1], [x0, 1], [x0, 0]]] });
const grid = (code: string, x: number): Grid => ({ type: 'Feature', geometry: rect(x, x + 1), properties: { code, name: code, community: 'C1', inspector: null, households: null } });
const GRIDS: Grids = { type: 'FeatureCollection', features: [grid('A', 0), grid('B', 1), grid('C', 2)] };

describe('buildPlanGrids', () => {
  it('fills each grid by its band, grey until metrics arrive, with a stable id', () => {
    const layer = buildPlanGrids({ grids: GRIDS, bands: new Map([['A', 'above'], ['B', 'below']]), opacity: 100 });
    expect(layer.id).toBe(PLAN_LAYER_IDS.grids);
    const fill = layer.props.getFillColor as unknown as (f: Grid) => number[];
    expect(fill(grid('A', 0))).toEqual(hexToRgba(BAND_COLOURS.above, 100));
    expect(fill(grid('B', 1))).toEqual(hexToRgba(BAND_COLOURS.below, 100));
    expect(fill(grid('C', 2))).toEqual(hexToRgba(BAND_COLOURS.none, 100));
  });

  it('recolours when the bands change', () => {
    const bands = new Map([['A', 'above' as const]]);
    expect(buildPlanGrids({ grids: GRIDS, bands }).props.updateTriggers.getFillColor).toContain(bands);
  });
});

describe('buildSelection', () => {
  it('outlines only the selected and picked grids', () => {
    const layer = buildSelection({ grids: GRIDS, codes: ['C', 'A'] });
    const data = layer.props.data as Grids;
    expect(data.features.map((f) => f.properties.code)).toEqual(['A', 'C']);
  });
});

describe('buildFinding', () => {
  it('draws nothing without a finding, else its box and a ring at its location', () => {
    expect(buildFinding(null)).toEqual([]);
    const layers = buildFinding({ bbox: [0, 0, 1, 1], location: [0.5, 0.5], error: true });
    expect(layers.map((l) => l.id)).toEqual([PLAN_LAYER_IDS.findingBox, PLAN_LAYER_IDS.finding]);
  });
});

describe('buildTopologyLayers', () => {
  it('draws every edge and a handle per vertex coloured by what it may do', () => {
    const topo = buildTopology('C1', [{ code: 'A', geometry: rect(0, 1) }, { code: 'B', geometry: rect(1, 2) }]);
    const model = buildVertexModel([{ community: 'C1', ...arcsOf(topo) }]);
    const [edges, handles, preview] = buildTopologyLayers({ model, hover: -1, selected: -1, preview: [[[1, 0], [1.2, 0]]], insertAt: null });
    expect((edges.props.data as unknown[]).length).toBe(7);
    expect((handles.props.data as unknown[]).length).toBe(6);
    const colour = (handles.props as unknown as { getLineColor: (i: number) => number[] }).getLineColor;
    const pinned = model.vertices.findIndex((v) => v.kind === 'pinned');
    const sliding = model.vertices.findIndex((v) => v.kind === 'slide');
    expect(colour(pinned)).toEqual(hexToRgba(VERTEX_COLOURS.pinned));
    expect(colour(sliding)).toEqual(hexToRgba(VERTEX_COLOURS.slide));
    expect((preview.props.data as unknown[]).length).toBe(1);
  });
});

describe('buildDiffLayers', () => {
  it('outlines added and changed draft grids and removed published ones over the published boundaries', () => {
    const draft: Grids = { type: 'FeatureCollection', features: [grid('A-1', 0), grid('B', 1)] };
    const [published, diff] = buildDiffLayers({ published: GRIDS, draft, added: ['A-1'], removed: ['A'], changed: ['B'] });
    expect(published.id).toBe(PLAN_LAYER_IDS.published);
    const kinds = (diff.props.data as Grids).features.map((f) => `${(f.properties as unknown as { diff: string }).diff}:${f.properties.code}`);
    expect(kinds).toEqual(['removed:A', 'changed:B', 'added:A-1']);
  });
});
