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
import { findNestingProblem } from './ring-nesting.ts';
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
  | 'hole_outside_shell'
  | 'holes_overlap'
  | 'parts_overlap'
  | 'too_many_vertices'
  | 'bad_bbox'
  | 'crs_on_geometry'
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
  /** Most positions one geometry may have; more is `too_many_vertices`. Default: no limit. */
  maxVertices?: number;
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
  // Checked before any topology work: a million-vertex outline must not cost seconds to refuse.
  const tooMany = vertexLimitProblem(positions.length, type, opts.maxVertices);
  if (tooMany) return [tooMany];
  checkMembers(geom as Record<string, unknown>, positions, problems);
  if (opts.crs.kind === 'projected') checkProjectedPositions(positions, opts.crs, problems);
  else checkLonLatPositions(positions, opts.plausible ?? CHINA_LONLAT_BOX, problems);
  const inRange = !problems.has('out_of_range') && !problems.has('lonlat_swapped');
  if (type === 'Polygon') checkPolygons([coordinates as Position[][]], false, opts.crs, inRange, problems);
  if (type === 'MultiPolygon') checkPolygons(coordinates as Position[][][], true, opts.crs, inRange, problems);
  return problems.list();
}

/** Counts the positions of a geometry's `coordinates` without judging them (arrays of numbers are positions). */
export function countPositions(coordinates: unknown): number {
  if (!Array.isArray(coordinates)) return 0;
  if (coordinates.length === 0 || !Array.isArray(coordinates[0])) return 1;
  let n = 0;
  for (const c of coordinates) n += countPositions(c);
  return n;
}

