/**
 * The vertex editor's model, derived from `GET /api/plans/:id/topology`: every distinct vertex of
 * the shared arcs with what the server will let it do. Interior vertices move freely (the server
 * moves them in every grid that shares them); a vertex on a community outline may only slide
 * along its straight stretch of outline; outline corners are pinned. Knowing this up front lets
 * the drag preview show what will happen instead of what the server will refuse. Pure.
 */
import { edgeKey, footOnSegment, vertexIds, type Project, type Px } from './snap';
import type { Bbox, LonLat } from './geometry';

/** One community's arcs as the topology route answers them. */
export interface TopologyPart {
  community: string;
  nodes: readonly (readonly number[])[];
  arcs: readonly { coordinates: readonly (readonly number[])[]; left: string | null; right: string | null }[];
}

/** What a vertex may do. */
export type VertexKind = 'free' | 'slide' | 'pinned';

/** One distinct vertex. */
export interface EditVertex {
  at: LonLat;
  kind: VertexKind;
  /** For `slide`: the outline stretch it may move along (its outline neighbours). */
  slide: [LonLat, LonLat] | null;
  /** Distinct neighbours along arcs; only a vertex with exactly two can be deleted. */
  neighbours: LonLat[];
  /** Where arcs meet (a node of the topology). */
  node: boolean;
  /** Grids around the vertex. */
  grids: string[];
}

/** Every vertex and every edge (as vertex index pairs, once each) of the topology. */
export interface VertexModel {
  vertices: EditVertex[];
  edges: [number, number][];
  /** Edges on a community outline (only one grid on them). */
  outline: boolean[];
}

/** Collinearity slack relative to the stretch length (degrees are tiny numbers). */
const COLLINEAR = 1e-9;

/** Builds the model; vertices shared by several communities' topologies are merged by position. */
export function buildVertexModel(parts: readonly TopologyPart[]): VertexModel {
  const nbrs: Set<number>[] = [];
  const outlineNbrs: Set<number>[] = [];
  const grids: Set<string>[] = [];
  const nodes = new Set<number>();
  const edgeIndex = new Map<string, number>();
  const edges: [number, number][] = [];
  const outline: boolean[] = [];
  const { vertices: at, idOf: id } = vertexIds(() => {
    nbrs.push(new Set());
    outlineNbrs.push(new Set());
    grids.push(new Set());
  });
  for (const part of parts) {
    for (const n of part.nodes) nodes.add(id(n));
    for (const arc of part.arcs) {
      const ids = arc.coordinates.map(id);
      const isOutline = arc.right === null;
      for (let k = 0; k < ids.length; k++) {
        for (const g of [arc.left, arc.right]) if (g) grids[ids[k]].add(g);
        if (k === 0) continue;
        const [a, b] = [ids[k - 1], ids[k]];
        if (a === b) continue;
        nbrs[a].add(b);
        nbrs[b].add(a);
        if (isOutline) {
          outlineNbrs[a].add(b);
          outlineNbrs[b].add(a);
        }
        const key = edgeKey(a, b);
        const e = edgeIndex.get(key);
        if (e === undefined) {
          edgeIndex.set(key, edges.length);
          edges.push([a, b]);
          outline.push(isOutline);
        } else if (!isOutline) {
          // A community border is an outline arc in both communities; an inner arc wins if one exists.
          outline[e] = false;
        }
      }
    }
  }
  const vertices = at.map((p, v): EditVertex => {
    const { kind, slide } = classify(p, [...outlineNbrs[v]].map((n) => at[n]));
    return { at: p, kind, slide, neighbours: [...nbrs[v]].map((n) => at[n]), node: nodes.has(v), grids: [...grids[v]].sort() };
  });
  return { vertices, edges, outline };
}

