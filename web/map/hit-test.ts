/**
 * Which grid holds a clicked point: a bbox prefilter and the kernel's ring test (a point on an
 * outline is in the grid, as in the planner) over the loaded grids. A district has hundreds to a few thousand grids, so a linear scan per click is instant
 * and works whether or not the choropleth layer is drawn.
 */
import type { Geometry, Position } from 'geojson';
import { geometryBox, insideRings, polygonsOf, type Bbox } from '../../server/domain/geometry';

/** A grid prepared for hit testing. */
export interface HitPolygon<T> {
  bbox: Bbox;
  polygons: Position[][][];
  value: T;
}

/** Prepares features for {@link hitTest}; features without an areal geometry are skipped. */
export function hitPolygons<T>(items: readonly { geometry: Geometry | null; value: T }[]): HitPolygon<T>[] {
  const out: HitPolygon<T>[] = [];
  for (const { geometry, value } of items) {
    if (!geometry || (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon')) continue;
    const bbox = geometryBox(geometry);
    if (!bbox) continue;
    out.push({ bbox, polygons: polygonsOf(geometry), value });
  }
  return out;
}

/** The value of the first polygon containing the point, or null. */
export function hitTest<T>(items: readonly HitPolygon<T>[], lon: number, lat: number): T | null {
  for (const item of items) {
    const [w, s, e, n] = item.bbox;
    if (lon < w || lon > e || lat < s || lat > n) continue;
    if (item.polygons.some((rings) => insideRings([lon, lat], rings))) return item.value;
  }
  return null;
}
