/**
 * The in-memory KPI engine (server/kpi/fast) must give the answers of the SQL path, for every
 * grouping the API uses, every scope kind, open and closed periods and every optional filter; and
 * it must follow writes: reports, workflow events, bulk imports, deletes it was not told about.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../server/db/database.ts';
import { loadDemo } from '../../../server/demo/load.ts';
import { CALENDAR_UNITS } from '../../../server/domain/time.ts';
import type { KpiCounts } from '../../../server/kpi/definitions.ts';
import { KpiEngine } from '../../../server/kpi/fast/engine.ts';
import type { RowRange } from '../../../server/kpi/fast/rows.ts';
import type { FilterQuery } from '../../../server/kpi/filters.ts';
import { groupedCounts, totalCounts, type KpiContext } from '../../../server/kpi/query.ts';
import { resolveFilters } from '../../../server/kpi/resolve.ts';
import { loadScoring } from '../../../server/kpi/score.ts';
import { bucketsOf } from '../../../server/kpi/timeseries.ts';
import { framesOf } from '../../../server/kpi/frames.ts';
import { frameCounts } from '../../../server/queries/frames.ts';
import { regionCounts, siteCounts } from '../../../server/queries/geo.ts';
import { issuePage, reportedFloor, type IssueCursor } from '../../../server/queries/issues.ts';
import { breakdownCounts, bucketCounts, BREAKDOWNS, RANK_LEVELS, seriesRange, UNIT_COLUMN, unitCounts, unitsOf } from '../../../server/queries/stats.ts';
import { FIXTURE_NOW, type TestApp } from '../../helpers/app.ts';
import { freshDb, importOk } from '../../helpers/db.ts';
import { postJson } from '../issues/helpers.ts';
import { extendedCityApp } from '../stats/city.ts';

type Counts = Map<string | null, KpiCounts>;

/** An engine that fails the test instead of letting the SQL path answer for it. */
function strict(engine: KpiEngine): KpiEngine {
  const answered = <T>(answer: T | undefined): T => {
    if (!answer) throw new Error(`the engine declined (${JSON.stringify(engine.state)})`);
    return answer;
  };
  return {
    counts: async (...args: Parameters<KpiEngine['counts']>) => answered(await engine.counts(...args)),
    countsWithTotal: async (...args: Parameters<KpiEngine['countsWithTotal']>) => answered(await engine.countsWithTotal(...args)),
    frames: async (...args: Parameters<KpiEngine['frames']>) => answered(await engine.frames(...args)),
  } as unknown as KpiEngine;
}

export function expectSameCounts(fast: Counts, sql: Counts, label: string): void {
  const keys = (m: Counts) => [...m.keys()].map(String).sort();
  expect(keys(fast), label).toEqual(keys(sql));
  for (const [key, want] of sql) {
    const got = fast.get(key)!;
    const { median_hours: gm, mean_hours: ga, ...gotCounts } = got;
    const { median_hours: wm, mean_hours: wa, ...wantCounts } = want;
    expect(gotCounts, `${label} [${key}]`).toEqual(Object.fromEntries(Object.entries(wantCounts).map(([k, v]) => [k, Number(v)])));
    for (const [g, w] of [[gm, wm], [ga, wa]]) {
      if (w === null) expect(g, `${label} [${key}] hours`).toBeNull();
      else expect(g!, `${label} [${key}] hours`).toBeCloseTo(w, 9);
    }
  }
}

/** A breakdown's rows with its total as one more row (a key no row has). */
const withTotal = ({ rows, total }: { rows: Counts; total: KpiCounts }): Counts => new Map([...rows, ['(total)', total]]);

