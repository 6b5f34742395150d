/**
 * Web-Mercator "world pixel" coordinates (256-px tiles), the space heat-map bins live in.
 * At zoom z the world is 256·2^z pixels square; x grows east from 180°W, y grows south from
 * the top edge at ±85.0511°.
 */

/** Latitude where Web Mercator's square world ends; beyond it y would leave [0, size]. */
export const MAX_MERCATOR_LAT = 85.0511287798066;

const TILE_SIZE = 256;

/** World size in pixels at a (possibly fractional) zoom. */
export function worldSize(zoom: number): number {
  return TILE_SIZE * 2 ** zoom;
}

/**
 * Projects lon/lat to world pixels at `zoom`. Latitudes beyond ±{@link MAX_MERCATOR_LAT} are
 * clamped so the poles do not become ±Infinity.
 */
export function lonLatToWorldPixel(lon: number, lat: number, zoom: number): [number, number] {
  const size = worldSize(zoom);
  const clamped = Math.max(-MAX_MERCATOR_LAT, Math.min(MAX_MERCATOR_LAT, lat));
  const sin = Math.sin((clamped * Math.PI) / 180);
  const x = ((lon + 180) / 360) * size;
  const y = (0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI)) * size;
  return [x, y];
}

/** The inverse of {@link lonLatToWorldPixel}. */
export function worldPixelToLonLat(x: number, y: number, zoom: number): [number, number] {
  const size = worldSize(zoom);
  const lon = (x / size) * 360 - 180;
  const n = Math.PI * (1 - (2 * y) / size);
  const lat = (Math.atan(Math.sinh(n)) * 180) / Math.PI;
  return [lon, lat];
}
