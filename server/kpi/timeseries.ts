/**
 * Periods of the analytics on the Asia/Shanghai calendar of server/domain/time.ts: the time
 * buckets of a series, the comparison periods (环比 / 同比) and the change between two periods'
 * KPIs. Pure: no database, so every boundary rule is testable on its own.
 */
import {
  bucketStart, DAY, localParts, nextBucketStart, sameDayLastYear, sameDayMonthsBefore, sameMomentLastYear, shanghaiDate, shanghaiIsoLocal, type CalendarUnit,
} from '../domain/time.ts';
import type { Kpis } from './definitions.ts';

/** A half-open period [start, end) of UTC instants. */
export type Period = { start: Date; end: Date };

/**
 * One time bucket: `key` is the local calendar start of the hour (`YYYY-MM-DDTHH:00`), day, ISO week
 * (Monday) or month (`YYYY-MM-DD`);
 * start/end are that calendar span clipped to the covered range, so the buckets partition the
 * period exactly and their counts add up to the whole period's.
 */
export type Bucket = { key: string; start: Date; end: Date };

/**
 * A period as the inclusive Shanghai dates a user types: `to` is the day of the last instant, not
 * the exclusive end (which is the next midnight, or "now" for a to-date bucket).
 */
export function periodLabel(p: { start: Date | null; end: Date | null }): { from: string | null; to: string | null } {
  return { from: p.start ? shanghaiDate(p.start) : null, to: p.end ? shanghaiDate(new Date(p.end.getTime() - 1)) : null };
}

/** The key of the bucket starting at the local calendar start `s` (its Shanghai date, and its hour for an hour). */
export function bucketKey(s: number, interval: CalendarUnit): string {
  return interval === 'hour' ? `${shanghaiIsoLocal(s).slice(0, 13)}:00` : shanghaiDate(s);
}

/**
 * The buckets covering [start, end), first and last clipped to it; empty when end <= start.
 * Returns null when more than `max` buckets would be needed, before building them all.
 */
export function bucketsOf(range: Period, interval: CalendarUnit, max: number): Bucket[] | null {
  const out: Bucket[] = [];
  const end = range.end.getTime();
  if (end <= range.start.getTime()) return out;
  for (let s = bucketStart(range.start.getTime(), interval); s < end; s = nextBucketStart(s, interval)) {
    if (out.length === max) return null;
    out.push({ key: bucketKey(s, interval), start: new Date(Math.max(s, range.start.getTime())), end: new Date(Math.min(nextBucketStart(s, interval), end)) });
  }
  return out;
}

/**
 * 环比: the period right before this one. A period of whole days starting on the 1st of a month is
 * compared with the same days of the month(s) before it (上月同期), as monthly figures are read:
 * October with September, 1–7 December with 1–7 November, a quarter with the quarter before. Any
 * other period (a week, the last 30 days, a custom range) with the span of equal length that ends
 * where it starts.
 */
export function previousPeriod(p: Period): Period {
  const start = p.start.getTime();
  const end = p.end.getTime();
  const dayAligned = bucketStart(start, 'day') === start && bucketStart(end, 'day') === end;
  if (dayAligned && end > start && bucketStart(start, 'month') === start) {
    const first = localParts(start);
    const last = localParts(end - DAY);
    const months = (last.y - first.y) * 12 + (last.m - first.m) + 1;
    return { start: new Date(sameDayMonthsBefore(start, months)), end: new Date(sameDayMonthsBefore(end - DAY, months, true) + DAY) };
  }
  return { start: new Date(start - (end - start)), end: p.start };
}

/**
 * 同比: the same calendar dates one year earlier. Shifts the first and the last (inclusive) day, so
 * a period ending on 29 February ends on 28 February the year before instead of spilling into March.
 */
export function lastYearPeriod(p: Period): Period {
  return { start: new Date(sameDayLastYear(p.start.getTime())), end: new Date(sameDayLastYear(p.end.getTime() - DAY) + DAY) };
}

/**
 * A compared period with the instant it is evaluated as of (Filters `asOf`): the moment that stands
 * to it as now stands to the current period, so both are judged with the same hindsight. Evaluated
 * now instead, last year's issues would all have been closed since and last year would look perfect.
 */
export type Comparison<P extends { start: Date | null; end: Date | null } = Period> = P & { asOf: Date };

/** 环比 judged as of the moment that stands to the previous period's end as now stands to this one's. */
export function previousComparison(p: Period, now: Date): Comparison {
  const previous = previousPeriod(p);
  return { ...previous, asOf: new Date(previous.end.getTime() - (p.end.getTime() - now.getTime())) };
}

/**
 * 同比: the same dates one year earlier, as of the same moment one calendar year before now.
 * "To date" (null: no period) compares with everything to date one year before, e.g. the backlog then.
 */
export function lastYearComparison(p: Period | null, now: Date): Comparison<{ start: Date | null; end: Date | null }> {
  const asOf = new Date(sameMomentLastYear(now.getTime()));
  return p ? { ...lastYearPeriod(p), asOf } : { start: null, end: null, asOf };
}

/** How a period's KPIs moved against a base period: `Pct` = relative change in %, `Pts` = percentage points. */
export type KpiChange = {
  reportedPct: number | null;
  duePct: number | null;
  closedPct: number | null;
  overduePct: number | null;
  closureRatePts: number | null;
  onTimeRatePts: number | null;
  immediateRatePts: number | null;
  reworkRatePts: number | null;
  medianHoursDelta: number | null;
  scoreDelta: number | null;
};

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;
/** Relative change; null from a zero base, since "up from nothing" has no percentage. */
/** Relative change in % to one decimal; null from a zero base. */
export const pct = (now: number, base: number) => (base > 0 ? round(((now - base) / base) * 100, 1) : null);
const delta = (now: number | null, base: number | null, scale: number, digits: number) =>
  now === null || base === null ? null : round((now - base) * scale, digits);

/** The change of `now` against `base` (环比 or 同比); a side without a value gives null, never 0. */
export function kpiChange(now: Kpis, base: Kpis): KpiChange {
  return {
    reportedPct: pct(now.reported, base.reported),
    duePct: pct(now.due, base.due),
    closedPct: pct(now.closed, base.closed),
    overduePct: pct(now.overdue, base.overdue),
    closureRatePts: delta(now.closureRate, base.closureRate, 100, 2),
    onTimeRatePts: delta(now.onTimeRate, base.onTimeRate, 100, 2),
    immediateRatePts: delta(now.immediateRate, base.immediateRate, 100, 2),
    reworkRatePts: delta(now.reworkRate, base.reworkRate, 100, 2),
    medianHoursDelta: delta(now.medianHours, base.medianHours, 1, 1),
    scoreDelta: delta(now.score, base.score, 1, 2),
  };
}
