/**
 * The grids of one community as a planar subdivision with shared vertices.
 *
 * Every ring is a list of ids into one vertex table, and neighbouring grids list the very same
 * ids along their common boundary (in opposite directions). So moving a vertex moves it in every
 * grid at once, and inserting one on an edge inserts it on both sides: the tiling cannot open a
 * gap or an overlap by construction. Arcs (maximal chains between junctions) and nodes are derived
 * from the rings on demand rather than stored, so there is one source of truth to keep consistent.
 *
 * Topologies are immutable: every edit returns a new one, which makes undo and "what changed"
 * comparisons trivial.
 */
import type { MultiPolygon, Polygon, Position } from 'geojson';
import { boxOf, signedArea2, type Pt } from '../domain/geometry.ts';
import { nodeRings } from './noding.ts';

/** Vertex ids around a ring, not repeated at the end. */
export type Ring = readonly number[];
/** Shell first (counter-clockwise), then holes (clockwise): the face is always left of its edges. */
export type FacePolygon = readonly Ring[];
/** A grid's polygons; more than one means a multipart grid (a validation error, but loadable). */
export type Face = readonly FacePolygon[];

/** One community's grids over a shared vertex table. */
export class Topology {
  private box?: [number, number, number, number];

  constructor(
    readonly community: string,
    readonly points: readonly Pt[],
    readonly faces: ReadonlyMap<string, Face>,
  ) {}

  /** Positions of a ring. */
  coords(ring: Ring): Pt[] {
    return ring.map((v) => this.points[v]);
  }

  /** The grid as GeoJSON (closed rings, RFC 7946 orientation), or undefined for an unknown code. */
  geometry(code: string): Polygon | MultiPolygon | undefined {
    const face = this.faces.get(code);
    if (!face) return undefined;
    const polys = face.map((poly) => poly.map((ring) => closed(this.coords(ring))));
    return polys.length === 1 ? { type: 'Polygon', coordinates: polys[0] } : { type: 'MultiPolygon', coordinates: polys };
  }

  /** Bounding box of every vertex used by a face. */
  bbox(): [number, number, number, number] {
    this.box ??= boxOf(this.usedVertices().map((v) => this.points[v]));
    return this.box;
  }

  /** Ids of vertices that some ring uses. */
  usedVertices(): number[] {
    const used = new Set<number>();
    for (const face of this.faces.values()) for (const poly of face) for (const ring of poly) for (const v of ring) used.add(v);
    return [...used];
  }

  /** How many rings use each undirected edge: 2 inside the community, 1 on its outline. */
  edgeUse(): Map<number, number> {
    const use = new Map<number, number>();
    for (const face of this.faces.values()) {
      for (const poly of face) {
        for (const ring of poly) {
          for (let i = 0; i < ring.length; i++) {
            const key = edgeKey(ring[i], ring[(i + 1) % ring.length]);
            use.set(key, (use.get(key) ?? 0) + 1);
          }
        }
      }
    }
    return use;
  }

  /** Distinct neighbours of each vertex along ring edges. */
  adjacency(): Map<number, Set<number>> {
    const adj = new Map<number, Set<number>>();
    const link = (a: number, b: number) => {
      let s = adj.get(a);
      if (!s) adj.set(a, (s = new Set()));
      s.add(b);
    };
    forEachEdge(this, (a, b) => {
      link(a, b);
      link(b, a);
    });
    return adj;
  }

  /** A copy with other vertices and/or faces; unused vertices are dropped and ids renumbered. */
  with(points: readonly Pt[], faces: ReadonlyMap<string, Face>): Topology {
    return compact(new Topology(this.community, points, faces));
  }
}

/** Calls `visit` for every directed ring edge a→b, with its grid. */
export function forEachEdge(topo: Topology, visit: (a: number, b: number, code: string) => void): void {
  for (const [code, face] of topo.faces) {
    for (const poly of face) for (const ring of poly) for (let i = 0; i < ring.length; i++) visit(ring[i], ring[(i + 1) % ring.length], code);
  }
}

