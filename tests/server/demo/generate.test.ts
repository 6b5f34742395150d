import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { booleanPointInPolygon, feature } from '@turf/turf';
import { parse } from 'csv-parse/sync';
import type { Feature, FeatureCollection, MultiPolygon, Point, Polygon, Position } from 'geojson';
import { generateDemo, type DemoResult } from '../../../server/demo/index.ts';
import { tiling, tilesWell } from './tiling.ts';

const SMALL = { seed: 7, districts: ['530111'], issues: 2000, grids: 120, sites: 200, now: new Date('2026-11-25T15:30:00+08:00') };
const STREETS = ['关上街道', '太和街道', '吴井街道', '金马街道', '小板桥街道', '官渡街道', '矣六街道', '六甲街道', '大板桥街道', '阿拉街道', '长水街道', '小哨街道', '昆明经济技术开发区'];
const SITE_TYPES = ['market', 'school', 'back_alley', 'residential', 'main_road', 'intersection', 'bus_stop', 'hospital', 'park', 'service_hall', 'practice_station', 'public_ad', 'volunteer_post'];
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/;

type Area = Polygon | MultiPolygon;
type Props = Record<string, unknown>;
type IssueRow = Record<string, string>;

let dir: string;
let result: DemoResult;
let regions: Feature<Area, Props>[];
let grids: Feature<Area, Props>[];
let sites: Feature<Point | Polygon | { type: 'LineString'; coordinates: Position[] }, Props>[];
let issues: IssueRow[];
let categories: { code: string; parent: string | null }[];

const read = async (file: string) => readFile(file, 'utf8');
const features = async (file: string) => (JSON.parse(await read(file)) as FeatureCollection).features as never[];
const areaOf = (code: string) => regions.find((r) => r.properties.code === code)!.geometry;
const district = () => regions.find((r) => r.properties.level === 'district')!;
const inside = (p: Position, a: Area) => booleanPointInPolygon(p, feature(a));
const vertices = (g: (typeof sites)[number]['geometry']): Position[] =>
  g.type === 'Point' ? [g.coordinates] : g.type === 'LineString' ? g.coordinates : g.coordinates[0];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'civgrid-demo-'));
  result = await generateDemo({ ...SMALL, outDir: dir });
  regions = await features(result.files.regions);
  grids = await features(result.files.grids);
  sites = await features(result.files.sites);
  categories = JSON.parse(await read(result.files.categories));
  issues = parse(await read(result.files.issues), { columns: true }) as IssueRow[];
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('regions', () => {
  it('has one district, the 13 real street-level units and 133 real communities', () => {
    expect(regions.filter((r) => r.properties.level === 'district').map((r) => [r.properties.code, r.properties.name, r.properties.parent])).toEqual([['530111', '官渡区', null]]);
    const streets = regions.filter((r) => r.properties.level === 'street');
    expect(streets.map((s) => s.properties.name).sort()).toEqual([...STREETS].sort());
    expect(streets.every((s) => s.properties.parent === '530111' && /^530111\d{3}$/.test(String(s.properties.code)))).toBe(true);
    const communities = regions.filter((r) => r.properties.level === 'community');
    expect(communities).toHaveLength(133);
    expect(communities.every((c) => String(c.properties.code).startsWith(String(c.properties.parent)) && /^\d{12}$/.test(String(c.properties.code)))).toBe(true);
    expect(communities.find((c) => c.properties.code === '530111001002')?.properties.name).toBe('双桥社区');
  });

  it('streets tile the district', () => {
    const report = tiling(district().geometry, regions.filter((r) => r.properties.level === 'street').map((r) => r.geometry));
    expect(report, JSON.stringify(report)).toSatisfy(tilesWell);
  });

  it('communities tile their street', () => {
    for (const street of regions.filter((r) => r.properties.level === 'street')) {
      const children = regions.filter((r) => r.properties.parent === street.properties.code).map((r) => r.geometry);
      const report = tiling(street.geometry, children);
      expect(report, `${street.properties.name} ${JSON.stringify(report)}`).toSatisfy(tilesWell);
    }
  });
});

describe('grids', () => {
  it('give every community at least one grid, coded community code + 3 digits', () => {
    const communities = regions.filter((r) => r.properties.level === 'community').map((r) => String(r.properties.code));
    expect(new Set(grids.map((g) => g.properties.community))).toEqual(new Set(communities));
    expect(grids.every((g) => String(g.properties.code).startsWith(String(g.properties.community)) && /^\d{15}$/.test(String(g.properties.code)))).toBe(true);
    expect(new Set(grids.map((g) => g.properties.code)).size).toBe(grids.length);
  });

  it('tile every community', () => {
    for (const c of regions.filter((r) => r.properties.level === 'community')) {
      const report = tiling(c.geometry, grids.filter((g) => g.properties.community === c.properties.code).map((g) => g.geometry));
      expect(report, `${c.properties.name} ${JSON.stringify(report)}`).toSatisfy(tilesWell);
    }
  });

  it('carry a name, an inspector and a household count', () => {
    for (const g of grids) {
      expect(g.properties.name).toMatch(/^.+(社区|村)第\d+网格$/);
      expect(g.properties.inspector).toMatch(/^[\u4e00-\u9fff]{2,3}$/);
      expect(Number.isInteger(g.properties.households) && Number(g.properties.households) > 0).toBe(true);
    }
  });
});