/** Free without outline neighbours; sliding when they and the vertex lie on one line, one on each side; else pinned. */
function classify(p: LonLat, outlineNeighbours: LonLat[]): { kind: VertexKind; slide: [LonLat, LonLat] | null } {
  if (outlineNeighbours.length === 0) return { kind: 'free', slide: null };
  if (outlineNeighbours.length < 2) return { kind: 'pinned', slide: null };
  // Nearest neighbour on each side of p along the line through them (borders shared by two
  // communities may list more than two, all on the same line).
  const [a] = outlineNeighbours;
  const dir: LonLat = [a[0] - p[0], a[1] - p[1]];
  const len = Math.hypot(dir[0], dir[1]);
  let before: { s: number; q: LonLat } | null = null;
  let after: { s: number; q: LonLat } | null = null;
  for (const q of outlineNeighbours) {
    const v: LonLat = [q[0] - p[0], q[1] - p[1]];
    const cross = dir[0] * v[1] - dir[1] * v[0];
    if (Math.abs(cross) > COLLINEAR * len * Math.hypot(v[0], v[1]) + 1e-18) return { kind: 'pinned', slide: null };
    const s = (dir[0] * v[0] + dir[1] * v[1]) / len;
    if (s > 0 && (!after || s < after.s)) after = { s, q };
    if (s < 0 && (!before || s > before.s)) before = { s, q };
  }
  return before && after ? { kind: 'slide', slide: [before.q, after.q] } : { kind: 'pinned', slide: null };
}

/**
 * Where a dragged vertex would go: free vertices follow the cursor; sliding ones move to the
 * nearest point strictly inside their stretch; pinned ones stay (null).
 */
export function constrainMove(v: EditVertex, to: LonLat): LonLat | null {
  if (v.kind === 'free') return to;
  if (v.kind === 'pinned' || !v.slide) return null;
  const [a, b] = v.slide;
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const t = ((to[0] - a[0]) * dx + (to[1] - a[1]) * dy) / (dx * dx + dy * dy);
  // Landing on an end would stack two vertices; keep a hair away from both.
  const c = Math.min(0.995, Math.max(0.005, t));
  return [a[0] + c * dx, a[1] + c * dy];
}

/** The vertex nearest the cursor within `tolerancePx`, or -1. */
export function vertexAt(model: VertexModel, cursor: Px, project: Project, tolerancePx: number, near?: Bbox): number {
  let best = -1;
  let bestD = tolerancePx * tolerancePx;
  model.vertices.forEach((v, i) => {
    if (near && (v.at[0] < near[0] || v.at[0] > near[2] || v.at[1] < near[1] || v.at[1] > near[3])) return;
    const [x, y] = project(v.at);
    const d = (x - cursor[0]) ** 2 + (y - cursor[1]) ** 2;
    if (d <= bestD) [best, bestD] = [i, d];
  });
  return best;
}

/**
 * The point of the nearest edge within `tolerancePx` (for inserting a vertex), on the edge in
 * lon/lat, or null. `near` skips edges whose box misses the cursor's (a city has many thousands).
 */
export function edgePointAt(model: VertexModel, cursor: Px, project: Project, tolerancePx: number, near?: Bbox): LonLat | null {
  let best: LonLat | null = null;
  let bestD = tolerancePx * tolerancePx;
  for (const [a, b] of model.edges) {
    const [va, vb] = [model.vertices[a].at, model.vertices[b].at];
    if (near && (Math.max(va[0], vb[0]) < near[0] || Math.min(va[0], vb[0]) > near[2] || Math.max(va[1], vb[1]) < near[1] || Math.min(va[1], vb[1]) > near[3])) continue;
    const { t, d2 } = footOnSegment(cursor, project(va), project(vb));
    if (d2 <= bestD && t > 0.02 && t < 0.98) [best, bestD] = [[va[0] + t * (vb[0] - va[0]), va[1] + t * (vb[1] - va[1])], d2];
  }
  return best;
}

/** The edges around a vertex as they would run with the vertex at `to`, for the drag preview. */
export function dragPreview(v: EditVertex, to: LonLat): LonLat[][] {
  return v.neighbours.map((n) => [n, to]);
}
