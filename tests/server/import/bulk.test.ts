/**
 * The bulk path (server/import/bulk) against the record path: the same files give the same
 * report and the same rows. The record path is `runImportFeatures` over the readers' features —
 * what live ingest uses — so both paths are exercised on one file.
 */
import iconv from 'iconv-lite';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { Session, type Database } from '../../../server/db/database.ts';
import { inTimeOrder } from '../../../server/import/kinds/issues.ts';
import { runImport, runImportFeatures, type ImportReport } from '../../../server/import/pipeline.ts';
import { openFeatureSource } from '../../../server/import/readers/index.ts';
import { strictCsvQuoting } from '../../../server/import/bulk/quoting.ts';
import { fastTimestamp } from '../../../server/import/bulk/sql.ts';
import { rowRanges } from '../../../server/import/bulk/index.ts';
import { parseTimestamp } from '../../../server/domain/time.ts';
import { FIXTURE_NOW } from '../../helpers/fixture-clock.ts';
import { CITY, fingerprint, freshDb, importCity } from '../../helpers/db.ts';

/** Per bulk run: whether it took the file, and how many rows it left to the record path. */
const bulkRuns: { taken: boolean; recordRows: number }[] = [];
/**
 * Rows the bulk path checks at a time here: small, so every file of more than two rows is checked
 * in several row ranges, as a big file is.
 */
const CHUNK_ROWS = { n: 2 };
vi.mock('../../../server/import/bulk/index.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../server/import/bulk/index.ts')>();
  return {
    ...real,
    stageInBulk: async (...[session, source, c]: Parameters<typeof real.stageInBulk>) => {
      const run = { taken: false, recordRows: 0 };
      bulkRuns.push(run);
      const result = await real.stageInBulk(session, source, { ...c, chunkRows: CHUNK_ROWS.n, consume: (raw, outcome) => (run.recordRows++, c.consume(raw, outcome)) });
      run.taken = result !== null;
      return result;
    },
  };
});

const BAD = 'tests/fixtures/bad';
const now = () => FIXTURE_NOW;

/** Files written by the tests (the corpus variants are written while tests are collected). */
const dir = mkdtempSync(join(tmpdir(), 'civgrid-bulk-test-'));
let db: Database;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ db, cleanup } = await freshDb());
  await importCity(db, ['categories', 'regions', 'grids', 'sites']);
});
afterAll(async () => {
  await cleanup();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  bulkRuns.length = 0;
});

/** Issue rows and events as stored, in a stable order. */
const stored = async () => ({
  issues: await db.all('SELECT * EXCLUDE (updated_at) FROM issues ORDER BY id'),
  events: await db.all('SELECT issue_id, seq, type, occurred_at, actor, department FROM issue_events ORDER BY issue_id, seq, type'),
});

const forget = async () => {
  await db.run('DELETE FROM issue_events');
  await db.run('DELETE FROM issues');
};

const comparable = (r: ImportReport) => ({
  ok: r.ok, features: r.features, inserted: r.inserted, updated: r.updated, outsideGrid: r.outsideGrid,
  errorCount: r.errorCount, errors: r.errors, moreErrors: r.moreErrors, warnings: r.warnings,
});

/** Imports `path` by both paths into the same state; returns both reports and what each stored. */
async function bothPaths(path: string) {
  await forget();
  const before = await fingerprint(db);
  const bulk = await runImport(db, { kind: 'issues', path, now, allowOutside: true });
  const bulkRows = await stored();
  if (!bulk.ok) expect(await fingerprint(db)).toEqual(before);
  await forget();
  const source = await openFeatureSource(path).catch((err: Error) => err);
  if (source instanceof Error) {
    // Refused before any record is read: the bulk path never saw the file.
    expect(bulk.errors).toEqual([expect.objectContaining({ reason: (source as { reason?: string }).reason })]);
    return { bulk, records: bulk, bulkRows, recordRows: bulkRows };
  }
  const records = await runImportFeatures(db, { kind: 'issues', features: source.features, fileLabel: path, format: source.format, now });
  const recordRows = await stored();
  return { bulk, records, bulkRows, recordRows };
}

