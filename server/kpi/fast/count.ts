/**
 * The KPI aggregates of DESIGN §1 (server/kpi/definitions.ts) over the in-memory columns: the same
 * counts, with the same period rules, grouping and pruning as the SQL of `groupedCounts`, so either
 * path gives the same answer (tests/server/kpi-fast.test.ts holds them to it). Pure: codes in, counts out.
 */
import type { KpiCounts } from '../definitions.ts';
import { IMMEDIATE, ON_TIME, REWORKED, type IssueColumns } from './columns.ts';
import type { CodeFilter, CodeGrouping, StatusCodes } from './codes.ts';
import { namesOf, pairsOf, type Pairs } from './groups.ts';
import { summariseHours, type Hours } from './median.ts';
import { filtered, type Selection } from './rows.ts';

/** Hours buffers shared by every count, like the selection's. */
let hoursPool = { values: new Float64Array(0), groups: new Int32Array(0) };
function hoursBuffer(capacity: number): { values: Float64Array; groups: Int32Array; length: number } {
  if (hoursPool.values.length < capacity) {
    const size = Math.ceil(capacity * 1.25);
    hoursPool = { values: new Float64Array(size), groups: new Int32Array(size) };
  }
  return { ...hoursPool, length: 0 };
}

/** Slots of the counters of one group: present, then the KPI counts. */
const PRESENT = 0, REPORTED = 1, IMMEDIATE_N = 2, DUE = 3, CLOSED_N = 4, ON_TIME_N = 5, REWORK = 6, COUNTERS = 7;

/**
 * Counts the pairs into `counters` (COUNTERS per group) and collects the hours. Branch-free
 * increments: a dashboard's rows are a coin toss between in and out of the period, so branches
 * would be mispredicted half the time.
 */
function accumulate(
  cols: IssueColumns, pairs: Pairs, bounds: { start: Float64Array; end: Float64Array; dueEnd: Float64Array }, codes: StatusCodes, counters: Int32Array, withHours: boolean,
): Hours {
  const { closed: CLOSED, cancelled: CANCELLED, deferred: DEFERRED } = codes;
  // Locals, not `cols.x`: V8 keeps them in registers through the loop.
  const { rows, groups, length } = pairs;
  const { reported, deadline, status, flags, hours } = cols;
  const { start, end, dueEnd } = bounds;
  const out = hoursBuffer(length);
  let n = 0;
  for (let i = 0; i < length; i++) {
    const r = rows[i];
    const g = groups[i];
    const rep = reported[r];
    const dl = deadline[r];
    const st = status[r];
    const fl = flags[r];
    const inPeriod = rep >= start[g] && rep < end[g] ? 1 : 0;
    const due = st !== CANCELLED && st !== DEFERRED && dl >= start[g] && dl < dueEnd[g] ? 1 : 0;
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
  out.length = n;
  return out;
}

/** The same for one group and one period, in local variables: the counters of a single group would chain every increment through memory. */
function accumulateOne(cols: IssueColumns, sel: Selection, f: CodeFilter, codes: StatusCodes, counters: Int32Array, withHours: boolean): Hours {
  const { closed: CLOSED, cancelled: CANCELLED, deferred: DEFERRED } = codes;
  const { rows, length } = sel;
  const { reported, deadline, status, flags, hours } = cols;
  const { start, end, dueEnd } = f;
  const out = hoursBuffer(length);
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
      if (h === h) out.values[n++] = h;
    }
  }
  counters.set([length > 0 ? 1 : 0, nReported, nImmediate, nDue, nClosed, nOnTime, nRework]);
  return { values: out.values, groups: null, length: n };
}

/**
 * The same for a grouping by one integer column (grid, community, street, category), reading the
 * key straight from the column with the period's bounds in registers: the choropleth and the
 * rankings, ~40 % faster than going through pairs and per-group bounds.
 */
function accumulateColumn(
  cols: IssueColumns, sel: Selection, column: Int32Array, map: Int32Array | undefined, nullGroup: number,
  f: CodeFilter, codes: StatusCodes, counters: Int32Array, withHours: boolean,
): Hours {
  const { closed: CLOSED, cancelled: CANCELLED, deferred: DEFERRED } = codes;
  const { rows, length } = sel;
  const { reported, deadline, status, flags, hours } = cols;
  const { start, end, dueEnd } = f;
  const out = hoursBuffer(length);
  let n = 0;
  for (let i = 0; i < length; i++) {
    const r = rows[i];
    let g = column[r];
    if (map !== undefined && g >= 0) g = map[g];
    if (g < 0) g = nullGroup;
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
  out.length = n;
  return out;
}

/** KPI counts per group key, like `groupedCounts`; a group appears when a row of it passes the period pruning. */
export function countKpis(cols: IssueColumns, f: CodeFilter, grouping: CodeGrouping, codes: StatusCodes, withHours = true): Map<string | null, KpiCounts> {
  const names = namesOf(grouping);
  const groupCount = names.length + 1;
  const nullGroup = names.length;
  const counters = new Int32Array(groupCount * COUNTERS);
  const sel = filtered(cols, f);
  let hours: Hours;
  if (grouping.kind === 'one') hours = accumulateOne(cols, sel, f, codes, counters, withHours);
  else if (grouping.kind === 'column' && grouping.column !== 'source' && grouping.column !== 'status') {
    hours = accumulateColumn(cols, sel, cols[grouping.column], grouping.map, nullGroup, f, codes, counters, withHours);
  } else {
    // Per-group period bounds: the filter's, or each time bucket's own.
    const bounds = {
      start: new Float64Array(groupCount).fill(f.start),
      end: new Float64Array(groupCount).fill(f.end),
      dueEnd: new Float64Array(groupCount).fill(f.dueEnd),
    };
    if (grouping.kind === 'bucket') {
      bounds.start.set(grouping.starts);
      bounds.end.set(grouping.ends);
      bounds.dueEnd.set(grouping.dueEnds);
    }
    hours = accumulate(cols, pairsOf(cols, sel, grouping, nullGroup), bounds, codes, counters, withHours);
  }

  const { median, mean } = summariseHours(hours, groupCount);
  const orNull = (v: number) => (v === v ? v : null);
  const out = new Map<string | null, KpiCounts>();
  for (let g = 0; g < groupCount; g++) {
    const o = g * COUNTERS;
    if (!counters[o + PRESENT]) continue;
    const due = counters[o + DUE];
    const closed = counters[o + CLOSED_N];
    out.set(g === nullGroup ? null : names[g], {
      reported: counters[o + REPORTED], immediate: counters[o + IMMEDIATE_N], due, closed, closed_on_time: counters[o + ON_TIME_N],
      rework: counters[o + REWORK], overdue: due - closed, median_hours: orNull(median[g]), mean_hours: orNull(mean[g]),
    });
  }
  return out;
}
