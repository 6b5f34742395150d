/**
 * The edits a planner can make, applied to a {@link PlanState}. Each returns a new state; the
 * caller records before/after of the grids that changed, which is also what undo replays.
 */
import { area, difference, feature, featureCollection } from '@turf/turf';
import type { Polygon } from 'geojson';
import { ConflictError, NotFoundError, RuleError } from '../domain/errors.ts';
import { boxesMeet, type Pt } from '../domain/geometry.ts';
import { fmt } from './edit-error.ts';
import { mergeFaces } from './merge.ts';
import { significantPieces } from './pieces.ts';
import { redrawFace } from './redraw.ts';
import { splitFace } from './split.ts';
import { PlanState, type GridAttrs } from './state.ts';
import { buildTopology, Topology, type Face } from './topology.ts';
import { deleteVertex, findEdge, findVertex, insertVertex, moveVertex } from './vertex-ops.ts';

/** How far (degrees, ≈ 10 cm) from `at` a vertex or edge may be and still be the one meant. */
const PICK_TOLERANCE = 1e-6;

/** Move, insert or delete the vertex at `at`. */
export type VertexEdit = { op: 'move' | 'insert' | 'delete'; at: Pt; to?: Pt; tolerance?: number };
/** Split grid `grid` by a line drawn across it; `codes` name the parts left and right of the line. */
export type SplitEdit = { grid: string; line: Pt[]; codes?: [string, string] };
/** Merge neighbouring grids into one, keeping `code` (default: the first grid's code). */
export type MergeEdit = { grids: string[]; code?: string };
/** New outline and/or attributes of one grid. */
export type GridUpdate = {
  grid: string; geometry?: Polygon; name?: string; inspector?: string | null; households?: number | null; community?: string; code?: string;
};

/** Any edit, tagged by kind (the kind is also the op recorded in the change log). */
export type PlanEdit =
  | { kind: 'vertex'; edit: VertexEdit }
  | { kind: 'split'; edit: SplitEdit }
  | { kind: 'merge'; edit: MergeEdit }
  | { kind: 'update'; edit: GridUpdate };

/** Applies one edit; throws a domain error when the plan can't take it. */
export function applyEdit(state: PlanState, e: PlanEdit): PlanState {
  switch (e.kind) {
    case 'vertex': return vertexEdit(state, e.edit);
    case 'split': return split(state, e.edit);
    case 'merge': return merge(state, e.edit);
    case 'update': return update(state, e.edit);
  }
}

function vertexEdit(state: PlanState, e: VertexEdit): PlanState {
  const tol = e.tolerance ?? PICK_TOLERANCE;
  const near = [...state.topologies.values()].filter((t) => boxesMeet(t.bbox(), [e.at[0], e.at[1], e.at[0], e.at[1]], tol));
  const changed = new Map<string, Topology>();
  if (e.op === 'insert') {
    if (near.some((t) => findVertex(t, e.at, tol) !== null)) {
      throw new RuleError('vertex_exists', `there is already a vertex at ${fmt(e.at)}`, { parameter: 'at', location: e.at });
    }
    // A community border edge belongs to the topologies on both sides; insert into each.
    for (const t of near) {
      const edge = findEdge(t, e.at, tol);
      if (edge) changed.set(t.community, insertVertex(t, edge.a, edge.b, edge.foot));
    }
    if (!changed.size) throw new RuleError('no_edge', `no grid edge passes within ${tol}° of ${fmt(e.at)}`, { parameter: 'at', location: e.at });
    return state.with({ topologies: changed });
  }
  if (e.op === 'move' && !e.to) throw new RuleError('missing_target', 'moving a vertex needs `to`', { parameter: 'to' });
  for (const t of near) {
    const v = findVertex(t, e.at, tol);
    if (v === null) continue;
    changed.set(t.community, e.op === 'move' ? moveVertex(t, v, e.to!).topo : deleteVertex(t, v));
  }
  if (!changed.size) throw new RuleError('no_vertex', `no grid vertex lies within ${tol}° of ${fmt(e.at)}`, { parameter: 'at', location: e.at });
  return state.with({ topologies: changed });
}

function split(state: PlanState, e: SplitEdit): PlanState {
  const a = gridAttrs(state, e.grid, 'grid');
  const codes = e.codes ?? [`${e.grid}-1`, `${e.grid}-2`];
  if (codes[0] === codes[1]) throw new RuleError('duplicate_code', `the two parts need different codes, both are ${codes[0]}`, { parameter: 'codes' });
  for (const c of codes) assertFreeCode(state, c, [e.grid], 'codes');
  const topo = splitFace(state.topology(a.community), e.grid, e.line, codes as [string, string]);
  const areas = codes.map((c) => area(topo.geometry(c)!));
  const share = areas[0] / (areas[0] + areas[1]);
  const attrs = new Map(state.attrs);
  attrs.delete(e.grid);
  const households = a.households === null ? [null, null] : [Math.round(a.households * share), a.households - Math.round(a.households * share)];
  codes.forEach((code, i) => attrs.set(code, { ...a, code, name: `${a.name}-${i + 1}`, households: households[i] }));
  return state.with({ topologies: new Map([[a.community, topo]]), attrs });
}

