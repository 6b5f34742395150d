import { describe, expect, it } from 'vitest';
import type { Polygon } from 'geojson';
import { arcsOf } from '../../../server/plan/arcs.ts';
import { DomainError } from '../../../server/domain/errors.ts';
import { applyEdit, type PlanEdit } from '../../../server/plan/edits.ts';
import { PlanState, type GridFeature } from '../../../server/plan/state.ts';
import { buildTopology } from '../../../server/plan/topology.ts';
import { expectTiled, fixtureState } from './tiling.ts';

const G1 = '530111001001001';
const G2 = '530111001001002';
const C1 = '530111001001';

const rect = (x0: number, y0: number, x1: number, y1: number): Polygon => ({ type: 'Polygon', coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]] });

/** Four 0.01° squares around a centre vertex (0.01, 0.01) + (102, 25), all in community Q. */
function quad(): PlanState {
  const grids: GridFeature[] = [[0, 0], [1, 0], [0, 1], [1, 1]].map(([i, j], k) => ({
    type: 'Feature',
    properties: { code: `Q${k + 1}`, name: `q${k + 1}`, community: 'Q', inspector: '张伟', households: 100 },
    geometry: rect(102 + i * 0.01, 25 + j * 0.01, 102 + (i + 1) * 0.01, 25 + (j + 1) * 0.01),
  }));
  return PlanState.build(grids, new Map([['Q', rect(102, 25, 102.02, 25.02)]]));
}

const edit = (state: PlanState, e: PlanEdit) => applyEdit(state, e);

function refusal(fn: () => unknown): DomainError<{ grids?: string[] }> {
  try {
    fn();
  } catch (err) {
    if (err instanceof DomainError) return err as DomainError<{ grids?: string[] }>;
    throw err;
  }
  throw new Error('expected the edit to be refused');
}

describe('building the topology', () => {
  it('shares the common edge of neighbouring grids as one arc with a grid on each side', () => {
    const { arcs, nodes } = arcsOf(fixtureState().topology(C1));
    expect(nodes).toHaveLength(2);
    const shared = arcs.filter((a) => a.left !== null && a.right !== null);
    expect(shared).toHaveLength(1);
    expect([shared[0].left, shared[0].right].sort()).toEqual([G1, G2]);
    expect(shared[0].coordinates.map((p) => p[0])).toEqual([102.725, 102.725]);
    expect(arcs.filter((a) => a.right === null)).toHaveLength(2);
  });

  it('inserts a neighbour vertex that lies on an edge (T-junction), so both sides list it', () => {
    const topo = buildTopology('T', [
      { code: 'big', geometry: rect(0, 0, 1, 2) },
      { code: 'low', geometry: rect(1, 0, 2, 1) },
      { code: 'high', geometry: rect(1, 1, 2, 2) },
    ]);
    const big = topo.geometry('big') as Polygon;
    expect(big.coordinates[0]).toContainEqual([1, 1]);
    expect(arcsOf(topo).arcs.filter((a) => a.left && a.right)).toHaveLength(3);
  });

  it('snaps positions closer than 1e-9° into one vertex', () => {
    const topo = buildTopology('S', [
      { code: 'a', geometry: rect(0, 0, 1, 1) },
      { code: 'b', geometry: { type: 'Polygon', coordinates: [[[1 + 4e-10, 0], [2, 0], [2, 1], [1 - 3e-10, 1], [1 + 4e-10, 0]]] } },
    ]);
    expect(topo.points).toHaveLength(6);
  });
});

