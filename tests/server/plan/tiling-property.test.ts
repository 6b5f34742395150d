import { describe, expect, it } from 'vitest';
import { bbox, centroid } from '@turf/turf';
import type { Polygon } from 'geojson';
import { arcsOf } from '../../../server/plan/arcs.ts';
import { DomainError } from '../../../server/domain/errors.ts';
import { applyEdit, type PlanEdit } from '../../../server/plan/edits.ts';
import type { PlanState } from '../../../server/plan/state.ts';
import { seeded } from '../spatial/random.ts';
import { expectTiled, voronoiState } from './tiling.ts';

type Kind = 'move' | 'insert' | 'delete' | 'split' | 'merge' | 'redraw';
const KINDS: Kind[] = ['move', 'insert', 'delete', 'split', 'merge', 'redraw'];

/** A random edit of the given kind on the Voronoi plan (it may well be refused). */
function randomEdit(state: PlanState, kind: Kind, rnd: () => number): PlanEdit {
  const topo = state.topology('V');
  const codes = state.codes();
  const code = codes[Math.floor(rnd() * codes.length)];
  const pick = <T,>(list: T[]) => list[Math.floor(rnd() * list.length)];
  const vertex = () => topo.points[pick(topo.usedVertices())];
  const [x0, y0, x1, y1] = bbox(state.geometry(code)!);
  const size = Math.max(x1 - x0, y1 - y0);
  switch (kind) {
    case 'move': {
      const at = vertex();
      return { kind: 'vertex', edit: { op: 'move', at: [at[0], at[1]], to: [at[0] + (rnd() - 0.5) * 0.3 * size, at[1] + (rnd() - 0.5) * 0.3 * size] } };
    }
    case 'insert': {
      const arc = pick(arcsOf(topo).arcs);
      const [a, b] = arc.coordinates;
      const t = 0.2 + 0.6 * rnd();
      return { kind: 'vertex', edit: { op: 'insert', at: [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])] } };
    }
    case 'delete': {
      // Vertices between exactly two edges are the deletable ones; pick among those.
      const adj = topo.adjacency();
      const twos = topo.usedVertices().filter((v) => adj.get(v)!.size === 2);
      const at = twos.length ? topo.points[pick(twos)] : vertex();
      return { kind: 'vertex', edit: { op: 'delete', at: [at[0], at[1]] } };
    }
    case 'split': {
      const [cx, cy] = centroid(state.geometry(code)!).geometry.coordinates;
      const angle = rnd() * Math.PI;
      const [dx, dy] = [Math.cos(angle) * size * 2, Math.sin(angle) * size * 2];
      return { kind: 'split', edit: { grid: code, line: [[cx - dx, cy - dy], [cx + dx, cy + dy]] } };
    }
    case 'merge': {
      const neighbours = arcsOf(topo).arcs.filter((a) => a.right !== null && (a.left === code || a.right === code)).map((a) => (a.left === code ? a.right! : a.left!));
      return { kind: 'merge', edit: { grids: [code, pick(neighbours.length ? neighbours : [code])] } };
    }
    case 'redraw': {
      const [cx, cy] = centroid(state.geometry(code)!).geometry.coordinates;
      const r = size * (0.4 + 0.4 * rnd());
      const ring = Array.from({ length: 7 }, (_, k) => {
        const a = (k / 7) * 2 * Math.PI;
        const s = r * (0.7 + 0.6 * rnd());
        return [cx + Math.cos(a) * s, cy + Math.sin(a) * s];
      });
      const geometry: Polygon = { type: 'Polygon', coordinates: [[...ring, ring[0]]] };
      return { kind: 'update', edit: { grid: code, geometry } };
    }
  }
}

describe('tiling is preserved by every edit (Voronoi property test)', () => {
  it.each([1, 2, 3, 4])('seed %i: 36 random edits keep the community tiled exactly', (seed) => {
    const rnd = seeded(seed);
    let state = voronoiState(24, seed);
    expectTiled(state, 'V');
    const applied = new Map<Kind, number>();
    for (let step = 0; step < 36; step++) {
      const kind = KINDS[step % KINDS.length];
      const e = randomEdit(state, kind, rnd);
      try {
        state = applyEdit(state, e);
      } catch (err) {
        // Refusals (folding moves, junction deletes, lines crossing thrice …) are fine; anything else is a bug.
        if (!(err instanceof DomainError)) throw err;
        continue;
      }
      applied.set(kind, (applied.get(kind) ?? 0) + 1);
      expectTiled(state, 'V');
    }
    for (const kind of KINDS) expect(applied.get(kind) ?? 0, `${kind} edits applied`).toBeGreaterThan(0);
  });
});
