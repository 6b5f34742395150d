import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../../server/db/database.ts';
import { runImport } from '../../../server/import/pipeline.ts';
import { CITY, CITY_FILES, fingerprint, freshDb, importCity, importOk } from '../../helpers/db.ts';

let db: Database;
let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ db, dir, cleanup } = await freshDb()));
afterEach(async () => cleanup());

type IssueRow = { id: string; grid_code: string | null; community: string | null; street: string | null; outside_grid: boolean; site_ids: string[]; deadline: Date | null };
const issue = async (id: string) => (await db.one<IssueRow>('SELECT * FROM issues WHERE id = $id', { id }))!;

describe('importing the fixture city', () => {
  it('loads every kind and counts what it wrote', async () => {
    await importCity(db);
    const counts = await db.one('SELECT (SELECT count(*) FROM regions) r, (SELECT count(*) FROM grids) g, (SELECT count(*) FROM sites) s, (SELECT count(*) FROM issues) i, (SELECT count(*) FROM categories) c');
    expect(counts).toEqual({ r: 7, g: 8, s: 3, i: 8, c: 6 });
    const plan = await db.one<{ status: string; name: string; author: string }>('SELECT status, name, author FROM grid_plans');
    expect(plan).toEqual({ status: 'published', name: '初始方案', author: 'cli' });
  });

  it('names whoever ran the import as the author of a district\'s first plan', async () => {
    await importCity(db, ['regions']);
    await importOk(db, { kind: 'grids', path: CITY_FILES.find(([kind]) => kind === 'grids')![1], actor: '张三' });
    expect(await db.one('SELECT author FROM grid_plans')).toEqual({ author: '张三' });
  });

  it('assigns issues to grid, community, street and key sites', async () => {
    await importCity(db);
    expect(await issue('I01')).toMatchObject({ grid_code: '530111001002001', community: '530111001002', street: '530111001', outside_grid: false, site_ids: ['S1'] });
    expect((await issue('I03')).site_ids).toEqual(['S2']);
    expect((await issue('I04')).site_ids).toEqual(['S3']);
    expect((await issue('I02')).site_ids).toEqual(['S1']);
  });

  it('keeps points outside every grid, flagged, with no region', async () => {
    await importCity(db);
    expect(await issue('I07')).toMatchObject({ grid_code: null, community: null, street: null, outside_grid: true });
  });

  it('puts a point on a shared grid edge into exactly one grid', async () => {
    await importCity(db);
    for (const id of ['I05', 'I06']) {
      const row = await issue(id);
      expect(row.grid_code).not.toBeNull();
      expect(row.outside_grid).toBe(false);
    }
  });

  it('computes the deadline from the category limit in working hours', async () => {
    await importCity(db);
    // 0101 has 2 working hours; dispatched Tue 2026-11-03 10:05 Shanghai → 12:05 Shanghai = 04:05Z.
    expect((await issue('I02')).deadline?.toISOString()).toBe('2026-11-03T04:05:00.000Z');
  });

  it('counts the deadline on the official calendar, past the National Day holiday', async () => {
    await importCity(db, ['categories', 'regions', 'grids']);
    const path = join(dir, 'holiday.csv');
    // 0102 has 1 working day: dispatched Tuesday 2025-09-30 16:00, the day ends on Thursday 10-09 at 16:00.
    writeFileSync(path, 'id,category,source,status,reported_at,dispatched_at,lon,lat\nH1,0102,patrol,dispatched,2025-09-30T15:00:00+08:00,2025-09-30T16:00:00+08:00,102.72,24.97\n');
    await importOk(db, { kind: 'issues', path });
    expect((await issue('H1')).deadline?.toISOString()).toBe('2025-10-09T08:00:00.000Z');
  });

  it('reads timestamps without an offset as Asia/Shanghai', async () => {
    await importCity(db);
    const row = await db.one<{ reported_at: Date }>(`SELECT reported_at FROM issues WHERE id = 'I03'`);
    expect(row!.reported_at.toISOString()).toBe('2026-11-04T00:00:00.000Z');
  });

  it('records the workflow events implied by the timestamps', async () => {
    await importCity(db);
    const events = await db.all<{ type: string }>(`SELECT type FROM issue_events WHERE issue_id = 'I01' ORDER BY seq`);
    expect(events.map((e) => e.type)).toEqual(['reported', 'dispatched', 'closed']);
    const cancelled = await db.all<{ type: string }>(`SELECT type FROM issue_events WHERE issue_id = 'I07' ORDER BY seq`);
    expect(cancelled.map((e) => e.type)).toEqual(['reported', 'cancelled']);
  });

  it('re-importing the same ids updates them instead of duplicating', async () => {
    await importCity(db);
    const again = await importOk(db, { kind: 'issues', path: `${CITY}/issues.geojson` });
    expect(again).toMatchObject({ inserted: 0, updated: 8 });
    expect((await db.one('SELECT count(*) AS n FROM issues'))).toEqual({ n: 8 });
    expect((await db.one(`SELECT count(*) AS n FROM issue_events WHERE issue_id = 'I01'`))).toEqual({ n: 3 });
  });

  it('re-assigns stored issues when grids arrive after them', async () => {
    await importCity(db, ['categories', 'regions']);
    await importOk(db, { kind: 'issues', path: `${CITY}/issues.geojson` });
    expect((await issue('I01')).grid_code).toBeNull();
    expect((await issue('I01')).community).toBe('530111001002');
    await importOk(db, { kind: 'grids', path: `${CITY}/grids.geojson` });
    await importOk(db, { kind: 'sites', path: `${CITY}/sites.geojson` });
    expect(await issue('I01')).toMatchObject({ grid_code: '530111001002001', site_ids: ['S1'] });
  });

  it('records a job per successful import', async () => {
    await importCity(db);
    const jobs = await db.all<{ kind: string; status: string }>('SELECT kind, status FROM import_jobs ORDER BY id');
    expect(jobs.map((j) => j.kind)).toEqual(['categories', 'regions', 'grids', 'sites', 'issues']);
  });
});

