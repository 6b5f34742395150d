/**
 * The KPI engine's counting workers around the counting itself (whose answers fast-engine.test.ts
 * holds to the main thread's): columns in shared memory, the gate that keeps a catch-up from
 * changing columns under a running count, counts while reports are appended, and shutdown.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DAY } from '../../../server/domain/time.ts';
import { BLOCK, Dictionary, emptyRowBatch, IssueColumns } from '../../../server/kpi/fast/columns.ts';
import type { CodeFilter, CodeGrouping } from '../../../server/kpi/fast/codes.ts';
import { answerOf, countKpis, finishCount, groupCountOf, mergeParts } from '../../../server/kpi/fast/count.ts';
import { KpiEngine, rangesByCost, rangesOf } from '../../../server/kpi/fast/engine.ts';
import { CountPool } from '../../../server/kpi/fast/pool.ts';
import { candidateBlocks, filtered, indexKindOf, rowsToRead, type RowRange } from '../../../server/kpi/fast/rows.ts';
import { loanOf } from '../../../server/kpi/fast/shared-view.ts';
import { SnapshotGate } from '../../../server/kpi/fast/snapshot-gate.ts';
import { UnitIndex } from '../../../server/kpi/fast/unit-index.ts';
import { periodBounds } from '../../../server/kpi/filters.ts';
import { frameSlotMs, framesOf, slotFrameTable } from '../../../server/kpi/frames.ts';
import { binGrid } from '../../../server/kpi/heat.ts';
import type { KpiContext } from '../../../server/kpi/query.ts';
import { loadScoring } from '../../../server/kpi/score.ts';
import { heatFrameBins } from '../../../server/queries/geo-heat.ts';
import type { Bbox } from '../../../server/domain/geometry.ts';
import { resolveFilters } from '../../../server/kpi/resolve.ts';
import { FIXTURE_NOW, type TestApp } from '../../helpers/app.ts';
import { postJson } from '../issues/helpers.ts';
import { extendedCityApp } from '../stats/city.ts';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('snapshot gate', () => {
  it('lets a write wait for the reads running, and reads arriving meanwhile wait for the write', async () => {
    const gate = new SnapshotGate();
    const order: string[] = [];
    let release!: () => void;
    const first = gate.read(() => new Promise<void>((r) => (release = r)).then(() => void order.push('read 1')));
    const write = gate.write(() => void order.push('write'));
    const second = gate.read(async () => void order.push('read 2'));
    await tick();
    expect(order).toEqual([]);
    release();
    await Promise.all([first, write, second]);
    expect(order).toEqual(['read 1', 'write', 'read 2']);
  });

  it('opens again after a write that threw', async () => {
    const gate = new SnapshotGate();
    await expect(gate.write(() => { throw new Error('half applied'); })).rejects.toThrow('half applied');
    expect(await gate.read(async () => 'read')).toBe('read');
  });
});

describe('KPI engine with counting workers', () => {
  let t: TestApp;
  let engine: KpiEngine;
  const logged: string[] = [];
  const q = { from: '2026-10-01', to: '2026-11-30' };
  // Every count split, one row per range and an empty one: as many parts as rows.
  const everyRow = (n: number) => [{ from: 0, to: 0 }, ...Array.from({ length: n }, (_, r) => ({ from: r, to: r + 1 }))];

  beforeAll(async () => {
    t = await extendedCityApp();
    engine = new KpiEngine(t.db, (m) => logged.push(m), { workers: 2, cut: everyRow });
    t.deps.engine = engine;
    engine.start();
    expect(await engine.ready()).toMatchObject({ state: 'ready' });
  }, 60_000);
  afterAll(async () => {
    await engine?.close();
    await t?.cleanup();
  });

  it('holds its columns in shared memory, lent to the workers without a copy', async () => {
    const f = await resolveFilters(t.db, q);
    expect(await engine.counts(f, { by: 'status' }, FIXTURE_NOW)).toBeDefined();
    const cols = (engine as unknown as { cols: Parameters<typeof loanOf>[0] }).cols;
    const loan = loanOf(cols, 'street');
    for (const [name, array] of Object.entries(loan.arrays)) expect(array.buffer, name).toBeInstanceOf(SharedArrayBuffer);
    for (const part of [loan.indexes.street!.low, loan.indexes.street!.offsets]) expect(part.buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  it('counts a playback in parts on the workers, the frames the main thread counts', async () => {
    const inline = new KpiEngine(t.db);
    inline.start();
    await inline.ready();
    try {
      for (const [scope, level] of [[{}, 'grid'], [{}, 'street'], [{ scope: 'street:530111001' }, 'grid']] as const) {
        const f = await resolveFilters(t.db, { ...q, ...scope });
        const { frames } = framesOf(periodBounds(f, FIXTURE_NOW), 'day', FIXTURE_NOW);
        const column = level === 'grid' ? 'grid_code' : 'street';
        const units = (await t.db.all<{ code: string }>(`SELECT DISTINCT ${column} AS code FROM issues WHERE ${column} IS NOT NULL ORDER BY 1`)).map((r) => r.code);
        const parts = await engine.frames(f, level, units, 'day', frames, FIXTURE_NOW);
        const whole = await inline.frames(f, level, units, 'day', frames, FIXTURE_NOW);
        expect(whole!.overdue.some((v) => v > 0) && whole!.reported.some((v) => v > 0), level).toBe(true);
        expect(parts, `${JSON.stringify(scope)} by ${level}`).toEqual(whole);
      }
    } finally {
      await inline.close();
    }
    expect(logged).toEqual([]);
  });

  it('counts a playback\'s heat in parts on the workers: the main thread\'s bins and frames and DuckDB\'s, rows appended since the load included', async () => {
    const inline = new KpiEngine(t.db);
    inline.start();
    await inline.ready();
    const bbox: Bbox = [102.6, 24.8, 102.9, 25.1];
    const period = { from: '2026-11-01', to: '2026-11-30' };
    const heatOf = async (e: KpiEngine, filter: object, zoom: number, step: 'day' | 'hour') => {
      const f = await resolveFilters(t.db, { ...period, ...filter });
      const { frames } = framesOf(periodBounds(f, FIXTURE_NOW), step, FIXTURE_NOW);
      const ctx: KpiContext = { db: t.db, now: FIXTURE_NOW, scoring: loadScoring(), engine: e };
      const grid = binGrid(bbox, zoom, 8);
      const counted = await e.heatFrames(f, { bbox, grid, slotMs: frameSlotMs(step), ...slotFrameTable(frames, frameSlotMs(step)), frames: frames.length, maxCounts: 1e7 }, FIXTURE_NOW);
      const sql = await heatFrameBins({ ...ctx, engine: undefined }, f, bbox, grid, frames, frameSlotMs(step), 1e7);
      return { counted: counted && { x: Array.from(counted.bins, (b) => b % grid.cols), y: Array.from(counted.bins, (b) => (b / grid.cols) | 0), counts: counted.counts }, sql };
    };
    try {
      const before = await heatOf(engine, {}, 12, 'day');
      expect((await postJson(t.app, '/api/issues', { clientId: 'heat-frames-1', category: '0101', lon: 102.72, lat: 24.97 })).status).toBe(201);
      const sum = (c: Int32Array | null) => c!.reduce((n, v) => n + v, 0);
      for (const [filter, zoom, step] of [[{}, 12, 'day'], [{ category: ['0101'], from: '2026-11-24', to: '2026-11-25' }, 14, 'hour'], [{ scope: 'street:530111001', source: ['patrol', 'hotline'] }, 13, 'day']] as const) {
        const parts = await heatOf(engine, filter, zoom, step);
        const whole = await heatOf(inline, filter, zoom, step);
        const label = `${JSON.stringify(filter)} z${zoom} by ${step}`;
        expect(parts.sql.x.length, label).toBeGreaterThan(0);
        expect(parts.counted, label).toEqual(parts.sql);
        expect(whole.counted, label).toEqual(parts.sql);
      }
      expect(sum((await heatOf(engine, {}, 12, 'day')).counted!.counts)).toBe(sum(before.counted!.counts) + 1);
    } finally {
      await inline.close();
    }
    expect(logged).toEqual([]);
  });

  it('answers every count sent while rows are appended and changed with the counts of one state of the data', async () => {
    const f = await resolveFilters(t.db, q);
    // The states the data passes through, as the main thread counts them.
    const inline = new KpiEngine(t.db);
    inline.start();
    await inline.ready();
    const state = async () => JSON.stringify([...(await inline.counts(f, { by: 'status' }, FIXTURE_NOW))!]);
    const states = [await state()];
    const answers: Promise<unknown>[] = [];
    // New reports (appended rows), and two held rows far apart changed in place by one write: a
    // count that read one of them before the catch-up and the other after would match no state.
    const statuses = ['cancelled', 'deferred', 'reported'];
    for (let k = 0; k < 6; k++) {
      for (let i = 0; i < 30; i++) answers.push(engine.counts(f, { by: 'status' }, FIXTURE_NOW));
      const written = k % 2 === 0
        ? Promise.resolve(postJson(t.app, '/api/issues', { clientId: `workers-${k}`, category: '0101', lon: 102.72, lat: 24.97 })).then((res) => expect(res.status).toBe(201))
        : t.db.run(
          `UPDATE issues SET status = $status, updated_at = now()::TIMESTAMP
           WHERE rowid IN ((SELECT min(rowid) FROM issues WHERE reported_at >= '2026-10-01'), (SELECT max(rowid) FROM issues WHERE reported_at < '2026-12-01'))`,
          { status: statuses[k % 3] }, ['issues'],
        );
      await written;
      // These catch up while counts sent before the write may still be counting.
      for (let i = 0; i < 6; i++) answers.push(engine.counts(f, { by: 'status' }, FIXTURE_NOW));
      states.push(await state());
    }
    await inline.close();
    expect(new Set(states).size).toBeGreaterThan(4);
    for (const answer of await Promise.all(answers)) expect(states).toContain(JSON.stringify([...(answer as Map<unknown, unknown>)]));
    // After the last report, the engine's answer is the last state's.
    expect(JSON.stringify([...(await engine.counts(f, { by: 'status' }, FIXTURE_NOW))!])).toBe(states[6]);
    expect(logged).toEqual([]);
  });
});

/** n issues reported evenly over two years in table order, in 40 streets, half of them closed with hours. */
function synthetic(n: number, now: number): IssueColumns {
  const names = (prefix: string, k: number) => Array.from({ length: k }, (_, i) => `${prefix}${i}`);
  const cols = new IssueColumns({
    status: new Dictionary(['reported', 'closed', 'cancelled', 'deferred']), source: new Dictionary(['patrol']), category: new Dictionary(names('c', 5)),
    grid: new Dictionary(names('g', 400)), community: new Dictionary(names('m', 100)), street: new Dictionary(names('s', 40)), site: new Dictionary(),
    department: new Dictionary(),
  });
  const b = emptyRowBatch(n);
  for (let i = 0; i < n; i++) {
    const closed = i % 2 === 0;
    b.rowid[i] = i;
    b.idHash[i] = i;
    b.reported[i] = now - 730 * DAY + (730 * DAY * i) / n;
    b.deadline[i] = b.reported[i] + ((i % 9) + 1) * DAY;
    b.closed[i] = closed ? b.reported[i] + 2 * DAY : NaN;
    // Hours of many magnitudes: a plain running sum of them depends on their order.
    b.hours[i] = closed ? ((i * 7919) % 100_003) / 37 + 1e-7 * (i % 13) : NaN;
    b.status[i] = closed ? 1 : 0;
    b.category[i] = i % 5;
    b.grid[i] = (i * 31) % 400;
    b.community[i] = Math.floor(b.grid[i] / 4);
    b.street[i] = Math.floor(b.community[i] / 2.5);
    b.department[i] = -1;
    b.flags[i] = i % 4;
  }
  cols.apply(b);
  return cols;
}

