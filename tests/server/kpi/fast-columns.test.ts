/**
 * The KPI engine's columns at their narrowest: dictionary codes in 16 bits while the dictionary
 * fits (32 bits beyond), no rowid → slot table while every rowid is its own slot, and a full load's
 * room for later reports bounded. The counts must not change: the SQL path's, at the edges of the types.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BLOCK, codeColumn, Dictionary, emptyRowBatch, INT16_CODES, IssueColumns, loadMargin, OutOfStep, type Dictionaries } from '../../../server/kpi/fast/columns.ts';
import { KpiEngine } from '../../../server/kpi/fast/engine.ts';
import { UnitIndex } from '../../../server/kpi/fast/unit-index.ts';
import type { KpiCounts } from '../../../server/kpi/definitions.ts';
import { groupedCounts, type KpiContext } from '../../../server/kpi/query.ts';
import { resolveFilters } from '../../../server/kpi/resolve.ts';
import { loadScoring } from '../../../server/kpi/score.ts';
import { UNIT_COLUMN } from '../../../server/queries/stats.ts';
import { FIXTURE_NOW, type TestApp } from '../../helpers/app.ts';
import { postJson } from '../issues/helpers.ts';
import { extendedCityApp } from '../stats/city.ts';

const dictionaries = (grids: number): Dictionaries => ({
  status: new Dictionary(['closed']), source: new Dictionary(['app']), category: new Dictionary(['01']),
  grid: new Dictionary(Array.from({ length: grids }, (_, i) => `g${String(i).padStart(6, '0')}`)),
  community: new Dictionary(), street: new Dictionary(), site: new Dictionary(), department: new Dictionary(),
});

/** A batch of `rowids`, in the grids `grids`. */
function batchOf(rowids: number[], grids: number[] = rowids.map(() => -1)) {
  const b = emptyRowBatch(rowids.length);
  rowids.forEach((rowid, i) => {
    b.rowid[i] = rowid;
    b.idHash[i] = rowid * 7 + 1;
    b.grid[i] = grids[i];
    b.community[i] = b.street[i] = b.department[i] = b.category[i] = -1;
  });
  return b;
}

