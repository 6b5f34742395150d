/**
 * The reference layers — water, roads and landmarks — as deck.gl layers, and their names: labels
 * along named roads (turned with the road) and beside landmarks, placed so that they never cover a
 * region name or each other. Drawn in quiet colours under the data: the choropleth, sites and
 * issues must stay what the eye reads first. Text is a TextLayer like the region names, so the
 * glyphs come from the browser's own fonts and nothing is downloaded.
 */
import { GeoJsonLayer, ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';
import type { Feature, Geometry, Position } from 'geojson';
import type { ReferenceCollection } from '../../api/civgrid';
import { placeLabels, type LabelBox } from '../label-placement';
import { hexToRgba, type Rgba } from './colours';
import { labelBox, REGION_LABELS_ID, type RegionLabel } from './region-labels';

/** The three layers of one view; a layer not loaded (yet) is null. */
export interface ReferenceData {
  water: ReferenceCollection | null;
  roads: ReferenceCollection | null;
  poi: ReferenceCollection | null;
}

export const NO_REFERENCE: ReferenceData = { water: null, roads: null, poi: null };

/** Layer ids. */
export const REFERENCE_IDS = { water: 'reference-water', roadCasing: 'reference-road-casing', roads: 'reference-roads', poi: 'reference-poi', labels: 'reference-labels' } as const;

/** Colours of one theme: the light desk maps and the navy wall. */
export interface ReferenceTheme {
  water: Rgba;
  waterLine: Rgba;
  road: Record<'main' | 'secondary' | 'minor', Rgba>;
  /** The edges either side of a road: with the light middle, a road reads through a choropleth over it. */
  casing: Rgba;
  poi: Rgba;
  text: Rgba;
  waterText: Rgba;
  halo: Rgba;
}

export const REFERENCE_THEMES: Record<'light' | 'dark', ReferenceTheme> = {
  light: {
    water: hexToRgba('#b9d3ea', 230),
    waterLine: hexToRgba('#8db6db'),
    road: { main: hexToRgba('#ffffff'), secondary: hexToRgba('#ffffff'), minor: hexToRgba('#ffffff', 230) },
    casing: hexToRgba('#9aa1ad'),
    poi: hexToRgba('#6b7280'),
    text: hexToRgba('#4b5563'),
    waterText: hexToRgba('#3b6ea5'),
    halo: hexToRgba('#ffffff', 220),
  },
  dark: {
    water: hexToRgba('#1d4a78', 200),
    waterLine: hexToRgba('#2f6aa3'),
    road: { main: hexToRgba('#8ea3c4', 220), secondary: hexToRgba('#6f84a6', 200), minor: hexToRgba('#56698a', 180) },
    casing: hexToRgba('#02060f', 200),
    poi: hexToRgba('#9fb3d1'),
    text: hexToRgba('#b8c7de'),
    waterText: hexToRgba('#7fb0e0'),
    halo: hexToRgba('#030814', 220),
  },
};

/** Line widths in pixels per road class (casing included): a main road reads as one, a lane stays thin. */
const ROAD_WIDTH: Record<string, number> = { main: 5, secondary: 3.5, minor: 2 };
/** Width of each casing edge, in pixels. */
const CASING = 0.75;
const roadClass = (c: string) => (c === 'main' || c === 'secondary' ? c : 'minor');

type RefFeature = ReferenceCollection['features'][number];
type RefProps = RefFeature['properties'];

/** Options of {@link buildReferenceLayers}. */
export interface ReferenceLayerOptions {
  data: ReferenceData;
  theme: ReferenceTheme;
  visible?: boolean;
  /** Multiplies widths and dot sizes (the wall draws everything larger). */
  scale?: number;
}

/** Water (areas and rivers), roads by class and landmark dots, not pickable: they are the map, not the data. */
export function buildReferenceLayers(o: ReferenceLayerOptions): Layer[] {
  const s = o.scale ?? 1;
  const visible = o.visible ?? true;
  const t = o.theme;
  const empty = { type: 'FeatureCollection' as const, features: [] };
  return [
    new GeoJsonLayer({
      id: REFERENCE_IDS.water,
      data: (o.data.water ?? empty) as never,
      visible,
      filled: true,
      stroked: true,
      getFillColor: t.water,
      getLineColor: t.waterLine,
      // Rivers drawn as lines are wider than an area's outline.
      getLineWidth: (f: Feature) => (f.geometry.type.endsWith('LineString') ? 3 : 1),
      lineWidthUnits: 'pixels',
      lineWidthScale: s,
      lineJointRounded: true,
      lineCapRounded: true,
      pickable: false,
      updateTriggers: { getFillColor: [t.water], getLineColor: [t.waterLine] },
    }),
    // Casing then fill, as two layers: every road's edges lie under every road's middle, so crossings join cleanly.
    ...(['casing', 'fill'] as const).map((part) => new GeoJsonLayer<RefProps>({
      id: part === 'casing' ? REFERENCE_IDS.roadCasing : REFERENCE_IDS.roads,
      data: (o.data.roads ?? empty) as never,
      visible,
      stroked: true,
      filled: false,
      getLineColor: part === 'casing' ? t.casing : (f) => t.road[roadClass(f.properties.class)],
      getLineWidth: (f) => ROAD_WIDTH[roadClass(f.properties.class)] - (part === 'casing' ? 0 : 2 * CASING),
      lineWidthUnits: 'pixels',
      lineWidthScale: s,
      lineJointRounded: true,
      lineCapRounded: true,
      pickable: false,
      updateTriggers: { getLineColor: [t.road.main, t.casing] },
    })),
    new ScatterplotLayer<RefFeature>({
      id: REFERENCE_IDS.poi,
      data: (o.data.poi?.features ?? []).filter((f) => f.geometry?.type === 'Point'),
      visible,
      getPosition: (f) => (f.geometry as { coordinates: Position }).coordinates as [number, number],
      getFillColor: t.poi,
      getRadius: 3,
      radiusUnits: 'pixels',
      radiusScale: s,
      stroked: true,
      getLineColor: t.halo,
      lineWidthUnits: 'pixels',
      getLineWidth: 1,
      pickable: false,
      updateTriggers: { getFillColor: [t.poi] },
    }),
  ];
}

/** One name of the reference layers: where, turned how far, from which zoom, and how it ranks. */
export interface ReferenceLabel {
  id: string;
  name: string;
  position: [number, number];
  /** Degrees counter-clockwise, kept within ±90 so text never reads upside down. */
  angle: number;
  kind: 'road' | 'water' | 'poi';
  /** Least zoom at which the name is shown. */
  minZoom: number;
  priority: number;
}

/** Font sizes in CSS pixels: quieter than street names (14) and community names (12). */
export const REFERENCE_LABEL_SIZE = { road: 11, water: 11, poi: 11 } as const;
const ROAD_LABEL_ZOOM: Record<string, number> = { main: 12.5, secondary: 14, minor: 15.5 };

/** Mercator y of a latitude (radians of longitude per unit), for on-screen angles. */
const mercY = (lat: number) => Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360));