describe('bad input is rejected and changes nothing', () => {
  const cases: [file: string, kind: 'issues' | 'grids' | 'regions', code: string, field: string | undefined, index: number | undefined][] = [
    ['broken-json.geojson', 'issues', 'unreadable', undefined, undefined],
    ['grids-wrong-geometry-type.geojson', 'grids', 'type_not_allowed', 'geometry', 0],
    ['grids-unclosed-ring.geojson', 'grids', 'ring_not_closed', 'geometry', 0],
    ['grids-self-intersection.geojson', 'grids', 'self_intersection', 'geometry', 0],
    ['grids-unknown-community.geojson', 'grids', 'unknown_community', 'community', 0],
    ['issues-out-of-range.geojson', 'issues', 'out_of_range', 'geometry', 1],
    ['issues-swapped-lonlat.geojson', 'issues', 'lonlat_swapped', 'geometry', 0],
    ['issues-missing-category.geojson', 'issues', 'required', 'category', 0],
    ['issues-duplicate-ids.geojson', 'issues', 'duplicate_id', 'id', 2],
    ['issues-unknown-category.geojson', 'issues', 'unknown_category', 'category', 0],
    ['issues-impossible-date.geojson', 'issues', 'invalid_timestamp', 'reported_at', 0],
    ['issues-timestamps-out-of-order.geojson', 'issues', 'timestamps_out_of_order', 'closed_at', 0],
    ['issues-nan-coordinates.csv', 'issues', 'bad_coordinates', 'geometry', 0],
    ['regions-unknown-parent.geojson', 'regions', 'unknown_parent', 'parent', 0],
  ];
  for (const [file, kind, code, field, index] of cases) {
    it(`${file} → ${code}`, async () => {
      await importCity(db);
      const before = await fingerprint(db);
      const report = await runImport(db, { kind, path: `tests/fixtures/bad/${file}` });
      expect(report.ok).toBe(false);
      expect(report.file).toBe(`tests/fixtures/bad/${file}`);
      const problem = report.errors.find((p) => p.code === code);
      expect(problem, JSON.stringify(report.errors)).toBeDefined();
      expect(problem!.reason.length).toBeGreaterThan(5);
      if (field) expect(problem!.field).toBe(field);
      if (index !== undefined) expect(problem!.index).toBe(index);
      expect(await fingerprint(db)).toEqual(before);
    });
  }

  it('a file where one of many features is bad imports none of them', async () => {
    await importCity(db, ['categories', 'regions', 'grids']);
    const before = await fingerprint(db);
    const report = await runImport(db, { kind: 'issues', path: 'tests/fixtures/bad/issues-out-of-range.geojson' });
    expect(report).toMatchObject({ ok: false, features: 2, inserted: 0 });
    expect(await fingerprint(db)).toEqual(before);
  });

  it('lists the first 100 problems and counts the rest', async () => {
    await importCity(db, ['categories', 'regions']);
    const rows = Array.from({ length: 150 }, (_, i) => `X${i},9999,patrol,reported,2026-11-01T09:00:00+08:00,102.72,24.97`);
    const path = join(dir, 'many-bad.csv');
    writeFileSync(path, `id,category,source,status,reported_at,lon,lat\n${rows.join('\n')}\n`);
    const report = await runImport(db, { kind: 'issues', path });
    expect(report).toMatchObject({ ok: false, errorCount: 150, moreErrors: 50 });
    expect(report.errors).toHaveLength(100);
    expect(report.errors[99]).toMatchObject({ index: 99, id: 'X99', field: 'category', code: 'unknown_category' });
  });

  it('names an unknown --map target', async () => {
    const report = await runImport(db, { kind: 'issues', path: `${CITY}/issues.geojson`, map: { colour: 'x' } });
    expect(report.errors[0]).toMatchObject({ code: 'bad_map', field: 'colour' });
  });
});

