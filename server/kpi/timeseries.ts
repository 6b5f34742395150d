/**
 * Calendar arithmetic of the analytics, in Asia/Shanghai days (UTC+8, no daylight saving): time
 * buckets, the comparison periods (环比 / 同比) and the change between two periods' KPIs.
 * Pure: no database, so every boundary rule is testable on its own.
 */
import type { Kpis } from './definitions.ts';

/** Bucket sizes of a time series (the `interval` parameter). */
export const INTERVALS = ['day', 'week', 'month'] as const;
export type Interval = (typeof INTERVALS)[number];

/** A half-open period [start, end) of UTC instants. */
export type Period = { start: Date; end: Date };

/**
 * One time bucket: `key` is the local calendar start of the day, ISO week (Monday) or month;
 * start/end are that calendar span clipped to the covered range, so the buckets partition the
 * period exactly and their counts add up to the whole period's.
 */
export type Bucket = { key: string; start: Date; end: Date };

const DAY = 86_400_000;
const SHANGHAI = 8 * 3_600_000;

/** The Asia/Shanghai calendar date (YYYY-MM-DD) of an instant. */
export function shanghaiDate(d: Date): string {
  return new Date(d.getTime() + SHANGHAI).toISOString().slice(0, 10);
}

/**
 * A period as the inclusive Shanghai dates a user types: `to` is the day of the last instant, not
 * the exclusive end (which is the next midnight, or "now" for a to-date bucket).
 */
export function periodLabel(p: { start: Date | null; end: Date | null }): { from: string | null; to: string | null } {
  return { from: p.start ? shanghaiDate(p.start) : null, to: p.end ? shanghaiDate(new Date(p.end.getTime() - 1)) : null };
}

/** Local calendar parts of an instant; Date.UTC on them gives back "local midnight as UTC + 8 h". */
function local(ms: number) {
  const d = new Date(ms + SHANGHAI);
  return { y: d.getUTCFullYear(), m: d.getUTCMonth(), d: d.getUTCDate(), weekday: (d.getUTCDay() + 6) % 7 };
}

/** The UTC instant at which the calendar bucket containing `ms` starts. */
export function bucketStart(ms: number, interval: Interval): number {
  const t = local(ms);
  if (interval === 'month') return Date.UTC(t.y, t.m, 1) - SHANGHAI;
  return Date.UTC(t.y, t.m, t.d - (interval === 'week' ? t.weekday : 0)) - SHANGHAI;
}

/** The start of the next bucket; months differ in length, so this is calendar, not millisecond, arithmetic. */
function nextStart(startMs: number, interval: Interval): number {
  const t = local(startMs);
  if (interval === 'month') return Date.UTC(t.y, t.m + 1, 1) - SHANGHAI;
  return Date.UTC(t.y, t.m, t.d + (interval === 'week' ? 7 : 1)) - SHANGHAI;
}

/**
 * The buckets covering [start, end), first and last clipped to it; empty when end <= start.
 * Returns null when more than `max` buckets would be needed, before building them all.
 */
export function bucketsOf(range: Period, interval: Interval, max: number): Bucket[] | null {
  const out: Bucket[] = [];
  const end = range.end.getTime();
  if (end <= range.start.getTime()) return out;
  for (let s = bucketStart(range.start.getTime(), interval); s < end; s = nextStart(s, interval)) {
    if (out.length === max) return null;
    out.push({ key: shanghaiDate(new Date(s)), start: new Date(Math.max(s, range.start.getTime())), end: new Date(Math.min(nextStart(s, interval), end)) });
  }
  return out;
}

/** The first instant of the local day after the one containing `d` — a day-aligned exclusive end. */
export function endOfShanghaiDay(d: Date): Date {
  return new Date(bucketStart(d.getTime(), 'day') + DAY);
}

/** The local midnight starting the day that contains `d`. */
export function startOfShanghaiDay(d: Date): Date {
  return new Date(bucketStart(d.getTime(), 'day'));
}

/** 环比: the period of equal length that ends where this one starts. */
export function previousPeriod(p: Period): Period {
  const length = p.end.getTime() - p.start.getTime();
  return { start: new Date(p.start.getTime() - length), end: p.start };
}

/**
 * 同比: the same calendar dates one year earlier. Shifts the first and the last (inclusive) day, so
 * a period ending on 29 February ends on 28 February the year before instead of spilling into March.
 */
export function lastYearPeriod(p: Period): Period {
  const shift = (ms: number) => {
    const t = local(ms);
    const day = Math.min(t.d, new Date(Date.UTC(t.y - 1, t.m + 1, 0)).getUTCDate());
    return Date.UTC(t.y - 1, t.m, day) - SHANGHAI;
  };
  return { start: new Date(shift(p.start.getTime())), end: new Date(shift(p.end.getTime() - DAY) + DAY) };
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
const pct = (now: number, base: number) => (base > 0 ? round(((now - base) / base) * 100, 1) : null);
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
