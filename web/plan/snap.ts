/**
 * Snapping to grid vertices and edges, in screen pixels: a tolerance of 10 px means the same at
 * every zoom, which is what a hand with a mouse needs. Vertices win over edges, so a point near a
 * corner lands on the corner. A point snapped to an edge is placed on the edge in lon/lat (by the
 * edge's own parameter), because that is the plane the server's topology tests "on the edge" in.
 * Pure: the caller passes the projection.
 */
import type { Geometry, MultiPolygon, Polygon, Position } from 'geojson';
import { polygonsOf } from '../../server/domain/geometry';
import type { Bbox, LonLat } from './geometry';

/** Screen position in CSS pixels. */
export type Px = [number, number];

/** lon/lat → screen pixels (MapLibre's `project`). */
export type Project = (p: LonLat) => Px;

/** Distinct vertices and edges of a set of grids. */
export interface SnapIndex {
  vertices: LonLat[];
  /** Pairs of indices into `vertices`. */
  edges: [number, number][];
}

/** What a point snapped to. */
export type Snap =
  | { kind: 'vertex'; at: LonLat; vertex: number }
  | { kind: 'edge'; at: LonLat; edge: number }
  | { kind: 'none'; at: LonLat };

/** Key of a position; 1e-9° (0.1 mm) is the server's "same vertex" distance too. */
export function positionKey(p: Position | readonly number[]): string {
  return `${Math.round(p[0] * 1e9)},${Math.round(p[1] * 1e9)}`;
}

/**
 * Numbers distinct vertices: `idOf` gives a position the index of the first one with its
 * {@link positionKey}, adding it to `vertices` (and calling `onNew` with its index) the first time.
 */
export function vertexIds(onNew?: (id: number) => void): { vertices: LonLat[]; idOf: (p: Position | readonly number[]) => number } {
  const vertices: LonLat[] = [];
  const ids = new Map<string, number>();
  const idOf = (p: Position | readonly number[]) => {
    const key = positionKey(p);
    let id = ids.get(key);
    if (id === undefined) {
      id = vertices.length;
      ids.set(key, id);
      vertices.push([p[0], p[1]]);
      onNew?.(id);
    }
    return id;
  };
  return { vertices, idOf };
}

/** Key of the undirected edge between vertices a and b (the same either way round). */
export const edgeKey = (a: number, b: number) => (a < b ? `${a}:${b}` : `${b}:${a}`);

/** Builds the index: every ring vertex once, every edge once (neighbours share theirs). */
export function buildSnapIndex(geometries: Iterable<Polygon | MultiPolygon>): SnapIndex {
  const { vertices, idOf } = vertexIds();
  const edges: [number, number][] = [];
  const seen = new Set<string>();
  for (const g of geometries) {
    for (const poly of polygonsOf(g)) {
      for (const ring of poly) {
        for (let i = 0; i + 1 < ring.length; i++) {
          const a = idOf(ring[i]);
          const b = idOf(ring[i + 1]);
          if (a === b) continue;
          const key = edgeKey(a, b);
          if (seen.has(key)) continue;
          seen.add(key);
          edges.push([a, b]);
        }
      }
    }
  }
  return { vertices, edges };
}

/**
 * The same index over lines (roads): their vertices and segments, so a boundary drawn along a road
 * lands on it. Lines of other geometry types are skipped.
 */
export function buildLineSnapIndex(geometries: Iterable<Geometry | null>): SnapIndex {
  const { vertices, idOf } = vertexIds();
  const edges: [number, number][] = [];
  const seen = new Set<string>();
  for (const g of geometries) {
    const lines = g?.type === 'LineString' ? [g.coordinates] : g?.type === 'MultiLineString' ? g.coordinates : [];
    for (const line of lines) {
      for (let i = 0; i + 1 < line.length; i++) {
        const a = idOf(line[i]);
        const b = idOf(line[i + 1]);
        const key = edgeKey(a, b);
        if (a === b || seen.has(key)) continue;
        seen.add(key);
        edges.push([a, b]);
      }
    }
  }
  return { vertices, edges };
}

/** Options of {@link snapPoint}. */
export interface SnapOptions {
  /** How close (px) a vertex or edge must be. */
  tolerancePx: number;
  /**
   * Only candidates inside this lon/lat box are projected (the caller unprojects the cursor ± the
   * tolerance); without it every vertex is projected.
   */
  near?: Bbox;
  /** Vertices (and the edges ending at them) that must not attract, e.g. the one being dragged. */
  skipVertex?: (vertex: number) => boolean;
  /** Whether edges attract (default true). */
  edges?: boolean;
}

const inBox = (p: LonLat, b: Bbox | undefined) => !b || (p[0] >= b[0] && p[0] <= b[2] && p[1] >= b[1] && p[1] <= b[3]);

/** Vertices and edges worth testing near a box, with their pixels cached across several snaps. */
interface Candidates {
  vertices: number[];
  edges: number[];
  pixel: (v: number) => Px;
}

