/**
 * Geometry for key sites: points, short polylines (roads, alleys) and small blocks (compounds,
 * parks), all kept inside their community so a site's community is unambiguous.
 */
import type { Position } from 'geojson';
import { contains, distanceMetres, offsetMetres, randomPointIn, type PreparedArea } from './geometry.ts';
import type { Rng } from './rng.ts';

/** A uniform point inside the area (falls back to a vertex-adjacent point for degenerate slivers). */
export function pointIn(rng: Rng, area: PreparedArea): [number, number] {
  const p = randomPointIn(rng, area, 1000);
  if (p) return p;
  const [x0, y0, x1, y1] = area.bbox;
  return [(x0 + x1) / 2, (y0 + y1) / 2];
}

/** Whether the segment stays inside, checked at its ends and a few interior points. */
function segmentInside(area: PreparedArea, a: Position, b: Position): boolean {
  for (let t = 0; t <= 1; t += 0.2) if (!contains(area, a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)) return false;
  return true;
}

/** Shape of a polyline to draw. */
export interface LineSpec {
  /** Target length range, metres. */
  length: [number, number];
  /** Vertex count range (inclusive). */
  vertices: [number, number];
  /** Maximum heading change per vertex, degrees. */
  turn: number;
}

const lineLength = (pts: Position[]) => pts.slice(1).reduce((s, p, i) => s + distanceMetres(pts[i], p), 0);

/**
 * A wandering polyline inside the area: a random walk with bounded turns, retried (and shortened
 * in tight communities) until it fits. Never returns fewer than two vertices.
 */
export function lineIn(rng: Rng, area: PreparedArea, spec: LineSpec): Position[] {
  let best: Position[] = [];
  for (let attempt = 0; attempt < 60; attempt++) {
    const scale = attempt < 20 ? 1 : attempt < 40 ? 0.5 : 0.2;
    const target = rng.range(spec.length[0], spec.length[1]) * scale;
    const n = spec.vertices[0] + rng.int(spec.vertices[1] - spec.vertices[0] + 1);
    const step = target / (n - 1);
    let heading = rng.range(0, 2 * Math.PI);
    const pts: Position[] = [pointIn(rng, area)];
    for (let i = 1; i < n; i++) {
      heading += ((rng.range(-1, 1) * spec.turn) / 180) * Math.PI;
      const prev = pts[pts.length - 1];
      const next = offsetMetres(prev[0], prev[1], step * Math.cos(heading), step * Math.sin(heading));
      if (!segmentInside(area, prev, next)) break;
      pts.push(next);
    }
    if (pts.length >= 2 && lineLength(pts) >= 0.6 * target) return pts;
    if (pts.length > best.length) best = pts;
  }
  if (best.length >= 2) return best;
  const p = pointIn(rng, area);
  return [p, offsetMetres(p[0], p[1], 5, 0)];
}

/**
 * A small, slightly irregular rotated quadrilateral (a compound or a park) whose corners and edge
 * midpoints lie inside the area; shrinks until it fits. Returns one closed, counter-clockwise ring.
 */
export function blockIn(rng: Rng, area: PreparedArea, side: [number, number]): Position[] {
  for (let attempt = 0; ; attempt++) {
    const scale = 0.7 ** Math.floor(attempt / 10);
    const w = rng.range(side[0], side[1]) * scale;
    const h = rng.range(side[0], side[1]) * scale;
    const angle = rng.range(0, Math.PI / 2);
    const [cx, cy] = pointIn(rng, area);
    const corners = [
      [-1, -1],
      [1, -1],
      [1, 1],
      [-1, 1],
    ].map(([sx, sy]) => {
      const ex = (sx * w * rng.range(0.85, 1)) / 2;
      const ny = (sy * h * rng.range(0.85, 1)) / 2;
      return offsetMetres(cx, cy, ex * Math.cos(angle) - ny * Math.sin(angle), ex * Math.sin(angle) + ny * Math.cos(angle));
    });
    const ring = [...corners, corners[0]];
    const fits = ring.slice(1).every((p, i) => segmentInside(area, ring[i], p));
    if (fits || attempt > 80) return ring;
  }
}
