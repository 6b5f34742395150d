/**
 * The node/arc view of a topology: nodes are vertices where boundaries meet (or where the pair of
 * grids on either side changes), arcs are the chains between them with the grid on each side.
 * The planner UI uses it to show shared boundaries and the fixed community outline
 * (arcs with no grid on one side).
 */
import type { Pt } from '../domain/geometry.ts';
import { directedKey, edgeKey, forEachEdge, type Topology } from './topology.ts';

/** One boundary stretch: `left` lies left of the arc's direction; `right` is null on the community outline. */
export type Arc = { coordinates: Pt[]; left: string | null; right: string | null };

/** Nodes and arcs of the topology. */
export function arcsOf(topo: Topology): { nodes: Pt[]; arcs: Arc[] } {
  const owner = new Map<number, string>();
  forEachEdge(topo, (a, b, code) => owner.set(directedKey(a, b), code));
  const adj = topo.adjacency();
  const sides = (a: number, b: number) => [owner.get(directedKey(a, b)) ?? null, owner.get(directedKey(b, a)) ?? null];
  const isNode = (v: number): boolean => {
    const n = [...(adj.get(v) ?? [])];
    if (n.length !== 2) return true;
    const [x, y] = [sides(n[0], v), sides(v, n[1])];
    return x[0] !== y[0] || x[1] !== y[1];
  };
  const nodes = [...adj.keys()].filter(isNode);
  const seen = new Set<number>();
  const arcs: Arc[] = [];
  const walk = (start: number, first: number) => {
    const chain = [start, first];
    seen.add(edgeKey(start, first));
    let prev = start;
    let cur = first;
    while (cur !== start && !isNode(cur)) {
      const next = [...adj.get(cur)!].find((n) => n !== prev)!;
      seen.add(edgeKey(cur, next));
      chain.push(next);
      [prev, cur] = [cur, next];
    }
    const [left, right] = sides(chain[0], chain[1]);
    const coordinates = chain.map((v) => topo.points[v]);
    // Outline arcs are turned so their grid is on the left and `right` (outside) is null.
    if (left === null) arcs.push({ coordinates: coordinates.reverse(), left: right, right: null });
    else arcs.push({ coordinates, left, right });
  };
  for (const v of nodes) for (const n of adj.get(v)!) if (!seen.has(edgeKey(v, n))) walk(v, n);
  // Rings with no node at all (an enclave's boundary) form closed arcs of their own.
  for (const [v, ns] of adj) for (const n of ns) if (!seen.has(edgeKey(v, n))) walk(v, n);
  return { nodes: nodes.map((v) => topo.points[v]), arcs };
}
