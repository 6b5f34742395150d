/**
 * 不重不漏 checks of a plan: everything that blocks publishing (errors) and what a planner should
 * look at (warnings). Each finding carries the grids involved, a box to zoom to and a point to
 * mark, so the UI can list it with a "show me" button.
 */
import { area, difference, feature, featureCollection, intersect } from '@turf/turf';
import type { MultiPolygon, Polygon } from 'geojson';
import { bboxOf, boxesMeet, crossing, insideRings, project, SNAP, type Bbox, type Pt } from '../domain/geometry.ts';
import { representativePoint } from '../spatial/measure.ts';
import { findRingContact } from '../spatial/self-intersection.ts';
import { outlineOf } from './merge.ts';
import { significantPieces, type Piece } from './pieces.ts';
import type { PlanState } from './state.ts';
import type { Topology } from './topology.ts';

type Area = Polygon | MultiPolygon;

/** What kind of problem a finding is. */
export type FindingCode =
  | 'overlap' | 'gap' | 'self_intersection' | 'multipart' | 'sliver' | 'outside_community'
  | 'unknown_community' | 'duplicate_code' | 'empty_code' | 'no_inspector' | 'neighbour_overlap';

/** One problem, with what to highlight and where to zoom. */
export type Finding = { code: FindingCode; message: string; grids: string[]; bbox: Bbox; location: [number, number]; areaKm2?: number };

/** Thresholds of the checks (query parameters of GET /validate). */
export type ValidationOptions = {
  /** Grids smaller than this are slivers (default 0.001 km² = 1,000 m²). */
  minAreaKm2: number;
  /** Gaps, overlaps and overhangs thinner than this on average are boundary noise (default 1 m). */
  toleranceM: number;
};

/** The thresholds publishing is checked with. */
export const DEFAULT_VALIDATION: ValidationOptions = { minAreaKm2: 0.001, toleranceM: 1 };

/**
 * What publishing checks: the whole plan at the default thresholds; errors refuse it. A grid import
 * into the published plan must pass the same, so the published plan never holds what publishing
 * would refuse.
 */
export function publishFindings(state: PlanState): { errors: Finding[]; warnings: Finding[] } {
  return validatePlan(state, DEFAULT_VALIDATION);
}

/** Validates the whole plan. */
export function validatePlan(state: PlanState, opts: ValidationOptions = DEFAULT_VALIDATION): { errors: Finding[]; warnings: Finding[] } {
  const errors: Finding[] = [];
  const warnings: Finding[] = [];
  errors.push(...codeFindings(state));
  for (const code of state.codes()) {
    const g = state.geometry(code);
    if (!g) continue;
    const a = state.attrs.get(code)!;
    const at = { grids: [code], bbox: bboxOf(g), location: representativePoint(g) };
    const parts = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
    if (parts.length > 1) errors.push({ code: 'multipart', message: `grid ${code} consists of ${parts.length} separate parts`, ...at });
    for (const rings of parts) {
      const contact = findRingContact(rings);
      if (contact) errors.push({ code: 'self_intersection', message: `the boundary of grid ${code} crosses itself`, ...at, location: [contact.x, contact.y] });
    }
    const km2 = area(g) / 1e6;
    if (km2 < opts.minAreaKm2) errors.push({ code: 'sliver', message: `grid ${code} covers only ${Math.round(km2 * 1e6)} m² (minimum ${opts.minAreaKm2 * 1e6} m²)`, ...at, areaKm2: km2 });
    if (state.communities.size && !state.communities.has(a.community)) {
      errors.push({ code: 'unknown_community', message: `grid ${code} names community ${a.community}, which is not a community of the plan's district`, ...at });
    }
    if (!a.inspector?.trim()) warnings.push({ code: 'no_inspector', message: `grid ${code} has no inspector (网格员)`, ...at });
  }
  for (const topo of state.topologies.values()) errors.push(...coverageFindings(topo, state.communities.get(topo.community), opts.toleranceM));
  for (const [community, shape] of state.communities) {
    if (state.topologies.has(community)) continue;
    errors.push({ code: 'gap', message: `community ${community} has no grid at all`, grids: [], bbox: bboxOf(shape), location: representativePoint(shape), areaKm2: area(shape) / 1e6 });
  }
  errors.push(...overlapFindings(state, opts.toleranceM));
  return { errors, warnings };
}

