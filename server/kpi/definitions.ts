/**
 * The KPIs of docs/domain.md as every screen shows them. The rules themselves (what is reported, due,
 * closed, overdue … in a period) are data in server/domain/kpi-rules.ts; this file gives their SQL
 * (compiled by rules-sql.ts, over the `issues` table, alias `i`) and {@link finishKpis} (rates).
 */
import { CONDITIONS, KPI_COUNTERS, type KpiCounts } from '../domain/kpi-rules.ts';
import { conditionSql, counterAggregates } from './rules-sql.ts';
import { compositeScore, type ScoreParts, type ScoringConfig } from './score.ts';

export type { KpiCounts };

/**
 * SQL expressions (TIMESTAMP) bounding a period: [start, end) for reports, [start, dueEnd) for
 * deadlines, and the instant the rules are evaluated as of (none: the present).
 */
export type PeriodBounds = { start: string; end: string; dueEnd: string; asOf?: string };

/** Named SQL parameters `$start`, `$end`, `$dueEnd` (text, cast to TIMESTAMP so comparisons are never textual). */
const PARAM_BOUNDS: PeriodBounds = { start: '$start::TIMESTAMP', end: '$end::TIMESTAMP', dueEnd: '$dueEnd::TIMESTAMP' };
/** The same and `$asOf` (see `periodParams`). */
const AS_OF_BOUNDS: PeriodBounds = { ...PARAM_BOUNDS, asOf: '$asOf::TIMESTAMP' };

/**
 * The KPI aggregates over a period whose bounds are SQL expressions — parameters for one period,
 * or columns of a joined bucket row when each group is its own period (time series).
 */
export function kpiAggregates(b: PeriodBounds, opts: { hours?: boolean } = {}): string {
  return `\n  ${counterAggregates(b, opts)}`;
}

/** The KPI aggregates over the period given by the `$start`, `$end`, `$dueEnd` parameters. */
export const KPI_AGGREGATES = kpiAggregates(PARAM_BOUNDS);

/** The same without median and mean hours (NULL): a ranking's comparison period needs its scores only. */
export const KPI_COUNT_AGGREGATES = kpiAggregates(PARAM_BOUNDS, { hours: false });

const AS_OF_AGGREGATES = { hours: kpiAggregates(AS_OF_BOUNDS), counts: kpiAggregates(AS_OF_BOUNDS, { hours: false }) };

/** The KPI aggregates over the period parameters, as of `$asOf` when the filter is evaluated as of an instant. */
export function aggregatesOf(f: { asOf?: Date | null }, opts: { hours: boolean }): string {
  if (f.asOf) return opts.hours ? AS_OF_AGGREGATES.hours : AS_OF_AGGREGATES.counts;
  return opts.hours ? KPI_AGGREGATES : KPI_COUNT_AGGREGATES;
}

/** Reported in the period of the parameters (上报数's condition); heat bins count these rows. */
export const REPORTED_IN_PERIOD = conditionSql(CONDITIONS.reported, PARAM_BOUNDS);

/**
 * 未结 open now, of the issues reported in the period: neither closed nor cancelled (a deferred
 * issue is still on the books). Colours map markers; it is a count, not a KPI rate.
 */
export const OPEN_AGGREGATE = `count(*) FILTER (WHERE ${conditionSql(CONDITIONS.openReported, PARAM_BOUNDS)}) AS open`;

export type Kpis = {
  reported: number;
  due: number;
  closed: number;
  closedOnTime: number;
  /** 超期结案: of the closed, closed after the deadline. */
  closedLate: number;
  /** 超期结案率: closedLate / closed. */
  lateRate: number | null;
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
    reported: c.reported, due: c.due, closed: c.closed, closedOnTime: c.closed_on_time,
    closedLate: c.closed_late, lateRate: rate(c.closed_late, c.closed), closureRate, onTimeRate,
    immediate: c.immediate, immediateRate, overdue: c.overdue, rework: c.rework, reworkRate,
    medianHours: round1(c.median_hours), meanHours: round1(c.mean_hours), density, workload, score, scoreParts,
  };
}

/** Zero counts, for units with no issue at all (they still appear in lists and maps). */
export const EMPTY_COUNTS = Object.fromEntries(KPI_COUNTERS.map((c) => [c.name, 'count' in c ? 0 : null])) as KpiCounts;
