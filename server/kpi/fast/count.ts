/**
 * The KPI aggregates of DESIGN §1 (server/kpi/definitions.ts) over the in-memory columns: the same
 * counts, with the same period rules, grouping and pruning as the SQL of `groupedCounts`, so either
 * path gives the same answer (tests/server/kpi-fast.test.ts holds them to it). Pure: codes in, counts out.
 */
import type { KpiCounts } from '../definitions.ts';
import { IMMEDIATE, ON_TIME, REWORKED, type IssueColumns } from './columns.ts';
import { localDay, type CodeFilter, type CodeGrouping, type StatusCodes } from './codes.ts';
import { namesOf, pairsOf } from './groups.ts';
import { summariseHours, type Hours } from './median.ts';
import { filtered, type Selection } from './rows.ts';

/** Hours buffers shared by every count, like the selection's. */
let hoursPool = { values: new Float64Array(0), groups: new Int32Array(0) };
function hoursBuffer(capacity: number): { values: Float64Array; groups: Int32Array } {
  if (hoursPool.values.length < capacity) {
    const size = Math.ceil(capacity * 1.25);
    hoursPool = { values: new Float64Array(size), groups: new Int32Array(size) };
  }
  return hoursPool;
}

/** Slots of the counters of one group: present, then the KPI counts. */
const PRESENT = 0, REPORTED = 1, IMMEDIATE_N = 2, DUE = 3, CLOSED_N = 4, ON_TIME_N = 5, REWORK = 6, COUNTERS = 7;

/**
 * Counts rows into `counters` (COUNTERS per group) and collects the hours. A row's group is either
 * given beside it (`groups`, from pairs: sites, site types, clock) or read from an integer column
 * of the row (grid, community, street, category; `map` may merge codes): read straight from the
 * column, the choropleth and the rankings need no pairs. Branch-free increments: a dashboard's
 * rows are a coin toss between in and out of the period, so branches would be mispredicted half the time.
 */
function accumulate(
  cols: IssueColumns, rows: Int32Array, length: number,
  key: { groups: Int32Array } | { column: Int32Array; map: Int32Array | undefined; nullGroup: number },
  f: CodeFilter, codes: StatusCodes, counters: Int32Array, withHours: boolean,
): Hours {
  const { closed: CLOSED, cancelled: CANCELLED, deferred: DEFERRED } = codes;
  // Locals, not `cols.x`: V8 keeps them in registers through the loop; the branches on them are the same for every row.
  const { reported, deadline, status, flags, hours } = cols;
  const given = 'groups' in key ? key.groups : null;
  const column = 'column' in key ? key.column : null;
  const map = 'column' in key ? key.map : undefined;
  const nullGroup = 'column' in key ? key.nullGroup : 0;
  const { start, end, dueEnd } = f;
  const out = hoursBuffer(length);
  let n = 0;
  for (let i = 0; i < length; i++) {
    const r = rows[i];
    let g: number;
    if (given !== null) g = given[i];
    else {
      g = column![r];
      if (map !== undefined && g >= 0) g = map[g];
      if (g < 0) g = nullGroup;
    }
    const rep = reported[r];
    const dl = deadline[r];
    const st = status[r];
    const fl = flags[r];
    const inPeriod = rep >= start && rep < end ? 1 : 0;
    const due = st !== CANCELLED && st !== DEFERRED && dl >= start && dl < dueEnd ? 1 : 0;
    const closed = st === CLOSED ? due : 0;
    const o = g * COUNTERS;
    counters[o + PRESENT] = 1;
    counters[o + REPORTED] += inPeriod;
    counters[o + IMMEDIATE_N] += inPeriod & +((fl & IMMEDIATE) !== 0);
    counters[o + DUE] += due;
    counters[o + CLOSED_N] += closed;
    counters[o + ON_TIME_N] += closed & +((fl & ON_TIME) !== 0);
    counters[o + REWORK] += closed & +((fl & REWORKED) !== 0);
    if (closed === 1 && withHours) {
      const h = hours[r];
      if (h === h) {
        out.values[n] = h;
        out.groups[n++] = g;
      }
    }
  }
  return { values: out.values, groups: out.groups, length: n };
}