/** Every grouping the routes ask for, as a function of the context (with or without the engine); `asOf`: counted as of that instant. */
function groupings(q: FilterQuery, asOf: Date | null = null): [string, (ctx: KpiContext) => Promise<Counts>][] {
  const resolved = async (db: Database, query: FilterQuery) => ({ ...(await resolveFilters(db, query)), asOf });
  return [
    ['total', async (ctx) => new Map([['all', await totalCounts(ctx, await resolved(ctx.db, q))]])],
    ...RANK_LEVELS.flatMap((level): [string, (ctx: KpiContext) => Promise<Counts>][] => [
      [`rank ${level}`, async (ctx) => groupedCounts(ctx, await resolved(ctx.db, q), UNIT_COLUMN[level], { fast: { by: level } })],
      [`rank ${level}, counts only`, async (ctx) => unitCounts(ctx, await resolved(ctx.db, q), level, { hours: false })],
      // The listed units' medians: every other unit of the ranking.
      [`rank ${level}, listed units`, async (ctx) => {
        const f = await resolved(ctx.db, q);
        const codes = [...(await unitCounts(ctx, f, level, { hours: false })).keys()].filter((k): k is string => k !== null).sort();
        const only = codes.filter((_, i) => i % 2 === 0);
        return only.length ? unitCounts(ctx, f, level, { hours: true, only }) : new Map();
      }],
    ]),
    ...BREAKDOWNS.map((by): [string, (ctx: KpiContext) => Promise<Counts>] => [
      `breakdown ${by}`, async (ctx) => withTotal(await breakdownCounts(ctx, await resolved(ctx.db, q), by, 2)),
    ]),
    ['breakdown 大类', async (ctx) => withTotal(await breakdownCounts(ctx, await resolved(ctx.db, q), 'category', 1))],
    ...(['district', 'street', 'community'] as const).map((level): [string, (ctx: KpiContext) => Promise<Counts>] => [
      `regions ${level}`, async (ctx) => regionCounts(ctx, await resolved(ctx.db, q), level),
    ]),
    ['sites layer', async (ctx) => siteCounts(ctx, await resolved(ctx.db, q))],
    ...CALENDAR_UNITS.map((interval): [string, (ctx: KpiContext) => Promise<Counts>] => [
      `series ${interval}`, async (ctx) => {
        const f = await resolved(ctx.db, q);
        const range = await seriesRange(ctx, f);
        const buckets = range && bucketsOf(range, interval, 5_000);
        return range && buckets?.length ? bucketCounts(ctx, { ...f, ...range }, interval, buckets) : new Map();
      },
    ]),
  ];
}

async function expectSameAnswers(ctx: KpiContext, engine: KpiEngine, q: FilterQuery, asOf: Date | null = null): Promise<void> {
  for (const [name, run] of groupings(q, asOf)) {
    const sql = await run({ ...ctx, engine: undefined });
    const fast = await run({ ...ctx, engine: strict(engine) });
    expectSameCounts(fast, sql, `${name} ${JSON.stringify(q)}${asOf ? ` as of ${asOf.toISOString()}` : ''}`);
  }
}

const PERIODS: Pick<FilterQuery, 'from' | 'to'>[] = [
  {}, { from: '2026-10-01', to: '2026-10-31' }, { from: '2026-11-01' }, { to: '2026-10-15' },
  // Today: deadlines count up to "now", mid-day.
  { from: '2026-11-25', to: '2026-11-25' }, { from: '2026-09-28', to: '2026-11-09' },
];
const AS_OF = ['2026-11-06T03:59:59.999Z', '2026-11-06T04:00:00Z', '2026-10-21T00:00:00Z', '2026-10-26T04:00:00Z', '2025-11-25T04:00:00Z'];
const SCOPES = [
  undefined, 'street:530111001', 'street:530111003', 'community:530111001002', 'grid:530111001002001', 'site:S1', 'site:S4', 'grid:530111002001001',
];
const FILTERS: Partial<FilterQuery>[] = [
  { category: ['01'] }, { category: ['0202', '0102'] }, { source: ['patrol', 'hotline'] }, { status: ['closed'] },
  { status: ['cancelled', 'deferred', 'reported'] }, { siteType: ['market'] }, { siteType: ['park', 'market'] },
  { category: ['02'], source: ['camera', 'inspection', 'patrol'], siteType: ['market'] },
];