function candidates(index: SnapIndex, project: Project, near: Bbox | undefined): Candidates {
  const cache = new Map<number, Px>();
  const pixel = (v: number) => {
    let p = cache.get(v);
    if (!p) cache.set(v, (p = project(index.vertices[v])));
    return p;
  };
  const vertices: number[] = [];
  index.vertices.forEach((v, i) => inBox(v, near) && vertices.push(i));
  const edges: number[] = [];
  index.edges.forEach(([a, b], e) => (!near || edgeMeetsBox(index.vertices[a], index.vertices[b], near)) && edges.push(e));
  return { vertices, edges, pixel };
}

/** Snaps a cursor (pixels, with its lon/lat) to the nearest vertex, else edge, within the tolerance. */
export function snapPoint(cursor: Px, cursorLonLat: LonLat, index: SnapIndex, project: Project, o: SnapOptions): Snap {
  return snapAmong(cursor, cursorLonLat, index, candidates(index, project, o.near), o);
}

/**
 * Snaps to the first index in `indexes` with something within reach: grid boundaries before roads,
 * so a line drawn along a road still meets the neighbouring grids exactly where they have a vertex.
 */
export function snapPointToAny(cursor: Px, cursorLonLat: LonLat, indexes: readonly SnapIndex[], project: Project, o: SnapOptions): Snap {
  for (const index of indexes) {
    const s = snapPoint(cursor, cursorLonLat, index, project, o);
    if (s.kind !== 'none') return s;
  }
  return { kind: 'none', at: cursorLonLat };
}

function snapAmong(cursor: Px, cursorLonLat: LonLat, index: SnapIndex, c: Candidates, o: SnapOptions): Snap {
  const tol2 = o.tolerancePx * o.tolerancePx;
  let best = -1;
  let bestD = tol2;
  for (const i of c.vertices) {
    if (o.skipVertex?.(i)) continue;
    const [x, y] = c.pixel(i);
    const d = (x - cursor[0]) ** 2 + (y - cursor[1]) ** 2;
    if (d <= bestD) [best, bestD] = [i, d];
  }
  if (best >= 0) return { kind: 'vertex', at: [...index.vertices[best]] as LonLat, vertex: best };
  if (o.edges === false) return { kind: 'none', at: cursorLonLat };

  let bestEdge = -1;
  let bestT = 0;
  bestD = tol2;
  for (const e of c.edges) {
    const [a, b] = index.edges[e];
    if (o.skipVertex?.(a) || o.skipVertex?.(b)) continue;
    const { t, d2 } = footOnSegment(cursor, c.pixel(a), c.pixel(b));
    if (d2 <= bestD && t > 0 && t < 1) [bestEdge, bestT, bestD] = [e, t, d2];
  }
  if (bestEdge < 0) return { kind: 'none', at: cursorLonLat };
  const [a, b] = index.edges[bestEdge].map((v) => index.vertices[v]);
  return { kind: 'edge', at: [a[0] + bestT * (b[0] - a[0]), a[1] + bestT * (b[1] - a[1])], edge: bestEdge };
}

/** Parameter of the foot of the perpendicular from p onto a–b (clamped) and the squared distance to it. */
export function footOnSegment(p: Px, a: Px, b: Px): { t: number; d2: number } {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2));
  return { t, d2: (a[0] + t * dx - p[0]) ** 2 + (a[1] + t * dy - p[1]) ** 2 };
}

function edgeMeetsBox(a: LonLat, b: LonLat, box: Bbox): boolean {
  return Math.max(a[0], b[0]) >= box[0] && Math.min(a[0], b[0]) <= box[2] && Math.max(a[1], b[1]) >= box[1] && Math.min(a[1], b[1]) <= box[3];
}

/**
 * Snaps every position of a drawn outline: points near existing vertices or edges land exactly on
 * them, so a freehand redraw follows the neighbours' boundaries instead of leaving hairline gaps
 * and slivers along them. With several indexes the first within reach wins (grids, then roads).
 * `near` (the drawing's box grown by the tolerance) keeps the candidates few; consecutive
 * duplicates that snapping creates are dropped.
 */
export function snapPositions(ps: readonly LonLat[], index: SnapIndex | readonly SnapIndex[], project: Project, tolerancePx: number, near?: Bbox): LonLat[] {
  const indexes = Array.isArray(index) ? (index as readonly SnapIndex[]) : [index as SnapIndex];
  const sets = indexes.map((i) => ({ index: i, c: candidates(i, project, near) }));
  const out: LonLat[] = [];
  for (const p of ps) {
    const px = project(p);
    let at = p;
    for (const { index: i, c } of sets) {
      const s = snapAmong(px, p, i, c, { tolerancePx });
      if (s.kind !== 'none') {
        at = s.at;
        break;
      }
    }
    const last = out[out.length - 1];
    if (!last || last[0] !== at[0] || last[1] !== at[1]) out.push(at);
  }
  return out;
}
