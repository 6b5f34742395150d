/**
 * Small planar predicates on lon/lat treated as a plane, shared by the planner's topology on the
 * server and its previews in the browser, so both draw every boundary the same way. Grid edges
 * are tens to hundreds of metres long, so the plane is exact enough for incidence tests; areas and
 * lengths that are shown to people go through turf's geodesic measures instead.
 */
import type { Geometry, MultiPolygon, Polygon, Position } from 'geojson';

/** A position [lon, lat]. */
export type Pt = readonly [number, number];

/** Any position whose first two members are x and y: a {@link Pt} or a GeoJSON position. */
export type XY = readonly number[];

/** [minX, minY, maxX, maxY] — west, south, east, north; stored as the `xmin, ymin, xmax, ymax` columns. */
export type Bbox = [number, number, number, number];

/**
 * Coordinates closer than this (degrees, ≈ 0.1 mm) are one vertex, and a vertex this close to an
 * edge lies on it. Far below survey precision, far above floating-point noise of clipping.
 */
export const SNAP = 1e-9;

/** Twice the signed area of a ring (not closed): positive when counter-clockwise. */
export function signedArea2(ring: readonly Pt[]): number {
  let sum = 0;
  for (let i = 0, n = ring.length; i < n; i++) {
    const a = ring[i];
    const b = ring[(i + 1) % n];
    sum += a[0] * b[1] - b[0] * a[1];
  }
  return sum;
}

/** Parameter t ∈ [0, 1] of the point of segment a–b closest to p, and that point. */
export function project(p: XY, a: XY, b: XY): { t: number; at: Pt; dist: number } {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2));
  const at: Pt = [a[0] + t * dx, a[1] + t * dy];
  return { t, at, dist: Math.hypot(p[0] - at[0], p[1] - at[1]) };
}

/** Distance between two positions in degrees. */
export function dist(a: Pt, b: Pt): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1]);
}

/** True when the positions are one vertex under {@link SNAP}. */
export function same(a: Pt, b: Pt, tol = SNAP): boolean {
  return Math.abs(a[0] - b[0]) <= tol && Math.abs(a[1] - b[1]) <= tol;
}

/**
 * Where the lines through p1–p2 and q1–q2 meet, as parameters along each (0 and 1 are the segments'
 * ends); null when they are parallel. Callers decide which ends count as meeting.
 */
export function lineParameters(p1: readonly number[], p2: readonly number[], q1: readonly number[], q2: readonly number[]): { t: number; u: number } | null {
  const rx = p2[0] - p1[0];
  const ry = p2[1] - p1[1];
  const sx = q2[0] - q1[0];
  const sy = q2[1] - q1[1];
  const den = rx * sy - ry * sx;
  if (den === 0) return null;
  const qpx = q1[0] - p1[0];
  const qpy = q1[1] - p1[1];
  return { t: (qpx * sy - qpy * sx) / den, u: (qpx * ry - qpy * rx) / den };
}

/**
 * Where segments p1–p2 and q1–q2 properly cross (interiors meet at one point, farther than SNAP
 * from every end), as parameters along each; null when they are disjoint, parallel or touch at an end.
 */
export function crossing(p1: Pt, p2: Pt, q1: Pt, q2: Pt): { t: number; u: number; at: Pt } | null {
  const params = lineParameters(p1, p2, q1, q2);
  if (params === null) return null;
  const { t, u } = params;
  if (t <= 0 || t >= 1 || u <= 0 || u >= 1) return null;
  const at: Pt = [p1[0] + t * (p2[0] - p1[0]), p1[1] + t * (p2[1] - p1[1])];
  // Rounding puts the meeting point of two edges that share an end a hair inside both.
  if (same(at, p1) || same(at, p2) || same(at, q1) || same(at, q2)) return null;
  return { t, u, at };
}

/**
 * True when two segments meet anywhere (crossing, touching, overlapping) or come within `tol`.
 * Callers skip pairs that share a vertex on purpose.
 */
export function segmentsMeet(a: Pt, b: Pt, c: Pt, d: Pt, tol = SNAP): boolean {
  if (Math.max(a[0], b[0]) + tol < Math.min(c[0], d[0]) || Math.max(c[0], d[0]) + tol < Math.min(a[0], b[0])) return false;
  if (Math.max(a[1], b[1]) + tol < Math.min(c[1], d[1]) || Math.max(c[1], d[1]) + tol < Math.min(a[1], b[1])) return false;
  if (crossing(a, b, c, d)) return true;
  return project(a, c, d).dist <= tol || project(b, c, d).dist <= tol || project(c, a, b).dist <= tol || project(d, a, b).dist <= tol;
}

