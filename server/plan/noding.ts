/**
 * Noding: turning independently digitised rings into rings over one shared vertex table.
 * Positions within SNAP of each other become one vertex; a vertex lying on another ring's edge is
 * inserted into that edge. Afterwards two grids that touch along a stretch list the same vertices
 * there, which is what the topology's edits rely on.
 */
import type { Position } from 'geojson';
import { project, SNAP, type Pt } from '../domain/geometry.ts';

/** Shared vertices and the rings (vertex ids, not closed) in input order. */
export type Noded = { points: Pt[]; rings: number[][] };

/** Snaps and nodes the given rings (closed or not). */
export function nodeRings(input: readonly Position[][]): Noded {
  const snapper = new Snapper();
  const rings = input.map((ring) => {
    const ids = ring.map((p) => snapper.id([p[0], p[1]]));
    if (ids.length > 1 && ids[0] === ids[ids.length - 1]) ids.pop();
    return ids;
  });
  const points = snapper.points;
  const buckets = new VertexBuckets(points);
  return { points, rings: rings.map((ring) => insertOnEdges(ring, points, buckets)) };
}

/** Every ring edge gets the vertices that lie on it, in order along the edge. */
function insertOnEdges(ring: number[], points: Pt[], buckets: VertexBuckets): number[] {
  const out: number[] = [];
  for (let i = 0; i < ring.length; i++) {
    const a = ring[i];
    const b = ring[(i + 1) % ring.length];
    out.push(a);
    if (a === b) continue;
    const on: { v: number; t: number }[] = [];
    buckets.near(points[a], points[b], (v) => {
      if (v === a || v === b) return;
      const { t, dist } = project(points[v], points[a], points[b]);
      if (dist <= SNAP && t > 0 && t < 1) on.push({ v, t });
    });
    on.sort((x, y) => x.t - y.t);
    for (const { v } of on) out.push(v);
  }
  return out;
}

/** Merges positions closer than SNAP, in a hash of SNAP-sized cells. */
class Snapper {
  readonly points: Pt[] = [];
  private readonly cells = new Map<string, number[]>();

  id(p: Pt): number {
    const cx = Math.floor(p[0] / SNAP);
    const cy = Math.floor(p[1] / SNAP);
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        for (const v of this.cells.get(`${cx + dx},${cy + dy}`) ?? []) {
          const q = this.points[v];
          if (Math.abs(q[0] - p[0]) <= SNAP && Math.abs(q[1] - p[1]) <= SNAP) return v;
        }
      }
    }
    const v = this.points.length;
    this.points.push(p);
    const key = `${cx},${cy}`;
    const list = this.cells.get(key);
    if (list) list.push(v);
    else this.cells.set(key, [v]);
    return v;
  }
}

/** A uniform grid of vertex buckets, sized so a bucket holds about one vertex. */
class VertexBuckets {
  private readonly minX: number;
  private readonly minY: number;
  private readonly size: number;
  private readonly nx: number;
  private readonly ny: number;
  private readonly cells: Map<number, number[]> = new Map();

  constructor(points: readonly Pt[]) {
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (const p of points) {
      minX = Math.min(minX, p[0]);
      minY = Math.min(minY, p[1]);
      maxX = Math.max(maxX, p[0]);
      maxY = Math.max(maxY, p[1]);
    }
    this.minX = minX;
    this.minY = minY;
    this.size = Math.max(Math.max(maxX - minX, maxY - minY) / Math.max(1, Math.sqrt(points.length)), SNAP * 16);
    this.nx = Math.max(1, Math.ceil((maxX - minX) / this.size) + 1);
    this.ny = Math.max(1, Math.ceil((maxY - minY) / this.size) + 1);
    points.forEach((p, v) => {
      const key = this.cell(p[0], p[1]);
      const list = this.cells.get(key);
      if (list) list.push(v);
      else this.cells.set(key, [v]);
    });
  }

  private col(x: number): number {
    return Math.min(this.nx - 1, Math.max(0, Math.floor((x - this.minX) / this.size)));
  }

  private row(y: number): number {
    return Math.min(this.ny - 1, Math.max(0, Math.floor((y - this.minY) / this.size)));
  }

  private cell(x: number, y: number): number {
    return this.row(y) * this.nx + this.col(x);
  }

  /** Visits every vertex in the buckets the segment a–b's box (padded by SNAP) covers. */
  near(a: Pt, b: Pt, visit: (v: number) => void): void {
    const c0 = this.col(Math.min(a[0], b[0]) - SNAP);
    const c1 = this.col(Math.max(a[0], b[0]) + SNAP);
    const r0 = this.row(Math.min(a[1], b[1]) - SNAP);
    const r1 = this.row(Math.max(a[1], b[1]) + SNAP);
    for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) for (const v of this.cells.get(r * this.nx + c) ?? []) visit(v);
  }
}