/** Empty codes, and codes that differ only in case, width or surrounding spaces (they'd collide downstream). */
function codeFindings(state: PlanState): Finding[] {
  const out: Finding[] = [];
  const seen = new Map<string, string[]>();
  for (const code of state.codes()) {
    const g = state.geometry(code);
    if (!g) continue;
    const key = code.normalize('NFKC').trim().toLowerCase();
    if (!key) out.push({ code: 'empty_code', message: 'a grid has an empty code', grids: [code], bbox: bboxOf(g), location: representativePoint(g) });
    else seen.set(key, [...(seen.get(key) ?? []), code]);
  }
  for (const codes of seen.values()) {
    if (codes.length < 2) continue;
    const g = state.geometry(codes[0])!;
    out.push({ code: 'duplicate_code', message: `grid codes ${codes.map((c) => JSON.stringify(c)).join(', ')} are the same code`, grids: codes, bbox: bboxOf(g), location: representativePoint(g) });
  }
  return out;
}

/**
 * Overlay results keyed by the (immutable) objects they came from: after an edit only the changed
 * community and the changed grids are overlaid again, which keeps re-validation fast.
 */
const coverageCache = new WeakMap<Topology, WeakMap<object, { gaps: Area | null; spill: Area | null }>>();
const overlapCache = new WeakMap<Area, WeakMap<Area, Area | null>>();
const NO_REGION = {};

/**
 * Gaps inside a community and land outside it, from the outline the topology already knows
 * (dissolving faces needs no overlay), compared with the community polygon by one overlay each way.
 */
function coverageFindings(topo: Topology, region: Area | undefined, toleranceM: number): Finding[] {
  const { gaps, spill } = coverage(topo, region);
  const out: Finding[] = [];
  for (const gap of significantPieces(gaps, toleranceM)) {
    out.push({ ...locate(gap), code: 'gap', grids: gridsNear(topo, gap), message: `${m2(gap)} m² of community ${topo.community} belong to no grid` });
  }
  for (const piece of significantPieces(spill, toleranceM)) {
    const grids = [...topo.faces.keys()].filter((c) => insideRings(piece.location, ringsOf(topo, c)));
    out.push({ ...locate(piece), code: 'outside_community', grids: grids.length ? grids : gridsNear(topo, piece), message: `${m2(piece)} m² of grid ${grids.join(', ') || 'land'} lie outside community ${topo.community}` });
  }
  return out;
}

function coverage(topo: Topology, region: Area | undefined): { gaps: Area | null; spill: Area | null } {
  let byRegion = coverageCache.get(topo);
  if (!byRegion) coverageCache.set(topo, (byRegion = new WeakMap()));
  const cached = byRegion.get(region ?? NO_REGION);
  if (cached) return cached;
  const polys = outlineOf(topo).map((poly) => poly.map((ring) => closed(topo.coords(ring))));
  const outline: Area = polys.length === 1 ? { type: 'Polygon', coordinates: polys[0] } : { type: 'MultiPolygon', coordinates: polys };
  const result = polys.length === 0
    ? { gaps: null, spill: null }
    : region
      ? {
        gaps: difference(featureCollection([feature(region), feature(outline)]))?.geometry ?? null,
        spill: difference(featureCollection([feature(outline), feature(region)]))?.geometry ?? null,
      }
      // Without a community polygon, only holes enclosed by the grids are known gaps.
      : { gaps: { type: 'MultiPolygon', coordinates: polys.flatMap((p) => p.slice(1).map((h) => [[...h].reverse()])) } as Area, spill: null };
  byRegion.set(region ?? NO_REGION, result);
  return result;
}