describe('vertex edits', () => {
  it('moving a vertex shared by four grids moves it in all of them and keeps the tiling', () => {
    const next = edit(quad(), { kind: 'vertex', edit: { op: 'move', at: [102.01, 25.01], to: [102.013, 25.008] } });
    for (const code of ['Q1', 'Q2', 'Q3', 'Q4']) expect((next.geometry(code) as Polygon).coordinates[0]).toContainEqual([102.013, 25.008]);
    expectTiled(next, 'Q');
  });

  it('refuses a move that would fold one grid over another', () => {
    const err = refusal(() => edit(quad(), { kind: 'vertex', edit: { op: 'move', at: [102.01, 25.01], to: [102.025, 25.005] } }));
    expect(err.code).toBe('invalid_edit');
    expect(err.details?.grids?.length).toBeGreaterThan(0);
  });

  it('pins a corner of the community outline', () => {
    const err = refusal(() => edit(quad(), { kind: 'vertex', edit: { op: 'move', at: [102, 25], to: [102.001, 25.001] } }));
    expect(err).toMatchObject({ kind: 'rule', code: 'pinned_vertex', details: { parameter: 'at' } });
  });

  it('lets a vertex on a straight stretch of outline slide along it', () => {
    const next = edit(quad(), { kind: 'vertex', edit: { op: 'move', at: [102.01, 25], to: [102.012, 24.99] } });
    expect((next.geometry('Q1') as Polygon).coordinates[0]).toContainEqual([102.012, 25]);
    expectTiled(next, 'Q');
  });

  it('inserting on a shared edge changes both sides, and moving the new vertex bends both', () => {
    let s = edit(fixtureState(), { kind: 'vertex', edit: { op: 'insert', at: [102.725, 24.93] } });
    expect((s.geometry(G1) as Polygon).coordinates[0]).toHaveLength(6);
    expect((s.geometry(G2) as Polygon).coordinates[0]).toHaveLength(6);
    s = edit(s, { kind: 'vertex', edit: { op: 'move', at: [102.725, 24.93], to: [102.735, 24.93] } });
    expect((s.geometry(G1) as Polygon).coordinates[0]).toContainEqual([102.735, 24.93]);
    expect((s.geometry(G2) as Polygon).coordinates[0]).toContainEqual([102.735, 24.93]);
    expectTiled(s, C1);
  });

  it('deleting a shared vertex straightens both sides; a junction can not be deleted', () => {
    let s = edit(fixtureState(), { kind: 'vertex', edit: { op: 'insert', at: [102.725, 24.93] } });
    s = edit(s, { kind: 'vertex', edit: { op: 'move', at: [102.725, 24.93], to: [102.73, 24.93] } });
    s = edit(s, { kind: 'vertex', edit: { op: 'delete', at: [102.73, 24.93] } });
    expect((s.geometry(G1) as Polygon).coordinates[0]).toHaveLength(5);
    expectTiled(s, C1);
    expect(refusal(() => edit(quad(), { kind: 'vertex', edit: { op: 'delete', at: [102.01, 25.01] } })).code).toBe('junction_vertex');
  });

  it('names the parameter when no vertex is near', () => {
    expect(refusal(() => edit(quad(), { kind: 'vertex', edit: { op: 'move', at: [103, 26], to: [103, 26.1] } }))).toMatchObject({ code: 'no_vertex', details: { parameter: 'at' } });
  });
});

describe('split', () => {
  it('splits a grid along a drawn line into -1 (left) and -2 (right); the neighbour gains the crossing vertex', () => {
    const s = edit(fixtureState(), { kind: 'split', edit: { grid: G1, line: [[102.69, 24.92], [102.73, 24.93]] } });
    expect(s.attrs.has(G1)).toBe(false);
    expect(s.attrs.get(`${G1}-1`)).toMatchObject({ name: '关上社区第1网格-1', inspector: '张伟', community: C1 });
    // Left of a line drawn eastwards is north.
    expect((s.geometry(`${G1}-1`) as Polygon).coordinates[0]).toContainEqual([102.7, 24.95]);
    const crossing = (s.geometry(G2) as Polygon).coordinates[0].find((p) => p[1] > 24.9 && p[1] < 24.95)!;
    expect(crossing[0]).toBe(102.725);
    expect(crossing[1]).toBeCloseTo(24.92875, 12);
    const households = s.attrs.get(`${G1}-1`)!.households! + s.attrs.get(`${G1}-2`)!.households!;
    expect(households).toBe(300);
    expectTiled(s, C1);
  });

  it('uses the codes it is given', () => {
    const s = edit(fixtureState(), { kind: 'split', edit: { grid: G1, line: [[102.71, 24.89], [102.71, 24.96]], codes: ['A', 'B'] } });
    expect(s.codes()).toEqual(expect.arrayContaining(['A', 'B']));
  });

  it('refuses a line that does not cross the grid twice', () => {
    const once = refusal(() => edit(fixtureState(), { kind: 'split', edit: { grid: G1, line: [[102.69, 24.92], [102.71, 24.93]] } }));
    expect(once).toMatchObject({ code: 'line_must_cross_twice', details: { parameter: 'line', grids: [G1] } });
    const zigzag = refusal(() => edit(fixtureState(), { kind: 'split', edit: { grid: G1, line: [[102.71, 24.89], [102.71, 24.96], [102.715, 24.96], [102.715, 24.89]] } }));
    expect(zigzag.code).toBe('line_must_cross_twice');
  });

  it('refuses codes already in the plan', () => {
    expect(refusal(() => edit(fixtureState(), { kind: 'split', edit: { grid: G1, line: [[102.71, 24.89], [102.71, 24.96]], codes: [G2, 'X'] } }))).toMatchObject({ kind: 'conflict', code: 'duplicate_code' });
  });
});

