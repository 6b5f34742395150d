/**
 * Which grid holds a clicked point: a bbox prefilter and an even–odd ring test over the loaded
 * grids. A district has hundreds to a few thousand grids, so a linear scan per click is instant
 * and works whether or not the choropleth layer is drawn.
 */
import type { Geometry, Position } from 'geojson';
import { bboxOf } from './layers/geometry';

/** A grid prepared for hit testing. */
export interface HitPolygon<T> {
  bbox: [number, number, number, number];
  polygons: Position[][][];
  value: T;
}

/** Prepares features for {@link hitTest}; features without an areal geometry are skipped. */
export function hitPolygons<T>(items: readonly { geometry: Geometry | null; value: T }[]): HitPolygon<T>[] {
  const out: HitPolygon<T>[] = [];
  for (const { geometry, value } of items) {
    if (!geometry || (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon')) continue;
    const bbox = bboxOf(geometry);
    if (!bbox) continue;
    out.push({ bbox, polygons: geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates, value });
  }
  return out;
}

/** Even–odd test of a point against one polygon with holes. */
function insidePolygon(x: number, y: number, rings: Position[][]): boolean {
  let inside = false;
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i];
      const [xj, yj] = ring[j];
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}

/** The value of the first polygon containing the point, or null. */
export function hitTest<T>(items: readonly HitPolygon<T>[], lon: number, lat: number): T | null {
  for (const item of items) {
    const [w, s, e, n] = item.bbox;
    if (lon < w || lon > e || lat < s || lat > n) continue;
    if (item.polygons.some((p) => insidePolygon(lon, lat, p))) return item.value;
  }
  return null;
}
