/**
 * The KPI aggregates of DESIGN §1 (server/kpi/definitions.ts) over the in-memory columns: the same
 * counts, with the same period rules, grouping and pruning as the SQL of `groupedCounts`, so either
 * path gives the same answer (tests/server/kpi-fast.test.ts holds them to it). Pure: codes in, counts out.
 */
import type { KpiCounts } from '../definitions.ts';
import { IMMEDIATE, ON_TIME, REWORKED, type IssueColumns } from './columns.ts';
import type { CodeFilter, CodeGrouping, StatusCodes } from './codes.ts';
import { namesOf, pairsOf } from './groups.ts';
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
 * Counts rows into `counters` (COUNTERS per group) and collects the hours. A row's group is either
 * given beside it (`groups`, from pairs: sites, time buckets) or read from an integer column of the
 * row (grid, community, street, category; `map` may merge codes): read straight from the column,
 * the choropleth and the rankings need no pairs. Bounds are the period's, or one per group (time
 * buckets). Branch-free increments: a dashboard's rows are a coin toss between in and out of the
 * period, so branches would be mispredicted half the time.
 */
function accumulate(
  cols: IssueColumns, rows: Int32Array, length: number,
  key: { groups: Int32Array } | { column: Int32Array; map: Int32Array | undefined; nullGroup: number },
  bounds: { start: number; end: number; dueEnd: number } | { starts: Float64Array; ends: Float64Array; dueEnds: Float64Array },
  codes: StatusCodes, counters: Int32Array, withHours: boolean,
): Hours {
  const { closed: CLOSED, cancelled: CANCELLED, deferred: DEFERRED } = codes;
  // Locals, not `cols.x`: V8 keeps them in registers through the loop; the branches on them are the same for every row.
  const { reported, deadline, status, flags, hours } = cols;
  const given = 'groups' in key ? key.groups : null;
  const column = 'column' in key ? key.column : null;
  const map = 'column' in key ? key.map : undefined;
  const nullGroup = 'column' in key ? key.nullGroup : 0;
  const perGroup = 'starts' in bounds ? bounds : null;
  const shared = 'start' in bounds ? bounds : { start: 0, end: 0, dueEnd: 0 };
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
    const start = perGroup !== null ? perGroup.starts[g] : shared.start;
    const end = perGroup !== null ? perGroup.ends[g] : shared.end;
    const dueEnd = perGroup !== null ? perGroup.dueEnds[g] : shared.dueEnd;
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
    const key = { column: cols[grouping.column], map: grouping.map, nullGroup };
    hours = accumulate(cols, sel.rows, sel.length, key, f, codes, counters, withHours);
  } else {
    const pairs = pairsOf(cols, sel, grouping, nullGroup);
    // Time buckets are each their own period; every other grouping shares the filter's.
    const bounds = grouping.kind === 'bucket' ? { starts: grouping.starts, ends: grouping.ends, dueEnds: grouping.dueEnds } : f;
    hours = accumulate(cols, pairs.rows, pairs.length, { groups: pairs.groups }, bounds, codes, counters, withHours);
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