describe('merge', () => {
  it('merges neighbours into one grid without the shared arc', () => {
    const bent = edit(edit(fixtureState(), { kind: 'vertex', edit: { op: 'insert', at: [102.725, 24.93] } }), { kind: 'vertex', edit: { op: 'move', at: [102.725, 24.93], to: [102.73, 24.93] } });
    const s = edit(bent, { kind: 'merge', edit: { grids: [G1, G2] } });
    expect(s.attrs.has(G2)).toBe(false);
    expect(s.attrs.get(G1)!.households).toBe(610);
    const rings = (s.geometry(G1) as Polygon).coordinates;
    expect(rings).toHaveLength(1);
    expect(rings[0]).not.toContainEqual([102.73, 24.93]);
    expectTiled(s, C1);
  });

  it('merges a split back into the original shape', () => {
    const s = edit(edit(fixtureState(), { kind: 'split', edit: { grid: G1, line: [[102.69, 24.92], [102.73, 24.93]] } }), { kind: 'merge', edit: { grids: [`${G1}-1`, `${G1}-2`], code: G1 } });
    expect(s.geometry(G1)!.type).toBe('Polygon');
    expectTiled(s, C1);
  });

  it('refuses grids that share only a corner, or lie in different communities', () => {
    expect(refusal(() => edit(quad(), { kind: 'merge', edit: { grids: ['Q1', 'Q4'] } })).code).toBe('not_adjacent');
    expect(refusal(() => edit(fixtureState(), { kind: 'merge', edit: { grids: [G1, '530111001002001'] } })).code).toBe('different_communities');
  });
});

describe('freehand redraw', () => {
  it('takes land from the neighbour and gives land back, keeping the community tiled', () => {
    // G1 is x 102.70–102.725; the new shape reaches into G2 in the north and gives up the south-east corner.
    const shape: Polygon = { type: 'Polygon', coordinates: [[[102.7, 24.9], [102.72, 24.9], [102.72, 24.92], [102.735, 24.93], [102.735, 24.95], [102.7, 24.95], [102.7, 24.9]]] };
    const s = edit(fixtureState(), { kind: 'update', edit: { grid: G1, geometry: shape } });
    expectTiled(s, C1);
    expect(s.geometry(G1)!.type).toBe('Polygon');
    const g2 = s.geometry(G2) as Polygon;
    // The given-up corner went to G2, the only neighbour it touches.
    expect(g2.coordinates[0]).toContainEqual([102.72, 24.9]);
  });

  it('clips a shape reaching outside the community', () => {
    const s = edit(fixtureState(), { kind: 'update', edit: { grid: G1, geometry: rect(102.69, 24.89, 102.73, 24.96) } });
    expectTiled(s, C1);
  });

  it('refuses a shape that would swallow a whole neighbour', () => {
    expect(refusal(() => edit(fixtureState(), { kind: 'update', edit: { grid: G1, geometry: rect(102.69, 24.89, 102.76, 24.96) } })).code).toBe('redraw_swallows_grid');
  });
});

describe('attributes and communities', () => {
  it('renames a grid and edits its inspector', () => {
    const s = edit(fixtureState(), { kind: 'update', edit: { grid: G1, code: 'NEW', name: '新网格', inspector: null } });
    expect(s.attrs.get('NEW')).toMatchObject({ name: '新网格', inspector: null, community: C1 });
    expect(s.geometry('NEW')).toEqual(fixtureState().geometry(G1));
  });

  it('moves a grid only into a community that contains it', () => {
    expect(refusal(() => edit(fixtureState(), { kind: 'update', edit: { grid: G1, community: '530111001002' } }))).toMatchObject({ code: 'not_in_community', details: { parameter: 'community' } });
    const stray: GridFeature = { type: 'Feature', properties: { code: 'S', name: 's', community: C1, inspector: null, households: null }, geometry: rect(102.705, 24.955, 102.71, 24.96) };
    const base = fixtureState();
    const s = edit(PlanState.build([...base.features(), stray], base.communities), { kind: 'update', edit: { grid: 'S', community: '530111001002' } });
    expect(s.attrs.get('S')!.community).toBe('530111001002');
    expect([...s.topology('530111001002').faces.keys()]).toContain('S');
  });
});