/** The `too_many_vertices` problem when `count` positions exceed `max`, else null. */
export function vertexLimitProblem(count: number, type: string, max: number | undefined): GeometryProblem | null {
  if (max === undefined || count <= max) return null;
  return {
    field: 'geometry',
    code: 'too_many_vertices',
    reason: `the ${type} has ${count} positions, more than the limit of ${max} per feature (CIVGRID_MAX_VERTICES); simplify it or split it into several features`,
  };
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
    const hint = metreLike === n ? '; these look like projected metres, so declare their CRS (--crs EPSG:<code>)' : '';
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

/**
 * The members of a geometry object besides `type` and `coordinates`: a `crs` member is refused
 * (RFC 7946 §4 removed it; on one geometry it would silently give that feature another CRS than
 * the file's), and a `bbox` must be well formed and contain every position. A bbox that does not
 * contain its geometry means the bbox or the coordinates were edited without the other, so the
 * file is refused rather than one of them trusted; a looser bbox is allowed, as RFC 7946 permits.
 */
function checkMembers(geom: Record<string, unknown>, positions: Position[], problems: Problems): void {
  if (geom.crs !== undefined) {
    problems.add('crs_on_geometry', 'a "crs" member on a geometry object is not supported; declare the CRS once for the file (--crs, the FeatureCollection\'s "crs" or the .prj)');
  }
  const bbox = geom.bbox;
  if (bbox === undefined) return;
  const dims = Array.isArray(bbox) ? bbox.length / 2 : 0;
  if (!Array.isArray(bbox) || (dims !== 2 && dims !== 3) || !bbox.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    problems.add('bad_bbox', `bbox must be [west, south, east, north] (or with min/max elevation) of finite numbers, got ${JSON.stringify(bbox).slice(0, 80)}`);
    return;
  }
  const b = bbox as number[];
  for (let d = 0; d < dims; d++) {
    if (b[d] > b[d + dims]) {
      problems.add('bad_bbox', `bbox ${JSON.stringify(b)} has its minimum above its maximum on axis ${d}`);
      return;
    }
  }
  const outside = positions.find((p) => {
    for (let d = 0; d < dims; d++) {
      const v = p[d];
      if (v !== undefined && (v < b[d] || v > b[d + dims])) return true;
    }
    return false;
  });
  if (outside) problems.add('bad_bbox', `bbox ${JSON.stringify(b)} does not contain position ${fmtPos(outside)}: the bbox or the coordinates are wrong`);
}

/** True when two positions are equal in every dimension (a ring closed in x/y but not in z is open). */
function samePosition(a: Position, b: Position): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

const ringName = (label: string, ring: number) => `${label}${ring === 0 ? 'outer ring' : `hole ${ring}`}`;

/**
 * Ring length and closure per ring; then, when every ring is sound, crossings of all rings of all
 * parts at once (two parts may touch at points only) and how the rings nest: holes inside their
 * shell and outside each other, no part inside another's area.
 */
function checkPolygons(parts: Position[][][], multi: boolean, crs: CrsSpec, inRange: boolean, problems: Problems): void {
  const label = (p: number) => (multi ? `part ${p} ` : '');
  let sound = true;
  parts.forEach((rings, pi) => {
    if (rings.length === 0) {
      problems.add('empty', `${label(pi)}polygon has no rings`.trim());
      sound = false;
      return;
    }
    rings.forEach((ring, i) => {
      const name = ringName(label(pi), i);
      const distinct = new Set(ring.map((p) => `${p[0]},${p[1]}`)).size;
      if (ring.length < 4 || distinct < 3) {
        const detail = ring.length < 4 ? `${ring.length} positions` : `only ${distinct} distinct positions`;
        problems.add('ring_too_short', `${name} has ${detail}; a ring needs at least 4 positions (3 distinct, first repeated last)`);
        sound = false;
        return;
      }
      const a = ring[0]!;
      const b = ring[ring.length - 1]!;
      if (!samePosition(a, b)) {
        problems.add('ring_not_closed', `${name} is not closed: it starts at ${JSON.stringify(a)} but ends at ${JSON.stringify(b)}`);
        sound = false;
      }
    });
  });
  // Crossings of garbage coordinates are noise; the range problem is the one to fix first.
  if (!sound || !inRange) return;
  const owner: [number, number][] = [];
  parts.forEach((rings, pi) => rings.forEach((_, ri) => owner.push([pi, ri])));
  const contact = findRingContact(parts.flat());
  if (contact) {
    const [pa, ra] = owner[contact.ringA];
    const [pb, rb] = owner[contact.ringB];
    const where = describeLocation(contact.x, contact.y, crs);
    if (pa !== pb) {
      problems.add('parts_overlap', `parts ${pa} and ${pb} ${contact.kind === 'overlap' ? 'share a stretch of boundary' : 'cross'} near ${where}; parts may touch at points only`);
      return;
    }
    const what =
      ra === rb
        ? `${ringName(label(pa), ra)} ${contact.kind === 'touch' ? 'touches' : contact.kind === 'overlap' ? 'runs back over' : 'crosses'} itself`
        : `${label(pa)}rings ${ra} and ${rb} ${contact.kind === 'overlap' ? 'share a stretch of boundary' : 'cross'}`;
    problems.add('self_intersection', `${what} near ${where}`);
    return;
  }
  const nesting = findNestingProblem(parts);
  if (!nesting) return;
  const where = describeLocation(nesting.at[0]!, nesting.at[1]!, crs);
  switch (nesting.code) {
    case 'hole_outside_shell':
      problems.add(nesting.code, `${ringName(label(nesting.part), nesting.hole)} lies outside its outer ring (near ${where}); a hole must be inside the shell it cuts`);
      return;
    case 'holes_overlap':
      problems.add(nesting.code, `${label(nesting.part)}hole ${nesting.hole} lies inside hole ${nesting.other} (near ${where}); holes must not overlap`);
      return;
    case 'parts_overlap':
      problems.add(nesting.code, `part ${nesting.part} lies inside part ${nesting.other} (near ${where}); parts must not overlap, or their area counts twice`);
  }
}

/** The location as lon/lat; projected input also gets its own coordinates for finding it there. */
function describeLocation(x: number, y: number, crs: CrsSpec): string {
  if (crs.kind !== 'projected') return `lon ${x.toFixed(6)}, lat ${y.toFixed(6)}`;
  const [lon, lat] = makeToWgs84(crs)(x, y);
  return `lon ${lon.toFixed(6)}, lat ${lat.toFixed(6)} (x ${x.toFixed(1)}, y ${y.toFixed(1)})`;
}
