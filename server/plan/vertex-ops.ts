/**
 * Vertex edits on one community's topology: move, insert on an edge, delete. Because neighbours
 * share vertex ids, each edit changes every grid around the vertex identically.
 *
 * The community outline is fixed (it comes from the region data), so a vertex on the outline may
 * only slide along the straight stretch it sits on, and may be deleted only where that does not
 * change the outline's shape.
 */
import { RuleError } from '../domain/errors.ts';
import { dist, project, same, SNAP, type Pt } from '../domain/geometry.ts';
import { assertEdgesClear, assertOriented } from './edge-checks.ts';
import { fmt } from './edit-error.ts';
import { edgeKey, edgeEnds, Topology, type Face } from './topology.ts';

/** The used vertex nearest to `at` within `tol`, or null. */
export function findVertex(topo: Topology, at: Pt, tol: number): number | null {
  let best: number | null = null;
  let bestD = tol;
  for (const v of topo.usedVertices()) {
    const d = dist(topo.points[v], at);
    if (d <= bestD) [best, bestD] = [v, d];
  }
  return best;
}

/** The edge nearest to `at` within `tol`, with the foot of the perpendicular, or null. */
export function findEdge(topo: Topology, at: Pt, tol: number): { a: number; b: number; foot: Pt } | null {
  let best: { a: number; b: number; foot: Pt } | null = null;
  let bestD = tol;
  for (const key of topo.edgeUse().keys()) {
    const [a, b] = edgeEnds(key);
    const p = project(at, topo.points[a], topo.points[b]);
    if (p.dist <= bestD && p.t > 0 && p.t < 1) [best, bestD] = [{ a, b, foot: p.at }, p.dist];
  }
  return best;
}

/** Grids whose rings pass through vertex v. */
function facesAt(topo: Topology, v: number): string[] {
  const out: string[] = [];
  for (const [code, face] of topo.faces) if (face.some((poly) => poly.some((ring) => ring.includes(v)))) out.push(code);
  return out;
}

/** Neighbours of v along outline edges (edges only one grid uses). */
function outlineNeighbours(topo: Topology, v: number): number[] {
  const use = topo.edgeUse();
  return [...(topo.adjacency().get(v) ?? [])].filter((n) => use.get(edgeKey(v, n)) === 1);
}

/**
 * Moves vertex v to `to` in every grid that uses it. An outline vertex slides along its straight
 * stretch of outline instead: `to` is projected onto it. Returns the new topology and where the
 * vertex ended up.
 */
export function moveVertex(topo: Topology, v: number, to: Pt): { topo: Topology; at: Pt } {
  const outline = outlineNeighbours(topo, v);
  let target = to;
  if (outline.length > 0) {
    const [a, b] = outline.map((n) => topo.points[n]);
    const onLine = outline.length === 2 && project(topo.points[v], a, b).dist <= SNAP;
    const slide = onLine ? project(to, a, b) : null;
    if (!slide || slide.t <= 0 || slide.t >= 1 || same(slide.at, a) || same(slide.at, b)) {
      throw new RuleError('pinned_vertex', `the vertex at ${fmt(topo.points[v])} lies on the outline of community ${topo.community}, which is fixed; it can only slide along a straight stretch of the outline`, {
        parameter: 'at', grids: facesAt(topo, v), location: topo.points[v],
      });
    }
    target = slide.at;
  }
  const clash = findVertex(topo, target, SNAP);
  if (clash !== null && clash !== v) {
    throw new RuleError('invalid_edit', `another vertex already lies at ${fmt(target)}`, { parameter: 'to', grids: facesAt(topo, v), location: target });
  }
  const points = [...topo.points];
  points[v] = [target[0], target[1]];
  const edges = [...(topo.adjacency().get(v) ?? [])].map((n) => [v, n] as const);
  const what = `moving the vertex at ${fmt(topo.points[v])}`;
  assertEdgesClear(points, topo.faces, edges, what);
  assertOriented(points, topo.faces, facesAt(topo, v), what);
  return { topo: topo.with(points, topo.faces), at: target };
}

/** Inserts a vertex at `foot` (on edge a–b) into every ring that runs along that edge. */
export function insertVertex(topo: Topology, a: number, b: number, foot: Pt): Topology {
  const points = [...topo.points, foot];
  return topo.with(points, insertIntoEdge(topo.faces, a, b, points.length - 1));
}

/** Faces with vertex v inserted between a and b wherever they are consecutive, on both sides. */
export function insertIntoEdge(faces: ReadonlyMap<string, Face>, a: number, b: number, v: number): Map<string, Face> {
  const out = new Map<string, Face>();
  for (const [code, face] of faces) {
    out.set(code, face.map((poly) => poly.map((ring) => {
      const next: number[] = [];
      ring.forEach((x, i) => {
        next.push(x);
        const y = ring[(i + 1) % ring.length];
        if ((x === a && y === b) || (x === b && y === a)) next.push(v);
      });
      return next;
    })));
  }
  return out;
}

/**
 * Deletes vertex v from every ring. Only a vertex between exactly two neighbours can go (a
 * junction of three grids would leave them disagreeing); on the outline only where it is straight.
 */
export function deleteVertex(topo: Topology, v: number): Topology {
  const near = [...(topo.adjacency().get(v) ?? [])];
  const grids = facesAt(topo, v);
  const at = topo.points[v];
  if (near.length !== 2) {
    throw new RuleError('junction_vertex', `the vertex at ${fmt(at)} joins ${near.length} edges; only a vertex between two edges can be deleted (move it instead)`, { parameter: 'at', grids, location: at });
  }
  const [a, b] = near;
  if (outlineNeighbours(topo, v).length > 0 && project(at, topo.points[a], topo.points[b]).dist > SNAP) {
    throw new RuleError('pinned_vertex', `the vertex at ${fmt(at)} shapes the outline of community ${topo.community}, which is fixed`, { parameter: 'at', grids, location: at });
  }
  if (topo.adjacency().get(a)?.has(b)) {
    throw new RuleError('invalid_edit', `deleting the vertex at ${fmt(at)} would collapse a grid between its neighbours`, { parameter: 'at', grids, location: at });
  }
  const faces = new Map<string, Face>();
  for (const [code, face] of topo.faces) {
    faces.set(code, face.map((poly) => poly.map((ring) => {
      if (!ring.includes(v)) return ring;
      const next = ring.filter((x) => x !== v);
      if (next.length < 3) throw new RuleError('invalid_edit', `grid ${code} would have fewer than three vertices`, { parameter: 'at', grids: [code], location: at });
      return next;
    })));
  }
  const what = `deleting the vertex at ${fmt(at)}`;
  assertEdgesClear(topo.points, faces, [[a, b]], what);
  assertOriented(topo.points, faces, grids, what);
  return topo.with(topo.points, faces);
}