/** A FeatureCollection file as NDJSON, and as CSV when every geometry is a lon/lat point. */
function variants(path: string): string[] {
  const fc = JSON.parse(readFileSync(path, 'utf8')) as { features: { properties: Record<string, unknown>; geometry: { type: string; coordinates: unknown[] } | null }[] };
  const base = join(dir, path.split('/').pop()!.replace(/\.geojson$/, ''));
  writeFileSync(`${base}.ndjson`, fc.features.map((f) => JSON.stringify(f)).join('\n') + '\n');
  const out = [`${base}.ndjson`];
  if (fc.features.every((f) => f.geometry?.type === 'Point')) {
    const keys = [...new Set(fc.features.flatMap((f) => Object.keys(f.properties ?? {})))];
    const cell = (v: unknown) => (v === undefined || v === null ? '' : `"${String(v).replaceAll('"', '""')}"`);
    const rows = fc.features.map((f) => [...keys.map((k) => cell(f.properties?.[k])), ...f.geometry!.coordinates.map(cell)].join(','));
    writeFileSync(`${base}.csv`, [[...keys, 'lon', 'lat'].join(','), ...rows].join('\n') + '\n');
    out.push(`${base}.csv`);
  }
  return out;
}

/** The issue files of the bad-input corpus that the bulk path may take, and NDJSON/CSV variants of the GeoJSON ones. */
function corpus(): string[] {
  const files = readdirSync(BAD).filter((f) => f.startsWith('issues-')).map((f) => join(BAD, f));
  return files.flatMap((f) => {
    if (/\.(csv|ndjson)$/.test(f)) return [f];
    if (!f.endsWith('.geojson')) return [];
    try {
      return variants(f);
    } catch {
      return []; // Not valid JSON: a reader problem, for the GeoJSON reader's own tests.
    }
  });
}

