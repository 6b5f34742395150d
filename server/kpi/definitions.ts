/**
 * The KPI definitions of DESIGN §1, implemented once. Every number a screen shows comes from
 * {@link KPI_AGGREGATES} (SQL over the `issues` table, alias `i`) and {@link finishKpis} (rates).
 *
 * Period semantics, with the period [start, end) in Asia/Shanghai days and `dueEnd = min(end, now)`:
 * - reported / immediate: `reported_at` in [start, end);
 * - due (应结案): not cancelled or deferred, `deadline` in [start, dueEnd) — an issue whose deadline
 *   has not come yet is not due yet;
 * - closed / closedOnTime / rework: of the due, closed (on time: `closed_at <= deadline`; rework: ≥1 返工);
 * - overdue (超期未结): of the due, not closed — so due = closed + overdue always holds. Deferred
 *   (缓办/挂账) issues are excluded like in `due`, because a deferral is an approved postponement;
 * - hours: dispatched → closed, of the closed-and-due that have a dispatch time.
 * Without a period, start is the beginning of time and end is now ("to date").
 */
import { compositeScore, type ScoreParts, type ScoringConfig } from './score.ts';

/** SQL expressions (TIMESTAMP) bounding a period: [start, end) for reports, [start, dueEnd) for deadlines. */
export type PeriodBounds = { start: string; end: string; dueEnd: string };

/** Named SQL parameters `$start`, `$end`, `$dueEnd` (text, cast to TIMESTAMP so comparisons are never textual). */
const PARAM_BOUNDS: PeriodBounds = { start: '$start::TIMESTAMP', end: '$end::TIMESTAMP', dueEnd: '$dueEnd::TIMESTAMP' };

/**
 * The KPI aggregates over a period whose bounds are SQL expressions — parameters for one period,
 * or columns of a joined bucket row when each group is its own period (time series).
 */
export function kpiAggregates(b: PeriodBounds, opts: { hours?: boolean } = {}): string {
  const due = `(i.status NOT IN ('cancelled', 'deferred') AND i.deadline >= ${b.start} AND i.deadline < ${b.dueEnd})`;
  const reported = `(i.reported_at >= ${b.start} AND i.reported_at < ${b.end})`;
  const closedDue = `(${due} AND i.status = 'closed')`;
  const hours = `(epoch(i.closed_at) - epoch(i.dispatched_at)) / 3600.0`;
  return `
  count(*) FILTER (WHERE ${reported}) AS reported,
  count(*) FILTER (WHERE ${reported} AND i.immediate) AS immediate,
  count(*) FILTER (WHERE ${due}) AS due,
  count(*) FILTER (WHERE ${closedDue}) AS closed,
  count(*) FILTER (WHERE ${closedDue} AND i.closed_at <= i.deadline) AS closed_on_time,
  count(*) FILTER (WHERE ${closedDue} AND i.rework_count > 0) AS rework,
  count(*) FILTER (WHERE ${due} AND i.status <> 'closed') AS overdue,
  ${opts.hours === false ? 'NULL::DOUBLE AS median_hours, NULL::DOUBLE AS mean_hours' : `median(${hours}) FILTER (WHERE ${closedDue} AND i.dispatched_at IS NOT NULL) AS median_hours,
  avg(${hours}) FILTER (WHERE ${closedDue} AND i.dispatched_at IS NOT NULL) AS mean_hours`}`;
}

/** The KPI aggregates over the period given by the `$start`, `$end`, `$dueEnd` parameters. */
export const KPI_AGGREGATES = kpiAggregates(PARAM_BOUNDS);

/** The same without median and mean hours (NULL): a ranking's comparison period needs its scores only. */
export const KPI_COUNT_AGGREGATES = kpiAggregates(PARAM_BOUNDS, { hours: false });

/** Reported in the period of the parameters (上报数's condition); heat bins count these rows. */
export const REPORTED_IN_PERIOD = `(i.reported_at >= ${PARAM_BOUNDS.start} AND i.reported_at < ${PARAM_BOUNDS.end})`;