describe('row ranges of a count', () => {
  const now = Date.parse('2026-11-25T04:00:00Z');
  const n = 1_200_000;
  const cols = synthetic(n, now);
  const codes = { reported: 0, closed: 1, cancelled: 2, deferred: 3 };
  const period = (days: number): CodeFilter => ({
    start: now - days * DAY, end: now, dueEnd: now, asOf: null, scope: { kind: 'all' }, categories: null, sources: null, statuses: null, sitesAny: null,
  });

  it('cuts a playback by the work of its blocks, at block edges, or leaves a light one on the main thread', () => {
    // Thirty blocks skipped but for a few late rows, then twenty read whole (for reports and backlog): half the work is past block 40, not 25.
    const cost = Float64Array.from([...Array(30).fill(1000), ...Array(20).fill(30_000)]);
    const length = 50 * BLOCK - 5;
    expect(rangesByCost(cost, length, 2)).toEqual([{ from: 0, to: 40 * BLOCK }, { from: 40 * BLOCK, to: length }]);
    expect(rangesByCost(cost, length, 1)).toEqual([{ from: 0, to: length }]);
    expect(rangesByCost(Float64Array.from(Array(50).fill(1000)), length, 2)).toBeNull();
  });

  it('leaves a small count on the main thread and cuts a large one into equal runs of the blocks its period touches', () => {
    expect(rangesOf(cols, period(7), 2)).toBeNull();
    // Two streets of forty, over a year: their own rows are few.
    expect(rangesOf(cols, { ...period(365), scope: { kind: 'streets', mask: Uint8Array.from({ length: 40 }, (_, s) => +(s < 2)), codes: [0, 1] } }, 2)).toBeNull();
    const ranges = rangesOf(cols, period(365), 2)!;
    expect(ranges).toHaveLength(2);
    expect(ranges[0].from).toBe(0);
    expect(ranges[1]).toMatchObject({ from: ranges[0].to, to: n });
    expect(ranges[0].to % BLOCK).toBe(0);
    // The last year is the table's second half: each part gets about a quarter of the table, not a half.
    expect(Math.abs(ranges[0].to - 0.75 * n)).toBeLessThan(0.01 * n);
    expect(rangesOf(cols, period(365), 1)).toHaveLength(1);
  });

  it('gives the one-thread answer, counted in parts by the pool, for each shape of count', async () => {
    const pool = new CountPool(2);
    try {
      const days = 365;
      const firstSlot = Math.floor((now - days * DAY) / DAY) - 1;
      const groupings: CodeGrouping[] = [
        { kind: 'one', name: 'all' },
        { kind: 'column', column: 'street', names: cols.dict.street.values },
        { kind: 'column', column: 'category', names: cols.dict.category.values },
        { kind: 'clock', unit: 'hour' },
        {
          kind: 'bucket', slotMs: DAY, firstSlot, slotToBucket: Int32Array.from({ length: days + 40 }, (_, d) => (d <= days + 1 ? d : -1)),
          names: Array.from({ length: days + 2 }, (_, d) => String(d)),
          starts: Float64Array.from({ length: days + 2 }, (_, d) => (firstSlot + d) * DAY),
          ends: Float64Array.from({ length: days + 2 }, (_, d) => (firstSlot + d + 1) * DAY),
          dueEnds: Float64Array.from({ length: days + 2 }, (_, d) => Math.min((firstSlot + d + 1) * DAY, now)),
          asOf: null,
        },
      ];
      // A district of 3 streets reads its rows street by street from the index: one count lists a
      // group's hours in another order than its parts laid end to end, which a plain sum would show.
      // One of 15 streets holds too many rows for the index: it scans.
      const streets = (k: number) => ({ kind: 'streets' as const, mask: Uint8Array.from({ length: 40 }, (_, s) => +(s < k)), codes: Array.from({ length: k }, (_, s) => s) });
      const scopes = [period(days), { ...period(days), scope: streets(3) }, { ...period(days), scope: streets(15) }, { ...period(days), units: { kind: 'grid' as const, codes: [3, 5, 80, 399] } }];
      for (const filter of scopes) {
        for (const grouping of groupings) {
          const ranges = [{ from: 0, to: 400_000 }, { from: 400_000, to: 1_000_000 }, { from: 1_000_000, to: n }];
          const task = { loan: loanOf(cols, indexKindOf(filter)), filter, grouping, codes, withHours: true };
          const parts = await Promise.all(ranges.map((range) => pool.run({ ...task, range })));
          const partition = grouping.kind !== 'bucket';
          const oneThread = countKpis(cols, filter, grouping, codes, true, partition);
          expect(finishCount(grouping, mergeParts(parts), partition), `${grouping.kind} ${JSON.stringify(filter.scope).slice(0, 40)}`).toEqual(oneThread);
          // Finished on a worker (the parts handed over): the same answer.
          const again = await Promise.all(ranges.map((range) => pool.run({ ...task, range })));
          expect(answerOf(grouping, await pool.finish({ parts: again, groupCount: groupCountOf(grouping), withTotal: partition }), partition)).toEqual(oneThread);
        }
      }
    } finally {
      await pool.close();
    }
  }, 60_000);

  it('reads some streets or units through their index only when they hold few of the period\'s rows, with the same rows either way', () => {
    const small = synthetic(120_000, now);
    const year = period(365);
    const streets = (k: number) => ({ kind: 'streets' as const, mask: Uint8Array.from({ length: 40 }, (_, s) => +(s < k)), codes: Array.from({ length: k }, (_, s) => s) });
    const span = (f: CodeFilter) => {
      const blocks = candidateBlocks(small, f.start, f.end);
      return Math.min(small.length, (blocks[blocks.length - 1] + 1) * BLOCK) - blocks[0] * BLOCK;
    };
    const district = { ...year, scope: streets(15) };
    const few = { ...year, scope: streets(2) };
    // 15 streets of 40 hold 37 % of the rows: testing each row of the period beats the index's scattered reads.
    expect(rowsToRead(small, district)).toBe(span(district));
    expect(rowsToRead(small, few)).toBeLessThan(span(few) / 10);
    const grids = (k: number) => ({ ...year, units: { kind: 'grid' as const, codes: Array.from({ length: k }, (_, g) => g * 2) } });
    expect(rowsToRead(small, grids(150))).toBe(span(grids(150)));
    expect(rowsToRead(small, grids(4))).toBeLessThan(span(grids(4)) / 10);
    // Rows appended after the indexes were built (a tail the index path scans), some in the scope.
    small.unitIndex('street');
    small.unitIndex('grid');
    const tail = emptyRowBatch(3_000);
    for (let i = 0; i < tail.length; i++) {
      tail.rowid[i] = 120_000 + i;
      tail.idHash[i] = 120_000 + i;
      tail.reported[i] = now - (i % 400) * DAY;
      tail.deadline[i] = tail.reported[i] + DAY;
      tail.closed[i] = NaN;
      tail.hours[i] = NaN;
      tail.grid[i] = (i * 7) % 400;
      tail.community[i] = Math.floor(tail.grid[i] / 4);
      tail.street[i] = i % 3 === 0 ? -1 : Math.floor(tail.community[i] / 2.5);
      tail.department[i] = -1;
    }
    small.apply(tail);
    expect(small.currentIndex('street')?.builtLength).toBe(120_000);
    const inPeriod = (f: CodeFilter, r: number) => small.reported[r] < f.end && (small.reported[r] >= f.start || small.deadline[r] >= f.start);
    const want = (f: CodeFilter, keep: (r: number) => boolean, range: RowRange) =>
      Array.from({ length: range.to - range.from }, (_, i) => range.from + i).filter((r) => inPeriod(f, r) && keep(r));
    const got = (f: CodeFilter, range: RowRange) => {
      const sel = filtered(small, f, range);
      return [...sel.rows.subarray(0, sel.length)].sort((a, b) => a - b);
    };
    const inStreets = (k: number) => (r: number) => small.street[r] >= 0 && small.street[r] < k;
    const ofGrids = (k: number) => (r: number) => small.grid[r] % 2 === 0 && small.grid[r] < 2 * k && small.street[r] >= 0;
    const cases: [CodeFilter, (r: number) => boolean][] = [
      [district, inStreets(15)], [few, inStreets(2)], [grids(150), ofGrids(150)], [grids(4), ofGrids(4)],
    ];
    for (const [f, keep] of cases) {
      for (const range of [{ from: 0, to: small.length }, { from: 5_000, to: 119_990 }, { from: 110_000, to: small.length }]) {
        expect(got(f, range), `${JSON.stringify(f.scope).slice(0, 50)} ${JSON.stringify(f.units ?? null).slice(0, 30)} ${JSON.stringify(range)}`).toEqual(want(f, keep, range));
      }
    }
  });

  it('builds unit indexes on a worker, the same as the main thread builds them', async () => {
    const pool = new CountPool(1);
    try {
      for (const kind of ['street', 'grid'] as const) {
        const built = await pool.index(cols.indexSource(kind));
        const here = cols.unitIndex(kind);
        for (const code of [0, 7, 39]) expect([...built.slotsOf(code, 0, n)]).toEqual([...here.slotsOf(code, 0, n)]);
        for (const part of [built.parts.low, built.parts.offsets]) expect(part.buffer).toBeInstanceOf(SharedArrayBuffer);
      }
    } finally {
      await pool.close();
    }
  });
});

