/**
 * Coordinate reference systems accepted on import, and conversion to WGS84/CGCS2000 lon/lat.
 *
 * CGCS2000 and WGS84 differ by centimetres, far below dashboard precision, so both are treated
 * as the same geographic CRS and CGCS2000 Gauss–Krüger projections are inverted on GRS80.
 */
import proj4 from 'proj4';
import { bd09ToWgs84, gcj02ToWgs84 } from '../domain/china-offsets.ts';
import type { PositionFn } from '../domain/map-geometry.ts';
import { parseWkt, wktChild, wktChildren, wktFind, wktName, type WktNode } from './wkt.js';

/** Plausible [minX, minY, maxX, maxY] of coordinates in a projected CRS, in its own units. */
export type ProjectedBounds = [number, number, number, number];

/** A coordinate reference system; `label` is for messages shown to users. */
export type CrsSpec =
  | { kind: 'geographic'; label: string; epsg?: number }
  | { kind: 'gcj02'; label: string }
  | { kind: 'bd09'; label: string }
  | { kind: 'projected'; label: string; epsg?: number; proj4: string; bounds: ProjectedBounds };


/**
 * WGS84 lon/lat, the default when a file says nothing about its CRS (RFC 7946). Named specs are
 * shared frozen singletons, so callers may cache per spec object.
 */
export const WGS84: CrsSpec = Object.freeze({ kind: 'geographic', label: 'WGS84 (EPSG:4326)', epsg: 4326 });
/** CGCS2000 lon/lat, the CRS civgrid stores. */
export const CGCS2000: CrsSpec = Object.freeze({ kind: 'geographic', label: 'CGCS2000 (EPSG:4490)', epsg: 4490 });

const GCJ02: CrsSpec = Object.freeze({ kind: 'gcj02', label: 'GCJ-02 (AMap/Tencent)' });
const BD09: CrsSpec = Object.freeze({ kind: 'bd09', label: 'BD-09 (Baidu)' });

const WEB_MERCATOR_HALF = 20037508.342789244;
const WEB_MERCATOR: CrsSpec = Object.freeze({
  kind: 'projected',
  label: 'Web Mercator (EPSG:3857)',
  epsg: 3857,
  proj4:
    '+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +no_defs',
  bounds: [-WEB_MERCATOR_HALF, -WEB_MERCATOR_HALF, WEB_MERCATOR_HALF, WEB_MERCATOR_HALF] as ProjectedBounds,
});

const WGS84_PROJ4 = '+proj=longlat +datum=WGS84 +no_defs';

interface TmercParams {
  label: string;
  epsg?: number;
  lon0: number;
  lat0?: number;
  k?: number;
  /** False easting/northing in metres (proj4 always takes metres). */
  x0: number;
  y0?: number;
  ellps: 'GRS80' | 'WGS84';
  /** Metres per unit of the coordinates, for .prj files in feet and the like. */
  toMeter?: number;
}

/** Builds a Transverse Mercator spec; proj4's `tmerc` is the exact (Poder/Engsager) variant. */
function tmercSpec(p: TmercParams): CrsSpec {
  const { lon0, lat0 = 0, k = 1, x0, y0 = 0, toMeter = 1 } = p;
  const units = toMeter === 1 ? '+units=m' : `+to_meter=${toMeter}`;
  // A GK easting with a zone prefix (34 500 000) must stay in that zone's million; without a
  // prefix the data cannot sensibly lie more than ~500 km from the central meridian either.
  const bounds: ProjectedBounds = [
    (x0 - 5e5) / toMeter,
    y0 / toMeter,
    (x0 + 5e5) / toMeter,
    (y0 + 1e7) / toMeter,
  ];
  return {
    kind: 'projected',
    label: p.label,
    ...(p.epsg !== undefined ? { epsg: p.epsg } : {}),
    proj4: `+proj=tmerc +lat_0=${lat0} +lon_0=${lon0} +k=${k} +x_0=${x0} +y_0=${y0} +ellps=${p.ellps} ${units} +no_defs`,
    bounds,
  };
}