describe('KPI engine columns', () => {
  it('hold codes in 16 bits up to 32 767 dictionary values and in 32 bits beyond, -1 and the highest code exactly', () => {
    expect(codeColumn(INT16_CODES)).toBeInstanceOf(Int16Array);
    expect(codeColumn(INT16_CODES + 1)).toBeInstanceOf(Int32Array);
    for (const [size, type] of [[INT16_CODES, Int16Array], [INT16_CODES + 1, Int32Array]] as const) {
      const cols = new IssueColumns(dictionaries(size));
      cols.apply(batchOf([0, 1, 2], [-1, size - 1, 0]));
      expect(cols.grid).toBeInstanceOf(type);
      expect([...cols.grid.subarray(0, 3)]).toEqual([-1, size - 1, 0]);
      const index = UnitIndex.ofColumn(cols.grid, cols.length, size, 0);
      expect([...index.slotsOf(size - 1, 0, 3)]).toEqual([1]);
      expect([...index.slotsOf(0, 0, 3)]).toEqual([2]);
    }
  });

  it('index the slots of each unit across segments of 65 536 rows, as a filter of the column finds them', () => {
    // Units in runs and at random, a segment of one unit only, rows of no unit, and a last part-segment.
    const length = 3 * 65_536 + 1_234;
    const column = new Int16Array(length);
    let seed = 7;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    for (let r = 0; r < length; r++) column[r] = r >= 65_536 && r < 2 * 65_536 ? 2 : random() < 0.1 ? -1 : Math.floor(random() * 5);
    const index = UnitIndex.ofColumn(column, length, 6, 0);
    const spans = [[0, length], [0, 65_536], [65_535, 65_537], [100_000, 200_000], [131_072, 131_073], [length - 1, length], [5, 5], [70_000, 60_000]];
    for (const [from, to] of spans) {
      for (let code = -1; code <= 6; code++) {
        const want: number[] = [];
        for (let r = from; r < to; r++) if (column[r] === code && code >= 0) want.push(r);
        expect([...index.slotsOf(code, from, to)], `unit ${code} in [${from}, ${to})`).toEqual(want);
        expect(index.count(code, from, to)).toBe(want.length);
      }
    }
  });

  it('keep no rowid table while each rowid is its own slot, and write it out at the first one that is not', () => {
    const cols = new IssueColumns(dictionaries(1));
    cols.apply(batchOf([0, 1, 2, 3]));
    expect(cols.rowidMapped).toBe(false);
    expect([cols.slotOf(3), cols.slotOf(4), cols.slotOf(0)]).toEqual([3, -1, 0]);
    // An updated row keeps its slot; a rowid after a gap (a deleted row) gets the next slot.
    cols.apply(batchOf([2, 7]));
    expect(cols.rowidMapped).toBe(true);
    expect([cols.slotOf(2), cols.slotOf(7), cols.slotOf(5), cols.slotOf(3), cols.length]).toEqual([2, 4, -1, 3, 5]);
    cols.apply(batchOf([8]));
    expect([cols.slotOf(8), cols.length]).toEqual([5, 6]);
  });

  it('take each row of a load in rowid order to the slot of its rowid, in whatever order the batches come', async () => {
    const cols = new IssueColumns(dictionaries(3));
    await cols.loadInRowidOrder(5, async (place) => {
      place(batchOf([3, 4], [2, 2]));
      place(batchOf([0, 1, 2], [0, 1, -1]));
    });
    expect([cols.length, cols.maxRowid, cols.rowidMapped]).toEqual([5, 4, false]);
    expect([...cols.grid.subarray(0, 5)]).toEqual([0, 1, -1, 2, 2]);
    expect([...cols.idHash.subarray(0, 5)]).toEqual([1, 8, 15, 22, 29]);
    expect(cols.rowsWithoutStreet).toBe(5);
    // A report appended later takes the next slot.
    cols.apply(batchOf([5], [1]));
    expect([cols.slotOf(5), cols.grid[5]]).toEqual([5, 1]);
    await expect(new IssueColumns(dictionaries(1)).loadInRowidOrder(2, async (place) => place(batchOf([0, 2])))).rejects.toThrow(OutOfStep);
    await expect(new IssueColumns(dictionaries(1)).loadInRowidOrder(3, async (place) => place(batchOf([0, 1])))).rejects.toThrow(OutOfStep);
  });

  it('hold exactly the rows reserved, and grow by steps of a sixteenth past them', () => {
    const n = 5 * BLOCK + 3;
    const cols = new IssueColumns(dictionaries(1));
    cols.reserve(n);
    cols.apply(batchOf(Array.from({ length: n }, (_, r) => r)));
    for (const column of [cols.reported, cols.hours, cols.grid, cols.lon, cols.flags, cols.siteStart]) expect(column.length).toBe(n);
    cols.apply(batchOf([n]));
    expect(cols.length).toBe(n + 1);
    expect(cols.reported.length).toBe(n + Math.max(1024, Math.ceil(n / 16)));
    expect(cols.slotOf(n)).toBe(n);
  });
});

type Counts = Map<string | null, KpiCounts>;

/** The engine's counts equal the SQL's (hours to 9 places, as the engine's own tests hold them). */
function expectSame(fast: Counts, sql: Counts, label: string): void {
  expect([...fast.keys()].map(String).sort(), label).toEqual([...sql.keys()].map(String).sort());
  for (const [key, want] of sql) {
    const { median_hours: gm, mean_hours: ga, ...got } = fast.get(key)!;
    const { median_hours: wm, mean_hours: wa, ...rest } = want;
    expect(got, `${label} [${key}]`).toEqual(Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, Number(v)])));
    for (const [g, w] of [[gm, wm], [ga, wa]]) {
      if (w === null) expect(g, label).toBeNull();
      else expect(g!, label).toBeCloseTo(w, 9);
    }
  }
}

