/**
 * Small planar geometry helpers for placing the map: bounds to fit, label anchors, and mapping
 * GeoJSON through a lon/lat function (the display shift of a GCJ-02 basemap). Lon/lat are treated
 * as planar, which is fine at district scale for choosing where to put things on screen.
 */
import type { Feature, FeatureCollection, Geometry, MultiPolygon, Polygon, Position } from 'geojson';
import { boxOf, polygonsOf, widestSpanMiddle } from '../../server/domain/geometry';
import { transformGeometry, type PositionFn } from '../../server/domain/map-geometry';

/** `[[west, south], [east, north]]`, the form MapLibre's `fitBounds` takes. */
export type Bounds = [[number, number], [number, number]];

/** Bounds of every coordinate in the collections, or null when they hold no coordinates. */
export function boundsOf(...collections: FeatureCollection<Polygon | MultiPolygon>[]): Bounds | null {
  const shells = collections.flatMap((fc) => fc.features.flatMap((f) => (f.geometry ? polygonsOf(f.geometry).flatMap((p) => p[0] ?? []) : [])));
  const [w, s, e, n] = boxOf(shells);
  return Number.isFinite(w) ? [[w, s], [e, n]] : null;
}

/** Signed shoelace area of a ring (positive counter-clockwise). */
function ringArea(ring: Position[]): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    sum += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1]);
  }
  return sum / 2;
}

/** Area-weighted centroid of a ring; falls back to the vertex mean for degenerate rings. */
function ringCentroid(ring: Position[]): [number, number] {
  let a = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const cross = ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
    a += cross;
    cx += (ring[j][0] + ring[i][0]) * cross;
    cy += (ring[j][1] + ring[i][1]) * cross;
  }
  if (Math.abs(a) < 1e-18) {
    const n = ring.length || 1;
    return [ring.reduce((t, p) => t + p[0], 0) / n, ring.reduce((t, p) => t + p[1], 0) / n];
  }
  return [cx / (3 * a), cy / (3 * a)];
}

/**
 * A point inside the polygon's largest part where a label can go. The centroid of a concave
 * street (L- or U-shaped, common for 街道) can fall outside it, so instead take the horizontal
 * line through the centroid and return the middle of its widest stretch inside the polygon
 * (holes included). Null for an empty geometry.
 */
export function labelAnchor(geometry: Polygon | MultiPolygon): [number, number] | null {
  let largest: Position[][] | null = null;
  let largestArea = 0;
  for (const polygon of polygonsOf(geometry)) {
    const area = polygon[0] ? Math.abs(ringArea(polygon[0])) : 0;
    if (!largest || area > largestArea) {
      largest = polygon;
      largestArea = area;
    }
  }
  if (!largest?.[0]?.length) return null;
  const [cx, cy] = ringCentroid(largest[0]);
  const best = widestSpanMiddle(largest, cy);
  return best ? [best[0], best[1]] : [cx, cy];
}

/** Maps a lon/lat to another lon/lat, e.g. WGS84 to the GCJ-02 of a basemap (web/map/basemaps.ts). */
export type LonLatFn = PositionFn;

/** GeoJSON as deck.gl and MapLibre take it: a collection, one feature, an array of features or a bare geometry. */
export type GeoJsonData = FeatureCollection<Geometry | null> | Feature<Geometry | null> | Feature<Geometry | null>[] | Geometry;

/** A shallow copy without the `bbox` member, which would describe the old coordinates. */
function withoutBbox<T extends object>(o: T): T {
  if (!('bbox' in o)) return o;
  const copy: T & { bbox?: unknown } = { ...o };
  delete copy.bbox;
  return copy;
}

const mapped = new WeakMap<LonLatFn, WeakMap<object, unknown>>();

/**
 * The GeoJSON with every position mapped through `fn`. Properties are shared, not copied (a picked
 * feature still carries the API's properties). Cached per input object and function, so drawing
 * the same data again hands the renderer the same object and nothing is re-tessellated.
 */
export function mapGeoJson<T extends GeoJsonData>(data: T, fn: LonLatFn): T {
  let cache = mapped.get(fn);
  if (!cache) mapped.set(fn, (cache = new WeakMap()));
  const hit = cache.get(data);
  if (hit) return hit as T;
  const feature = (f: Feature<Geometry | null>): Feature<Geometry | null> => ({ ...withoutBbox(f), geometry: f.geometry ? transformGeometry(f.geometry, fn) : null });
  let out: GeoJsonData;
  if (Array.isArray(data)) out = data.map(feature);
  else if (data.type === 'FeatureCollection') out = { ...withoutBbox(data), features: data.features.map(feature) };
  else if (data.type === 'Feature') out = feature(data);
  else out = transformGeometry(data, fn);
  cache.set(data, out);
  return out as T;
}

/**
 * A `[west, south, east, north]` box mapped through `fn`: the box around the mapped corners and
 * edge midpoints. The offsets mapped here (GCJ-02, a few hundred metres) change by only tens of
 * metres across a district, so this box covers the mapped area and is at most that much larger.
 */
export function mapBbox(bbox: readonly [number, number, number, number], fn: LonLatFn): [number, number, number, number] {
  const [w, s, e, n] = bbox;
  const mx = (w + e) / 2;
  const my = (s + n) / 2;
  const points = [fn(w, s), fn(e, s), fn(e, n), fn(w, n), fn(mx, s), fn(mx, n), fn(w, my), fn(e, my)];
  return [
    Math.min(...points.map((p) => p[0])),
    Math.min(...points.map((p) => p[1])),
    Math.max(...points.map((p) => p[0])),
    Math.max(...points.map((p) => p[1])),
  ];
}
