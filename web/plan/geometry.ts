/**
 * Planar helpers of the planner on lon/lat: crossings of a drawn line with grid outlines (to find
 * the grid a split line is meant for) and which grid a point is in. Point-in-polygon and boxes are
 * the kernel's (server/domain/geometry.ts), so the preview draws every boundary exactly as the
 * server's split does. No Vue, DOM or map here.
 */
import type { MultiPolygon, Polygon, Position } from 'geojson';
import { boxesMeet, boxOf, insideRings, lineParameters, polygonsOf } from '../../server/domain/geometry';

export type { Bbox } from '../../server/domain/geometry';

/** A position [longitude, latitude]. */
export type LonLat = [number, number];

/** Parameter along p→q where segments p–q and a–b cross (both strictly or at an end), or null. */
export function segmentCrossing(p: Position, q: Position, a: Position, b: Position): number | null {
  const params = lineParameters(p, q, a, b);
  if (params === null) return null;
  const { t, u } = params;
  return t >= 0 && t <= 1 && u >= 0 && u <= 1 ? t : null;
}

/**
 * Positions along the line (segment index + t) where it crosses the ring, in line order. A
 * crossing exactly at a ring vertex is counted once, not once per edge meeting there.
 */
export function lineRingCrossings(line: readonly Position[], ring: readonly Position[]): number[] {
  const out: number[] = [];
  for (let j = 0; j + 1 < line.length; j++) {
    for (let i = 0; i + 1 < ring.length; i++) {
      const t = segmentCrossing(line[j], line[j + 1], ring[i], ring[i + 1]);
      if (t !== null) out.push(j + t);
    }
  }
  out.sort((a, b) => a - b);
  return out.filter((s, k) => k === 0 || s - out[k - 1] > 1e-12);
}

/** True when the point lies inside the (multi)polygon or on its outline. */
export function containsPoint(g: Polygon | MultiPolygon, p: Position): boolean {
  return polygonsOf(g).some((rings) => insideRings(p, rings));
}

/** The point at position s (segment index + t) along a line. */
export function pointAlong(line: readonly Position[], s: number): LonLat {
  const j = Math.min(Math.floor(s), line.length - 2);
  const t = s - j;
  return [line[j][0] + t * (line[j + 1][0] - line[j][0]), line[j][1] + t * (line[j + 1][1] - line[j][1])];
}

/** A grid as the split target search sees it. */
export interface GridShape {
  code: string;
  geometry: Polygon | MultiPolygon;
}

/**
 * The grids a drawn line splits the way the server accepts: it crosses the grid's outline exactly
 * twice and runs inside it between the two crossings. A line drawn across one grid usually
 * qualifies for that grid only; when it qualifies for several, the caller asks (or uses the
 * selected one).
 */
export function splitCandidates(line: readonly Position[], grids: readonly GridShape[]): string[] {
  if (line.length < 2) return [];
  const box = boxOf(line);
  const out: string[] = [];
  for (const g of grids) {
    if (!boxesMeet(box, boxOf(polygonsOf(g.geometry).flatMap((p) => p[0])), 0)) continue;
    const polys = polygonsOf(g.geometry);
    if (polys.length !== 1) continue;
    const crossings = polys[0].flatMap((ring) => lineRingCrossings(line, ring)).sort((a, b) => a - b);
    if (crossings.length !== 2) continue;
    if (containsPoint(g.geometry, pointAlong(line, (crossings[0] + crossings[1]) / 2))) out.push(g.code);
  }
  return out;
}

/** A closed ring from drawn positions (first position repeated at the end), or null under three distinct points. */
export function closeRing(ps: readonly Position[]): LonLat[] | null {
  const ring: LonLat[] = [];
  for (const p of ps) {
    const last = ring[ring.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) ring.push([p[0], p[1]]);
  }
  if (ring.length > 1 && ring[0][0] === ring[ring.length - 1][0] && ring[0][1] === ring[ring.length - 1][1]) ring.pop();
  if (ring.length < 3) return null;
  return [...ring, [ring[0][0], ring[0][1]]];
}

/** The grid containing a point (the last one drawn wins where outlines touch), or null. */
export function gridAt(grids: readonly GridShape[], p: Position): string | null {
  for (let i = grids.length - 1; i >= 0; i--) {
    const g = grids[i];
    const box = boxOf(polygonsOf(g.geometry).flatMap((poly) => poly[0]));
    if (p[0] < box[0] || p[0] > box[2] || p[1] < box[1] || p[1] > box[3]) continue;
    if (containsPoint(g.geometry, p)) return g.code;
  }
  return null;
}
