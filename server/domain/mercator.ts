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
  return [worldPixelX(lon, size), worldPixelY(Math.max(-MAX_MERCATOR_LAT, Math.min(MAX_MERCATOR_LAT, lat)), size)];
}

/** The world pixel x of a longitude in a world `size` pixels wide (no tuple: for loops over many points). */
export function worldPixelX(lon: number, size: number): number {
  return ((lon + 180) / 360) * size;
}

/** The world pixel y of a latitude within ±{@link MAX_MERCATOR_LAT} (no clamp; no tuple). */
export function worldPixelY(lat: number, size: number): number {
  // lat · (π/180) in that order, as the SQL twin (server/kpi/heat.ts pixelSql) writes it.
  const sin = Math.sin(lat * (Math.PI / 180));
  return (0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI)) * size;
}

/** The inverse of {@link lonLatToWorldPixel}. */
export function worldPixelToLonLat(x: number, y: number, zoom: number): [number, number] {
  const size = worldSize(zoom);
  const lon = (x / size) * 360 - 180;
  const n = Math.PI * (1 - (2 * y) / size);
  const lat = (Math.atan(Math.sinh(n)) * 180) / Math.PI;
  return [lon, lat];
}