describe('property names', () => {
  it('accepts Chinese aliases and --map overrides', async () => {
    await importCity(db, ['categories', 'regions', 'grids']);
    const path = join(dir, 'cn.csv');
    writeFileSync(path, '案件编号,小类,来源,状态,上报时间,经度,纬度,描述,处置人\nC1,0101,12345,上报,2026-11-01 09:00,102.72,24.97,垃圾,x\n');
    const report = await importOk(db, { kind: 'issues', path });
    expect(report.inserted).toBe(1);
    expect(await db.one(`SELECT source, status, description FROM issues WHERE id = 'C1'`)).toEqual({ source: 'hotline', status: 'reported', description: '垃圾' });

    const mapped = join(dir, 'mapped.csv');
    writeFileSync(mapped, 'CASE_NO,TYPE_CODE,reported_at,lon,lat\nM1,0102,2026-11-02T09:00:00+08:00,102.72,24.97\n');
    await importOk(db, { kind: 'issues', path: mapped, map: { id: 'CASE_NO', category: 'TYPE_CODE' } });
    expect(await db.one(`SELECT category FROM issues WHERE id = 'M1'`)).toEqual({ category: '0102' });
  });
});

describe('coordinate systems', () => {
  it('converts GCJ-02 input to WGS84 before assignment', async () => {
    await importCity(db, ['categories', 'regions', 'grids']);
    const { wgs84ToGcj02 } = await import('../../../server/domain/china-offsets.ts');
    const [glon, glat] = wgs84ToGcj02(102.72, 24.97);
    const path = join(dir, 'gcj.csv');
    writeFileSync(path, `id,category,reported_at,lon,lat\nG1,0101,2026-11-01T09:00:00+08:00,${glon},${glat}\n`);
    await importOk(db, { kind: 'issues', path, crs: 'gcj02' });
    const row = await db.one<{ lon: number; lat: number; grid_code: string }>(`SELECT lon, lat, grid_code FROM issues WHERE id = 'G1'`);
    expect(Math.abs(row!.lon - 102.72) * 101_000).toBeLessThan(1);
    expect(Math.abs(row!.lat - 24.97) * 111_000).toBeLessThan(1);
    expect(row!.grid_code).toBe('530111001002001');
  });
});

describe('formats end to end', () => {
  it('imports a zipped Shapefile in CGCS2000 Gauss–Krüger zone 34 to the right place', async () => {
    await importCity(db, ['categories', 'regions']);
    // Three squares are no tiling of the community: they go into a draft, not the published plan.
    const report = await importOk(db, { kind: 'grids', path: 'tests/fixtures/import/grids-gk34.zip', asDraft: true });
    expect(report).toMatchObject({ format: 'shapefile', inserted: 3, plan: { status: 'draft', created: true } });
    expect(report.crs).toMatch(/34|102/);
    const grid = await db.one<{ name: string; xmin: number; ymin: number; xmax: number; ymax: number; area_km2: number }>(
      `SELECT name, xmin, ymin, xmax, ymax, area_km2 FROM grids WHERE code = '53011100100101'`,
    );
    expect(grid!.name).toBe('关上社区第1网格');
    // The fixture's first square spans x 34575600–34576000, y 2760600–2761000 (≈ 102.7486E, 24.9489N).
    expect(grid!.xmin).toBeCloseTo(102.7486, 3);
    expect(grid!.ymin).toBeCloseTo(24.9489, 3);
    expect(grid!.area_km2).toBeCloseTo(0.16, 2);
  });

  it('reads a GBK CSV with Chinese headers and names the row that breaks a rule', async () => {
    await importCity(db, ['categories', 'regions', 'grids']);
    const before = await fingerprint(db);
    const report = await runImport(db, { kind: 'issues', path: 'tests/fixtures/import/issues-gbk.csv' });
    expect(report.ok).toBe(false);
    expect(report.errors).toEqual([expect.objectContaining({ index: 0, id: 'GD20240301001', field: 'closed_at', code: 'required' })]);
    expect(await fingerprint(db)).toEqual(before);
  });

  it('imports a UTF-8 Shapefile of sites without a .cpg', async () => {
    await importCity(db, ['categories', 'regions', 'grids']);
    await importOk(db, { kind: 'sites', path: 'tests/fixtures/import/sites-utf8.zip' });
    expect(await db.one(`SELECT name, type FROM sites WHERE id = 'S001'`)).toEqual({ name: '双桥村综合农贸市场', type: 'market' });
  });

  it('imports NDJSON and a categories tree', async () => {
    await importCity(db, ['regions']);
    await importOk(db, { kind: 'categories', path: 'tests/fixtures/import/categories-tree.json' });
    expect(await db.one(`SELECT count(*) AS n FROM categories WHERE level = 2`)).toEqual({ n: 5 });
    const grids = await importOk(db, { kind: 'grids', path: 'tests/fixtures/import/grids.ndjson', asDraft: true });
    expect(grids).toMatchObject({ format: 'ndjson', inserted: 3, plan: { status: 'draft' } });
  });
});