/**
 * Even–odd point-in-polygon over rings (closed or not); a point on an edge or at a vertex (within
 * {@link SNAP}) counts as inside. This is the planner's one boundary rule: a split line that runs
 * along an outline is inside the grid, and a click on a shared edge hits a grid.
 */
export function insideRings(p: XY, rings: readonly (readonly XY[])[]): boolean {
  let inside = false;
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const a = ring[i];
      const b = ring[j];
      if (project(p, a, b).dist <= SNAP) return true;
      if (a[1] > p[1] !== b[1] > p[1] && p[0] < a[0] + ((p[1] - a[1]) * (b[0] - a[0])) / (b[1] - a[1])) inside = !inside;
    }
  }
  return inside;
}

/**
 * The middle of the widest stretch inside the rings (even–odd, holes included) along the
 * horizontal line at `y`, or null when the line misses them. Labels and representative points go
 * there: unlike a centroid, it lies inside an L- or U-shaped polygon. The half-open test counts a
 * vertex exactly on the line once.
 */
export function widestSpanMiddle(rings: readonly (readonly XY[])[], y: number): Pt | null {
  const xs: number[] = [];
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const xi = ring[i][0], yi = ring[i][1];
      const xj = ring[j][0], yj = ring[j][1];
      if (yi > y !== yj > y) xs.push(xi + ((y - yi) * (xj - xi)) / (yj - yi));
    }
  }
  xs.sort((a, b) => a - b);
  let best: Pt | null = null;
  let widest = -1;
  for (let k = 0; k + 1 < xs.length; k += 2) {
    const width = xs[k + 1] - xs[k];
    if (width > widest) {
      widest = width;
      best = [(xs[k] + xs[k + 1]) / 2, y];
    }
  }
  return best;
}

/** The box of positions; no positions give an inverted (empty) box, which meets no other. */
export function boxOf(points: Iterable<XY>): Bbox {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const p of points) {
    if (p[0] < minX) minX = p[0];
    if (p[0] > maxX) maxX = p[0];
    if (p[1] < minY) minY = p[1];
    if (p[1] > maxY) maxY = p[1];
  }
  return [minX, minY, maxX, maxY];
}

/** True when two boxes overlap or touch, with `pad` slack. */
export function boxesMeet(a: readonly number[], b: readonly number[], pad = SNAP): boolean {
  return a[0] <= b[2] + pad && b[0] <= a[2] + pad && a[1] <= b[3] + pad && b[1] <= a[3] + pad;
}

function forEachPosition(geom: Geometry, visit: (p: Position) => void): void {
  switch (geom.type) {
    case 'Point':
      visit(geom.coordinates);
      return;
    case 'MultiPoint':
    case 'LineString':
      geom.coordinates.forEach(visit);
      return;
    case 'MultiLineString':
    case 'Polygon':
      for (const ring of geom.coordinates) ring.forEach(visit);
      return;
    case 'MultiPolygon':
      for (const poly of geom.coordinates) for (const ring of poly) ring.forEach(visit);
      return;
    case 'GeometryCollection':
      for (const member of geom.geometries) forEachPosition(member, visit);
  }
}

/** How many positions (vertices) a GeoJSON geometry has: what size limits on shapes count. */
export function positionCount(geom: Geometry): number {
  let n = 0;
  forEachPosition(geom, () => n++);
  return n;
}

/** Bounding box of every position of a GeoJSON geometry; null for a missing or empty one. */
export function geometryBox(geom: Geometry | null | undefined): Bbox | null {
  if (!geom) return null;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  forEachPosition(geom, (p) => {
    const x = p[0];
    const y = p[1];
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  });
  return minX > maxX ? null : [minX, minY, maxX, maxY];
}

/**
 * Bounding box of every position of a GeoJSON geometry.
 * @throws Error for an empty geometry, which has no box (validate first).
 */
export function bboxOf(geom: Geometry): Bbox {
  const box = geometryBox(geom);
  if (!box) throw new Error(`empty ${geom.type} has no bounding box`);
  return box;
}

/** The polygons of a Polygon or MultiPolygon, each as rings (shell first). */
export function polygonsOf(g: Polygon | MultiPolygon): Position[][][] {
  return g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
}

/** The mean Earth radius (IUGG), for distances on the ground. */
const EARTH_RADIUS_M = 6_371_008.8;

/** Great-circle distance in metres between two lon/lat points in degrees (haversine; ~0.5 % from the ellipsoid). */
export function groundDistanceM(a: Pt, b: Pt): number {
  const rad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * rad;
  const dLon = (b[0] - a[0]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}
