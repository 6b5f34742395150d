/**
 * Validation of imported GeoJSON geometries, with reasons a planner can act on.
 *
 * Call {@link validateGeometry} on the geometry as it arrives, in its declared CRS; when that CRS
 * is not WGS84/CGCS2000, convert it and call it again with `crs: WGS84` so the converted lon/lat
 * get the geographic checks too. Structure and topology are checked in either pass, since
 * crossings survive a continuous change of coordinates.
 */
import type { Position } from 'geojson';
import { makeToWgs84, type CrsSpec, type ProjectedBounds } from './crs.js';
import { findRingContact } from './self-intersection.js';

/** Machine-readable problem codes; `reason` carries the human-readable detail. */
export type GeometryProblemCode =
  | 'missing'
  | 'type_not_allowed'
  | 'bad_coordinates'
  | 'out_of_range'
  | 'lonlat_swapped'
  | 'ring_not_closed'
  | 'ring_too_short'
  | 'self_intersection'
  | 'empty';

/** One problem with a feature's geometry. */
export interface GeometryProblem {
  field: 'geometry';
  code: GeometryProblemCode;
  reason: string;
}

/** What the geometry must satisfy. */
export interface ValidateOptions {
  /** Geometry types accepted for this kind of record, e.g. `['Polygon', 'MultiPolygon']`. */
  allowed: readonly string[];
  /** The CRS the coordinates are in; decides which range checks apply. */
  crs: CrsSpec;
  /** Plausible lon/lat box [minLon, minLat, maxLon, maxLat]; defaults to {@link CHINA_LONLAT_BOX}. */
  plausible?: [number, number, number, number];
}

/** Where data for a Chinese city can plausibly lie (mainland, islands and border areas). */
export const CHINA_LONLAT_BOX: [number, number, number, number] = [73, 3, 136, 54];

/** Nesting depth of `coordinates` below the position level. */
const DEPTH: Record<string, number> = {
  Point: 0,
  MultiPoint: 1,
  LineString: 1,
  MultiLineString: 2,
  Polygon: 2,
  MultiPolygon: 3,
};

/** Collects at most one problem per code and counts the rest, so a 10k-vertex ring yields one line. */
class Problems {
  private readonly byCode = new Map<GeometryProblemCode, { reason: string; more: number }>();
  add(code: GeometryProblemCode, reason: string): void {
    const seen = this.byCode.get(code);
    if (seen) seen.more++;
    else this.byCode.set(code, { reason, more: 0 });
  }
  has(code: GeometryProblemCode): boolean {
    return this.byCode.has(code);
  }
  list(): GeometryProblem[] {
    return [...this.byCode].map(([code, { reason, more }]) => ({
      field: 'geometry' as const,
      code,
      reason: more ? `${reason} (and ${more} more)` : reason,
    }));
  }
}

const fmtDeg = (v: number) => (Math.abs(v) < 1e4 ? Number(v.toFixed(6)) : v).toString();
const fmtPos = (p: Position) => `[${fmtDeg(p[0]!)}, ${fmtDeg(p[1]!)}]`;

/**
 * Validates a GeoJSON geometry: presence, type, coordinate structure, plausible range for its
 * CRS, ring closure and length, and self-intersection of polygons. Returns [] when valid.
 * GeometryCollections are not supported and reported as `type_not_allowed`.
 */
export function validateGeometry(geom: unknown, opts: ValidateOptions): GeometryProblem[] {
  const problems = new Problems();
  if (geom === undefined || geom === null) {
    problems.add('missing', 'the feature has no geometry');
    return problems.list();
  }
  const allowed = opts.allowed.join(', ');
  if (typeof geom !== 'object' || Array.isArray(geom)) {
    problems.add('type_not_allowed', `geometry must be a GeoJSON geometry object; allowed: ${allowed}`);
    return problems.list();
  }
  const { type, coordinates } = geom as { type?: unknown; coordinates?: unknown };
  if (typeof type !== 'string' || !Object.hasOwn(DEPTH, type)) {
    problems.add('type_not_allowed', `geometry type ${JSON.stringify(type ?? null)} is not supported; allowed: ${allowed}`);
    return problems.list();
  }
  if (!opts.allowed.includes(type)) {
    problems.add('type_not_allowed', `geometry type ${type} is not allowed here; allowed: ${allowed}`);
    return problems.list();
  }
  const positions: Position[] = [];
  if (!checkStructure(coordinates, DEPTH[type], 'coordinates', type, problems, positions)) return problems.list();
  if (positions.length === 0) {
    problems.add('empty', `the ${type} has no coordinates`);
    return problems.list();
  }
  if (opts.crs.kind === 'projected') checkProjectedPositions(positions, opts.crs, problems);
  else checkLonLatPositions(positions, opts.plausible ?? CHINA_LONLAT_BOX, problems);
  const inRange = !problems.has('out_of_range') && !problems.has('lonlat_swapped');
  if (type === 'Polygon') checkPolygon(coordinates as Position[][], '', opts.crs, inRange, problems);
  if (type === 'MultiPolygon') {
    (coordinates as Position[][][]).forEach((poly, i) => checkPolygon(poly, `part ${i} `, opts.crs, inRange, problems));
  }
  return problems.list();
}