/** Vertex ids of one community stay far below this, so two ids pack into one exact number. */
const ID_SPAN = 2 ** 26;

/** Key of the undirected edge a–b. */
export function edgeKey(a: number, b: number): number {
  return a < b ? a * ID_SPAN + b : b * ID_SPAN + a;
}

/** The two vertex ids of an {@link edgeKey}. */
export function edgeEnds(key: number): [number, number] {
  const a = Math.floor(key / ID_SPAN);
  return [a, key - a * ID_SPAN];
}

/** Key of the directed edge a→b. */
export function directedKey(a: number, b: number): number {
  return a * ID_SPAN + b;
}

/** One grid's input geometry. */
export type FaceInput = { code: string; geometry: Polygon | MultiPolygon };

/**
 * Builds the topology of one community's grids: snaps vertices closer than SNAP into one, inserts
 * a vertex into every edge that another grid's vertex lies on (T-junctions), and orients rings.
 */
export function buildTopology(community: string, items: readonly FaceInput[]): Topology {
  const inputs = items.map((it) => ({
    code: it.code,
    polygons: (it.geometry.type === 'Polygon' ? [it.geometry.coordinates] : it.geometry.coordinates) as Position[][][],
  }));
  const { points, rings } = nodeRings(inputs.flatMap((it) => it.polygons.flat()));
  const faces = new Map<string, Face>();
  let k = 0;
  for (const it of inputs) {
    const polys: FacePolygon[] = [];
    for (const poly of it.polygons) {
      const cleaned = poly.map(() => cleanRing(rings[k++]));
      const [shell, ...holes] = cleaned;
      if (!shell) continue;
      polys.push([orientRing(shell, points, true), ...holes.filter((h) => h !== null).map((h) => orientRing(h, points, false))]);
    }
    if (polys.length) faces.set(it.code, polys);
  }
  return compact(new Topology(community, points, faces));
}

/** Makes a ring counter-clockwise (shell) or clockwise (hole). */
function orientRing(ring: Ring, points: readonly Pt[], ccw: boolean): Ring {
  const a = signedArea2(ring.map((v) => points[v]));
  return a > 0 === ccw ? ring : [...ring].reverse();
}

/**
 * Drops repeated vertices and spikes (…a, b, a…) that snapping can leave; null when fewer than
 * three vertices remain, since such a ring encloses nothing.
 */
function cleanRing(ring: readonly number[]): number[] | null {
  const out: number[] = [];
  for (const v of ring) {
    if (out.length && out[out.length - 1] === v) continue;
    if (out.length >= 2 && out[out.length - 2] === v) {
      out.pop();
      continue;
    }
    out.push(v);
  }
  // The same two rules across the seam where the ring closes.
  for (let changed = true; changed && out.length >= 3; ) {
    changed = false;
    if (out[0] === out[out.length - 1]) (out.pop(), (changed = true));
    else if (out[1] === out[out.length - 1]) (out.splice(0, 1), out.pop(), (changed = true));
    else if (out[0] === out[out.length - 2]) (out.splice(out.length - 2, 2), (changed = true));
  }
  return out.length >= 3 ? out : null;
}

/** Renumbers vertices so that only used ones remain (order of first use). */
function compact(topo: Topology): Topology {
  const map = new Map<number, number>();
  const points: Pt[] = [];
  const remap = (v: number) => {
    let id = map.get(v);
    if (id === undefined) {
      id = points.length;
      map.set(v, id);
      points.push(topo.points[v]);
    }
    return id;
  };
  const faces = new Map<string, Face>();
  for (const [code, face] of topo.faces) faces.set(code, face.map((poly) => poly.map((ring) => ring.map(remap))));
  return new Topology(topo.community, points, faces);
}

function closed(ring: Pt[]): Position[] {
  const out = ring.map((p) => [p[0], p[1]]);
  if (out.length) out.push([ring[0][0], ring[0][1]]);
  return out;
}
