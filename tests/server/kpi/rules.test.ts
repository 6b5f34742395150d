/**
 * The compilers of the KPI rules (server/domain/kpi-rules.ts): the SQL of a condition and of the
 * aggregates, the KPI engine's generated loops on hand-made rows, and both on random rows, where
 * the loops (fed with the facts and hours DuckDB computes, as the engine loads them) must give
 * DuckDB's counts of the compiled SQL.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../server/db/database.ts';
import { anchorsOf, BREAKDOWN_NAMES, CONDITIONS, fansOut, GROUPINGS, KPI_COUNTERS, type GroupingName, type KpiCounts } from '../../../server/domain/kpi-rules.ts';
import { ISSUE_STATUSES, type IssueStatus } from '../../../server/domain/vocabulary.ts';
import { EMPTY_COUNTS, KPI_AGGREGATES } from '../../../server/kpi/definitions.ts';
import { countRowsBy } from '../../../server/kpi/fast/count.ts';
import { countsAt, factBit, kernelsFor, RULE_STATUSES, SLOTS, type KernelColumns, type Period } from '../../../server/kpi/fast/kernels.ts';
import { conditionSql, counterAggregates, factBitsSql, groupingSql, measureSql, PERIOD_TIMES } from '../../../server/kpi/rules-sql.ts';
import { freshDb } from '../../helpers/db.ts';

const STATUSES = Object.keys(ISSUE_STATUSES) as IssueStatus[];
const CODES = Object.fromEntries(STATUSES.map((s, k) => [s, k]));

describe('the KPI rules as SQL', () => {
  const b = { start: 'S', end: 'E', dueEnd: 'D' };

  it('compiles a condition with its named parts inlined', () => {
    expect(conditionSql(CONDITIONS.reported, b)).toBe('(i.reported_at >= S AND i.reported_at < E)');
    expect(conditionSql(CONDITIONS.due, b)).toBe(`(i.status NOT IN ('cancelled', 'deferred') AND (i.deadline >= S AND i.deadline < D))`);
    expect(conditionSql(CONDITIONS.closedDue, b)).toBe(`((i.status NOT IN ('cancelled', 'deferred') AND (i.deadline >= S AND i.deadline < D)) AND i.status = 'closed')`);
    expect(conditionSql({ all: [{ rule: 'reported' }, { fact: 'immediate' }] }, b, 'x')).toBe('((x.reported_at >= S AND x.reported_at < E) AND x.immediate)');
  });

  it('drops the comparison of a bound left out, and keeps NULL times out when both are', () => {
    // "Overdue now" per issue: no start, deadlines counted up to now.
    expect(conditionSql(CONDITIONS.overdue, { dueEnd: 'NOW' })).toBe(`((i.status NOT IN ('cancelled', 'deferred') AND (i.deadline < NOW)) AND i.status <> 'closed')`);
    expect(conditionSql({ time: 'deadline', from: 'start', before: 'dueEnd' }, {})).toBe('i.deadline IS NOT NULL');
  });

  it('compiles the closure as of an instant, and no closure time in the present', () => {
    const asOf = { ...b, asOf: 'T' };
    expect(conditionSql(CONDITIONS.closedDue, asOf)).toBe(
      `((i.status NOT IN ('cancelled', 'deferred') AND (i.deadline >= S AND i.deadline < D)) AND i.status = 'closed' AND i.closed_at <= T)`,
    );
    // Not closed by T: still open, or closed after T (a NULL close time has not happened either).
    expect(conditionSql(CONDITIONS.overdue, asOf)).toBe(
      `((i.status NOT IN ('cancelled', 'deferred') AND (i.deadline >= S AND i.deadline < D)) AND (i.status <> 'closed' OR (i.closed_at IS NULL OR i.closed_at > T)))`,
    );
    expect(conditionSql(CONDITIONS.overdue, b)).toBe(`((i.status NOT IN ('cancelled', 'deferred') AND (i.deadline >= S AND i.deadline < D)) AND i.status <> 'closed')`);
    expect(conditionSql({ any: [{ notHappened: 'closed_at' }] }, b)).toBe('FALSE');
  });

  it('gives one aggregate column per counter, in the rules’ order, medians NULL without hours', () => {
    const names = KPI_COUNTERS.map((c) => c.name);
    const columns = (sql: string) => [...sql.matchAll(/ AS (\w+)/g)].map((m) => m[1]);
    expect(columns(KPI_AGGREGATES)).toEqual(names);
    expect(Object.keys(EMPTY_COUNTS)).toEqual(names);
    expect(counterAggregates(b, { hours: false })).toContain('NULL::DOUBLE AS median_hours');
    expect(counterAggregates(b)).toContain(`median(${measureSql('hours')}) FILTER (WHERE`);
  });

  it('encodes the facts as the engine’s bits and anchors each counter on one time', () => {
    expect(factBitsSql()).toBe('((CASE WHEN i.immediate THEN 1 ELSE 0 END) + (CASE WHEN i.rework_count > 0 THEN 2 ELSE 0 END) + (CASE WHEN i.closed_at <= i.deadline THEN 4 ELSE 0 END) + (CASE WHEN i.closed_at > i.deadline THEN 8 ELSE 0 END))');
    expect([factBit('immediate'), factBit('reworked'), factBit('closedOnTime'), factBit('closedLate')]).toEqual([1, 2, 4, 8]);
    expect(PERIOD_TIMES).toEqual(['reported_at', 'deadline']);
    for (const c of KPI_COUNTERS) expect(anchorsOf('count' in c ? c.count : c.of).size, c.name).toBe(1);
    expect(RULE_STATUSES.toSorted()).toEqual(['cancelled', 'closed', 'deferred']);
  });
});

type Row = {
  status: IssueStatus; reported: number; deadline: number | null; closed?: number | null; immediate: boolean; rework: number; closedOnTime: boolean; hours: number | null;
};

function columns(rows: Row[]): KernelColumns {
  return {
    reported: Float64Array.from(rows, (r) => r.reported),
    deadline: Float64Array.from(rows, (r) => r.deadline ?? NaN),
    closed: Float64Array.from(rows, (r) => r.closed ?? NaN),
    status: Uint8Array.from(rows, (r) => CODES[r.status]),
    flags: Uint8Array.from(rows, (r) => (r.immediate ? factBit('immediate') : 0) | (r.rework > 0 ? factBit('reworked') : 0) | (r.closedOnTime ? factBit('closedOnTime') : 0)),
    hours: Float64Array.from(rows, (r) => r.hours ?? NaN),
  };
}

const one = (cols: KernelColumns, n: number, period: Period): KpiCounts => {
  const counters = new Int32Array(SLOTS);
  const hours = kernelsFor(period).one(cols, Int32Array.from({ length: n }, (_, i) => i), n, period, CODES, counters, true);
  const values = Array.from(hours.values.subarray(0, hours.length)).sort((a, b) => a - b);
  const mid = values.length >> 1;
  const median = values.length ? (values.length % 2 ? values[mid] : (values[mid - 1] + values[mid]) / 2) : NaN;
  const mean = values.length ? values.reduce((s, v) => s + v, 0) / values.length : NaN;
  return countsAt(counters, 0, median, mean) as KpiCounts;
};

describe('the groupings of the rules', () => {
  it('offers as breakdowns exactly the groupings that name their keys, in the table’s order', () => {
    const named = (Object.keys(GROUPINGS) as GroupingName[]).filter((g) => 'names' in GROUPINGS[g]);
    expect(BREAKDOWN_NAMES).toEqual(named);
    expect(BREAKDOWN_NAMES).toEqual(['category', 'district', 'street', 'community', 'grid', 'site', 'siteType', 'department', 'source', 'status', 'hour', 'weekday']);
  });

  it('compiles every grouping to a key; the site groupings fan out through a join', () => {
    for (const name of Object.keys(GROUPINGS) as GroupingName[]) {
      const sql = groupingSql(name);
      expect(sql.key, name).toMatch(/\S/);
      expect(Boolean(sql.onlyFilteredSites), name).toBe(fansOut(name));
    }
    expect(groupingSql('site').from).toMatch(/^LEFT JOIN \(SELECT i\.rowid AS rid, unnest\(i\.site_ids\) AS k/);
    // Without the issues at no site, the join is an inner one.
    expect(groupingSql('site', { dropEmpty: true }).from).toMatch(/^JOIN /);
    expect(groupingSql('siteType').from).toContain('SELECT DISTINCT x.rid, st.type AS k');
  });
});

describe('the KPI engine’s generated loops', () => {
  const period = { start: 100, end: 200, dueEnd: 150 };
  const row = (r: Partial<Row>): Row => ({ status: 'reported', reported: 120, deadline: null, immediate: false, rework: 0, closedOnTime: false, hours: null, ...r });

  it('count hand-made rows by the definitions', () => {
    const rows = [
      row({ immediate: true }), // reported, immediate
      row({ reported: 90, deadline: 140, status: 'closed', closedOnTime: true, rework: 1, hours: 4 }), // due, closed on time, reworked
      row({ reported: 90, deadline: 149, status: 'dispatched' }), // due, overdue
      row({ deadline: 150, status: 'dispatched' }), // reported; due at dueEnd: not yet
      row({ deadline: 110, status: 'deferred' }), // reported; never due
      row({ reported: 200, deadline: 120, status: 'closed', hours: 8 }), // reported at end: not in the period; due, closed late
      row({ reported: 99, deadline: 99, status: 'closed' }), // before the period
    ];
    expect(one(columns(rows), rows.length, period)).toMatchObject({
      reported: 3, immediate: 1, due: 3, closed: 2, closed_on_time: 1, rework: 1, overdue: 1, median_hours: 6, mean_hours: 6,
    });
  });

  it('count as of an instant: closed only when closed by then, otherwise overdue', () => {
    const rows = [
      row({ reported: 90, deadline: 140, status: 'closed', closed: 145, closedOnTime: false, hours: 4 }), // closed by 150
      row({ reported: 90, deadline: 140, status: 'closed', closed: 150, closedOnTime: false, hours: 6 }), // closed at 150: by then
      row({ reported: 90, deadline: 141, status: 'closed', closed: 151, closedOnTime: false, hours: 8 }), // closed after 150: overdue then
      row({ reported: 90, deadline: 142, status: 'dispatched' }), // open: overdue
    ];
    expect(one(columns(rows), rows.length, { ...period, asOf: 150 })).toMatchObject({ due: 4, closed: 2, overdue: 2, median_hours: 5 });
    // In the present every recorded closure counts.
    expect(one(columns(rows), rows.length, period)).toMatchObject({ due: 4, closed: 3, overdue: 1, median_hours: 6 });
  });

  it('count the planner’s workload per group, rows of no group left out', () => {
    const rows = [row({}), row({ deadline: 120 }), row({ deadline: 120, status: 'closed' }), row({})];
    const counts = countRowsBy(columns(rows), rows.length, Int32Array.of(0, 1, 1, -1), 2, period, CODES);
    expect(counts.map((c) => [c.reported, c.due, c.overdue])).toEqual([[1, 0, 0], [2, 2, 1]]);
  });
});

describe('the loops and the SQL agree on random rows', () => {
  let db: Database;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ db, cleanup } = await freshDb());
    await db.run(`CREATE TABLE kr (status VARCHAR, reported_at TIMESTAMP, deadline TIMESTAMP, closed_at TIMESTAMP, dispatched_at TIMESTAMP, immediate BOOLEAN, rework_count INTEGER)`);
  });
  afterAll(async () => cleanup?.());

  // Instants on a few milliseconds around the bounds, so equal times are common.
  const instant = fc.integer({ min: 95, max: 205 });
  const issue = fc.record({
    status: fc.constantFrom(...STATUSES), reported: instant, deadline: fc.option(instant), closed: fc.option(instant),
    dispatched: fc.option(instant), immediate: fc.boolean(), rework: fc.integer({ min: 0, max: 2 }),
  });

  it('gives every counter of the rules the same number', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(issue, { maxLength: 40 }), instant, instant, instant, fc.option(instant), async (rows, a, z, now, asOf) => {
        const [start, end] = a <= z ? [a, z] : [z, a];
        const period = { start, end, dueEnd: Math.min(end, now), asOf };
        await db.run('DELETE FROM kr');
        const ts = (v: number | null) => (v === null ? 'NULL' : `epoch_ms(${v})`);
        if (rows.length) {
          await db.run(`INSERT INTO kr VALUES ${rows.map((r) => `('${r.status}', ${ts(r.reported)}, ${ts(r.deadline)}, ${ts(r.closed)}, ${ts(r.dispatched)}, ${r.immediate}, ${r.rework})`).join(', ')}`);
        }
        // The engine's inputs as load.ts reads them: facts and hours computed by DuckDB.
        const loaded = await db.all<{ status: IssueStatus; reported: number; deadline: number | null; closed: number | null; flags: number; hours: number | null }>(
          `SELECT status, epoch_ms(reported_at)::DOUBLE AS reported, epoch_ms(deadline)::DOUBLE AS deadline, epoch_ms(closed_at)::DOUBLE AS closed,
             ${factBitsSql()}::INTEGER AS flags, ${measureSql('hours')} AS hours FROM kr i`,
        );
        const cols: KernelColumns = {
          reported: Float64Array.from(loaded, (r) => r.reported), deadline: Float64Array.from(loaded, (r) => r.deadline ?? NaN),
          closed: Float64Array.from(loaded, (r) => r.closed ?? NaN),
          status: Uint8Array.from(loaded, (r) => CODES[r.status]), flags: Uint8Array.from(loaded, (r) => r.flags), hours: Float64Array.from(loaded, (r) => r.hours ?? NaN),
        };
        const bound = (v: number) => `epoch_ms(${v})`;
        const bounds = { start: bound(period.start), end: bound(period.end), dueEnd: bound(period.dueEnd), ...(asOf !== null && { asOf: bound(asOf) }) };
        const sql = (await db.one<KpiCounts>(`SELECT ${counterAggregates(bounds)} FROM kr i`))!;
        const fast = one(cols, loaded.length, period);
        for (const c of KPI_COUNTERS) {
          const [got, want] = [fast[c.name], sql[c.name] === null ? null : Number(sql[c.name])];
          if (want === null || got === null) expect(got, c.name).toBe(want);
          else expect(got, c.name).toBeCloseTo(want, 9);
        }
      }),
      { numRuns: 150, seed: 20261207 },
    );
  }, 60_000);
});
