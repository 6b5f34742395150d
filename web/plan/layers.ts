/**
 * Pure deck.gl layer builders of the planner, with stable ids: the draft's grids filled by workload
 * band, the selection, the vertex editor's arcs and handles, a finding being looked at, and the
 * diff against the published plan. Data in, layers out; no Vue, DOM or network.
 */
import { GeoJsonLayer, PathLayer, ScatterplotLayer } from '@deck.gl/layers';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { hexToRgba, type Rgba } from '../map/layers/colours';
import { BAND_COLOURS, type BandClass } from './compare';
import type { Bbox, LonLat } from './geometry';
import type { Grid, GridProps, Grids } from './outcome';
import type { VertexKind, VertexModel } from './vertices';

/** Layer ids, so tests and picking can name them. */
export const PLAN_LAYER_IDS = {
  grids: 'plan-grids',
  selection: 'plan-selection',
  finding: 'plan-finding',
  findingBox: 'plan-finding-box',
  edges: 'plan-topology-edges',
  vertices: 'plan-topology-vertices',
  preview: 'plan-drag-preview',
  snap: 'plan-snap',
  published: 'plan-published-outline',
  diff: 'plan-diff',
  context: 'plan-context',
} as const;

/** Options of {@link buildPlanGrids}. */
export interface PlanGridsOptions {
  grids: Grids;
  /** Band class per grid code; grids missing from it are grey (metrics not loaded yet). */
  bands: ReadonlyMap<string, BandClass>;
  /** Fill opacity 0–255; lowered while sketching so the sketch under the deck canvas shows. */
  opacity?: number;
  pickable?: boolean;
}

const WHITE = hexToRgba('#ffffff', 230);

/** The draft's grids filled by workload band (id {@link PLAN_LAYER_IDS.grids}); picking returns the grid. */
export function buildPlanGrids(o: PlanGridsOptions): GeoJsonLayer<GridProps> {
  const opacity = o.opacity ?? 120;
  const fill = (code: string): Rgba => hexToRgba(BAND_COLOURS[o.bands.get(code) ?? 'none'], opacity);
  return new GeoJsonLayer<GridProps>({
    id: PLAN_LAYER_IDS.grids,
    data: o.grids as FeatureCollection<Polygon | MultiPolygon, GridProps>,
    pickable: o.pickable ?? true,
    stroked: true,
    filled: true,
    getFillColor: (f) => fill(f.properties.code),
    getLineColor: WHITE,
    getLineWidth: 1.2,
    lineWidthUnits: 'pixels',
    updateTriggers: { getFillColor: [o.bands, opacity] },
  });
}

const CONTEXT_FILL = hexToRgba('#8a94a6', 70);
const CONTEXT_LINE = hexToRgba('#ffffff', 150);

/**
 * The other districts' published grids (id {@link PLAN_LAYER_IDS.context}), greyed under the plan
 * being edited: context at the district's border, never picked or edited.
 */
export function buildContextGrids(grids: FeatureCollection): GeoJsonLayer {
  return new GeoJsonLayer({
    id: PLAN_LAYER_IDS.context,
    data: grids,
    pickable: false,
    stroked: true,
    filled: true,
    getFillColor: CONTEXT_FILL,
    getLineColor: CONTEXT_LINE,
    getLineWidth: 0.8,
    lineWidthUnits: 'pixels',
  });
}

/** Options of {@link buildSelection}. */
export interface SelectionOptions {
  grids: Grids;
  /** The selected grid, then any grids picked for a merge. */
  codes: readonly string[];
}

const SELECTED = hexToRgba('#1d4ed8');

/** Thick outlines of the selected grids, above the names so they read at any zoom. */
export function buildSelection(o: SelectionOptions): GeoJsonLayer<GridProps> {
  const wanted = new Set(o.codes);
  const features = o.grids.features.filter((f) => wanted.has(f.properties.code));
  return new GeoJsonLayer<GridProps>({
    id: PLAN_LAYER_IDS.selection,
    data: { type: 'FeatureCollection', features } as FeatureCollection<Polygon | MultiPolygon, GridProps>,
    stroked: true,
    filled: true,
    getFillColor: hexToRgba('#1d4ed8', 36),
    getLineColor: SELECTED,
    getLineWidth: 3,
    lineWidthUnits: 'pixels',
  });
}

/** The finding being looked at: its box and a ring at its location. */
export function buildFinding(f: { bbox: Bbox; location: LonLat; error: boolean } | null): (PathLayer<LonLat[]> | ScatterplotLayer<LonLat>)[] {
  if (!f) return [];
  const [w, s, e, n] = f.bbox;
  const colour = hexToRgba(f.error ? '#dc2626' : '#d97706');
  return [
    new PathLayer<LonLat[]>({
      id: PLAN_LAYER_IDS.findingBox,
      data: [[[w, s], [e, s], [e, n], [w, n], [w, s]]],
      getPath: (p) => p,
      getColor: colour,
      getWidth: 2,
      widthUnits: 'pixels',
    }),
    new ScatterplotLayer<LonLat>({
      id: PLAN_LAYER_IDS.finding,
      data: [f.location],
      getPosition: (p) => p,
      getRadius: 12,
      radiusUnits: 'pixels',
      stroked: true,
      filled: false,
      getLineColor: colour,
      getLineWidth: 3,
      lineWidthUnits: 'pixels',
    }),
  ];
}