/** The CGCS2000 Gauss–Krüger family EPSG:4491–4554, or undefined for other codes. */
function gaussKrugerSpec(code: number): CrsSpec | undefined {
  const gk = (label: string, lon0: number, x0: number) =>
    tmercSpec({ label: `CGCS2000 / ${label} (EPSG:${code})`, epsg: code, lon0, x0, ellps: 'GRS80' });
  if (code >= 4491 && code <= 4501) {
    const zone = code - 4491 + 13;
    return gk(`Gauss-Kruger zone ${zone}`, zone * 6 - 3, zone * 1e6 + 5e5);
  }
  if (code >= 4502 && code <= 4512) {
    const cm = 75 + (code - 4502) * 6;
    return gk(`Gauss-Kruger CM ${cm}E`, cm, 5e5);
  }
  if (code >= 4513 && code <= 4533) {
    const zone = code - 4513 + 25;
    return gk(`3-degree Gauss-Kruger zone ${zone}`, zone * 3, zone * 1e6 + 5e5);
  }
  if (code >= 4534 && code <= 4554) {
    const cm = 75 + (code - 4534) * 3;
    return gk(`3-degree Gauss-Kruger CM ${cm}E`, cm, 5e5);
  }
  return undefined;
}

function epsgSpec(code: number): CrsSpec | undefined {
  if (code === 4326) return WGS84;
  if (code === 4490) return CGCS2000;
  // 900913 and ESRI's 102100/102113 are the same sphere-Mercator under older names.
  if (code === 3857 || code === 900913 || code === 102100 || code === 102113) return WEB_MERCATOR;
  return gaussKrugerSpec(code);
}

const NAMED: Record<string, CrsSpec> = {
  wgs84: WGS84,
  wgs1984: WGS84,
  crs84: WGS84,
  cgcs2000: CGCS2000,
  gcj02: GCJ02,
  amap: GCJ02,
  gaode: GCJ02,
  tencent: GCJ02,
  bd09: BD09,
  bd09ll: BD09,
  baidu: BD09,
  webmercator: WEB_MERCATOR,
};

/**
 * Parses a CRS name as users and files write it: `wgs84`, `cgcs2000`, `gcj02`, `bd09`
 * (case-insensitive, `-`/`_`/spaces ignored), `EPSG:4326`, `EPSG:4490`, `EPSG:3857`,
 * `EPSG:4491`–`EPSG:4554` (CGCS2000 Gauss–Krüger), bare EPSG numbers, `CRS84`, OGC URNs
 * (`urn:ogc:def:crs:EPSG::4490`, `urn:ogc:def:crs:OGC:1.3:CRS84`) and opengis.net URIs.
 *
 * Projected codes are read as x = easting, y = northing (shapefile/GIS order), although the
 * EPSG definitions of the GK codes list northing first.
 * @throws Error naming the value when it is not a supported CRS.
 */
export function parseCrsName(name: string): CrsSpec {
  const raw = String(name).trim();
  const compact = raw.toLowerCase().replace(/[\s_-]/g, '');
  const named = NAMED[compact];
  if (named) return named;
  if (/^urn:ogc:def:crs:ogc:[\d.]*:crs84$/.test(compact)) return WGS84;
  if (/^https?:\/\/www\.opengis\.net\/def\/crs\/ogc\/[\d.]+\/crs84$/.test(compact)) return WGS84;
  const code =
    /^epsg:+(\d+)$/.exec(compact)?.[1] ??
    /^(\d+)$/.exec(compact)?.[1] ??
    /^urn:ogc:def:crs:epsg:[\d.]*:(\d+)$/.exec(compact)?.[1] ??
    /^https?:\/\/www\.opengis\.net\/def\/crs\/epsg\/[\d.]+\/(\d+)$/.exec(compact)?.[1];
  const spec = code === undefined ? undefined : epsgSpec(Number(code));
  if (!spec) {
    throw new Error(
      `unsupported coordinate reference system "${raw}"; use wgs84, cgcs2000, gcj02, bd09, ` +
        'EPSG:4326, EPSG:4490, EPSG:3857 or a CGCS2000 Gauss-Kruger code EPSG:4491–4554',
    );
  }
  return spec;
}

