/**
 * The screen's deck.gl layers: the shared pure builders of web/map/layers, sized for a wall.
 * Those builders draw in CSS pixels for a desk monitor; on a wall read from five metres the
 * same layers are scaled up by `scale` (CSS px per desk px), through deck.gl's own size scales
 * on clones, so ids stay stable and deck.gl updates layers in place instead of recreating them.
 */
import type { Layer } from '@deck.gl/core';
import { GeoJsonLayer, ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import type { RegionCollection } from '../../api/types';
import { labelAnchor } from '../../map/geo';
import type { WallLevel } from '../tour';
import type { HeatLayerBuilder } from '../../map/use-heat-layer';
import { HairlineGeoJsonLayer } from '../../map/layers/thin-lines';
import {
  buildGridChoropleth, classColourIndexes, METRIC_SPECS, buildKeySiteLayers, buildLivePulses, buildRegionLabels, gridScale, hexToRgba,
  type ClassedScale, type GridCollection, type GridProperties, type GridValues, type HeatPoint, type Pulse, type RegionLabel, type SiteCollection, type SiteMarker,
} from '../../map/layers';

const GRID_LINE = hexToRgba('#6aa8ff', 60);
const NO_LINE = hexToRgba('#000000', 0);

/**
 * Grid classes from calm to alarming for a dark map: each step changes hue as well as lightness
 * (blue, teal, yellow, orange, red), so neighbouring classes stay apart on an LED wall seen from
 * across the room, and the calm end is still lighter than the navy land under it.
 */
export const DARK_ALARM = ['#2a5f96', '#2fa39a', '#e8c547', '#f3822a', '#ef2f4f'] as const;

/** A count scale's classes in colours that read on the dark basemap (same breaks). */
export function darkScale(scale: ClassedScale): ClassedScale {
  const colours = classColourIndexes(scale.colours.length, DARK_ALARM.length, METRIC_SPECS[scale.metric].kind).map((i) => DARK_ALARM[i]);
  return { ...scale, colours };
}

/** The overdue scale over the grids' values (the shared breaks), with colours that read on the dark basemap. */
export function darkOverdueScale(values: GridValues): ClassedScale {
  return darkScale(gridScale(values, 'overdue'));
}

/**
 * Street and community names with their label points, computed once per region load, and the
 * districts' names when a city's are given (a wall of one district does not name it on its map).
 */
export function regionLabels(streets: RegionCollection, communities: RegionCollection, districts?: RegionCollection): RegionLabel[] {
  const out: RegionLabel[] = [];
  const levels = [...(districts ? [['district', districts] as const] : []), ['street', streets], ['community', communities]] as const;
  for (const [level, fc] of levels) {
    for (const f of fc.features) {
      const position = f.geometry ? labelAnchor(f.geometry) : null;
      if (position) out.push({ code: f.properties.code, name: f.properties.name, position, level, priority: f.properties.areaKm2 ?? 0 });
    }
  }
  return out;
}

/** Layer id of the street outlines drawn over the data. */
export const STREET_LINES_ID = 'screen-street-lines';

/**
 * Street outlines above the data layers. MapLibre draws them too, but under deck.gl's canvas,
 * where the choropleth covers them; on a wall the boundaries are what people orient by.
 */
export function buildStreetLines(streets: RegionCollection, focus: string | null, accent: string, scale: number): GeoJsonLayer {
  const line = hexToRgba('#5f8fd6', 150);
  const focused = hexToRgba(accent);
  return new HairlineGeoJsonLayer({
    id: STREET_LINES_ID,
    data: streets,
    // Hairlines in one draw; the focused street's and, on a big wall, all wider lines through deck.gl's path layer.
    stroked: false,
    outlined: true,
    filled: false,
    lineWidthUnits: 'pixels',
    getLineColor: (f) => ((f.properties as { code?: string }).code === focus ? focused : line),
    getLineWidth: (f) => ((f.properties as { code?: string }).code === focus ? 5 : 1.2),
    lineWidthScale: scale,
    lineJointRounded: true,
    updateTriggers: { getLineColor: [focus, accent], getLineWidth: [focus] },
  });
}

/**
 * What the map stresses at a tour stop. Heat drawn over the choropleth hides its classes, so they
 * take turns: a city or a district compares its grids (overdue classes, no heat); a street shows
 * where its issues cluster (heat) over its grids' outlines.
 */
export interface MapEmphasis {
  /** Fill opacity of the grid classes, 0–255 (0: outlines only). */
  gridOpacity: number;
  heat: boolean;
}

/** The emphasis at a stop of this level. */
export function mapEmphasis(level: WallLevel): MapEmphasis {
  return level === 'street' ? { gridOpacity: 0, heat: true } : { gridOpacity: 170, heat: false };
}

/**
 * The emphasis of a replay: each day's backlog per grid in lighter classes, and that day's reports
 * as heat over them — the two things that change from one day to the next.
 */
export const REPLAY_EMPHASIS: MapEmphasis = { gridOpacity: 110, heat: true };

/**
 * One replay frame over the layers: the grids' values and scale of the frame, and its heat (the
 * same points every frame, the frame's weights). Keys change per frame, data objects never do.
 */
export interface ReplayLayerFrame {
  valueAt: (p: GridProperties) => number | null;
  valueKey: number;
  scale: ClassedScale;
  /** `top`: the replay's one heat ramp for every frame, in issues per bin. */
  heat: { points: HeatPoint[]; weights: ArrayLike<number>; weightsKey: number; top?: number } | null;
}

/** What the screen map draws. */
export interface ScreenLayerInput {
  /** The grids' shapes (one object per geometry version) and their overdue values for the window. */
  grids: { shapes: GridCollection; values: GridValues } | null;
  scale: ClassedScale | null;
  heat: HeatPoint[];
  sites: SiteCollection | null;
  markers: SiteMarker[];
  pulses: readonly Pulse[];
  labels: RegionLabel[];
  streets: RegionCollection;
  focus: string | null;
  zoom: number;
  now: number;
  /** CSS px per desk px: 1 at 1080 px high, 2 at 2160. */
  scale2: number;
  /** CSS px per label-placement px (label offsets are placed in those units). */
  labelScale: number;
  show: { grids: boolean; heat: boolean; sites: boolean; pulses: boolean; labels: boolean };
  emphasis: MapEmphasis;
  accent: string;
  /** Outline of the street the tour shows: a colour no data layer uses. */
  highlight: string;
  /** The replay's frame while it plays (emphasis then comes from {@link REPLAY_EMPHASIS}). */
  replay?: ReplayLayerFrame | null;
  /** The heat layer's builder, loaded once heat is first shown; no heat layer without it. */
  heatLayer: HeatLayerBuilder | null;
}

/** The layers bottom to top: grids, street outlines, heat, sites, pulses, names. */
export function buildScreenLayers(i: ScreenLayerInput): Layer[] {
  const s = i.scale2;
  const layers: Layer[] = [];
  const r = i.replay ?? null;
  if (i.grids && i.scale) {
    const grids = buildGridChoropleth({
      grids: i.grids.shapes, values: i.grids.values, metric: 'overdue', scale: r?.scale ?? i.scale, opacity: i.emphasis.gridOpacity, visible: i.show.grids, pickable: false,
      valueAt: r?.valueAt, valueKey: r?.valueKey, fillThroughIds: false,
    });
    // The shared white outline is made for a light basemap; on navy it turns 600 grids into a glaring mesh.
    // Grids outside a wall's own district are not drawn at all.
    const outside = i.grids.values.outside;
    const line = outside.size ? (_f: unknown, { index }: { index: number }) => (outside.has(index) ? NO_LINE : GRID_LINE) : GRID_LINE;
    layers.push(grids.clone({ lineWidthScale: s, getLineColor: line, updateTriggers: { ...grids.props.updateTriggers, getLineColor: ['screen', outside.size ? i.grids.values.key : 0] } }));
  }
  layers.push(buildStreetLines(i.streets, i.focus, i.highlight, s));
  // A 1024² weights texture instead of 2048² quarters the aggregation work; the wide kernel hides
  // the difference.
  const heat = r ? (r.heat ?? { points: [] }) : { points: i.heat };
  if (i.heatLayer) layers.push(i.heatLayer({ ...heat, visible: i.show.heat && i.emphasis.heat, radiusPixels: Math.round(60 * s), opacity: r ? 0.7 : 0.8 }).clone({ threshold: 0.08, weightsTextureSize: 1024 }));
  if (i.sites) {
    // Sites read as dots at district zoom; on a wall they need twice the desk size to be seen.
    for (const layer of buildKeySiteLayers({ markers: i.markers, sites: i.sites, zoom: i.zoom, visible: i.show.sites })) {
      if (layer instanceof TextLayer) layers.push(layer.clone({ sizeScale: 1.6 * s }));
      else if (layer instanceof ScatterplotLayer) layers.push(layer.clone({ radiusScale: 1.6 * s, lineWidthScale: s, pickable: false }));
      else layers.push(layer.clone({ lineWidthScale: s } as Partial<Layer['props']>));
    }
  }
  layers.push(buildLivePulses({ pulses: i.pulses, now: i.now, visible: i.show.pulses, colour: i.accent }).clone({ radiusScale: 1.5 * s, lineWidthScale: s }));
  layers.push(buildRegionLabels({
    labels: i.labels, focus: i.focus, visible: i.show.labels, offsetScale: i.labelScale,
    colour: hexToRgba('#eaf3ff'), halo: hexToRgba('#030814', 235), focusColour: hexToRgba(i.accent),
  }).clone({ sizeScale: LABEL_SCALE * s, outlineWidth: 4 }));
  return layers;
}

/** Names are drawn this much larger than on a desk, before the wall's own scale. */
export const LABEL_SCALE = 1.5;