describe('the bulk path gives the record path\'s answer', () => {
  it.each([...corpus(), join(CITY, 'issues.geojson')].map((f) => [f]))('%s', async (file) => {
    const path = file.endsWith('issues.geojson') && file.startsWith(CITY) ? variants(file)[1]! : file;
    const { bulk, records, bulkRows, recordRows } = await bothPaths(path);
    expect(comparable(bulk)).toEqual(comparable(records));
    expect(bulkRows).toEqual(recordRows);
  });

  it('takes a clean CSV and NDJSON file whole, leaving no row to the record path', async () => {
    // Typed JSON values (true, 0) are the record path's to read: the CSV form of the same city, and
    // NDJSON of text values.
    const csv = variants(join(CITY, 'issues.geojson'))[1]!;
    const ndjson = join(dir, 'text-values.ndjson');
    writeFileSync(ndjson, readFileSync(csv.replace(/\.csv$/, '.ndjson'), 'utf8').replace(/: ?(true|false|\d+)([,}])/g, ':"$1"$2'));
    for (const path of [csv, ndjson]) {
      bulkRuns.length = 0;
      const { bulk } = await bothPaths(path);
      expect(bulk.ok).toBe(true);
      expect(bulk.inserted).toBe(8);
      expect(bulkRuns[0]).toEqual({ taken: true, recordRows: 0 });
    }
  });

  it('leaves only the odd rows to the record path, in file order, and still counts all problems', async () => {
    const path = join(dir, 'mixed.csv');
    writeFileSync(path, [
      'id,category,source,status,reported_at,lon,lat',
      'M1,0101,patrol,reported,2026-11-02T09:00:00+08:00,102.72,24.97',
      'M2,0101,patrol,reported,2026/11/02 09:00,102.72,24.97', // a form only parseTimestamp reads
      'M3,9999,patrol,reported,2026-11-02T09:00:00+08:00,102.72,24.97',
      'M1,0101,patrol,reported,2026-11-02T09:00:00+08:00,102.72,24.97',
      'M4,0101,patrol,reported,\u30002026-11-02T09:00:00+08:00,102.72,24.97', // the reader trims it
      'M5,0101,patrol,reported,2026-11-02T09:00:00+08:00, 102.72,24.97',
    ].join('\n'));
    const { bulk, records } = await bothPaths(path);
    expect(comparable(bulk)).toEqual(comparable(records));
    expect(bulk.errors.map((e) => [e.index, e.code])).toEqual([[2, 'unknown_category'], [3, 'duplicate_id']]);
    expect(bulkRuns[0]).toEqual({ taken: true, recordRows: 4 });
  });

  it('leaves every NDJSON geometry that is not a plain two-number Point to the record path', async () => {
    const path = join(dir, 'shapes.ndjson');
    const feature = (id: string, geometry: unknown) =>
      JSON.stringify({ type: 'Feature', properties: { id, category: '0101', reported_at: '2026-11-02T09:00:00+08:00' }, geometry });
    writeFileSync(path, [
      feature('P1', { type: 'Point', coordinates: [102.72, 24.97] }),
      feature('P2', { type: 'Point', coordinates: [102.72, 24.97, 1900] }),
      feature('P3', { type: 'Point', coordinates: [102.72] }),
      feature('P4', { type: 'Point', coordinates: ['102.72', 24.97] }),
      feature('P5', { type: 'Point', coordinates: [102.72, 24.97], bbox: [102, 24, 103, 25] }),
      feature('P6', { type: 'MultiPoint', coordinates: [[102.72, 24.97]] }),
      feature('P7', { type: 'Point', coordinates: { 0: 102.72, 1: 24.97 } }),
      feature('P8', { type: 'Point', coordinates: [] }),
      feature('P9', null),
      feature('P10', { type: 'Point', coordinates: [1e999, 24.97] }),
      feature('P11', { type: 'Point', coordinates: [102.72, 24.97] }),
    ].join('\n') + '\n');
    const { bulk, records, bulkRows, recordRows } = await bothPaths(path);
    expect(comparable(bulk)).toEqual(comparable(records));
    expect(bulkRows).toEqual(recordRows);
    expect(bulk.errorCount).toBeGreaterThan(0);
    expect(bulkRuns[0]).toEqual({ taken: true, recordRows: 9 });
  });

  it('refuses a file wholly outside the deployment, and takes one with a single point inside', async () => {
    const path = join(dir, 'far.csv');
    const header = 'id,category,source,status,reported_at,lon,lat';
    const row = (i: number, lon = 104.06, lat = 30.67) => `F${i},0101,patrol,reported,2026-11-02T09:00:00+08:00,${lon},${lat}`;
    writeFileSync(path, [header, ...[1, 2, 3, 4, 5].map((i) => row(i))].join('\n'));
    await forget();
    const far = await runImport(db, { kind: 'issues', path, now });
    expect(far.errors.map((e) => e.code)).toEqual(['outside_regions']);
    expect(far.errors[0]!.reason).toContain('all 5 feature(s)');
    expect(bulkRuns[0]).toEqual({ taken: true, recordRows: 0 });
    // One point inside, in the last range: the file is taken.
    writeFileSync(path, [header, ...[1, 2, 3, 4].map((i) => row(i)), row(5, 102.72, 24.97)].join('\n'));
    const near = await runImport(db, { kind: 'issues', path, now });
    expect(near.ok).toBe(true);
    expect(near.inserted).toBe(5);
  });

  it('checks a file in row ranges as one: a bad row in the last range refuses the whole file, and nothing changes', async () => {
    const path = join(dir, 'ranges.csv');
    const row = (i: number, category = '0101') => `R${i},${category},patrol,reported,2026-11-02T09:00:00+08:00,102.72,24.97`;
    const header = 'id,category,source,status,reported_at,lon,lat';
    writeFileSync(path, [header, ...[1, 2, 3, 4, 5, 6].map((i) => row(i)), row(7, '9999')].join('\n'));
    CHUNK_ROWS.n = 3;
    try {
      const { bulk, records } = await bothPaths(path);
      expect(comparable(bulk)).toEqual(comparable(records));
      expect(bulk.errors).toEqual([expect.objectContaining({ index: 6, id: 'R7', field: 'category', code: 'unknown_category' })]);
      expect(bulkRuns[0]).toEqual({ taken: true, recordRows: 1 });

      writeFileSync(path, [header, ...[1, 2, 3, 4, 5, 6, 7].map((i) => row(i))].join('\n'));
      bulkRuns.length = 0;
      const clean = await bothPaths(path);
      expect(clean.bulk.inserted).toBe(7);
      expect(clean.bulkRows).toEqual(clean.recordRows);
      expect(bulkRuns[0]).toEqual({ taken: true, recordRows: 0 });
    } finally {
      CHUNK_ROWS.n = 2;
    }
  });

  it('sends to the record path only the rows of the ranges where some row failed, and checks ids across ranges and against stored rows', async () => {
    const path = join(dir, 'across.csv');
    const row = (id: string, category = '0101', at = '2026-11-02T09:00:00+08:00') => `${id},${category},patrol,reported,${at},102.72,24.97`;
    const header = 'id,category,source,status,reported_at,lon,lat';
    await forget();
    expect((await runImport(db, { kind: 'issues', path: (writeFileSync(path, [header, row('D0')].join('\n')), path), now })).ok).toBe(true);
    const before = await fingerprint(db);
    // Ranges of two rows: [D1 D2] [D3 D4] [X5 D1] — a bad category and a repeated id in the last range only.
    writeFileSync(path, [header, row('D1'), row('D2'), row('D3'), row('D4'), row('X5', '9999'), row('D1')].join('\n'));
    bulkRuns.length = 0;
    const report = await runImport(db, { kind: 'issues', path, now });
    expect(report.errors.map((e) => [e.index, e.id, e.code])).toEqual([[4, 'X5', 'unknown_category'], [5, 'D1', 'duplicate_id']]);
    expect(report.errors[1]!.reason).toContain('feature #0');
    expect(bulkRuns[0]).toEqual({ taken: true, recordRows: 1 });
    expect(await fingerprint(db)).toEqual(before);
    // An id already stored is not a duplicate: its row is replaced.
    writeFileSync(path, [header, row('D1'), row('D2'), row('D0', '0101', '2026-11-03T09:00:00+08:00')].join('\n'));
    const again = await runImport(db, { kind: 'issues', path, now });
    expect([again.ok, again.inserted, again.updated]).toEqual([true, 2, 1]);
    expect(await db.all('SELECT id FROM issues ORDER BY id')).toEqual([{ id: 'D0' }, { id: 'D1' }, { id: 'D2' }]);
  });

  it('stores the issues of a file out of time order in reported order', async () => {
    const path = join(dir, 'order.csv');
    const header = 'id,category,source,status,reported_at,lon,lat';
    const row = (id: string, day: number) => `${id},0101,patrol,reported,2026-11-0${day}T09:00:00+08:00,102.72,24.97`;
    const physical = async () => (await db.all<{ id: string }>('SELECT id FROM issues ORDER BY rowid')).map((r) => r.id);
    await forget();
    writeFileSync(path, [header, row('O1', 3), row('O2', 1), row('O3', 2), row('O4', 1)].join('\n'));
    expect((await runImport(db, { kind: 'issues', path, now })).ok).toBe(true);
    expect((await physical()).join()).toMatch(/^O[24],O[24],O3,O1$/);
  });

  it('numbers features past quoted line breaks as the CSV reader does', async () => {
    const path = join(dir, 'quoted.csv');
    writeFileSync(path, 'id,category,reported_at,description,lon,lat\nQ1,0101,2026-11-02T09:00:00+08:00,"two\nlines",102.72,24.97\nQ2,0101,2026-11-02T09:00:00+08:00,"one ""quoted"" word",102.72,24.97\nQ3,9999,2026-11-02T09:00:00+08:00,x,102.72,24.97\n');
    const { bulk, records, bulkRows, recordRows } = await bothPaths(path);
    expect(comparable(bulk)).toEqual(comparable(records));
    expect(bulk.errors).toEqual([expect.objectContaining({ index: 2, id: 'Q3', code: 'unknown_category' })]);
    expect(bulkRuns[0]!.taken).toBe(true);
    expect(bulkRows).toEqual(recordRows);
  });

  it('reads a GBK file through a temporary UTF-8 copy', async () => {
    const path = join(dir, 'gbk.csv');
    writeFileSync(path, iconv.encode('编号,类别,上报时间,描述,经度,纬度\nG1,0101,2026-11-02T09:00:00+08:00,井盖缺失,102.72,24.97\n', 'gbk'));
    const { bulk, records, bulkRows, recordRows } = await bothPaths(path);
    expect(bulk.ok).toBe(true);
    expect(comparable(bulk)).toEqual(comparable(records));
    expect(bulkRows).toEqual(recordRows);
    expect(bulkRuns[0]!.taken).toBe(true);
    expect((bulkRows.issues[0] as { description: string }).description).toBe('井盖缺失');
  });

  it('leaves loose quoting to the record path, which names the line', async () => {
    const path = join(dir, 'loose.csv');
    writeFileSync(path, 'id,category,reported_at,lon,lat\nL1,0101,2026-11-02T09:00:00+08:00,102.72,24.97\nL2,0101,2026-11-02 "09:00",102.72,24.97\n');
    const { bulk, records } = await bothPaths(path);
    expect(bulkRuns[0]!.taken).toBe(false);
    expect(bulk.ok).toBe(false);
    expect(comparable(bulk)).toEqual(comparable(records));
  });
});