describe('KPI engine answers like the SQL path', () => {
  let t: TestApp;
  let engine: KpiEngine;
  let ctx: KpiContext;
  beforeAll(async () => {
    t = await extendedCityApp();
    engine = new KpiEngine(t.db);
    engine.start();
    expect(await engine.ready()).toMatchObject({ state: 'ready' });
    ctx = { db: t.db, now: FIXTURE_NOW, scoring: loadScoring() };
  }, 60_000);
  afterAll(async () => t?.cleanup());

  it('holds every issue', async () => {
    const { n } = (await t.db.one<{ n: number }>('SELECT count(*) AS n FROM issues'))!;
    expect(engine.state).toMatchObject({ state: 'ready', issues: n });
  });

  it.each(PERIODS)('for every scope and grouping, period %j', async (period) => {
    for (const scope of SCOPES) await expectSameAnswers(ctx, engine, { ...period, scope });
  }, 60_000);

  it.each(FILTERS)('with filters %j', async (filters) => {
    for (const period of [PERIODS[0], PERIODS[1]]) {
      for (const scope of [undefined, 'street:530111001', 'site:S5']) await expectSameAnswers(ctx, engine, { ...period, ...filters, scope });
    }
  }, 60_000);

  // As of instants between the fixture's reports, deadlines and closures: I03 was closed on 11-06
  // 12:00 (open before), I05 on 10-21 08:00, J01 on 10-10 12:00.
  it.each(AS_OF)('as of %s, for every scope and grouping', async (asOf) => {
    for (const period of [PERIODS[0], PERIODS[1], PERIODS[2], PERIODS[5]]) {
      for (const scope of [undefined, 'street:530111002', 'site:S1']) await expectSameAnswers(ctx, engine, { ...period, scope }, new Date(asOf));
    }
  }, 60_000);
});

/**
 * Cuts of n rows at awkward places: empty ranges at both ends and inside, single rows, and the
 * rest in uneven pieces that straddle block edges (4 096) when there are that many rows.
 */
function awkwardCut(n: number): RowRange[] {
  const points = [...new Set([0, 0, 1, 2, Math.floor(n / 3), Math.floor(n / 3), 4095, 4096, 4097, n - 1, n])]
    .filter((p) => p >= 0 && p <= n).sort((a, b) => a - b);
  const ranges: RowRange[] = [{ from: 0, to: 0 }];
  for (let k = 0; k + 1 < points.length; k++) ranges.push({ from: points[k], to: points[k + 1] });
  ranges.push({ from: n, to: n }, { from: n, to: n });
  return ranges;
}

/** The same count from the main thread and from the workers: exactly equal, medians and means included. */
async function expectSameInWorkers(ctx: KpiContext, inline: KpiEngine, pooled: KpiEngine, q: FilterQuery, asOf: Date | null = null): Promise<void> {
  for (const [name, run] of groupings(q, asOf)) {
    const want = await run({ ...ctx, engine: strict(inline) });
    expect(await run({ ...ctx, engine: strict(pooled) }), `${name} ${JSON.stringify(q)}${asOf ? ` as of ${asOf.toISOString()}` : ''}`).toEqual(want);
  }
}

describe('KPI engine counting in worker threads', () => {
  let t: TestApp;
  let inline: KpiEngine;
  let pooled: KpiEngine;
  let ctx: KpiContext;
  // A count the workers failed falls back to the main thread, with a log line: none may be written.
  const logged: string[] = [];
  beforeAll(async () => {
    t = await extendedCityApp();
    inline = new KpiEngine(t.db);
    pooled = new KpiEngine(t.db, (m) => logged.push(m), { workers: 2, cut: awkwardCut });
    inline.start();
    pooled.start();
    expect(await inline.ready()).toMatchObject({ state: 'ready' });
    expect(await pooled.ready()).toMatchObject({ state: 'ready' });
    ctx = { db: t.db, now: FIXTURE_NOW, scoring: loadScoring() };
  }, 60_000);
  afterAll(async () => {
    await Promise.all([inline?.close(), pooled?.close()]);
    await t?.cleanup();
  });

  it('gives the main thread’s answers for every scope, grouping, period, filter and as-of instant, split at awkward rows', async () => {
    for (const period of PERIODS) for (const scope of SCOPES) await expectSameInWorkers(ctx, inline, pooled, { ...period, scope });
    for (const filters of FILTERS) for (const scope of [undefined, 'street:530111001', 'site:S5']) await expectSameInWorkers(ctx, inline, pooled, { ...PERIODS[1], ...filters, scope });
    for (const asOf of AS_OF) for (const scope of [undefined, 'site:S1']) await expectSameInWorkers(ctx, inline, pooled, { ...PERIODS[5], scope }, new Date(asOf));
    // And the SQL's, through the same helper as the main thread's.
    await expectSameAnswers(ctx, pooled, { ...PERIODS[1], scope: 'street:530111001' });
    expect(logged).toEqual([]);
  }, 120_000);

  it('answers queries sent together', async () => {
    const queries: FilterQuery[] = SCOPES.flatMap((scope) => PERIODS.map((period) => ({ ...period, scope })));
    const ask = (engine: KpiEngine) => Promise.all(queries.map(async (q) => {
      const f = await resolveFilters(t.db, q);
      return [await engine.counts(f, { by: 'street' }, FIXTURE_NOW), await engine.countsWithTotal(f, { by: 'category' }, FIXTURE_NOW)];
    }));
    expect(await ask(pooled)).toEqual(await ask(inline));
    expect(logged).toEqual([]);
  });
});