describe('KPI engine with a grid dictionary at the edge of 16-bit codes', () => {
  let t: TestApp;
  let ctx: KpiContext;
  const engines: KpiEngine[] = [];
  beforeAll(async () => {
    t = await extendedCityApp();
    ctx = { db: t.db, now: FIXTURE_NOW, scoring: loadScoring() };
  }, 60_000);
  afterAll(async () => {
    await Promise.all(engines.map((e) => e.close()));
    await t?.cleanup();
  });

  /** Grids of another plan, their codes sorting before the fixture's: the fixture's grids take the highest codes. */
  async function padGridsTo(size: number): Promise<void> {
    const { n } = (await t.db.one<{ n: number }>(
      `SELECT count(*)::INTEGER AS n FROM (SELECT code FROM grids UNION SELECT grid_code FROM issues) t(v) WHERE v IS NOT NULL`,
    ))!;
    await t.db.run(
      `INSERT INTO grids (plan_id, code, name, community, geometry, xmin, ymin, xmax, ymax, area_km2)
       SELECT 999, printf('0%08d', $from + i), 'pad', 'pad', '{}', 0, 0, 0, 0, 0 FROM range($count) r(i)`,
      { from: n, count: size - n },
    );
  }

  async function expectSqlAnswers(codeType: typeof Int16Array | typeof Int32Array): Promise<{ rowidMapped: boolean }> {
    const engine = new KpiEngine(t.db);
    engines.push(engine);
    engine.start();
    expect(await engine.ready()).toMatchObject({ state: 'ready' });
    const cols = (await engine.columns())!;
    expect(cols.grid).toBeInstanceOf(codeType);
    const top = cols.dict.grid.values[cols.dict.grid.size - 1];
    expect(cols.grid.includes(cols.dict.grid.size - 1), `an issue lies in ${top}, the highest code`).toBe(true);
    for (const q of [{}, { from: '2026-10-01', to: '2026-10-31' }, { scope: `grid:${top}` }, { scope: 'street:530111001', category: ['01'] }]) {
      const f = await resolveFilters(t.db, q);
      for (const by of ['grid', 'community', 'street'] as const) {
        const sql = await groupedCounts(ctx, f, UNIT_COLUMN[by]);
        expectSame((await engine.counts(f, { by }, FIXTURE_NOW))!, sql, `${by} ${JSON.stringify(q)}`);
      }
    }
    // A full load leaves room for later reports: one is written in place, and counted in its grid.
    const held = engine.state.issues;
    const reported = cols.reported;
    for (const column of [cols.reported, cols.closed, cols.grid, cols.lon, cols.status, cols.siteStart]) expect(column.length).toBe(held + loadMargin(held));
    expect((await postJson(t.app, '/api/issues', { clientId: `edge-${engines.length}`, category: '0101', lon: 102.72, lat: 24.97 })).status).toBe(201);
    const f = await resolveFilters(t.db, { from: '2020-01-01' });
    expectSame((await engine.counts(f, { by: 'grid' }, FIXTURE_NOW))!, await groupedCounts(ctx, f, UNIT_COLUMN.grid), 'grid after a report');
    expect(engine.state.issues).toBe(held + 1);
    expect((await engine.columns())!.reported).toBe(reported);
    return { rowidMapped: cols.rowidMapped };
  }

  it('counts like the SQL with 32 767 grid codes (16-bit), the highest held by an issue', async () => {
    await padGridsTo(INT16_CODES);
    await expectSqlAnswers(Int16Array);
  }, 60_000);

  it('counts like the SQL with 32 768 grid codes (32-bit)', async () => {
    await padGridsTo(INT16_CODES + 1);
    await expectSqlAnswers(Int32Array);
  }, 60_000);

  it('counts like the SQL after a row was deleted (rows loaded in the order read, with a rowid table)', async () => {
    await t.db.run(`DELETE FROM issues WHERE id = 'K01'`, undefined, ['issues']);
    const { rowidMapped } = await expectSqlAnswers(Int32Array);
    expect(rowidMapped).toBe(true);
  }, 60_000);
});