/**
 * Time buckets, each its own period: a row's report counts in the bucket of its report day and
 * its deadline in the bucket of its deadline day, each by that bucket's bounds. (A report cannot
 * fall inside another bucket's bounds, nor a deadline, so these are the only two tests that can
 * pass; one pass, without building (row, bucket) pairs, was 3× faster for a street's 90 days.)
 */
function accumulateBuckets(cols: IssueColumns, sel: Selection, g: Extract<CodeGrouping, { kind: 'bucket' }>, codes: StatusCodes, counters: Int32Array, withHours: boolean): Hours {
  const { closed: CLOSED, cancelled: CANCELLED, deferred: DEFERRED } = codes;
  const { reported, deadline, status, flags, hours } = cols;
  const { firstDay, dayToBucket, starts, ends, dueEnds } = g;
  const { rows, length } = sel;
  const days = dayToBucket.length;
  const { values, groups } = hoursBuffer(length);
  let n = 0;
  for (let i = 0; i < length; i++) {
    const r = rows[i];
    const rep = reported[r];
    const fl = flags[r];
    let day = localDay(rep) - firstDay;
    const a = day >= 0 && day < days ? dayToBucket[day] : -1;
    if (a >= 0) {
      const o = a * COUNTERS;
      const inPeriod = rep >= starts[a] && rep < ends[a] ? 1 : 0;
      counters[o + PRESENT] = 1;
      counters[o + REPORTED] += inPeriod;
      counters[o + IMMEDIATE_N] += inPeriod & +((fl & IMMEDIATE) !== 0);
    }
    const dl = deadline[r];
    if (dl !== dl) continue;
    day = localDay(dl) - firstDay;
    const b = day >= 0 && day < days ? dayToBucket[day] : -1;
    if (b < 0) continue;
    const st = status[r];
    const o = b * COUNTERS;
    const due = st !== CANCELLED && st !== DEFERRED && dl >= starts[b] && dl < dueEnds[b] ? 1 : 0;
    const closed = st === CLOSED ? due : 0;
    counters[o + PRESENT] = 1;
    counters[o + DUE] += due;
    counters[o + CLOSED_N] += closed;
    counters[o + ON_TIME_N] += closed & +((fl & ON_TIME) !== 0);
    counters[o + REWORK] += closed & +((fl & REWORKED) !== 0);
    if (closed === 1 && withHours) {
      const h = hours[r];
      if (h === h) {
        values[n] = h;
        groups[n++] = b;
      }
    }
  }
  return { values, groups, length: n };
}

/**
 * The same for one group and one period, in local variables: the counters of a single group would
 * chain every increment through memory (the district summary took 120 ms instead of 89 at 10 M
 * issues when it went through `accumulate`).
 */
function accumulateOne(cols: IssueColumns, sel: Selection, f: CodeFilter, codes: StatusCodes, counters: Int32Array, withHours: boolean): Hours {
  const { closed: CLOSED, cancelled: CANCELLED, deferred: DEFERRED } = codes;
  const { rows, length } = sel;
  const { reported, deadline, status, flags, hours } = cols;
  const { start, end, dueEnd } = f;
  // A local, not `out.values`: the property load on every closed row cost a quarter of the loop.
  const { values } = hoursBuffer(length);
  let nReported = 0, nImmediate = 0, nDue = 0, nClosed = 0, nOnTime = 0, nRework = 0, n = 0;
  for (let i = 0; i < length; i++) {
    const r = rows[i];
    const rep = reported[r];
    const dl = deadline[r];
    const st = status[r];
    const fl = flags[r];
    const inPeriod = rep >= start && rep < end ? 1 : 0;
    const due = st !== CANCELLED && st !== DEFERRED && dl >= start && dl < dueEnd ? 1 : 0;
    const closed = st === CLOSED ? due : 0;
    nReported += inPeriod;
    nImmediate += inPeriod & +((fl & IMMEDIATE) !== 0);
    nDue += due;
    nClosed += closed;
    nOnTime += closed & +((fl & ON_TIME) !== 0);
    nRework += closed & +((fl & REWORKED) !== 0);
    if (closed === 1 && withHours) {
      const h = hours[r];
      if (h === h) values[n++] = h;
    }
  }
  counters.set([length > 0 ? 1 : 0, nReported, nImmediate, nDue, nClosed, nOnTime, nRework]);
  return { values, groups: null, length: n };
}