/**
 * 未结 open now, of the issues reported in the period: neither closed nor cancelled (a deferred
 * issue is still on the books). Colours map markers; it is a count, not a KPI rate.
 */
export const OPEN_AGGREGATE = `count(*) FILTER (WHERE ${REPORTED_IN_PERIOD} AND i.status NOT IN ('closed', 'cancelled')) AS open`;

/**
 * Rows that can matter for a period: reported in it, or with a deadline in it (a deadline is never
 * before its report, so both imply reported_at < end). Lets DuckDB skip row groups by min/max.
 */
export const PERIOD_PRUNE = `(i.reported_at < $end::TIMESTAMP AND (i.reported_at >= $start::TIMESTAMP OR i.deadline >= $start::TIMESTAMP))`;

export type KpiCounts = {
  reported: number; immediate: number; due: number; closed: number; closed_on_time: number;
  rework: number; overdue: number; median_hours: number | null; mean_hours: number | null;
};

export type Kpis = {
  reported: number;
  due: number;
  closed: number;
  closedOnTime: number;
  closureRate: number | null;
  onTimeRate: number | null;
  immediate: number;
  immediateRate: number | null;
  overdue: number;
  rework: number;
  reworkRate: number | null;
  medianHours: number | null;
  meanHours: number | null;
  /** Issues reported per km² of the unit; null when the unit has no area (e.g. a whole-file query). */
  density: number | null;
  /** Issues reported per grid per 30 days; null when the grid count or period is unknown. */
  workload: number | null;
  score: number | null;
  scoreParts: ScoreParts | null;
};

/** A ratio with a zero denominator is null — "nothing was due" is not a 0 % or 100 % closure rate. */
export function rate(numerator: number, denominator: number): number | null {
  return denominator > 0 ? Math.round((numerator / denominator) * 10_000) / 10_000 : null;
}

const round1 = (v: number | null) => (v === null || v === undefined ? null : Math.round(v * 10) / 10);

/** The rates and composite score of the counts: all a ranking needs (a red/black list scores 10 k grids and shows 20). */
export function scoredRates(c: KpiCounts, scoring: ScoringConfig) {
  const closureRate = rate(c.closed, c.due);
  const onTimeRate = rate(c.closed_on_time, c.due);
  const immediateRate = rate(c.immediate, c.reported);
  const reworkRate = rate(c.rework, c.closed);
  const { score, parts } = compositeScore({ due: c.due, onTimeRate, closureRate, immediateRate, reworkRate, overdue: c.overdue }, scoring);
  return { closureRate, onTimeRate, immediateRate, reworkRate, score, scoreParts: parts };
}

/** Turns the aggregate counts of one unit into the KPI record, with rates, density, workload and score. */
export function finishKpis(
  c: KpiCounts,
  ctx: { areaKm2?: number | null; grids?: number | null; periodDays?: number | null; scoring: ScoringConfig },
): Kpis {
  const { closureRate, onTimeRate, immediateRate, reworkRate, score, scoreParts } = scoredRates(c, ctx.scoring);
  const density = ctx.areaKm2 ? Math.round((c.reported / ctx.areaKm2) * 100) / 100 : null;
  const workload = ctx.grids && ctx.periodDays ? Math.round((c.reported / ctx.grids / (ctx.periodDays / 30)) * 100) / 100 : null;
  return {
    reported: c.reported, due: c.due, closed: c.closed, closedOnTime: c.closed_on_time, closureRate, onTimeRate,
    immediate: c.immediate, immediateRate, overdue: c.overdue, rework: c.rework, reworkRate,
    medianHours: round1(c.median_hours), meanHours: round1(c.mean_hours), density, workload, score, scoreParts,
  };
}

/** Zero counts, for units with no issue at all (they still appear in lists and maps). */
export const EMPTY_COUNTS: KpiCounts = { reported: 0, immediate: 0, due: 0, closed: 0, closed_on_time: 0, rework: 0, overdue: 0, median_hours: null, mean_hours: null };