/** The middle of a line's longest segment and the segment's on-screen angle (north-up map). */
export function lineAnchor(lines: readonly (readonly Position[])[]): { position: [number, number]; angle: number; length: number } | null {
  let best: { position: [number, number]; angle: number; length: number } | null = null;
  for (const line of lines) {
    for (let i = 0; i + 1 < line.length; i++) {
      const [x1, y1] = line[i];
      const [x2, y2] = line[i + 1];
      const dx = ((x2 - x1) * Math.PI) / 180;
      const dy = mercY(y2) - mercY(y1);
      const length = Math.hypot(dx, dy);
      if (best && length <= best.length) continue;
      let angle = (Math.atan2(dy, dx) * 180) / Math.PI;
      if (angle > 90) angle -= 180;
      if (angle < -90) angle += 180;
      best = { position: [(x1 + x2) / 2, (y1 + y2) / 2], angle, length };
    }
  }
  return best;
}

function linesOf(g: Geometry): Position[][] {
  if (g.type === 'LineString') return [g.coordinates];
  if (g.type === 'MultiLineString') return g.coordinates;
  return [];
}

/**
 * Name candidates: one per named road and river along its longest segment, one per named lake
 * at its outline's middle, one beside each landmark. Main roads outrank lesser ones and water;
 * landmarks come last and only close in.
 */