describe('pieces of the bulk path', () => {
  it('tells a staging table in reported order from one that is not', async () => {
    const ordered = (ms: number[]) => db.read(async (conn) => {
      const session = new Session(conn);
      await session.run(`CREATE OR REPLACE TEMP TABLE order_probe AS SELECT unnest(${JSON.stringify(ms)}::BIGINT[]) AS reported_ms`);
      try {
        return await inTimeOrder(session, 'order_probe');
      } finally {
        await session.run('DROP TABLE temp.order_probe');
      }
    });
    expect(await ordered([1, 2, 2, 5])).toBe(true);
    expect(await ordered([])).toBe(true);
    expect(await ordered([1, 3, 2])).toBe(false);
  });

  it('cuts a file\'s rows into ranges that cover each row once', () => {
    expect(rowRanges(7, 3)).toEqual([[0, 2], [3, 5], [6, 6]]);
    expect(rowRanges(6, 3)).toEqual([[0, 2], [3, 5]]);
    expect(rowRanges(0, 3)).toEqual([]);
  });

  it('parses the exported timestamp shape exactly as parseTimestamp does, and leaves every other text to it', async () => {
    const texts = [
      '2026-11-02T09:00:00+08:00', '2026-11-02 09:00:00', '2026-11-02T09:00:00Z', '2026-11-02T09:00:00', '2024-02-29T23:59:59+08:00',
      '2026-02-30T09:00:00+08:00', '2026-11-02T24:00:00+08:00', '2026-11-02T09:00:60+08:00', '1989-12-31T23:59:59+08:00', '2101-01-01T00:00:00+08:00',
      '1990-01-01T00:00:00+08:00', '2100-12-31T23:59:59+08:00', '2026-1-2T09:00:00+08:00', '2026/11/02 09:00', '2026-11-02T09:00:00+09:00', '2026-11-02t09:00:00z',
    ];
    const rows = await db.all<{ t: string; ms: number | null }>(
      `SELECT t, ${fastTimestamp('t')} AS ms FROM (VALUES ${texts.map((t) => `('${t}')`).join(', ')}) AS u(t) ORDER BY t`,
    );
    for (const { t, ms } of rows) {
      const parsed = parseTimestamp(t);
      if (ms !== null) expect([t, ms]).toEqual([t, parsed.value]);
    }
    expect(rows.filter((r) => r.ms !== null).map((r) => r.t).sort()).toEqual(texts.slice(0, 5).concat(texts.slice(10, 12)).sort());
  });

  it('accepts the quoting csv-parse accepts, no more', async () => {
    const check = async (text: string) => {
      const path = join(dir, 'q.csv');
      writeFileSync(path, text);
      return strictCsvQuoting(path);
    };
    expect(await check('a,b\n"x,1","say ""hi"""\n"",\n')).toBe(true);
    expect(await check('a,b\n"two\r\nlines",2\r\n')).toBe(true);
    expect(await check('a,b\nx"y,2\n')).toBe(false);
    expect(await check('a,b\n "x",2\n')).toBe(false);
    expect(await check('a,b\n"x"y,2\n')).toBe(false);
    expect(await check('a,b\n"open,2\n')).toBe(false);
  });

  it('removes the temporary UTF-8 copy', async () => {
    const { tmpdir } = await import('node:os');
    const leftovers = () => readdirSync(tmpdir()).filter((n) => n.startsWith('civgrid-import-') && statSync(join(tmpdir(), n)).isDirectory());
    const before = leftovers();
    const path = join(dir, 'gbk2.csv');
    writeFileSync(path, iconv.encode('编号,类别,上报时间,经度,纬度\nG2,9999,2026-11-02T09:00:00+08:00,102.72,24.97\n', 'gbk'));
    await runImport(db, { kind: 'issues', path, now });
    expect(leftovers()).toEqual(before);
  });
});