/**
 * Walks `value` expecting `depth` levels of arrays above positions; collects positions and
 * reports wrong nesting, non-numbers and non-finite numbers. Returns false when malformed.
 */
function checkStructure(
  value: unknown,
  depth: number,
  path: string,
  type: string,
  problems: Problems,
  out: Position[],
): boolean {
  if (!Array.isArray(value)) {
    problems.add('bad_coordinates', `${path} must be an array`);
    return false;
  }
  if (depth === 0) {
    if (value.length === 0 && type === 'Point') return true;
    const ok = value.length >= 2 && value.length <= 4 && value.every((v) => typeof v === 'number' && Number.isFinite(v));
    if (!ok) {
      problems.add('bad_coordinates', `${path} must be a position [x, y] of finite numbers, got ${JSON.stringify(value).slice(0, 80)}`);
      return false;
    }
    out.push(value as Position);
    return true;
  }
  let ok = true;
  value.forEach((child, i) => {
    ok = checkStructure(child, depth - 1, `${path}[${i}]`, type, problems, out) && ok;
  });
  if (!ok) return false;
  if (depth === 1 && (type === 'LineString' || type === 'MultiLineString') && value.length === 1) {
    problems.add('bad_coordinates', `${path} has a single position; a line needs at least 2`);
    return false;
  }
  // Empty rings and polygons are reported by checkPolygon with ring names; only lines are left.
  if (depth === 1 && type === 'MultiLineString' && value.length === 0) {
    problems.add('empty', `${path} of the MultiLineString is empty`);
  }
  return true;
}

/**
 * Geographic checks on lon/lat positions: valid range, then plausibility for China. When every
 * position only makes sense with the axes exchanged, that is reported instead, once.
 */
function checkLonLatPositions(positions: Position[], box: [number, number, number, number], problems: Problems): void {
  const [minLon, minLat, maxLon, maxLat] = box;
  let invalid: Position | undefined;
  let outside: Position | undefined;
  let bad = 0;
  let swappedFit = 0;
  let metreLike = 0;
  for (const p of positions) {
    const lon = p[0]!;
    const lat = p[1]!;
    const valid = lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90;
    const inBox = valid && lon >= minLon && lon <= maxLon && lat >= minLat && lat <= maxLat;
    if (!valid) invalid ??= p;
    else if (!inBox) outside ??= p;
    if (!inBox) bad++;
    if (lat >= minLon && lat <= maxLon && lon >= minLat && lon <= maxLat) swappedFit++;
    if (Math.abs(lon) > 1000 && Math.abs(lat) > 1000) metreLike++;
  }
  if (bad === 0) return;
  const n = positions.length;
  if (bad === n && swappedFit === n) {
    problems.add('lonlat_swapped', `longitude and latitude appear swapped: ${fmtPos(positions[0]!)} is plausible only as [latitude, longitude]`);
    return;
  }
  const share = bad === 1 ? '' : ` (${bad} of ${n} positions)`;
  if (invalid) {
    const hint = metreLike === n ? '; these look like projected metres, so declare the CRS (e.g. EPSG:4522 for CGCS2000 3-degree GK zone 34)' : '';
    problems.add('out_of_range', `position ${fmtPos(invalid)} is outside longitude −180…180 / latitude −90…90${share}${hint}`);
  } else {
    problems.add('out_of_range', `position ${fmtPos(outside!)} lies outside China (longitude ${minLon}–${maxLon}°E, latitude ${minLat}–${maxLat}°N)${share}`);
  }
}

/**
 * Plausible-magnitude checks for projected coordinates before conversion, using the bounds of
 * the CRS (for Gauss–Krüger: the zone's easting range, and northings 0–10,000 km).
 */