describe('KPI engine follows writes', () => {
  let t: TestApp;
  let engine: KpiEngine;
  const q: FilterQuery = { from: '2026-11-01', to: '2026-11-30' };
  const ctx = () => ({ db: t.db, now: FIXTURE_NOW, scoring: loadScoring() });
  const sqlTotal = async () => totalCounts(ctx(), await resolveFilters(t.db, q));
  const fastTotal = async () => (await engine.counts(await resolveFilters(t.db, q), { by: 'all' }, FIXTURE_NOW))?.get('all');

  beforeAll(async () => {
    t = await extendedCityApp();
    engine = new KpiEngine(t.db);
    t.deps.engine = engine;
    engine.start();
    await engine.ready();
  }, 60_000);
  afterAll(async () => t?.cleanup());

  it('counts a report the moment its POST has answered', async () => {
    const before = (await fastTotal())!.reported;
    const res = await postJson(t.app, '/api/issues', { clientId: 'fast-1', category: '0101', lon: 102.72, lat: 24.97 });
    expect(res.status).toBe(201);
    expect((await fastTotal())!.reported).toBe(before + 1);
    expect(await fastTotal()).toEqual(await sqlTotal());
    // The route answers from the engine too.
    const summary = (await (await t.app.request('/api/stats/summary?from=2026-11-01&to=2026-11-30')).json()) as { kpis: { reported: number } };
    expect(summary.kpis.reported).toBe(before + 1);
  });

  it('re-reads rows stamped by a write for a moment, not on every catch-up for the next 10 s', async () => {
    // As a bulk import leaves them: every issue stamped a moment ago, by a write the engine was told of.
    await t.db.run('UPDATE issues SET updated_at = now()::TIMESTAMP', undefined, ['issues']);
    const { n } = (await t.db.one<{ n: number }>('SELECT count(*)::INTEGER AS n FROM issues'))!;
    expect(await fastTotal()).toEqual(await sqlTotal());
    expect(engine.state.lastCatchUpRows).toBe(n);
    // Catch-ups within the 1 s allowance for clock steps read them again; past it, only what changed
    // (a fixed 10 s margin re-read every stamped row on each catch-up for 10 s).
    await new Promise((r) => setTimeout(r, 1_200));
    await t.db.run('UPDATE issues SET updated_at = updated_at WHERE false', undefined, ['issues']);
    await fastTotal();
    await t.db.run(`UPDATE issues SET updated_at = now()::TIMESTAMP WHERE id = (SELECT min(id) FROM issues)`, undefined, ['issues']);
    expect(await fastTotal()).toEqual(await sqlTotal());
    expect(engine.state.lastCatchUpRows).toBe(1);
  });

  it('counts a new report in its street, grid and site drill-downs (rows newer than the unit indexes)', async () => {
    const scopes = ['street:530111001', 'grid:530111001002001', 'site:S1', 'community:530111001002'];
    const reported = async (scope: string) => (await engine.counts(await resolveFilters(t.db, { ...q, scope }), { by: 'all' }, FIXTURE_NOW))!.get('all')!.reported;
    const before = [];
    for (const scope of scopes) before.push(await reported(scope));
    // 102.72, 24.97 lies in 双桥社区第1网格 and in the market S1.
    expect((await postJson(t.app, '/api/issues', { clientId: 'fast-2', category: '0101', lon: 102.72, lat: 24.97 })).status).toBe(201);
    for (const [i, scope] of scopes.entries()) {
      expect(await reported(scope), scope).toBe(before[i] + 1);
      const f = await resolveFilters(t.db, { ...q, scope });
      expect((await engine.counts(f, { by: 'all' }, FIXTURE_NOW))!.get('all'), scope).toEqual(await totalCounts(ctx(), f));
    }
  });

  it('follows a workflow event on an old issue', async () => {
    const f = await resolveFilters(t.db, {});
    const byStatus = async () => engine.counts(f, { by: 'status' }, FIXTURE_NOW);
    const opened = (await byStatus())!.get('opened')?.reported ?? 0;
    const res = await postJson(t.app, '/api/issues/I06/events', { type: 'opened', actor: '李娜' });
    expect(res.status).toBe(200);
    expect((await byStatus())!.get('opened')?.reported).toBe(opened + 1);
    expectSameCounts((await byStatus())!, await groupedCounts(ctx(), f, 'i.status'), 'status after event');
  });

  it('rebuilds its unit indexes when a held row moves', async () => {
    const count = async (scope: string) => {
      const f = await resolveFilters(t.db, { scope });
      const fast = (await engine.counts(f, { by: 'all' }, FIXTURE_NOW))!.get('all');
      expect(fast, scope).toEqual(await totalCounts(ctx(), f));
      return fast!.reported;
    };
    const [from, to] = [await count('grid:530111001002001'), await count('grid:530111002001001')];
    await t.db.run(`UPDATE issues SET grid_code = '530111002001001', updated_at = now()::TIMESTAMP WHERE id = 'I01'`, undefined, ['issues']);
    expect([await count('grid:530111001002001'), await count('grid:530111002001001')]).toEqual([from - 1, to + 1]);
  });

  it('reloads after a bulk import, answering by SQL meanwhile', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'civgrid-fast-'));
    try {
      const path = join(dir, 'issues.geojson');
      writeFileSync(path, JSON.stringify({
        type: 'FeatureCollection',
        features: [{
          type: 'Feature', geometry: { type: 'Point', coordinates: [102.76, 24.93] },
          properties: { id: 'K01', category: '0102', source: 'patrol', status: 'reported', reported_at: '2026-11-20T10:00:00+08:00', immediate: false, rework_count: 0 },
        }],
      }));
      await importOk(t.db, { kind: 'issues', path });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(await fastTotal()).toBeUndefined();
    await engine.ready();
    expect(await fastTotal()).toEqual(await sqlTotal());
  });

  it('notices rows deleted behind its back and reloads', async () => {
    await t.db.run(`DELETE FROM issues WHERE id = 'K01'`, undefined, ['issues']);
    // The catch-up finds fewer rows than it holds: it declines and reloads.
    expect(await fastTotal()).toBeUndefined();
    await engine.ready();
    expect(await fastTotal()).toEqual(await sqlTotal());
  });
});

