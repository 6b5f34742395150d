/**
 * The issue heat map. The server bins issues in Web-Mercator pixel space (`/api/heat`); this
 * module turns the columnar answer into weighted points, and heat-layer.ts draws them with
 * deck.gl's HeatmapLayer. The browser never sees individual issues at city scale.
 */
import { worldPixelToLonLat } from '../../../server/domain/mercator';

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
