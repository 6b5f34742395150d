/**
 * Splitting a grid by a line drawn across it. The line must enter and leave the grid exactly once;
 * the two points where it crosses the boundary are inserted into the boundary (and so into the
 * neighbour on the other side), and the stretch of line between them becomes a new shared arc.
 */
import { NotFoundError, RuleError } from '../domain/errors.ts';
import { crossing, insideRings, project, same, SNAP, segmentsMeet, type Pt } from '../domain/geometry.ts';
import { assertEdgesClear, assertOriented } from './edge-checks.ts';
import { fmt } from './edit-error.ts';
import { Topology, type Face, type Ring } from './topology.ts';
import { insertIntoEdge } from './vertex-ops.ts';

/** Where the line meets the grid's shell (`s`: position along the line), at an existing vertex or inside an edge. */
type Hit = { s: number; at: Pt; vertex?: number };

/**
 * Splits grid `code` along `line` into two grids: `codes[0]` is the part left of the line as
 * drawn, `codes[1]` the part right of it. Holes go with the part that contains them.
 */
export function splitFace(topo: Topology, code: string, line: readonly Pt[], codes: readonly [string, string]): Topology {
  const face = topo.faces.get(code);
  if (!face) throw new NotFoundError('grid_not_found', `grid ${code} is not in community ${topo.community}`, { parameter: 'grid', grids: [code] });
  if (face.length !== 1) throw new RuleError('multipart_grid', `grid ${code} has ${face.length} parts; redraw it as one part before splitting`, { parameter: 'grid', grids: [code] });
  const [shell, ...holes] = face[0];
  const hits = findHits(topo, shell, line);
  if (hits.length !== 2) {
    throw new RuleError('line_must_cross_twice', `the line must cross the boundary of grid ${code} exactly twice (it meets it ${hits.length} time${hits.length === 1 ? '' : 's'})`, {
      parameter: 'line', grids: [code], location: hits[0]?.at ?? line[0],
    });
  }
  const [h1, h2] = hits;
  const inner = line.filter((_, k) => k > h1.s && k < h2.s);
  const path: Pt[] = [h1.at, ...inner, h2.at].filter((p, i, all) => i === 0 || !same(p, all[i - 1]));
  const mid: Pt = [(path[0][0] + path[1][0]) / 2, (path[0][1] + path[1][1]) / 2];
  const inHole = holes.some((h) => insideRings(mid, [topo.coords(h)]));
  if (!insideRings(mid, [topo.coords(shell)]) || inHole) {
    throw new RuleError('line_outside_grid', `between its two crossings the line runs outside grid ${code}`, { parameter: 'line', grids: [code], location: mid });
  }

  const points = [...topo.points];
  let faces: Map<string, Face> = new Map(topo.faces);
  const vertexOf = (h: Hit): number => {
    if (h.vertex !== undefined) return h.vertex;
    // Look the edge up in the current shell: an earlier crossing may already have cut it.
    const current = faces.get(code)![0][0];
    const k = current.findIndex((a, i) => project(h.at, points[a], points[current[(i + 1) % current.length]]).dist <= SNAP);
    points.push(h.at);
    faces = insertIntoEdge(faces, current[k], current[(k + 1) % current.length], points.length - 1);
    return points.length - 1;
  };
  const v1 = vertexOf(h1);
  const v2 = vertexOf(h2);
  const interior = path.slice(1, -1).map((p) => (points.push(p), points.length - 1));
  const ring = faces.get(code)![0][0];
  const i1 = ring.indexOf(v1);
  const i2 = ring.indexOf(v2);
  const along = (from: number, to: number): number[] => {
    const out: number[] = [];
    for (let i = from; ; i = (i + 1) % ring.length) {
      out.push(ring[i]);
      if (i === to) return out;
    }
  };
  // The shell runs counter-clockwise: from v2 round to v1, then forward along the line, encloses
  // the part left of the line; from v1 round to v2, then back along the line, the part right of it.
  const left: Ring = [...along(i2, i1), ...interior];
  const right: Ring = [...along(i1, i2), ...[...interior].reverse()];
  const holeRings = faces.get(code)![0].slice(1);
  const holesIn = (r: Ring) => holeRings.filter((h) => insideRings(points[h[0]], [r.map((v) => points[v])]));
  faces.delete(code);
  faces.set(codes[0], [[left, ...holesIn(left)]]);
  faces.set(codes[1], [[right, ...holesIn(right)]]);

  const cut = [v1, ...interior, v2];
  const newEdges = cut.slice(1).map((v, k) => [cut[k], v] as const);
  const what = `splitting grid ${code}`;
  assertEdgesClear(points, faces, newEdges, what);
  assertOriented(points, faces, codes, what);
  return topo.with(points, faces);
}

/** Every place the line meets the shell, ordered along the line, duplicates merged. */
function findHits(topo: Topology, shell: Ring, line: readonly Pt[]): Hit[] {
  const hits: Hit[] = [];
  const ring = topo.coords(shell);
  for (let j = 0; j + 1 < line.length; j++) {
    const p = line[j];
    const q = line[j + 1];
    ring.forEach((a, i) => {
      const b = ring[(i + 1) % ring.length];
      if (!segmentsMeet(p, q, a, b)) return;
      if (project(a, p, q).dist <= SNAP && project(b, p, q).dist <= SNAP) {
        throw new RuleError('line_along_boundary', `the line runs along the boundary of grid near ${fmt(a)}; draw it across the grid`, { parameter: 'line', location: a });
      }
      const atVertex = (v: Pt, id: number) => {
        const t = project(v, p, q);
        if (t.dist <= SNAP) hits.push({ s: j + t.t, at: v, vertex: id });
      };
      atVertex(a, shell[i]);
      const x = crossing(p, q, a, b);
      if (x && !same(x.at, a) && !same(x.at, b)) hits.push({ s: j + x.t, at: x.at });
      for (const [end, s] of [[p, j], [q, j + 1]] as const) {
        const onEdge = project(end, a, b);
        if (onEdge.dist <= SNAP && !same(onEdge.at, a) && !same(onEdge.at, b)) hits.push({ s, at: onEdge.at });
      }
    });
  }
  hits.sort((x, y) => x.s - y.s);
  return hits.filter((h, k) => k === 0 || !same(h.at, hits[k - 1].at));
}
