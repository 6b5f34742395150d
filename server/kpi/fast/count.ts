/**
 * The KPI counts of the rules (server/domain/kpi-rules.ts) over the in-memory columns: the same
 * counts, with the same period rules, grouping and pruning as the SQL of `groupedCounts`, so either
 * path gives the same answer (tests/server/kpi/fast-engine.test.ts holds them to it). The loops
 * are generated from the rules (kernels.ts); this file picks one per grouping and reads the counters.
 * Pure: codes in, counts out.
 */
import type { KpiCounts } from '../definitions.ts';
import type { CodeColumn, ColumnView } from './columns.ts';
import type { CodeFilter, CodeGrouping, StatusCodes } from './codes.ts';
import { namesOf, pairsOf } from './groups.ts';
import { countsAt, KERNELS, kernelsFor, SLOTS, type KernelColumns, type Period } from './kernels.ts';
import { summariseHours, type Hours } from './median.ts';
import { filtered, type RowRange } from './rows.ts';

/** Groupings that put every row in exactly one group: their total is the sum of the groups. */
const partitions = (g: CodeGrouping) => g.kind === 'one' || g.kind === 'column' || g.kind === 'clock';

/**
 * The counters and collected hours of the rows of `range`: a whole count, or one part of a count
 * split across the counting workers (pool.ts). The hours may lie in a buffer the next count
 * reuses: read them, or copy them, before counting again.
 */
export type CountPart = { counters: Int32Array; hours: Hours };

/** Counts the rows of `range` that pass the filter, by the grouping (the counting half of `countKpis`). */
export function countPart(
  cols: ColumnView, f: CodeFilter, grouping: CodeGrouping, codes: StatusCodes, withHours: boolean, range?: RowRange,
): CountPart {
  const nullGroup = namesOf(grouping).length;
  const counters = new Int32Array((nullGroup + 1) * SLOTS);
  const sel = filtered(cols, f, range);
  const loops = kernelsFor(f);
  let hours: Hours;
  if (grouping.kind === 'one') hours = loops.one(cols, sel.rows, sel.length, f, codes, counters, withHours);
  else if (grouping.kind === 'column' && grouping.column !== 'source' && grouping.column !== 'status') {
    hours = loops.column(cols, sel.rows, sel.length, grouping.values ?? cols[grouping.column], grouping.map, nullGroup, f, codes, counters, withHours);
  } else if (grouping.kind === 'bucket') hours = loops.bucket(cols, sel.rows, sel.length, grouping, codes, counters, withHours);
  else {
    const pairs = pairsOf(cols, sel, grouping, nullGroup);
    hours = loops.given(cols, pairs.rows, pairs.groups, pairs.length, f, codes, counters, withHours);
  }
  return { counters, hours };
}

/**
 * One part from the parts of a count over consecutive row ranges, in row order: counters add, and
 * the hours are laid end to end, so each group keeps its hours in row order.
 */
export function mergeParts(parts: readonly CountPart[]): CountPart {
  if (parts.length === 1) return parts[0];
  const counters = new Int32Array(parts[0].counters.length);
  let length = 0;
  for (const part of parts) {
    for (let k = 0; k < counters.length; k++) counters[k] += part.counters[k];
    length += part.hours.length;
  }
  const values = new Float64Array(length);
  const grouped = parts[0].hours.groups !== null;
  const groups = grouped ? new Int32Array(length) : null;
  let at = 0;
  for (const { hours } of parts) {
    values.set(hours.values.subarray(0, hours.length), at);
    if (groups) groups.set(hours.groups!.subarray(0, hours.length), at);
    at += hours.length;
  }
  return { counters, hours: { values, groups, length } };
}

/**
 * What a count's answer is made of, before its group names: the counters, and each group's median
 * and mean hours (NaN: none), and with a total the median and mean of all hours. The heavy half of
 * finishing a count (the medians read every collected hour), so a counting worker can do it.
 */
export type CountSummary = { counters: Int32Array; median: Float64Array; mean: Float64Array; total: { median: number; mean: number } | null };