/**
 * Reads the legacy GeoJSON `crs` member (`{type:'name', properties:{name}}`, or the 2008 draft's
 * `{type:'EPSG', properties:{code}}`).
 * @returns null when the member is absent, so the caller falls back to WGS84 or a user choice.
 * @throws Error when the member is present but malformed or names an unsupported CRS: silently
 *   treating such data as WGS84 would misplace it by hundreds of kilometres.
 */
export function crsFromGeoJsonMember(crs: unknown): CrsSpec | null {
  if (crs === undefined || crs === null) return null;
  if (typeof crs === 'object') {
    const { type, properties } = crs as { type?: unknown; properties?: Record<string, unknown> };
    if (type === 'name' && typeof properties?.name === 'string') return parseCrsName(properties.name);
    const code = properties?.code;
    if (type === 'EPSG' && (typeof code === 'number' || typeof code === 'string')) {
      return parseCrsName(`EPSG:${code}`);
    }
  }
  throw new Error(`unsupported GeoJSON "crs" member ${JSON.stringify(crs)}`);
}

const RAD_PER_DEG = Math.PI / 180;

/** WGS84 and GRS80 (CGCS2000) share a = 6378137 m and differ in 1/f only in the 9th digit. */
function ellipsoidOf(node: WktNode): 'GRS80' | 'WGS84' {
  const sph = wktFind(node, 'SPHEROID', 'ELLIPSOID');
  const datum = wktName(wktFind(node, 'DATUM', 'GEODETICDATUM', 'TRF')) || wktName(node);
  const a = sph?.args[1];
  const rf = sph?.args[2];
  if (typeof a !== 'number' || typeof rf !== 'number' || Math.abs(a - 6378137) > 0.5 || Math.abs(rf - 298.2572) > 0.001) {
    throw new Error(
      `unsupported datum "${datum}" (ellipsoid "${wktName(sph)}"): only WGS84 and CGCS2000 ` +
        'are supported; convert Beijing 1954 / Xian 1980 data to CGCS2000 first',
    );
  }
  return Math.abs(rf - 298.257222101) < 1e-6 ? 'GRS80' : 'WGS84';
}

function authorityCode(node: WktNode): number | undefined {
  const auth = wktChild(node, 'AUTHORITY', 'ID');
  const code = auth?.args[1];
  return wktName(auth).toUpperCase() === 'EPSG' && code !== undefined ? Number(code) : undefined;
}

function geographicFromWkt(node: WktNode): CrsSpec {
  const ellps = ellipsoidOf(node);
  const unit = wktChild(node, 'UNIT', 'ANGLEUNIT')?.args[1];
  if (typeof unit === 'number' && Math.abs(unit - RAD_PER_DEG) > 1e-9) {
    throw new Error(`unsupported angular unit "${wktName(wktChild(node, 'UNIT', 'ANGLEUNIT'))}" in .prj`);
  }
  const code = authorityCode(node);
  if (code === 4490 || ellps === 'GRS80') return CGCS2000;
  return WGS84;
}

/** WKT1 (ESRI/OGC) and WKT2 spell the Transverse Mercator parameters differently. */
const PARAM_ALIASES: Record<string, keyof Omit<TmercParams, 'label' | 'epsg' | 'ellps' | 'toMeter'>> = {
  central_meridian: 'lon0',
  longitude_of_natural_origin: 'lon0',
  longitude_of_origin: 'lon0',
  longitude_of_center: 'lon0',
  latitude_of_origin: 'lat0',
  latitude_of_natural_origin: 'lat0',
  latitude_of_center: 'lat0',
  false_easting: 'x0',
  false_northing: 'y0',
  scale_factor: 'k',
  scale_factor_at_natural_origin: 'k',
};