/** Handle colours by what a vertex may do. */
export const VERTEX_COLOURS: Record<VertexKind, string> = { free: '#1d4ed8', slide: '#d97706', pinned: '#8a94a6' };

/** Options of {@link buildTopologyLayers}. */
export interface TopologyLayerOptions {
  model: VertexModel;
  /** Vertex under the pointer, and the one selected (for Delete). */
  hover: number;
  selected: number;
  /** While dragging: the edges around the dragged vertex as they would run. */
  preview: LonLat[][];
  /** A point on an edge where double-click would insert a vertex. */
  insertAt: LonLat | null;
}

type Edge = { path: [LonLat, LonLat]; outline: boolean };

/** The vertex editor: arcs (outline darker), a handle per vertex, and the drag preview. */
export function buildTopologyLayers(o: TopologyLayerOptions): (PathLayer<Edge> | PathLayer<LonLat[]> | ScatterplotLayer<number> | ScatterplotLayer<LonLat>)[] {
  const { vertices, edges, outline } = o.model;
  const edgeData: Edge[] = edges.map(([a, b], i) => ({ path: [vertices[a].at, vertices[b].at], outline: outline[i] }));
  const ids = vertices.map((_, i) => i);
  return [
    new PathLayer<Edge>({
      id: PLAN_LAYER_IDS.edges,
      data: edgeData,
      getPath: (e) => e.path,
      getColor: (e) => (e.outline ? hexToRgba('#364152') : hexToRgba('#1d4ed8', 200)),
      getWidth: (e) => (e.outline ? 2.5 : 1.5),
      widthUnits: 'pixels',
    }),
    new ScatterplotLayer<number>({
      id: PLAN_LAYER_IDS.vertices,
      data: ids,
      getPosition: (i) => vertices[i].at,
      getRadius: (i) => (i === o.hover || i === o.selected ? 7 : 4.5),
      radiusUnits: 'pixels',
      stroked: true,
      getFillColor: (i) => (i === o.selected ? hexToRgba('#facc15') : hexToRgba('#ffffff')),
      getLineColor: (i) => hexToRgba(VERTEX_COLOURS[vertices[i].kind]),
      getLineWidth: 2,
      lineWidthUnits: 'pixels',
      updateTriggers: { getRadius: [o.hover, o.selected], getFillColor: [o.selected] },
    }),
    new PathLayer<LonLat[]>({
      id: PLAN_LAYER_IDS.preview,
      data: o.preview,
      getPath: (p) => p,
      getColor: hexToRgba('#ea580c'),
      getWidth: 2.5,
      widthUnits: 'pixels',
    }),
    new ScatterplotLayer<LonLat>({
      id: PLAN_LAYER_IDS.snap,
      data: o.insertAt ? [o.insertAt] : [],
      getPosition: (p) => p,
      getRadius: 5,
      radiusUnits: 'pixels',
      getFillColor: hexToRgba('#ea580c', 200),
    }),
  ];
}

/** Options of {@link buildDiffLayers}. */
export interface DiffLayerOptions {
  /** The published plan's grids (for removed grids and the old boundaries). */
  published: Grids;
  draft: Grids;
  added: readonly string[];
  removed: readonly string[];
  changed: readonly string[];
}

const DIFF_COLOURS = { added: hexToRgba('#15803d'), changed: hexToRgba('#c2410c'), removed: hexToRgba('#b91c1c') };
type DiffFeature = Feature<Polygon | MultiPolygon, GridProps & { diff: keyof typeof DIFF_COLOURS }>;

/** The published boundaries (thin, dark) and the grids that differ, outlined by kind of change. */
export function buildDiffLayers(o: DiffLayerOptions): GeoJsonLayer[] {
  const pick = (fc: Grids, codes: readonly string[], diff: keyof typeof DIFF_COLOURS): DiffFeature[] => {
    const wanted = new Set(codes);
    return fc.features.filter((f: Grid) => wanted.has(f.properties.code)).map((f) => ({ ...f, properties: { ...f.properties, diff } }));
  };
  const features = [...pick(o.published, o.removed, 'removed'), ...pick(o.draft, o.changed, 'changed'), ...pick(o.draft, o.added, 'added')];
  return [
    new GeoJsonLayer({
      id: PLAN_LAYER_IDS.published,
      data: o.published as FeatureCollection,
      stroked: true,
      filled: false,
      getLineColor: hexToRgba('#111827', 170),
      getLineWidth: 1,
      lineWidthUnits: 'pixels',
    }),
    new GeoJsonLayer({
      id: PLAN_LAYER_IDS.diff,
      data: { type: 'FeatureCollection', features } as FeatureCollection,
      stroked: true,
      filled: false,
      getLineColor: (f) => DIFF_COLOURS[(f as DiffFeature).properties.diff],
      getLineWidth: 2.5,
      lineWidthUnits: 'pixels',
    }),
  ];
}