describe('KPI engine with counting workers, off the main thread', () => {
  it('builds the unit index a count reads on a worker, and finishes a large count there', async () => {
    const t = await extendedCityApp();
    const engine = new KpiEngine(t.db, undefined, { workers: 2 });
    const inline = new KpiEngine(t.db);
    const built = [vi.spyOn(UnitIndex, 'ofColumn'), vi.spyOn(UnitIndex, 'ofLists')];
    try {
      engine.start();
      inline.start();
      await Promise.all([engine.ready(), inline.ready()]);
      const f = await resolveFilters(t.db, { scope: 'street:530111001', from: '2026-10-01', to: '2026-11-30' });
      const mainThreadBuilds = () => built.reduce((n, spy) => n + spy.mock.calls.length, 0);
      // Counted here (few rows), but the street index it reads was built by a worker.
      const before = mainThreadBuilds();
      expect(await engine.counts(f, { by: 'status' }, FIXTURE_NOW)).toEqual(await inline.counts(f, { by: 'status' }, FIXTURE_NOW));
      // The inline engine built its own on this thread; the engine with workers none.
      expect(mainThreadBuilds() - before).toBe(1);
      // What /api/health counts: the issues held while caught up, none once a report is written and not yet read.
      const issues = async () => (await t.db.one<{ n: number }>('SELECT count(*)::INTEGER AS n FROM issues'))!.n;
      expect(engine.heldIssues).toBe(await issues());
      expect((await postJson(t.app, '/api/issues', { clientId: 'held-1', category: '0101', lon: 102.72, lat: 24.97 })).status).toBe(201);
      expect(engine.heldIssues).toBeNull();
      await engine.counts(f, { by: 'status' }, FIXTURE_NOW);
      expect(engine.heldIssues).toBe(await issues());
    } finally {
      for (const spy of built) spy.mockRestore();
      await engine.close();
      await inline.close();
      await t.cleanup();
    }
  }, 60_000);
});

describe('counting workers shut down', () => {
  it('ends its threads on close, failing what was still queued', async () => {
    const pool = new CountPool(2);
    const exits = (pool as unknown as { slots: { worker: import('node:worker_threads').Worker }[] }).slots
      .map(({ worker }) => new Promise<number>((r) => worker.once('exit', r)));
    await pool.close();
    expect(await Promise.all(exits)).toHaveLength(2);
    await expect(pool.run({} as never)).rejects.toThrow('closed');
  });
});