/** The number of groups of a count (its names and the null group): what summarising it needs of a grouping. */
export const groupCountOf = (grouping: CodeGrouping) => namesOf(grouping).length + 1;

/** Throws for a total asked of a grouping that does not partition the rows. */
export function assertTotal(grouping: CodeGrouping, withTotal: boolean): void {
  if (withTotal && !partitions(grouping)) throw new Error(`a ${grouping.kind} grouping has no total: rows may count in several groups or none`);
}

/** The summary of a count's counters and hours over `groupCount` groups (groupCountOf). */
export function summarise(groupCount: number, { counters, hours }: CountPart, withTotal: boolean): CountSummary {
  // Grouped hours are copied out by group to take the medians; the collected ones stay for the total's.
  const { median, mean } = summariseHours(hours, groupCount);
  if (!withTotal) return { counters, median, mean, total: null };
  const overall = hours.groups === null ? { median, mean } : summariseHours({ values: hours.values, groups: null, length: hours.length }, 1);
  return { counters, median, mean, total: { median: overall.median[0], mean: overall.mean[0] } };
}

/** KPI counts per group key from a summary, and with `withTotal` the counts of all groups together. */
export function answerOf(
  grouping: CodeGrouping, { counters, median, mean, total }: CountSummary, withTotal: boolean,
): { groups: Map<string | null, KpiCounts>; total: KpiCounts | null } {
  const names = namesOf(grouping);
  const groupCount = names.length + 1;
  const nullGroup = names.length;
  const groups = new Map<string | null, KpiCounts>();
  for (let g = 0; g < groupCount; g++) {
    if (counters[g * SLOTS]) groups.set(g === nullGroup ? null : names[g], countsOf(counters, g, median[g], mean[g]));
  }
  if (!withTotal || !total) return { groups, total: null };
  const all = new Int32Array(SLOTS);
  for (let g = 0; g < groupCount; g++) for (let k = 0; k < SLOTS; k++) all[k] += counters[g * SLOTS + k];
  return { groups, total: countsOf(all, 0, total.median, total.mean) };
}

/**
 * The answer of a count from its counters and hours: KPI counts per group key, and with `withTotal`
 * (a grouping that partitions the rows) the counts of all of them, from the same pass.
 */
export function finishCount(
  grouping: CodeGrouping, part: CountPart, withTotal: boolean,
): { groups: Map<string | null, KpiCounts>; total: KpiCounts | null } {
  assertTotal(grouping, withTotal);
  return answerOf(grouping, summarise(groupCountOf(grouping), part, withTotal), withTotal);
}

/**
 * KPI counts per group key, like `groupedCounts`; a group appears when a row of it passes the
 * period pruning. `withTotal` (a grouping that partitions the rows) also gives the counts of all
 * of them, from the same pass: a breakdown shows its total beside its rows. Counted here, on the
 * calling thread; the engine may split the same count across its workers instead.
 */
export function countKpis(
  cols: ColumnView, f: CodeFilter, grouping: CodeGrouping, codes: StatusCodes, withHours = true, withTotal = false,
): { groups: Map<string | null, KpiCounts>; total: KpiCounts | null } {
  return finishCount(grouping, countPart(cols, f, grouping, codes, withHours), withTotal);
}

/** The counts of group g (NaN hours: none). */
const countsOf = (counters: Int32Array, g: number, median: number, mean: number) => countsAt(counters, g, median, mean) as KpiCounts;

/**
 * KPI counts of every row in table order by a group beside each row (`groupOf[r]`, -1: none), for
 * one period and without hours: the planner's workload per grid slot of a plan.
 */
export function countRowsBy(cols: KernelColumns, length: number, groupOf: CodeColumn, groupCount: number, period: Period, codes: StatusCodes): KpiCounts[] {
  // Rows of no group count in one more, unread, group.
  const counters = new Int32Array((groupCount + 1) * SLOTS);
  KERNELS.columnAll(cols, null, length, groupOf, undefined, groupCount, period, codes, counters, false);
  return Array.from({ length: groupCount }, (_, g) => countsOf(counters, g, NaN, NaN));
}