export function referenceLabels(data: ReferenceData): ReferenceLabel[] {
  const out: ReferenceLabel[] = [];
  (data.roads?.features ?? []).forEach((f, i) => {
    const anchor = f.properties.name && f.geometry ? lineAnchor(linesOf(f.geometry as Geometry)) : null;
    if (!anchor) return;
    const c = roadClass(f.properties.class);
    out.push({ id: `road:${i}`, name: f.properties.name!, position: anchor.position, angle: anchor.angle, kind: 'road', minZoom: ROAD_LABEL_ZOOM[c], priority: 3 - Object.keys(ROAD_LABEL_ZOOM).indexOf(c) });
  });
  (data.water?.features ?? []).forEach((f, i) => {
    const g = f.geometry as Geometry | null;
    if (!f.properties.name || !g) return;
    const lines = g.type === 'Polygon' ? [g.coordinates[0]] : g.type === 'MultiPolygon' ? g.coordinates.map((p) => p[0]) : linesOf(g);
    const anchor = lineAnchor(lines);
    if (!anchor) return;
    const flat = g.type === 'Polygon' || g.type === 'MultiPolygon';
    out.push({ id: `water:${i}`, name: f.properties.name, position: anchor.position, angle: flat ? 0 : anchor.angle, kind: 'water', minZoom: 11.5, priority: 2 });
  });
  (data.poi?.features ?? []).forEach((f, i) => {
    const g = f.geometry as Geometry | null;
    if (!f.properties.name || g?.type !== 'Point') return;
    out.push({ id: `poi:${i}`, name: f.properties.name, position: g.coordinates as [number, number], angle: 0, kind: 'poi', minZoom: 15, priority: 0 });
  });
  return out;
}

/** A label's screen box: its text turned by its angle, as the box around it. */
function boxOf(label: ReferenceLabel): { width: number; height: number } {
  const size = REFERENCE_LABEL_SIZE[label.kind];
  const w = [...label.name].length * size + 6;
  const h = size + 4;
  const a = (label.angle * Math.PI) / 180;
  return { width: Math.abs(w * Math.cos(a)) + Math.abs(h * Math.sin(a)), height: Math.abs(w * Math.sin(a)) + Math.abs(h * Math.cos(a)) };
}

/** The screen boxes of placed region names, for {@link placeReferenceLabels} to keep clear of. */
export function regionLabelBoxes(labels: readonly RegionLabel[], project: (p: [number, number]) => [number, number]): LabelBox[] {
  return labels.map((l) => {
    const [x, y] = project(l.position);
    return { id: `${l.level}:${l.code}`, x, y, ...labelBox(l), priority: 0 };
  });
}

/**
 * The names to draw in this view: those whose zoom has come, on screen, that clear every box in
 * `taken` (the region names already placed, which always win) and each other, higher priority first.
 */
export function placeReferenceLabels(
  labels: readonly ReferenceLabel[],
  zoom: number,
  project: (p: [number, number]) => [number, number],
  viewport: { width: number; height: number },
  taken: readonly LabelBox[] = [],
): ReferenceLabel[] {
  const boxes: (LabelBox & { label?: ReferenceLabel })[] = taken.map((b) => ({ ...b, id: `taken:${b.id}`, priority: Infinity }));
  for (const label of labels) {
    if (zoom < label.minZoom) continue;
    const [x, y] = project(label.position);
    if (x < 0 || y < 0 || x > viewport.width || y > viewport.height) continue;
    const box = boxOf(label);
    // A landmark's name starts beside its dot (see buildReferenceLabels), the others are centred.
    const cx = label.kind === 'poi' ? x + 6 + box.width / 2 : x;
    boxes.push({ id: label.id, x: cx, y, ...box, priority: label.priority, label });
  }
  const shown = placeLabels(boxes, 6);
  return boxes.filter((b) => b.label && shown.has(b.id)).map((b) => b.label!);
}

/** The names as a TextLayer (drawn after {@link REGION_LABELS_ID}, in the same deck canvas). */
export function buildReferenceLabels(o: { labels: ReferenceLabel[]; theme: ReferenceTheme; visible?: boolean; sizeScale?: number }): TextLayer<ReferenceLabel> {
  return new TextLayer<ReferenceLabel>({
    id: REFERENCE_IDS.labels,
    data: o.labels,
    visible: o.visible ?? true,
    characterSet: 'auto',
    fontFamily: '"Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif',
    fontWeight: 400,
    getText: (d) => d.name,
    getPosition: (d) => d.position,
    getAngle: (d) => d.angle,
    getSize: (d) => REFERENCE_LABEL_SIZE[d.kind],
    sizeScale: o.sizeScale ?? 1,
    getColor: (d) => (d.kind === 'water' ? o.theme.waterText : o.theme.text),
    // Landmark names sit beside their dot, road and water names on the line.
    getTextAnchor: (d) => (d.kind === 'poi' ? 'start' : 'middle'),
    getPixelOffset: (d) => (d.kind === 'poi' ? [6, 0] : [0, 0]),
    getAlignmentBaseline: 'center',
    outlineWidth: 3,
    outlineColor: o.theme.halo,
    fontSettings: { sdf: true, buffer: 6 },
    sizeUnits: 'pixels',
    billboard: true,
    updateTriggers: { getColor: [o.theme.text] },
  });
}