describe('sites', () => {
  it('cover every site type with the requested total', () => {
    expect(new Set(sites.map((s) => s.properties.type))).toEqual(new Set(SITE_TYPES));
    expect(sites).toHaveLength(SMALL.sites);
    expect(new Set(sites.map((s) => s.properties.id)).size).toBe(sites.length);
    expect(sites.every((s) => /^S\d{6}$/.test(String(s.properties.id)) && String(s.properties.unit).length > 0)).toBe(true);
  });

  it('use points, lines and polygons by type', () => {
    const kind = (t: string) => new Set(sites.filter((s) => s.properties.type === t).map((s) => s.geometry.type));
    expect(kind('back_alley')).toEqual(new Set(['LineString']));
    expect(kind('main_road')).toEqual(new Set(['LineString']));
    expect(kind('residential')).toEqual(new Set(['Polygon']));
    expect(kind('park')).toEqual(new Set(['Polygon']));
    expect(kind('market')).toEqual(new Set(['Point']));
  });

  it('lie inside the district', () => {
    const outside = sites.filter((s) => !vertices(s.geometry).every((p) => inside(p, district().geometry)));
    expect(outside.map((s) => s.properties.name)).toEqual([]);
  });

  it('include the real named places in their communities', () => {
    const expected: [string, string, string][] = [
      ['双桥村综合农贸市场', 'market', '530111001002'],
      ['官渡区新时代文明实践中心', 'practice_station', ''],
      ['官渡区养老综合服务中心', 'service_hall', ''],
      ['和平路社区老旧小区', 'residential', '530111002001'],
      ['曙光社区农贸市场', 'market', '530111004008'],
      ['曙光小区', 'residential', '530111004008'],
    ];
    for (const [name, type, community] of expected) {
      const site = sites.find((s) => s.properties.name === name);
      expect(site?.properties.type, name).toBe(type);
      if (community) expect(vertices(site!.geometry).every((p) => inside(p, areaOf(community))), name).toBe(true);
    }
  });
});

describe('issues', () => {
  it('writes the requested number of rows with unique ids', () => {
    expect(issues).toHaveLength(SMALL.issues);
    expect(new Set(issues.map((i) => i.id)).size).toBe(SMALL.issues);
  });

  it('lie inside the district', () => {
    const outside = issues.filter((i) => !inside([Number(i.lon), Number(i.lat)], district().geometry));
    expect(outside.map((i) => i.id)).toEqual([]);
  });

  it('use 小类 codes from categories.json', () => {
    const minor = new Set(categories.filter((c) => c.parent !== null).map((c) => c.code));
    expect(issues.filter((i) => !minor.has(i.category))).toEqual([]);
  });

  it('use the canonical sources and statuses', () => {
    expect(new Set(issues.map((i) => i.source))).toEqual(new Set(['patrol', 'inspection', 'camera', 'hotline', 'assigned']));
    const statuses = new Set(['reported', 'opened', 'dispatched', 'handled', 'verified', 'closed', 'cancelled', 'deferred']);
    expect(issues.filter((i) => !statuses.has(i.status))).toEqual([]);
  });

  it('order reported ≤ dispatched ≤ closed, all +08:00 and not after now', () => {
    const now = SMALL.now.getTime();
    for (const i of issues) {
      const t = (s: string) => (s ? Date.parse(s) : null);
      const [r, d, c] = [t(i.reported_at), t(i.dispatched_at), t(i.closed_at)];
      expect([i.reported_at, i.dispatched_at, i.deadline, i.closed_at].filter(Boolean).every((s) => ISO.test(s)), i.id).toBe(true);
      expect(r! < now, i.id).toBe(true);
      if (d !== null) expect(d >= r! && d <= now, i.id).toBe(true);
      if (c !== null) expect(d !== null && c >= d && c <= now, i.id).toBe(true);
    }
  });

  it('are written in report-time order', () => {
    const times = issues.map((i) => Date.parse(i.reported_at));
    expect(times.every((t, k) => k === 0 || t >= times[k - 1])).toBe(true);
  });

  it('have closed_at exactly when closed, and immediate only when closed within 24 h', () => {
    for (const i of issues) {
      expect(i.closed_at !== '', i.id).toBe(i.status === 'closed');
      if (i.immediate === 'true') expect(Date.parse(i.closed_at) - Date.parse(i.reported_at) <= 24 * 3600_000, i.id).toBe(true);
    }
  });

  it('has a realistic workflow mix', () => {
    const share = (f: (i: IssueRow) => boolean) => issues.filter(f).length / issues.length;
    expect(share((i) => i.immediate === 'true')).toBeGreaterThan(0.28);
    expect(share((i) => i.immediate === 'true')).toBeLessThan(0.42);
    expect(share((i) => i.closed_at !== '' && i.closed_at > i.deadline)).toBeGreaterThan(0.04);
    expect(share((i) => i.closed_at !== '' && i.closed_at > i.deadline)).toBeLessThan(0.13);
    expect(share((i) => Number(i.rework_count) > 0)).toBeGreaterThan(0.01);
    expect(share((i) => i.status !== 'closed' && i.status !== 'cancelled')).toBeGreaterThan(0.01);
  });

  it('describe the place and problem in Chinese', () => {
    const market = issues.filter((i) => i.description.startsWith('双桥村综合农贸市场'));
    expect(market.length).toBeGreaterThan(0);
    expect(issues.every((i) => /[\u4e00-\u9fff]/.test(i.description) && i.address.startsWith('昆明市官渡区'))).toBe(true);
  });
});

