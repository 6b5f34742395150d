/**
 * Finds where the rings of one polygon cross themselves or each other.
 *
 * Rings of grids and district outlines reach 10k+ vertices, so segments are bucketed in a
 * uniform cell grid and only segments sharing a cell are compared: ~O(n) for ordinary rings
 * instead of O(n²) over all pairs.
 */
import type { Position } from 'geojson';
import { forEachSegmentCell, makeCellGrid } from './cell-grid.js';

/** How two segments meet: crossing interiors, touching at a point, or overlapping along a line. */
export type ContactKind = 'crossing' | 'touch' | 'overlap';

/** The first offending contact found, with its approximate location. */
export interface RingContact {
  kind: ContactKind;
  x: number;
  y: number;
  /** Ring indices (0 = shell); equal when a ring meets itself. */
  ringA: number;
  ringB: number;
  /** The two segments: index k is the segment from vertex k to k + 1 of its ring, repeated positions skipped. */
  segA: number;
  segB: number;
}

/** Below this many segments comparing all pairs is cheaper than building a grid. */
const BRUTE_FORCE_MAX = 64;

function orient(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
}

function within(a: number, b: number, v: number): boolean {
  return a < b ? v >= a && v <= b : v >= b && v <= a;
}

/** Classifies how segments p1p2 and q1q2 meet, or returns null when they are disjoint. */
function segmentContact(
  p1x: number, p1y: number, p2x: number, p2y: number,
  q1x: number, q1y: number, q2x: number, q2y: number,
): { kind: ContactKind; x: number; y: number } | null {
  if (Math.max(p1x, p2x) < Math.min(q1x, q2x) || Math.max(q1x, q2x) < Math.min(p1x, p2x)) return null;
  if (Math.max(p1y, p2y) < Math.min(q1y, q2y) || Math.max(q1y, q2y) < Math.min(p1y, p2y)) return null;
  const d1 = orient(q1x, q1y, q2x, q2y, p1x, p1y);
  const d2 = orient(q1x, q1y, q2x, q2y, p2x, p2y);
  const d3 = orient(p1x, p1y, p2x, p2y, q1x, q1y);
  const d4 = orient(p1x, p1y, p2x, p2y, q2x, q2y);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) {
    const t = d1 / (d1 - d2);
    return { kind: 'crossing', x: p1x + t * (p2x - p1x), y: p1y + t * (p2y - p1y) };
  }
  if (d1 === 0 && d2 === 0 && d3 === 0 && d4 === 0) {
    // Collinear: compare the projections on the axis along which the segments extend most.
    const alongX = Math.abs(p2x - p1x) + Math.abs(q2x - q1x) >= Math.abs(p2y - p1y) + Math.abs(q2y - q1y);
    const [pa, pb, qa, qb] = alongX ? [p1x, p2x, q1x, q2x] : [p1y, p2y, q1y, q2y];
    const lo = Math.max(Math.min(pa, pb), Math.min(qa, qb));
    const hi = Math.min(Math.max(pa, pb), Math.max(qa, qb));
    if (lo > hi) return null;
    const at = (v: number): { x: number; y: number } => {
      const [a, b, ax, ay, bx, by] = alongX ? [p1x, p2x, p1x, p1y, p2x, p2y] : [p1y, p2y, p1x, p1y, p2x, p2y];
      const t = a === b ? 0 : (v - a) / (b - a);
      return { x: ax + t * (bx - ax), y: ay + t * (by - ay) };
    };
    return { kind: lo < hi ? 'overlap' : 'touch', ...at((lo + hi) / 2) };
  }
  if (d1 === 0 && within(q1x, q2x, p1x) && within(q1y, q2y, p1y)) return { kind: 'touch', x: p1x, y: p1y };
  if (d2 === 0 && within(q1x, q2x, p2x) && within(q1y, q2y, p2y)) return { kind: 'touch', x: p2x, y: p2y };
  if (d3 === 0 && within(p1x, p2x, q1x) && within(p1y, p2y, q1y)) return { kind: 'touch', x: q1x, y: q1y };
  if (d4 === 0 && within(p1x, p2x, q2x) && within(p1y, p2y, q2y)) return { kind: 'touch', x: q2x, y: q2y };
  return null;
}

interface Segments {
  ax: Float64Array;
  ay: Float64Array;
  bx: Float64Array;
  by: Float64Array;
  ring: Int32Array;
  /** Index of the segment within its ring. */
  idx: Int32Array;
  ringSize: number[];
  n: number;
}

/**
 * Flattens closed rings into segments, dropping repeated consecutive positions: a duplicated
 * vertex is harmless but would make its neighbours look like non-adjacent segments that touch.
 */
