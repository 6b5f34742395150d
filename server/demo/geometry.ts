/**
 * Small planar geometry helpers for the demo generator. Turf does the polygon clipping; these are
 * the hot-path pieces (point-in-polygon, sampling, metre offsets) that run hundreds of thousands of
 * times and must stay allocation-light.
 */
import type { MultiPolygon, Polygon, Position } from 'geojson';
import { boxOf, polygonsOf, type Bbox } from '../domain/geometry.ts';
import type { Rng } from './rng.ts';

export type Area = Polygon | MultiPolygon;

/** Metres per degree of latitude on the GRS80/WGS84 sphere approximation; plenty for a demo. */
export const M_PER_DEG = 111_195;

/** A polygonal area prepared for fast repeated point tests and sampling. */
export interface PreparedArea {
  readonly polygons: Position[][][];
  readonly bbox: Bbox;
}

/** Prepares an area for {@link contains} and {@link randomPointIn}. */
export function prepare(area: Area): PreparedArea {
  const polygons = polygonsOf(area);
  return { polygons, bbox: boxOf(polygons.flat(2)) };
}

/** Even-odd crossing test over every ring (holes included), with a bbox short-cut. */
export function contains(area: PreparedArea, x: number, y: number): boolean {
  const [x0, y0, x1, y1] = area.bbox;
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  let inside = false;
  for (const poly of area.polygons)
    for (const ring of poly) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const yi = ring[i][1];
        const yj = ring[j][1];
        if (yi > y !== yj > y) {
          const xi = ring[i][0];
          const xj = ring[j][0];
          if (x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
        }
      }
    }
  return inside;
}

/**
 * A uniform random point inside the area by bbox rejection. Returns null after `tries` misses,
 * which only happens for slivers whose bbox is nearly empty.
 */
export function randomPointIn(rng: Rng, area: PreparedArea, tries = 200): [number, number] | null {
  const [x0, y0, x1, y1] = area.bbox;
  for (let i = 0; i < tries; i++) {
    const x = x0 + (x1 - x0) * rng.next();
    const y = y0 + (y1 - y0) * rng.next();
    if (contains(area, x, y)) return [x, y];
  }
  return null;
}

/** Degrees of longitude per degree of latitude at a latitude: the east–west squeeze of lon/lat. */
export function lonScale(lat: number): number {
  return Math.cos((lat * Math.PI) / 180);
}

/** Moves a point by metres east (dx) and north (dy). */
export function offsetMetres(lon: number, lat: number, dx: number, dy: number): [number, number] {
  return [lon + dx / (M_PER_DEG * lonScale(lat)), lat + dy / M_PER_DEG];
}

/** Planar distance in metres between two nearby lon/lat points. */
export function distanceMetres(a: Position, b: Position): number {
  const k = lonScale((a[1] + b[1]) / 2);
  return Math.hypot((a[0] - b[0]) * k, a[1] - b[1]) * M_PER_DEG;
}

/** Rounds to `digits` decimals and drops the consecutive duplicates that rounding can create. */
function roundRing(ring: Position[], digits: number): Position[] {
  const f = 10 ** digits;
  const out: Position[] = [];
  for (const [x, y] of ring) {
    const p = [Math.round(x * f) / f, Math.round(y * f) / f];
    const last = out[out.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
  }
  return out;
}

/** Rounds every coordinate of an area (7 decimals ≈ 1 cm), keeping rings closed and valid in length. */
export function roundArea(area: Area, digits = 7): Area {
  const polys = polygonsOf(area)
    .map((poly) => poly.map((ring) => roundRing(ring, digits)).filter((ring) => ring.length >= 4))
    .filter((poly) => poly.length > 0);
  return polys.length === 1 ? { type: 'Polygon', coordinates: polys[0] } : { type: 'MultiPolygon', coordinates: polys };
}
