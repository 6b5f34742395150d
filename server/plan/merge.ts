/**
 * Dissolving faces of a topology: the edges two merged grids share cancel out (they run in
 * opposite directions), and what is left is stitched into rings. The same routine gives a
 * community's outline (dissolve every face) and merges grids.
 */
import { NotFoundError, RuleError } from '../domain/errors.ts';
import { insideRings, signedArea2, type Pt } from '../domain/geometry.ts';
import { fmt } from './edit-error.ts';
import { directedKey, edgeEnds, forEachEdge, Topology, type FacePolygon, type Ring } from './topology.ts';

/**
 * Merges the given grids into one face stored under `into`. They must form one connected group by
 * shared edges (a shared corner is not enough) unless `requireAdjacent` is false, in which case
 * disconnected pieces become parts of a multipart face.
 */
export function mergeFaces(topo: Topology, codes: readonly string[], into: string, requireAdjacent = true): Topology {
  for (const code of codes) {
    if (!topo.faces.has(code)) throw new NotFoundError('grid_not_found', `grid ${code} is not in community ${topo.community}`, { parameter: 'grids', grids: [code] });
  }
  const { polygons, groups } = dissolve(topo, codes);
  if (requireAdjacent && groups.length > 1) {
    throw new RuleError('not_adjacent', `grids ${groups.map((g) => g.join('+')).join(' and ')} share no boundary; only neighbours can be merged`, { parameter: 'grids', grids: [...codes] });
  }
  const faces = new Map(topo.faces);
  for (const code of codes) faces.delete(code);
  faces.set(into, polygons);
  return topo.with(topo.points, faces);
}

/** The union of the given faces (default: all) as polygons over the topology's vertices. */
export function outlineOf(topo: Topology, codes: readonly string[] = [...topo.faces.keys()]): FacePolygon[] {
  return dissolve(topo, codes).polygons;
}

/**
 * Cancels opposite directed edges of the chosen faces, stitches the rest into rings, and reports
 * which faces ended up connected through a cancelled (shared) edge.
 */
function dissolve(topo: Topology, codes: readonly string[]): { polygons: FacePolygon[]; groups: string[][] } {
  const chosen = new Set(codes);
  const owners = new Map<number, string[]>();
  forEachEdge(topo, (a, b, code) => {
    if (!chosen.has(code)) return;
    const key = directedKey(a, b);
    const list = owners.get(key);
    if (list) list.push(code);
    else owners.set(key, [code]);
  });
  const parent = new Map(codes.map((c) => [c, c]));
  const find = (c: string): string => {
    while (parent.get(c) !== c) c = parent.get(c)!;
    return c;
  };
  const left: [number, number][] = [];
  for (const [key, list] of owners) {
    const [a, b] = edgeEnds(key);
    const opposite = owners.get(directedKey(b, a)) ?? [];
    for (const x of list) for (const y of opposite) parent.set(find(x), find(y));
    for (let k = opposite.length; k < list.length; k++) left.push([a, b]);
  }
  const byRoot = new Map<string, string[]>();
  for (const c of codes) byRoot.set(find(c), [...(byRoot.get(find(c)) ?? []), c]);
  return { polygons: assemble(topo.points, stitch(topo.points, left)), groups: [...byRoot.values()] };
}

/**
 * Follows directed edges into closed rings. Where several edges leave a vertex (two parts
 * touching at a point) it takes the sharpest clockwise turn, which keeps each ring simple.
 */
function stitch(points: readonly Pt[], edges: readonly [number, number][]): Ring[] {
  const out = new Map<number, number[]>();
  for (const [a, b] of edges) out.set(a, [...(out.get(a) ?? []), b]);
  const rings: Ring[] = [];
  for (const [start, targets] of out) {
    while (targets.length) {
      const ring = [start];
      let prev = start;
      let cur = targets.pop()!;
      while (cur !== start) {
        ring.push(cur);
        const next = out.get(cur);
        if (!next?.length) throw new RuleError('invalid_edit', `the grid boundaries near ${fmt(points[cur])} do not close`, { location: points[cur] });
        const pick = next.length === 1 ? 0 : sharpestClockwise(points, prev, cur, next);
        prev = cur;
        cur = next.splice(pick, 1)[0];
      }
      rings.push(ring);
    }
  }
  return rings;
}

function sharpestClockwise(points: readonly Pt[], prev: number, cur: number, next: readonly number[]): number {
  const c = points[cur];
  const back = Math.atan2(points[prev][1] - c[1], points[prev][0] - c[0]);
  let best = 0;
  let bestTurn = Infinity;
  next.forEach((n, i) => {
    let turn = back - Math.atan2(points[n][1] - c[1], points[n][0] - c[0]);
    if (turn <= 0) turn += 2 * Math.PI;
    if (turn < bestTurn) [best, bestTurn] = [i, turn];
  });
  return best;
}

/** Counter-clockwise rings are shells; each clockwise ring is a hole of the smallest shell around it. */
function assemble(points: readonly Pt[], rings: readonly Ring[]): FacePolygon[] {
  const coords = (r: Ring) => r.map((v) => points[v]);
  const shells = rings.filter((r) => signedArea2(coords(r)) > 0).map((r) => ({ ring: r, area: signedArea2(coords(r)), holes: [] as Ring[] }));
  shells.sort((x, y) => x.area - y.area);
  for (const hole of rings.filter((r) => signedArea2(coords(r)) < 0)) {
    const a = points[hole[0]];
    const b = points[hole[1]];
    const probe: Pt = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
    const owner = shells.find((s) => insideRings(probe, [coords(s.ring)]));
    if (owner) owner.holes.push(hole);
  }
  return shells.map((s) => [s.ring, ...s.holes]);
}