describe('reference layers', () => {
  type Line = { type: 'LineString'; coordinates: Position[] };
  const roadNames = () => new Set(Object.values(JSON.parse(readFileSync('data/demo-names.json', 'utf8')).roadsByStreet as Record<string, string[]>).flat());

  it('run roads of every class along the boundaries, main and secondary ones named from the street\'s roads', async () => {
    const roads = (await features(result.files.roads)) as Feature<Line, Props>[];
    // 支路 between the grids of one community: this small city has about one grid per community.
    const classes = new Set(roads.map((r) => r.properties.class));
    expect(classes).toContain('主干路');
    expect(classes).toContain('次干路');
    expect([...classes].every((c) => ['主干路', '次干路', '支路'].includes(String(c)))).toBe(true);
    const known = roadNames();
    const named = roads.filter((r) => r.properties.name !== null);
    expect(named.length).toBeGreaterThan(0);
    expect(named.every((r) => r.properties.class !== '支路' && known.has(String(r.properties.name)))).toBe(true);
    // Every road vertex is a vertex of some grid: the roads follow the boundaries.
    const gridVertices = new Set(grids.flatMap((g) => vertices(g.geometry as Polygon)).map((p) => p.join(',')));
    expect(roads.every((r) => r.geometry.coordinates.every((p) => gridVertices.has(p.join(','))))).toBe(true);
  });

  it('have rivers and a lake inside the district, with made-up names', async () => {
    const water = (await features(result.files.water)) as Feature<Line | Polygon, Props>[];
    expect(water.some((w) => w.geometry.type === 'LineString') && water.some((w) => w.geometry.type === 'Polygon')).toBe(true);
    expect(water.every((w) => /^示例(河\d|湖)$/.test(String(w.properties.name)))).toBe(true);
    const rivers = water.filter((w) => w.geometry.type === 'LineString') as Feature<Line, Props>[];
    expect(rivers.every((r) => r.geometry.coordinates.every((p) => inside(p, district().geometry)))).toBe(true);
  });

  it('mark markets, schools, hospitals, parks and service halls as landmarks by their site names', async () => {
    const poi = (await features(result.files.poi)) as Feature<Point, Props>[];
    const landmarks = sites.filter((s) => ['market', 'school', 'hospital', 'park', 'service_hall'].includes(String(s.properties.type)));
    expect(poi.map((p) => p.properties.name).sort()).toEqual(landmarks.map((s) => s.properties.name).sort());
  });
});

describe('determinism', () => {
  it('writes byte-identical files for the same seed and options', async () => {
    const again = await mkdtemp(join(tmpdir(), 'civgrid-demo-'));
    try {
      const second = await generateDemo({ ...SMALL, outDir: again });
      expect(Object.keys(result.files)).toEqual(expect.arrayContaining(['roads', 'water', 'poi']));
      for (const key of Object.keys(result.files) as (keyof DemoResult['files'])[]) {
        expect(await read(second.files[key]), key).toBe(await read(result.files[key]));
      }
    } finally {
      await rm(again, { recursive: true, force: true });
    }
  });

  it('writes different issues and grids for another seed', async () => {
    const other = await mkdtemp(join(tmpdir(), 'civgrid-demo-'));
    try {
      const second = await generateDemo({ ...SMALL, seed: SMALL.seed + 1, outDir: other });
      expect(await read(second.files.issues)).not.toBe(await read(result.files.issues));
      expect(await read(second.files.grids)).not.toBe(await read(result.files.grids));
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });
});