function collectSegments(rings: Position[][]): Segments {
  let total = 0;
  for (const r of rings) total += r.length;
  const s: Segments = {
    ax: new Float64Array(total), ay: new Float64Array(total),
    bx: new Float64Array(total), by: new Float64Array(total),
    ring: new Int32Array(total), idx: new Int32Array(total), ringSize: [], n: 0,
  };
  rings.forEach((ring, ri) => {
    const xs: number[] = [];
    const ys: number[] = [];
    for (const p of ring) {
      const x = p[0];
      const y = p[1];
      if (xs.length && xs[xs.length - 1] === x && ys[ys.length - 1] === y) continue;
      xs.push(x);
      ys.push(y);
    }
    if (xs.length > 1 && xs[0] === xs[xs.length - 1] && ys[0] === ys[ys.length - 1]) {
      xs.pop();
      ys.pop();
    }
    const m = xs.length;
    s.ringSize[ri] = m < 3 ? 0 : m;
    if (m < 3) return;
    for (let i = 0; i < m; i++) {
      const k = s.n++;
      s.ax[k] = xs[i];
      s.ay[k] = ys[i];
      s.bx[k] = xs[(i + 1) % m];
      s.by[k] = ys[(i + 1) % m];
      s.ring[k] = ri;
      s.idx[k] = i;
    }
  });
  return s;
}

/** Decides whether segments i and j meet in a way that makes the polygon invalid. */
function offending(s: Segments, i: number, j: number): RingContact | null {
  const ri = s.ring[i];
  const rj = s.ring[j];
  if (ri === rj) {
    const m = s.ringSize[ri];
    const gap = Math.abs(s.idx[i] - s.idx[j]);
    if (gap === 1 || gap === m - 1) {
      // Neighbours share a vertex by construction; they are only wrong when the ring doubles
      // back on itself along the same line (a spike).
      const [first, second] = gap === 1 ? (s.idx[i] < s.idx[j] ? [i, j] : [j, i]) : s.idx[i] === 0 ? [j, i] : [i, j];
      const sx = s.bx[first];
      const sy = s.by[first];
      const px = s.ax[first] - sx;
      const py = s.ay[first] - sy;
      const qx = s.bx[second] - sx;
      const qy = s.by[second] - sy;
      if (px * qy - py * qx === 0 && px * qx + py * qy > 0) return { kind: 'overlap', x: sx, y: sy, ringA: ri, ringB: rj, segA: s.idx[i], segB: s.idx[j] };
      return null;
    }
  }
  const c = segmentContact(s.ax[i], s.ay[i], s.bx[i], s.by[i], s.ax[j], s.ay[j], s.bx[j], s.by[j]);
  if (!c) return null;
  // Rings of one polygon may touch at a single point (a hole touching the shell at a vertex is
  // valid in OGC Simple Features); crossing or sharing a stretch of boundary is not. A ring
  // touching itself at a non-adjacent point is a pinched ring and invalid.
  if (ri !== rj && c.kind === 'touch') return null;
  return { ...c, ringA: ri, ringB: rj, segA: s.idx[i], segB: s.idx[j] };
}

/**
 * Returns the first place where a polygon's rings (shell first, then holes; each closed) cross
 * or overlap themselves or each other, or null when there is none. Rings with fewer than three
 * distinct positions are skipped; report those separately.
 */
export function findRingContact(rings: Position[][]): RingContact | null {
  const s = collectSegments(rings);
  const n = s.n;
  if (n <= BRUTE_FORCE_MAX) {
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const hit = offending(s, i, j);
        if (hit) return hit;
      }
    }
    return null;
  }
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  let sumDx = 0, sumDy = 0;
  for (let i = 0; i < n; i++) {
    minX = Math.min(minX, s.ax[i]);
    maxX = Math.max(maxX, s.ax[i]);
    minY = Math.min(minY, s.ay[i]);
    maxY = Math.max(maxY, s.ay[i]);
    sumDx += Math.abs(s.bx[i] - s.ax[i]);
    sumDy += Math.abs(s.by[i] - s.ay[i]);
  }
  // Cells shaped like the average segment: rings of long parallel strokes (combs, hatching)
  // would otherwise pile hundreds of segments into each square cell.
  const aspect = Math.min(1e4, Math.max(1e-4, (sumDy + 1e-300) / (sumDx + 1e-300)));
  const grid = makeCellGrid(minX, minY, maxX, maxY, n, aspect);
  const cells = grid.nx * grid.ny;
  // Two passes (count, then fill) give compact per-cell lists without per-cell arrays.
  const start = new Int32Array(cells + 1);
  for (let i = 0; i < n; i++) {
    forEachSegmentCell(grid, s.ax[i], s.ay[i], s.bx[i], s.by[i], (c) => start[c + 1]++);
  }
  for (let c = 0; c < cells; c++) start[c + 1] += start[c];
  const fill = start.slice(0, cells);
  const members = new Int32Array(start[cells]);
  for (let i = 0; i < n; i++) {
    forEachSegmentCell(grid, s.ax[i], s.ay[i], s.bx[i], s.by[i], (c) => {
      members[fill[c]++] = i;
    });
  }
  for (let c = 0; c < cells; c++) {
    const end = start[c + 1];
    for (let a = start[c]; a < end; a++) {
      for (let b = a + 1; b < end; b++) {
        const hit = offending(s, members[a], members[b]);
        if (hit) return hit;
      }
    }
  }
  return null;
}
