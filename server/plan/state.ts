/**
 * A grid plan in memory: each grid's attributes plus one {@link Topology} per community. Immutable;
 * edits return a new state, and {@link changedGrids} tells which grids differ between two states.
 */
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { buildTopology, Topology } from './topology.ts';

/** The non-geometric properties of a grid (README's *Properties* names). */
export type GridAttrs = { code: string; name: string; community: string; inspector: string | null; households: number | null };

/** A grid as GeoJSON: what the API returns, the change log stores and exports write. */
export type GridFeature = Feature<Polygon | MultiPolygon, GridAttrs>;

/** Community outlines from the regions table, for clipping redraws and validating coverage. */
export type CommunityShapes = ReadonlyMap<string, Polygon | MultiPolygon>;

/** One plan in memory: grid attributes by code and a topology per community. */
export class PlanState {
  private readonly geometries = new Map<string, Polygon | MultiPolygon>();

  constructor(
    readonly attrs: ReadonlyMap<string, GridAttrs>,
    readonly topologies: ReadonlyMap<string, Topology>,
    readonly communities: CommunityShapes,
  ) {}

  /** Builds the state from stored grids, noding each community's grids into a topology. */
  static build(grids: readonly GridFeature[], communities: CommunityShapes): PlanState {
    const attrs = new Map(grids.map((g) => [g.properties.code, { ...g.properties }]));
    const byCommunity = new Map<string, GridFeature[]>();
    for (const g of grids) byCommunity.set(g.properties.community, [...(byCommunity.get(g.properties.community) ?? []), g]);
    const topologies = new Map<string, Topology>();
    for (const [community, list] of byCommunity) {
      topologies.set(community, buildTopology(community, list.map((g) => ({ code: g.properties.code, geometry: g.geometry }))));
    }
    return new PlanState(attrs, topologies, communities);
  }

  /** Grid codes in a stable order. */
  codes(): string[] {
    return [...this.attrs.keys()].sort();
  }

  /** The grid's geometry as the topology draws it (memoised per state). */
  geometry(code: string): Polygon | MultiPolygon | undefined {
    let g = this.geometries.get(code);
    if (!g) {
      const a = this.attrs.get(code);
      g = a && this.topologies.get(a.community)?.geometry(code);
      if (g) this.geometries.set(code, g);
    }
    return g;
  }

  /** The grid as a GeoJSON feature, or undefined. */
  feature(code: string): GridFeature | undefined {
    const properties = this.attrs.get(code);
    const geometry = this.geometry(code);
    return properties && geometry ? { type: 'Feature', id: code, properties: { ...properties }, geometry } : undefined;
  }

  /** Every grid as a feature, by code. */
  features(): GridFeature[] {
    return this.codes().map((c) => this.feature(c)).filter((f): f is GridFeature => f !== undefined);
  }

  /** The topology of a community (empty when it has no grids yet). */
  topology(community: string): Topology {
    return this.topologies.get(community) ?? new Topology(community, [], new Map());
  }

  /**
   * A new state with some topologies and/or attributes replaced. Geometry memos carry over for
   * grids whose community topology is unchanged.
   */
  with(changes: { topologies?: ReadonlyMap<string, Topology>; attrs?: ReadonlyMap<string, GridAttrs> }): PlanState {
    const topologies = new Map(this.topologies);
    for (const [community, topo] of changes.topologies ?? []) {
      if (topo.faces.size) topologies.set(community, topo);
      else topologies.delete(community);
    }
    const next = new PlanState(changes.attrs ?? this.attrs, topologies, this.communities);
    for (const [code, g] of this.geometries) {
      const a = next.attrs.get(code);
      if (a && a.community === this.attrs.get(code)?.community && topologies.get(a.community) === this.topologies.get(a.community)) next.geometries.set(code, g);
    }
    return next;
  }
}

/**
 * A new state with the `remove` grids gone and the `add` grids (re)placed as given: the affected
 * communities are noded afresh. Undo and redo restore stored grids this way.
 */
export function replaceGrids(state: PlanState, remove: readonly string[], add: readonly GridFeature[]): PlanState {
  const attrs = new Map(state.attrs);
  const gone = new Set([...remove, ...add.map((f) => f.properties.code)]);
  const communities = new Set<string>();
  for (const code of gone) {
    const community = attrs.get(code)?.community;
    if (community) communities.add(community);
    attrs.delete(code);
  }
  for (const f of add) {
    attrs.set(f.properties.code, { ...f.properties });
    communities.add(f.properties.community);
  }
  const topologies = new Map<string, Topology>();
  for (const community of communities) {
    const old = state.topology(community);
    const kept = [...old.faces.keys()].filter((c) => !gone.has(c)).map((code) => ({ code, geometry: old.geometry(code)! }));
    const added = add.filter((f) => f.properties.community === community).map((f) => ({ code: f.properties.code, geometry: f.geometry }));
    topologies.set(community, buildTopology(community, [...kept, ...added]));
  }
  return state.with({ topologies, attrs });
}

/** Which grids were added, removed or changed (geometry or attributes) from `before` to `after`. */
export function changedGrids(before: PlanState, after: PlanState): { added: string[]; removed: string[]; changed: string[] } {
  const added = after.codes().filter((c) => !before.attrs.has(c));
  const removed = before.codes().filter((c) => !after.attrs.has(c));
  const changed = after.codes().filter((c) => {
    const a = before.attrs.get(c);
    const b = after.attrs.get(c)!;
    if (!a) return false;
    if (a.name !== b.name || a.community !== b.community || a.inspector !== b.inspector || a.households !== b.households) return true;
    if (before.topologies.get(a.community) === after.topologies.get(b.community)) return false;
    return JSON.stringify(before.geometry(c)?.coordinates) !== JSON.stringify(after.geometry(c)?.coordinates);
  });
  return { added, removed, changed };
}
