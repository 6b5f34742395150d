/**
 * How the rings of a (multi)polygon sit inside one another, once they are known not to cross
 * (server/spatial/self-intersection.ts): a hole must lie inside its shell and outside every other
 * hole, and no part may lie inside another part's area. Rings that do not cross are either nested
 * or apart, so one point of a ring that is not on the other ring decides for the whole ring.
 */
import type { Position } from 'geojson';
import { boxOf, type Bbox } from '../domain/geometry.ts';

/** Where a point lies relative to a closed ring, exactly (no tolerance: the rings are the data). */
export type Side = 'inside' | 'outside' | 'boundary';

/** Exact point-in-ring with the boundary told apart (even–odd crossing count). */
export function sideOfRing(x: number, y: number, ring: readonly Position[]): Side {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const ax = ring[i][0], ay = ring[i][1];
    const bx = ring[j][0], by = ring[j][1];
    const cross = (bx - ax) * (y - ay) - (by - ay) * (x - ax);
    if (cross === 0 && x >= Math.min(ax, bx) && x <= Math.max(ax, bx) && y >= Math.min(ay, by) && y <= Math.max(ay, by)) return 'boundary';
    if (ay > y !== by > y && x < ax + ((y - ay) * (bx - ax)) / (by - ay)) inside = !inside;
  }
  return inside ? 'inside' : 'outside';
}

/**
 * Whether ring `a` lies inside ring `b`, for rings that do not cross: decided by the first vertex
 * of `a` (then the first edge midpoint) that is not on `b`. Rings that coincide everywhere count
 * as not inside; the crossing check reports those as sharing boundary.
 */
export function ringInside(a: readonly Position[], b: readonly Position[]): boolean {
  for (const p of a) {
    const side = sideOfRing(p[0], p[1], b);
    if (side !== 'boundary') return side === 'inside';
  }
  for (let i = 0; i + 1 < a.length; i++) {
    const side = sideOfRing((a[i][0] + a[i + 1][0]) / 2, (a[i][1] + a[i + 1][1]) / 2, b);
    if (side !== 'boundary') return side === 'inside';
  }
  return false;
}

const boxWithin = (a: Bbox, b: Bbox) => a[0] >= b[0] && a[1] >= b[1] && a[2] <= b[2] && a[3] <= b[3];

/** What is wrong with the nesting, naming parts and rings by index (0-based; ring 0 is the shell). */
export type NestingProblem =
  | { code: 'hole_outside_shell'; part: number; hole: number; at: Position }
  | { code: 'holes_overlap'; part: number; hole: number; other: number; at: Position }
  | { code: 'parts_overlap'; part: number; other: number; at: Position };

/** True when `p` lies in the area of polygon `rings` (inside the shell, not inside a hole). */
function inArea(ring: readonly Position[], rings: readonly Position[][], boxes: Bbox[]): boolean {
  const box = boxOf(ring);
  if (!boxWithin(box, boxes[0]) || !ringInside(ring, rings[0])) return false;
  for (let h = 1; h < rings.length; h++) {
    if (boxWithin(box, boxes[h]) && ringInside(ring, rings[h])) return false;
  }
  return true;
}

/**
 * The first nesting problem of a polygon's parts (each: shell, then holes), or null. Assumes
 * closed rings that neither cross nor share a stretch of boundary. Bounding boxes keep the
 * pairwise tests to the rings that could possibly nest.
 */
export function findNestingProblem(parts: readonly Position[][][]): NestingProblem | null {
  const boxes = parts.map((rings) => rings.map((r) => boxOf(r)));
  for (let p = 0; p < parts.length; p++) {
    const rings = parts[p];
    for (let h = 1; h < rings.length; h++) {
      if (!boxWithin(boxes[p][h], boxes[p][0]) || !ringInside(rings[h], rings[0])) {
        return { code: 'hole_outside_shell', part: p, hole: h, at: rings[h][0] };
      }
      for (let o = 1; o < rings.length; o++) {
        if (o !== h && boxWithin(boxes[p][h], boxes[p][o]) && ringInside(rings[h], rings[o])) {
          return { code: 'holes_overlap', part: p, hole: h, other: o, at: rings[h][0] };
        }
      }
    }
  }
  for (let p = 0; p < parts.length; p++) {
    for (let o = 0; o < parts.length; o++) {
      if (o !== p && inArea(parts[p][0], parts[o], boxes[o])) return { code: 'parts_overlap', part: p, other: o, at: parts[p][0][0] };
    }
  }
  return null;
}