function merge(state: PlanState, e: MergeEdit): PlanState {
  const codes = [...new Set(e.grids)];
  if (codes.length < 2) throw new RuleError('merge_needs_two', 'name at least two different grids to merge', { parameter: 'grids' });
  const list = codes.map((c) => gridAttrs(state, c, 'grids'));
  const community = list[0].community;
  const stranger = list.find((g) => g.community !== community);
  if (stranger) {
    throw new RuleError('different_communities', `grid ${stranger.code} belongs to community ${stranger.community}, grid ${codes[0]} to ${community}; move one first`, { parameter: 'grids', grids: codes });
  }
  const into = e.code ?? codes[0];
  assertFreeCode(state, into, codes, 'code');
  const topo = mergeFaces(state.topology(community), codes, into);
  const attrs = new Map(state.attrs);
  for (const c of codes) attrs.delete(c);
  const households = list.every((g) => g.households === null) ? null : list.reduce((s, g) => s + (g.households ?? 0), 0);
  attrs.set(into, { ...list[0], code: into, households });
  return state.with({ topologies: new Map([[community, topo]]), attrs });
}

function update(state: PlanState, e: GridUpdate): PlanState {
  const a = gridAttrs(state, e.grid, 'code');
  const moving = e.community !== undefined && e.community !== a.community;
  if (e.geometry && moving) {
    throw new RuleError('one_change_at_a_time', 'redraw a grid and move it to another community in two separate edits', { parameter: 'community', grids: [e.grid] });
  }
  let next = state;
  if (e.geometry) {
    const topo = redrawFace(state.topology(a.community), e.grid, e.geometry, state.communities.get(a.community));
    next = next.with({ topologies: new Map([[a.community, topo]]) });
  }
  if (moving) next = moveToCommunity(next, e.grid, e.community!);
  const code = e.code ?? e.grid;
  if (code !== e.grid) {
    assertFreeCode(next, code, [e.grid], 'code');
    const community = next.attrs.get(e.grid)!.community;
    const topo = next.topology(community);
    const faces = new Map<string, Face>([...topo.faces].map(([c, f]) => [c === e.grid ? code : c, f]));
    next = next.with({ topologies: new Map([[community, new Topology(community, topo.points, faces)]]) });
  }
  const attrs = new Map(next.attrs);
  const current = attrs.get(e.grid)!;
  attrs.delete(e.grid);
  attrs.set(code, {
    ...current,
    code,
    name: e.name ?? current.name,
    inspector: e.inspector !== undefined ? e.inspector : current.inspector,
    households: e.households !== undefined ? e.households : current.households,
  });
  return next.with({ attrs });
}

/** Moves a grid to another community, which must contain it (up to boundary noise). */
function moveToCommunity(state: PlanState, code: string, community: string): PlanState {
  const region = state.communities.get(community);
  if (!region) throw new RuleError('unknown_community', `community ${community} is not a community of the plan's district`, { parameter: 'community', grids: [code] });
  const geometry = state.geometry(code)!;
  const outside = significantPieces(difference(featureCollection([feature(geometry), feature(region)]))?.geometry, 1);
  if (outside.length) {
    const km2 = outside.reduce((s, p) => s + p.areaKm2, 0);
    throw new RuleError('not_in_community', `grid ${code} does not lie in community ${community}: ${km2.toFixed(6)} km² of it is outside`, {
      parameter: 'community', grids: [code], location: outside[0].location,
    });
  }
  const from = state.attrs.get(code)!.community;
  const source = state.topology(from);
  const rest = new Map(source.faces);
  rest.delete(code);
  const target = state.topology(community);
  const inputs = [...target.faces.keys()].map((c) => ({ code: c, geometry: target.geometry(c)! }));
  const topologies = new Map([
    [from, source.with(source.points, rest)],
    [community, buildTopology(community, [...inputs, { code, geometry }])],
  ]);
  const attrs = new Map(state.attrs);
  attrs.set(code, { ...state.attrs.get(code)!, community });
  return state.with({ topologies, attrs });
}

function gridAttrs(state: PlanState, code: string, parameter: string): GridAttrs {
  const a = state.attrs.get(code);
  if (!a) throw new NotFoundError('grid_not_found', `grid ${code} is not in this plan`, { parameter, grids: [code] });
  return a;
}

/** A new code must be non-empty and not taken by a grid other than those being replaced. */
function assertFreeCode(state: PlanState, code: string, replacing: readonly string[], parameter: string): void {
  if (!code.trim()) throw new RuleError('empty_code', 'grid codes can not be empty', { parameter });
  if (state.attrs.has(code) && !replacing.includes(code)) {
    throw new ConflictError('duplicate_code', `grid code ${code} is already used in this plan`, { parameter, grids: [code] });
  }
}
