import type { Geometry } from 'geojson';
import { transformGeometry } from '../domain/map-geometry.ts';
import { makeToWgs84, WGS84, type CrsSpec } from '../spatial/crs.ts';
import { repairGeometry, type RepairFix } from '../spatial/repair.ts';
import { countPositions, validateGeometry, vertexLimitProblem } from '../spatial/validate.ts';

/** How one kind's geometries are checked; plain data, so it can be posted to a worker thread. */
export type GeometryStepOptions = {
  /** Geometry types accepted, or null when the kind carries no geometry. */
  allowed: readonly string[] | null;
  crs: CrsSpec;
  /** Most positions per feature (CIVGRID_MAX_VERTICES). */
  maxVertices?: number;
  /** Repair what can be repaired without moving a vertex (see server/spatial/repair.ts) before validating. */
  repair?: boolean;
};

/** One problem of a feature's geometry, as the import report lists it. */
export type GeometryStepProblem = { field: string; code: string; reason: string };

/**
 * What the step made of one raw geometry: the lon/lat geometry (null for kinds without geometry,
 * undefined when it has problems), its problems and the repairs made.
 */
export type GeometryOutcome = { geometry: Geometry | null | undefined; problems: GeometryStepProblem[]; fixes: RepairFix[] };

/**
 * Validates a raw geometry in its declared CRS (repairing it first when asked), converts it to
 * lon/lat, and validates the result. The geometry returned carries only `type` and `coordinates`:
 * a checked `bbox` would be stale after conversion and is recomputed on storage anyway.
 */
export function prepareGeometry(raw: unknown, opts: GeometryStepOptions): GeometryOutcome {
  if (opts.allowed === null) return { geometry: null, problems: [], fixes: [] };
  const allowed = [...opts.allowed];
  const tooMany = tooManyVertices(raw, opts.maxVertices);
  if (tooMany) return { geometry: undefined, problems: [tooMany], fixes: [] };
  const repaired = opts.repair ? repairGeometry(raw) : { geometry: raw, fixes: [] };
  const before = validateGeometry(repaired.geometry, { allowed, crs: opts.crs, maxVertices: opts.maxVertices });
  if (before.length) return { geometry: undefined, problems: before, fixes: repaired.fixes };
  const { type, coordinates } = repaired.geometry as Geometry & { coordinates: unknown };
  const clean = { type, coordinates } as Geometry;
  if (opts.crs.kind === 'geographic') return { geometry: clean, problems: [], fixes: repaired.fixes };
  const converted = transformGeometry(clean, toWgs84For(opts.crs));
  const after = validateGeometry(converted, { allowed, crs: WGS84 });
  if (after.length) {
    const problems = after.map((p) => ({ ...p, reason: `after conversion from ${opts.crs.label}: ${p.reason}` }));
    return { geometry: undefined, problems, fixes: repaired.fixes };
  }
  return { geometry: converted, problems: [], fixes: repaired.fixes };
}

/**
 * The vertex limit on its own, cheap enough for the main thread: an oversized feature is refused
 * before it is copied to a worker or walked by any check.
 */
export function tooManyVertices(raw: unknown, max: number | undefined): GeometryStepProblem | null {
  if (max === undefined || raw === null || typeof raw !== 'object') return null;
  const { type, coordinates } = raw as { type?: unknown; coordinates?: unknown };
  return vertexLimitProblem(countPositions(coordinates), String(type), max);
}

const converters = new Map<string, ReturnType<typeof makeToWgs84>>();
function toWgs84For(crs: CrsSpec) {
  // Keyed by definition, not object: specs posted to a worker arrive as fresh copies per batch.
  const key = crs.kind === 'projected' ? crs.proj4 : crs.kind;
  let fn = converters.get(key);
  if (!fn) converters.set(key, (fn = makeToWgs84(crs)));
  return fn;
}