function projectedFromWkt(root: WktNode): CrsSpec {
  const name = wktName(root);
  const conversion = wktChild(root, 'CONVERSION');
  const method = wktName(wktChild(root, 'PROJECTION') ?? wktChild(conversion ?? root, 'METHOD'));
  const code = authorityCode(root);
  const methodKey = method.toLowerCase().replace(/[^a-z]+/g, '_');
  if (/mercator_auxiliary_sphere|pseudo_mercator|popular_visuali[sz]ation/.test(methodKey) || /web_?mercator/i.test(name)) {
    return WEB_MERCATOR;
  }
  if (!/^(transverse_mercator|gauss_kruger|gauss_kr_ger)$/.test(methodKey)) {
    throw new Error(`unsupported projection "${method || 'none'}" in .prj "${name}"; only Transverse Mercator / Gauss-Kruger`);
  }
  const base = wktChild(root, 'GEOGCS', 'BASEGEOGCRS', 'BASEGEODCRS');
  if (!base) throw new Error(`.prj "${name}" has no geographic base CRS`);
  const ellps = ellipsoidOf(base);
  // ESRI WKT1 gives false easting/northing in the projected linear unit; proj4 wants metres.
  const unitFactor = wktChild(root, 'UNIT')?.args[1];
  const toMeter = typeof unitFactor === 'number' && unitFactor > 0 ? unitFactor : 1;
  const values: Partial<Record<string, number>> = {};
  for (const p of [...wktChildren(root, 'PARAMETER'), ...(conversion ? wktChildren(conversion, 'PARAMETER') : [])]) {
    const key = PARAM_ALIASES[wktName(p).toLowerCase().replace(/[^a-z]+/g, '_')];
    const value = p.args[1];
    if (key && typeof value === 'number') values[key] = value;
  }
  if (values.lon0 === undefined) throw new Error(`.prj "${name}" has no central meridian`);
  return tmercSpec({
    label: code !== undefined ? `${name} (EPSG:${code})` : name,
    ...(code !== undefined ? { epsg: code } : {}),
    lon0: values.lon0,
    lat0: values.lat0 ?? 0,
    k: values.k ?? 1,
    x0: (values.x0 ?? 0) * toMeter,
    y0: (values.y0 ?? 0) * toMeter,
    ellps,
    toMeter,
  });
}

/**
 * Interprets the WKT of an ESRI/OGC `.prj` file: WGS84/CGCS2000 geographic, Web Mercator, or
 * Transverse Mercator / Gauss–Krüger on the WGS84 or CGCS2000 (GRS80) ellipsoid.
 * @throws Error naming the datum or projection that is not supported, or the WKT syntax error.
 */
export function crsFromPrj(wkt: string): CrsSpec {
  const root = parseWkt(wkt.trim());
  switch (root.keyword) {
    case 'GEOGCS':
    case 'GEOGCRS':
    case 'GEODCRS':
      return geographicFromWkt(root);
    case 'PROJCS':
    case 'PROJCRS':
      return projectedFromWkt(root);
    default:
      throw new Error(`unsupported .prj: expected GEOGCS or PROJCS, found ${root.keyword}`);
  }
}

/**
 * Returns a function converting (x, y) in `spec` to WGS84 [lon, lat]. Identity for geographic
 * CRSs. Out-of-domain projected input yields non-finite numbers; validate the result.
 */
export function makeToWgs84(spec: CrsSpec): PositionFn {
  switch (spec.kind) {
    case 'geographic':
      return (x, y) => [x, y];
    case 'gcj02':
      return gcj02ToWgs84;
    case 'bd09':
      return bd09ToWgs84;
    case 'projected': {
      const converter = proj4(spec.proj4, WGS84_PROJ4);
      return (x, y) => {
        const [lon, lat] = converter.forward([x, y]);
        return [lon, lat];
      };
    }
  }
}