/** Groupings that put every row in exactly one group: their total is the sum of the groups. */
const partitions = (g: CodeGrouping) => g.kind === 'one' || g.kind === 'column' || g.kind === 'clock';

/**
 * KPI counts per group key, like `groupedCounts`; a group appears when a row of it passes the
 * period pruning. `withTotal` (a grouping that partitions the rows) also gives the counts of all
 * of them, from the same pass: a breakdown shows its total beside its rows.
 */
export function countKpis(
  cols: IssueColumns, f: CodeFilter, grouping: CodeGrouping, codes: StatusCodes, withHours = true, withTotal = false,
): { groups: Map<string | null, KpiCounts>; total: KpiCounts | null } {
  if (withTotal && !partitions(grouping)) throw new Error(`a ${grouping.kind} grouping has no total: rows may count in several groups or none`);
  const names = namesOf(grouping);
  const groupCount = names.length + 1;
  const nullGroup = names.length;
  const counters = new Int32Array(groupCount * COUNTERS);
  const sel = filtered(cols, f);
  let hours: Hours;
  if (grouping.kind === 'one') hours = accumulateOne(cols, sel, f, codes, counters, withHours);
  else if (grouping.kind === 'column' && grouping.column !== 'source' && grouping.column !== 'status') {
    const key = { column: cols[grouping.column], map: grouping.map, nullGroup };
    hours = accumulate(cols, sel.rows, sel.length, key, f, codes, counters, withHours);
  } else if (grouping.kind === 'bucket') hours = accumulateBuckets(cols, sel, grouping, codes, counters, withHours);
  else {
    const pairs = pairsOf(cols, sel, grouping, nullGroup);
    hours = accumulate(cols, pairs.rows, pairs.length, { groups: pairs.groups }, f, codes, counters, withHours);
  }

  // Grouped hours are copied out by group to take the medians; the collected ones stay for the total's.
  const { median, mean } = summariseHours(hours, groupCount);
  const groups = new Map<string | null, KpiCounts>();
  for (let g = 0; g < groupCount; g++) {
    if (counters[g * COUNTERS + PRESENT]) groups.set(g === nullGroup ? null : names[g], countsOf(counters, g, median[g], mean[g]));
  }
  if (!withTotal) return { groups, total: null };
  const all = new Int32Array(COUNTERS);
  for (let g = 0; g < groupCount; g++) for (let k = 0; k < COUNTERS; k++) all[k] += counters[g * COUNTERS + k];
  const overall = hours.groups === null ? { median, mean } : summariseHours({ values: hours.values, groups: null, length: hours.length }, 1);
  return { groups, total: countsOf(all, 0, overall.median[0], overall.mean[0]) };
}

/** The counts of group g (NaN hours: none). */
function countsOf(counters: Int32Array, g: number, median: number, mean: number): KpiCounts {
  const o = g * COUNTERS;
  const due = counters[o + DUE];
  const closed = counters[o + CLOSED_N];
  return {
    reported: counters[o + REPORTED], immediate: counters[o + IMMEDIATE_N], due, closed, closed_on_time: counters[o + ON_TIME_N],
    rework: counters[o + REWORK], overdue: due - closed, median_hours: median === median ? median : null, mean_hours: mean === mean ? mean : null,
  };
}