describe('KPI engine hours and close times in whole seconds', () => {
  let t: TestApp;
  let ctx: KpiContext;
  let engine: KpiEngine;
  beforeAll(async () => {
    t = await extendedCityApp();
    ctx = { db: t.db, now: FIXTURE_NOW, scoring: loadScoring() };
    engine = new KpiEngine(t.db);
    engine.start();
  }, 60_000);
  afterAll(async () => {
    await engine?.close();
    await t?.cleanup();
  });

  /** Medians equal the SQL's to the last bit (the same double division), means to 9 places (summed in another order). */
  async function expectSqlMedians(label: string, asOf: Date | null = null): Promise<void> {
    for (const q of [{}, { from: '2026-10-01', to: '2026-10-31' }, { scope: 'street:530111001' }]) {
      const f = { ...(await resolveFilters(t.db, q)), asOf };
      for (const by of ['grid', 'street', 'all'] as const) {
        const sql = await groupedCounts(ctx, f, by === 'all' ? "'all'" : UNIT_COLUMN[by]);
        const fast = (await engine.counts(f, { by }, FIXTURE_NOW))!;
        expectSame(fast, sql, `${label} ${by} ${JSON.stringify(q)}`);
        for (const [key, want] of sql) expect(fast.get(key)!.median_hours, `${label} ${by} ${JSON.stringify(q)} [${key}]`).toBe(want.median_hours);
      }
    }
  }

  it('holds whole seconds in 32 bits, and hours once a time with a fraction of a second or a missing one arrives', async () => {
    expect(await engine.ready()).toMatchObject({ state: 'ready' });
    let cols = (await engine.columns())!;
    expect([cols.hours instanceof Int32Array, cols.hoursDivisor]).toEqual([true, 3600]);
    expect([cols.closed instanceof Int32Array, cols.closedScale]).toEqual([true, 1000]);
    // As of the very instant a late issue closed (closed by then), and a millisecond before (overdue then).
    const LATE = `SELECT max(closed_at) FROM issues WHERE closed_at > deadline + INTERVAL 1 SECOND AND reported_at < closed_at - INTERVAL 1 SECOND`;
    const lateClose = async () => (await t.db.one<{ at: number }>(`SELECT epoch_ms((${LATE}))::DOUBLE AS at`))!.at;
    const around = (at: number) => [new Date(at), new Date(at - 1)];
    const instants = [null, ...around(await lateClose())];
    for (const asOf of instants) await expectSqlMedians(`whole seconds as of ${asOf?.toISOString()}`, asOf);
    // A dispatch without its time, and times a quarter and half a second later (the late issue's among
    // them): the columns turn to hours and epoch ms, exactly.
    await t.db.run(
      `UPDATE issues SET dispatched_at = CASE WHEN id = (SELECT min(id) FROM issues WHERE closed_at IS NOT NULL) THEN NULL
         ELSE dispatched_at + INTERVAL 250 MILLISECOND END, closed_at = closed_at + INTERVAL 500 MILLISECOND, updated_at = now()::TIMESTAMP
       WHERE id IN (SELECT id FROM issues WHERE closed_at IS NOT NULL AND dispatched_at IS NOT NULL ORDER BY id LIMIT 3) OR closed_at = (${LATE})`,
      undefined, ['issues'],
    );
    for (const asOf of [...instants, ...around(await lateClose())]) await expectSqlMedians(`a fraction of a second as of ${asOf?.toISOString()}`, asOf);
    cols = (await engine.columns())!;
    expect([cols.hours instanceof Float64Array, cols.hoursDivisor, cols.closed instanceof Float64Array, cols.closedScale, cols.closedBase]).toEqual([true, 1, true, 1, 0]);
  }, 60_000);
});