/**
 * Overlapping grids anywhere in the plan. Pairs whose boxes meet are screened with exact planar
 * tests first (edges crossing, a vertex or interior point strictly inside the other); only
 * suspicious pairs pay for a polygon intersection.
 */
function overlapFindings(state: PlanState, toleranceM: number): Finding[] {
  const codes = state.codes().filter((c) => state.geometry(c));
  const boxes = codes.map((c) => bboxOf(state.geometry(c)!));
  const order = codes.map((_, i) => i).sort((a, b) => boxes[a][0] - boxes[b][0]);
  const out: Finding[] = [];
  for (let x = 0; x < order.length; x++) {
    const i = order[x];
    for (let y = x + 1; y < order.length && boxes[order[y]][0] <= boxes[i][2] + SNAP; y++) {
      const j = order[y];
      if (!boxesMeet(boxes[i], boxes[j])) continue;
      const [a, b] = [state.geometry(codes[i])!, state.geometry(codes[j])!];
      const pieces = significantPieces(overlap(a, b), toleranceM);
      if (!pieces.length) continue;
      const km2 = pieces.reduce((s, p) => s + p.areaKm2, 0);
      out.push({ ...locate(pieces[0]), areaKm2: km2, code: 'overlap', grids: [codes[i], codes[j]], message: `grids ${codes[i]} and ${codes[j]} overlap by ${Math.round(km2 * 1e6)} m²` });
    }
  }
  return out;
}

/** Where two grids overlap (null: nowhere), screened and cached like the plan's own pairs. */
export function overlap(a: Area, b: Area): Area | null {
  let inner = overlapCache.get(a);
  if (!inner) overlapCache.set(a, (inner = new WeakMap()));
  if (!inner.has(b)) inner.set(b, suspicious(a, b) ? (intersect(featureCollection([feature(a), feature(b)]))?.geometry ?? null) : null);
  return inner.get(b)!;
}

function suspicious(a: Area, b: Area): boolean {
  const ra = rings(a);
  const rb = rings(b);
  for (const r of ra) for (const s of rb) for (let i = 0; i < r.length; i++) for (let k = 0; k < s.length; k++) {
    if (crossing(r[i], r[(i + 1) % r.length], s[k], s[(k + 1) % s.length])) return true;
  }
  const strictlyIn = (p: Pt, rs: Pt[][]) => insideRings(p, rs) && rs.every((s) => s.every((q, k) => project(p, q, s[(k + 1) % s.length]).dist > SNAP));
  // Vertices and edge midpoints: boundaries that overlap along a stretch have no crossing, but the
  // edge that leaves the other's boundary runs through its inside.
  const probes = (rs: Pt[][]) => rs.flatMap((r) => r.flatMap((p, k): Pt[] => [p, [(p[0] + r[(k + 1) % r.length][0]) / 2, (p[1] + r[(k + 1) % r.length][1]) / 2]]));
  if (probes(ra).some((p) => strictlyIn(p, rb)) || probes(rb).some((p) => strictlyIn(p, ra))) return true;
  // Identical or nested-on-the-boundary shapes have no crossing and no strictly inner vertex.
  return strictlyIn(representativePoint(a), rb) || strictlyIn(representativePoint(b), ra);
}

function rings(g: Area): Pt[][] {
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  return polys.flat().map((r) => r.slice(0, -1) as unknown as Pt[]);
}

function ringsOf(topo: Topology, code: string): Pt[][] {
  return topo.faces.get(code)!.flat().map((r) => topo.coords(r));
}

function gridsNear(topo: Topology, piece: Piece): string[] {
  return [...topo.faces.keys()].filter((c) => boxesMeet(bboxOf(topo.geometry(c)!), piece.bbox, 1e-6));
}

function locate(p: Piece): Pick<Finding, 'bbox' | 'location' | 'areaKm2'> {
  return { bbox: p.bbox, location: p.location, areaKm2: p.areaKm2 };
}

const m2 = (p: Piece) => Math.round(p.areaKm2 * 1e6);

function closed(ring: Pt[]): number[][] {
  return [...ring, ring[0]].map((p) => [p[0], p[1]]);
}