function checkProjectedPositions(positions: Position[], crs: Extract<CrsSpec, { kind: 'projected' }>, problems: Problems): void {
  const [minE, minN, maxE, maxN] = crs.bounds;
  let first: Position | undefined;
  let bad = 0;
  let swappedFit = 0;
  for (const p of positions) {
    const e = p[0]!;
    const n = p[1]!;
    if (!(e >= minE && e <= maxE && n >= minN && n <= maxN)) {
      first ??= p;
      bad++;
    }
    if (n >= minE && n <= maxE && e >= minN && e <= maxN) swappedFit++;
  }
  if (bad === 0) return;
  const count = positions.length;
  if (bad === count && swappedFit === count) {
    problems.add(
      'lonlat_swapped',
      `easting and northing appear swapped: ${fmtPos(first!)} fits ${crs.label} only as [northing, easting] (survey tables list X = northing first)`,
    );
    return;
  }
  const share = bad === 1 ? '' : ` (${bad} of ${count} positions)`;
  problems.add('out_of_range', `position ${fmtPos(first!)} is outside the plausible range of ${crs.label}: easting ${minE}–${maxE}, northing ${minN}–${maxN}${share}${zoneHint(first![0]!, crs.bounds)}`);
}

/** Gauss–Krüger eastings with and without the zone prefix are the commonest mix-up. */
function zoneHint(easting: number, bounds: ProjectedBounds): string {
  const prefixed = bounds[0] >= 1e6;
  if (prefixed && easting >= 0 && easting < 1e6) {
    return `; the easting has no zone prefix, so use the matching "CM" (central meridian) CRS instead of a zone CRS`;
  }
  if (!prefixed && easting >= 13e6 && easting < 46e6) {
    return `; the easting starts with zone number ${Math.floor(easting / 1e6)}, so use that zone's CRS`;
  }
  return '';
}

/** Ring length/closure per ring, then crossings of the whole polygon when its rings are sound. */
function checkPolygon(rings: Position[][], label: string, crs: CrsSpec, inRange: boolean, problems: Problems): void {
  if (rings.length === 0) {
    problems.add('empty', `${label}polygon has no rings`.trim());
    return;
  }
  let sound = true;
  rings.forEach((ring, i) => {
    const name = `${label}${i === 0 ? 'outer ring' : `hole ${i}`}`;
    const distinct = new Set(ring.map((p) => `${p[0]},${p[1]}`)).size;
    if (ring.length < 4 || distinct < 3) {
      const detail = ring.length < 4 ? `${ring.length} positions` : `only ${distinct} distinct positions`;
      problems.add('ring_too_short', `${name} has ${detail}; a ring needs at least 4 positions (3 distinct, first repeated last)`);
      sound = false;
      return;
    }
    const a = ring[0]!;
    const b = ring[ring.length - 1]!;
    if (a[0] !== b[0] || a[1] !== b[1]) {
      problems.add('ring_not_closed', `${name} is not closed: it starts at ${fmtPos(a)} but ends at ${fmtPos(b)}`);
      sound = false;
    }
  });
  // Crossings of garbage coordinates are noise; the range problem is the one to fix first.
  if (!sound || !inRange) return;
  const contact = findRingContact(rings);
  if (!contact) return;
  const where = describeLocation(contact.x, contact.y, crs);
  const what =
    contact.ringA === contact.ringB
      ? `${label}${contact.ringA === 0 ? 'outer ring' : `hole ${contact.ringA}`} ${contact.kind === 'touch' ? 'touches' : contact.kind === 'overlap' ? 'runs back over' : 'crosses'} itself`
      : `${label}rings ${contact.ringA} and ${contact.ringB} ${contact.kind === 'overlap' ? 'share a stretch of boundary' : 'cross'}`;
  problems.add('self_intersection', `${what} near ${where}`);
}

/** The location as lon/lat; projected input also gets its own coordinates for finding it there. */
function describeLocation(x: number, y: number, crs: CrsSpec): string {
  if (crs.kind !== 'projected') return `lon ${x.toFixed(6)}, lat ${y.toFixed(6)}`;
  const [lon, lat] = makeToWgs84(crs)(x, y);
  return `lon ${lon.toFixed(6)}, lat ${lat.toFixed(6)} (x ${x.toFixed(1)}, y ${y.toFixed(1)})`;
}