describe('KPI engine on a generated city, random questions', () => {
  const NOW = new Date('2026-11-25T04:00:00Z');
  let db: Database;
  let cleanup: () => Promise<void>;
  let dir: string;
  let engine: KpiEngine;
  let pick: { streets: string[]; communities: string[]; grids: string[]; sites: string[]; categories: string[]; departments: string[] };
  beforeAll(async () => {
    ({ db, dir, cleanup } = await freshDb());
    await loadDemo(db, { seed: 7, districts: ['530111'], issues: 20_000, grids: 120, sites: 60, now: NOW, outDir: join(dir, 'files') });
    engine = new KpiEngine(db);
    engine.start();
    expect(await engine.ready()).toMatchObject({ state: 'ready', issues: 20_000 });
    const codes = async (sql: string) => (await db.all<{ c: string }>(sql)).map((r) => r.c);
    pick = {
      streets: await codes(`SELECT code AS c FROM regions WHERE level = 'street' ORDER BY 1`),
      communities: await codes(`SELECT code AS c FROM regions WHERE level = 'community' ORDER BY 1 LIMIT 20`),
      grids: await codes(`SELECT code AS c FROM grids ORDER BY 1 LIMIT 20`),
      sites: await codes(`SELECT id AS c FROM sites ORDER BY 1 LIMIT 20`),
      categories: await codes(`SELECT code AS c FROM categories ORDER BY 1`),
      // The departments the demo's re-dispatches moved cases between, and two that only received.
      departments: await codes(`SELECT DISTINCT department AS c FROM issue_events WHERE department IS NOT NULL AND NOT imported
        UNION SELECT 'GDCG' UNION SELECT 'GDSJ' ORDER BY 1`),
    };
  }, 120_000);
  afterAll(async () => cleanup?.());

  it('gives the SQL answer for random scopes, periods, filters and groupings', async () => {
    const day = fc.integer({ min: 0, max: 1200 }).map((d) => new Date(NOW.getTime() - d * 86_400_000).toISOString().slice(0, 10));
    const query = fc.record({
      scope: fc.oneof(
        fc.constant(undefined),
        fc.constantFrom(...pick.streets.map((c) => `street:${c}`), ...pick.communities.map((c) => `community:${c}`)),
        fc.constantFrom(...pick.grids.map((c) => `grid:${c}`), ...pick.sites.map((c) => `site:${c}`)),
        fc.constantFrom(...pick.departments.map((c) => `department:${c}`)),
      ),
      period: fc.oneof(fc.constant([]), fc.tuple(day), fc.tuple(day, day)),
      // Re-dispatched cases change department in the demo's last month: as of instants around it.
      asOf: fc.option(fc.integer({ min: 0, max: 40 * 24 }).map((h) => new Date(NOW.getTime() - h * 3_600_000)), { nil: undefined }),
      department: fc.option(fc.subarray(pick.departments, { minLength: 1, maxLength: 3 }), { nil: undefined }),
      category: fc.option(fc.subarray(pick.categories, { minLength: 1, maxLength: 4 }), { nil: undefined }),
      source: fc.option(fc.subarray(['patrol', 'inspection', 'camera', 'hotline', 'assigned'], { minLength: 1 }), { nil: undefined }),
      status: fc.option(fc.subarray(['reported', 'dispatched', 'closed', 'cancelled', 'deferred'], { minLength: 1 }), { nil: undefined }),
      siteType: fc.option(fc.subarray(['market', 'school', 'alley', 'compound', 'road'], { minLength: 1 }), { nil: undefined }),
      grouping: fc.integer({ min: 0, max: 100 }),
    });
    const ctx: KpiContext = { db, now: NOW, scoring: loadScoring() };
    const types = new Set((await db.all<{ code: string }>('SELECT code FROM site_types')).map((r) => r.code));
    await fc.assert(
      fc.asyncProperty(query, async ({ period, grouping, siteType, asOf, ...rest }) => {
        const [a, b] = [...period].sort();
        const q: FilterQuery = { ...rest, siteType: siteType?.filter((t) => types.has(t)), from: a, to: period.length === 2 ? b : undefined };
        if (q.siteType?.length === 0) delete q.siteType;
        const all = groupings(q, asOf ?? null);
        const [name, run] = all[grouping % all.length];
        expectSameCounts(await run({ ...ctx, engine: strict(engine) }), await run(ctx), `${name} ${JSON.stringify(q)} as of ${asOf?.toISOString()}`);
      }),
      { numRuns: 300, seed: 20261125 },
    );
  }, 180_000);

  it('counts in worker threads exactly as on the main thread, split across block edges', async () => {
    const pooled = new KpiEngine(db, undefined, { workers: 2, cut: awkwardCut });
    try {
      pooled.start();
      expect(await pooled.ready()).toMatchObject({ state: 'ready', issues: 20_000 });
      const ctx: KpiContext = { db, now: NOW, scoring: loadScoring() };
      const day = fc.integer({ min: 0, max: 1200 }).map((d) => new Date(NOW.getTime() - d * 86_400_000).toISOString().slice(0, 10));
      const query = fc.record({
        scope: fc.constantFrom(undefined, ...pick.streets.map((c) => `street:${c}`), ...pick.grids.slice(0, 5).map((c) => `grid:${c}`), `site:${pick.sites[0]}`),
        period: fc.oneof(fc.constant([]), fc.tuple(day, day)),
        category: fc.option(fc.subarray(pick.categories, { minLength: 1, maxLength: 4 }), { nil: undefined }),
        grouping: fc.integer({ min: 0, max: 100 }),
      });
      await fc.assert(
        fc.asyncProperty(query, async ({ period, grouping, ...rest }) => {
          const [a, b] = [...period].sort();
          const q: FilterQuery = { ...rest, from: a, to: b };
          const all = groupings(q);
          const [name, run] = all[grouping % all.length];
          expect(await run({ ...ctx, engine: strict(pooled) }), `${name} ${JSON.stringify(q)}`).toEqual(await run({ ...ctx, engine: strict(engine) }));
        }),
        { numRuns: 60, seed: 20261207 },
      );
    } finally {
      await pooled.close();
    }
  }, 120_000);

  it('counts playback frames like the rules’ SQL per frame, backlog included', async () => {
    const day = fc.integer({ min: 0, max: 1200 }).map((d) => new Date(NOW.getTime() - d * 86_400_000).toISOString().slice(0, 10));
    const query = fc.record({
      scope: fc.constantFrom(undefined, ...pick.streets.map((c) => `street:${c}`)),
      to: day,
      days: fc.integer({ min: 1, max: 50 }),
      level: fc.constantFrom('community', 'grid'),
      status: fc.option(fc.subarray(['reported', 'dispatched', 'closed', 'deferred'], { minLength: 1 }), { nil: undefined }),
    });
    const ctx: KpiContext = { db, now: NOW, scoring: loadScoring() };
    await fc.assert(
      fc.asyncProperty(query, async ({ to, days, level, ...rest }) => {
        const from = new Date(Date.parse(to) - (days - 1) * 86_400_000).toISOString().slice(0, 10);
        const f = await resolveFilters(db, { ...rest, from, to });
        const { step, frames } = framesOf({ start: f.start!, end: f.end! }, undefined, NOW);
        const units = (await unitsOf(db, level, f.scope)).map((u) => u.code);
        const fast = await frameCounts({ ...ctx, engine: strict(engine) }, f, level, units, step, frames);
        const sql = await frameCounts(ctx, f, level, units, step, frames);
        const label = JSON.stringify({ ...rest, from, to, level });
        expect(Array.from(fast.reported), label).toEqual(Array.from(sql.reported));
        expect(Array.from(fast.overdue), label).toEqual(Array.from(sql.overdue));
      }),
      { numRuns: 8, seed: 20261207 },
    );
  }, 120_000);

  it('bounds the issue list’s report times without changing any page, cursor pages included', async () => {
    const day = fc.integer({ min: 0, max: 1200 }).map((d) => new Date(NOW.getTime() - d * 86_400_000).toISOString().slice(0, 10));
    const query = fc.record({
      scope: fc.option(fc.constantFrom(...pick.streets.map((c) => `street:${c}`), ...pick.grids.map((c) => `grid:${c}`), ...pick.sites.map((c) => `site:${c}`)), { nil: undefined }),
      period: fc.oneof(fc.constant([]), fc.tuple(day), fc.tuple(day, day)),
      category: fc.option(fc.subarray(pick.categories, { minLength: 1, maxLength: 4 }), { nil: undefined }),
      status: fc.option(fc.subarray(['reported', 'dispatched', 'closed', 'cancelled', 'deferred'], { minLength: 1 }), { nil: undefined }),
      limit: fc.integer({ min: 1, max: 80 }),
    });
    let bounded = 0;
    await fc.assert(
      fc.asyncProperty(query, async ({ period, limit, ...rest }) => {
        const [a, b] = [...period].sort();
        const f = await resolveFilters(db, { ...rest, from: a, to: period.length === 2 ? b : undefined });
        let after: IssueCursor | undefined;
        for (let page = 0; page < 3; page++) {
          const plain = await issuePage(db, f, { limit, now: NOW, after });
          const floor = await reportedFloor(engine, f, NOW, limit + 1, after);
          if (floor) bounded++;
          expect(await issuePage(db, f, { limit, now: NOW, after, reportedFloor: floor })).toEqual(plain);
          if (!plain.next) break;
          after = plain.next;
        }
      }),
      { numRuns: 80, seed: 20261126 },
    );
    // The bound was there to be tested, not always missing.
    expect(bounded).toBeGreaterThan(40);
  }, 180_000);
});

describe('KPI engine on an empty database', () => {
  it('loads (nothing to hold) and answers with no groups, like the SQL', async () => {
    const { db, cleanup } = await freshDb();
    try {
      const engine = new KpiEngine(db, () => undefined);
      engine.start();
      expect(await engine.ready()).toMatchObject({ state: 'ready', issues: 0 });
      const f = { scope: { level: 'grid' as const, id: 'none' }, start: null, end: null, categories: null, sources: null, statuses: null, siteIds: null, planId: 1 };
      expect(await engine.counts(f, { by: 'grid' }, FIXTURE_NOW)).toEqual(new Map());
    } finally {
      await cleanup();
    }
  });
});
