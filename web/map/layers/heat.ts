/**
 * The issue heat map. The server bins issues in Web-Mercator pixel space (`/api/heat`); this
 * module turns the columnar answer into weighted points and draws them with deck.gl's
 * HeatmapLayer. The browser never sees individual issues at city scale.
 */
import { HeatmapLayer } from '@deck.gl/aggregation-layers';
import { worldPixelToLonLat } from '../../../server/domain/mercator';
import { hexToRgba, HEAT_PALETTE } from './colours';

/** Layer id of the heat map. */
export const HEAT_ID = 'issue-heat';

/** The parts of a `/api/heat` answer the layer needs. */
export interface HeatBins {
  zoom: number;
  cell: number;
  /** World pixel of the grid's north-west corner at `zoom`. */
  origin: [number, number];
  x: number[];
  y: number[];
  count: number[];
}

/** One bin as a weighted point. */
export interface HeatPoint {
  position: [number, number];
  weight: number;
}

/** Bin centres with their counts as weights. */
export function heatPoints(bins: HeatBins): HeatPoint[] {
  const out = new Array<HeatPoint>(bins.count.length);
  for (let i = 0; i < bins.count.length; i++) {
    const px = bins.origin[0] + (bins.x[i] + 0.5) * bins.cell;
    const py = bins.origin[1] + (bins.y[i] + 0.5) * bins.cell;
    out[i] = { position: worldPixelToLonLat(px, py, bins.zoom), weight: bins.count[i] };
  }
  return out;
}

/**
 * The zoom to ask the server for: one above the map's, so an 8-px bin covers 4–8 screen pixels —
 * finer than the heat kernel, which then blends bins into a smooth surface — clamped to the range
 * where binning is meaningful.
 */
export function heatZoom(mapZoom: number): number {
  return Math.max(0, Math.min(18, Math.floor(mapZoom) + 1));
}

/** Options of {@link buildHeatLayer}. */
export interface HeatLayerOptions {
  points: HeatPoint[];
  visible?: boolean;
  /** Kernel radius in pixels. */
  radiusPixels?: number;
  opacity?: number;
  /**
   * Weights aligned to `points`, instead of each point's own (playback: one frame's counts over
   * the bins of every frame). Keep `points` the same array and change `weightsKey` with each
   * frame: deck.gl then re-aggregates the weights only, never re-uploads the positions.
   */
  weights?: ArrayLike<number>;
  /** Changes whenever `weights` does (the frame index). */
  weightsKey?: string | number;
  /**
   * A fixed ramp, in issues per bin: the top colour at `top` and more (playback: one scale for
   * every frame). The layer then shows the kernel-weighted mean count of the bins around each
   * pixel (deck.gl's MEAN), a count a legend can name; without it (SUM), each draw stretches the
   * ramp to its own densest spot, so colours compare only within one picture.
   */
  top?: number;
}

/** Below this share of the ramp's top a pixel fades out instead of taking the palest colour. */
const HEAT_THRESHOLD = 0.05;

/** The heat layer (id {@link HEAT_ID}); replace `points` only when new bins have arrived, so it never blinks empty. */
export function buildHeatLayer(o: HeatLayerOptions): HeatmapLayer<HeatPoint> {
  const weights = o.weights ?? [];
  return new HeatmapLayer<HeatPoint>({
    id: HEAT_ID,
    data: o.points,
    visible: o.visible ?? true,
    opacity: o.opacity ?? 0.75,
    radiusPixels: o.radiusPixels ?? 36,
    intensity: 1,
    threshold: HEAT_THRESHOLD,
    ...(o.top ? { aggregation: 'MEAN' as const, colorDomain: [o.top * HEAT_THRESHOLD, o.top] as [number, number] } : { aggregation: 'SUM' as const }),
    colorRange: HEAT_PALETTE.map((c) => hexToRgba(c).slice(0, 3) as [number, number, number]),
    getPosition: (d) => d.position,
    getWeight: o.weights ? (_d, { index }) => weights[index] ?? 0 : (d) => d.weight,
    updateTriggers: { getWeight: [o.weightsKey ?? null] },
  });
}
