/**
 * Local checks after an edit changed some edges: shared vertices guarantee no gap or overlap only
 * while the drawing stays planar, so new edges must not meet old ones except at common vertices,
 * and no ring may turn inside out.
 */
import { RuleError } from '../domain/errors.ts';
import { crossing, project, SNAP, segmentsMeet, signedArea2, type Pt } from '../domain/geometry.ts';
import { edgeKey, forEachEdge, Topology, type Face } from './topology.ts';

/**
 * Throws 422 `invalid_edit` when one of `edges` (vertex id pairs) meets another edge of the
 * subdivision anywhere but at a shared end, or overlaps it along a line.
 */
export function assertEdgesClear(points: readonly Pt[], faces: ReadonlyMap<string, Face>, edges: readonly (readonly [number, number])[], what: string): void {
  const all = new Map<number, { a: number; b: number; codes: string[] }>();
  forEachEdge(new Topology('', points, faces), (a, b, code) => {
    const key = edgeKey(a, b);
    const e = all.get(key);
    if (e) e.codes.push(code);
    else all.set(key, { a, b, codes: [code] });
  });
  for (const [a, b] of edges) {
    const mine = edgeKey(a, b);
    for (const [key, e] of all) {
      if (key === mine) continue;
      const at = contact(points, a, b, e.a, e.b);
      if (!at) continue;
      const codes = [...new Set([...(all.get(mine)?.codes ?? []), ...e.codes])];
      throw new RuleError('invalid_edit', `${what} would make grid boundaries cross or overlap (${codes.join(', ')})`, { grids: codes, location: at });
    }
  }
}

/** Where edge a–b meets edge c–d other than at a vertex they share, or null. */
function contact(points: readonly Pt[], a: number, b: number, c: number, d: number): Pt | null {
  const [pa, pb, pc, pd] = [points[a], points[b], points[c], points[d]];
  const shared = [a, b].filter((v) => v === c || v === d);
  if (shared.length === 0) {
    if (!segmentsMeet(pa, pb, pc, pd)) return null;
    return crossing(pa, pb, pc, pd)?.at ?? nearest(pa, pb, pc, pd);
  }
  if (shared.length === 2) return null;
  // Sharing one end, the edges may still run over each other (a spike): the far end of one lies on the other.
  const x = shared[0] === a ? pb : pa;
  const y = shared[0] === c ? pd : pc;
  if (project(y, pa, pb).dist <= SNAP) return y;
  if (project(x, pc, pd).dist <= SNAP) return x;
  return null;
}

function nearest(pa: Pt, pb: Pt, pc: Pt, pd: Pt): Pt {
  const options = [project(pa, pc, pd), project(pb, pc, pd), project(pc, pa, pb), project(pd, pa, pb)];
  return options.reduce((best, o) => (o.dist < best.dist ? o : best)).at;
}

/** Throws 422 when a shell of the given grids is no longer counter-clockwise, or a hole clockwise. */
export function assertOriented(points: readonly Pt[], faces: ReadonlyMap<string, Face>, codes: Iterable<string>, what: string): void {
  for (const code of codes) {
    for (const poly of faces.get(code) ?? []) {
      poly.forEach((ring, i) => {
        const area = signedArea2(ring.map((v) => points[v]));
        if (i === 0 ? area > 0 : area < 0) return;
        throw new RuleError('invalid_edit', `${what} would turn grid ${code} inside out`, { grids: [code], location: points[ring[0]] });
      });
    }
  }
}
