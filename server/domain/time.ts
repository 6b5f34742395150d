/**
 * Asia/Shanghai calendar arithmetic, the one clock of civgrid: China has one time zone, UTC+8,
 * without daylight saving, so local time is an instant shifted by a constant 8 h and a local
 * calendar field is the matching `getUTC*` field of the shifted instant. Every day, week and month
 * boundary of the server, the KPI engine and the web is computed here. Pure: "now" is passed in.
 */

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
/** How far Asia/Shanghai wall-clock time runs ahead of UTC. */
export const SHANGHAI_OFFSET_MS = 8 * HOUR;
/** The same offset as ISO 8601 writes it, for timestamps given without one. */
export const SHANGHAI_OFFSET = '+08:00';
/** The IANA zone, for `Intl` formatting of times people read. */
export const SHANGHAI_TIME_ZONE = 'Asia/Shanghai';

/** Bucket sizes of a time series: a local day, an ISO week (from Monday) or a calendar month. */
export const INTERVALS = ['day', 'week', 'month'] as const;
export type Interval = (typeof INTERVALS)[number];

/** Calendar units a span is cut into: the intervals and the hour (a time series or playback of a few days). */
export const CALENDAR_UNITS = ['hour', ...INTERVALS] as const;
export type CalendarUnit = (typeof CALENDAR_UNITS)[number];

/** A calendar day, YYYY-MM-DD. */
export type Day = string;

const ms = (at: Date | number) => (typeof at === 'number' ? at : at.getTime());

/** The Asia/Shanghai calendar day (YYYY-MM-DD) of an instant. */
export function shanghaiDate(at: Date | number): Day {
  return new Date(ms(at) + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** The Asia/Shanghai wall-clock time of an instant as `YYYY-MM-DDTHH:mm:ss.sss` (no zone). */
export function shanghaiIsoLocal(at: Date | number): string {
  return new Date(ms(at) + SHANGHAI_OFFSET_MS).toISOString().slice(0, 23);
}

/** An instant as ISO 8601 with the +08:00 offset, to the second: `2026-11-25T21:05:09+08:00`. */
export function shanghaiIso(at: Date | number): string {
  return `${shanghaiIsoLocal(at).slice(0, 19)}${SHANGHAI_OFFSET}`;
}

/** Date and time of an instant in Shanghai, for a wall clock: `{ date: '2026-11-25', time: '21:05:09', weekday: 0–6 from Sunday }`. */
export function shanghaiClock(at: Date | number): { date: Day; time: string; weekday: number } {
  const shifted = new Date(ms(at) + SHANGHAI_OFFSET_MS);
  const iso = shifted.toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 19), weekday: shifted.getUTCDay() };
}

/** The Asia/Shanghai calendar day number (days since 1970-01-01 local) of an instant. */
export const localDay = (at: number) => Math.floor((at + SHANGHAI_OFFSET_MS) / DAY);

/** The local midnight of a YYYY-MM-DD day, as an instant. */
export function shanghaiMidnight(day: Day): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) - SHANGHAI_OFFSET_MS);
}

/** Local calendar and clock fields of an instant; `weekday` counts from Monday = 0. */
export function localParts(at: number): { y: number; m: number; d: number; hour: number; weekday: number } {
  const t = new Date(at + SHANGHAI_OFFSET_MS);
  return { y: t.getUTCFullYear(), m: t.getUTCMonth(), d: t.getUTCDate(), hour: t.getUTCHours(), weekday: (t.getUTCDay() + 6) % 7 };
}

/** The instant of local midnight of a calendar date given as fields (month 0-based; days may overflow, like Date.UTC). */
const localMidnight = (y: number, m: number, d: number) => Date.UTC(y, m, d) - SHANGHAI_OFFSET_MS;

/** The instant at which the local calendar bucket (hour, day, ISO week from Monday, month) containing `at` starts. */
export function bucketStart(at: number, interval: CalendarUnit): number {
  const t = localParts(at);
  if (interval === 'hour') return localMidnight(t.y, t.m, t.d) + t.hour * HOUR;
  if (interval === 'month') return localMidnight(t.y, t.m, 1);
  return localMidnight(t.y, t.m, t.d - (interval === 'week' ? t.weekday : 0));
}

/** The start of the bucket after the one starting at `start`; months differ in length, so this is calendar arithmetic. */
export function nextBucketStart(start: number, interval: CalendarUnit): number {
  // Shanghai keeps no daylight saving: every hour is 60 minutes.
  if (interval === 'hour') return start + HOUR;
  const t = localParts(start);
  if (interval === 'month') return localMidnight(t.y, t.m + 1, 1);
  return localMidnight(t.y, t.m, t.d + (interval === 'week' ? 7 : 1));
}

/** The local midnight starting the day that contains `d`. */
export function startOfShanghaiDay(d: Date): Date {
  return new Date(bucketStart(d.getTime(), 'day'));
}

/** The first instant of the local day after the one containing `d` — a day-aligned exclusive end. */
export function endOfShanghaiDay(d: Date): Date {
  return new Date(bucketStart(d.getTime(), 'day') + DAY);
}

/**
 * The local midnight starting the same calendar date one year before the day of `at` (同比);
 * 29 February becomes 28 February, never 1 March.
 */
export function sameDayLastYear(at: number): number {
  return sameDayMonthsBefore(at, 12);
}

/** Days in a month (0-based; months may overflow either way, like Date.UTC). */
const monthLength = (y: number, m: number) => new Date(Date.UTC(y, m + 1, 0)).getUTCDate();

/**
 * The local midnight starting the same calendar date `months` months before the day of `at`, the
 * day clamped to the shorter month (31 March → 28 February). With `keepMonthEnd`, a month's last day
 * gives the earlier month's last day (30 April → 31 March), so a whole month maps to a whole month.
 */
export function sameDayMonthsBefore(at: number, months: number, keepMonthEnd = false): number {
  const t = localParts(at);
  const length = monthLength(t.y, t.m - months);
  const day = keepMonthEnd && t.d === monthLength(t.y, t.m) ? length : Math.min(t.d, length);
  return localMidnight(t.y, t.m - months, day);
}

/**
 * The same Asia/Shanghai wall-clock moment one calendar year before `at` (同比's "now"): 7 December
 * 2026 12:00 gives 7 December 2025 12:00; 29 February gives 28 February, never 1 March.
 */
export function sameMomentLastYear(at: number): number {
  return sameDayLastYear(at) + (at - bucketStart(at, 'day'));
}

/** Whether a string is a real calendar date YYYY-MM-DD (2026-02-30 is not). */
export function isDay(s: unknown): s is Day {
  if (typeof s !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
}

/** Calendar days are counted on UTC midnights, where every day is 24 h long. */
const dayMs = (day: Day) => Date.parse(`${day}T00:00:00Z`);
const dayOf = (utcMs: number): Day => new Date(utcMs).toISOString().slice(0, 10);

/** `day` moved by `n` calendar days (negative goes back). */
export function addDays(day: Day, n: number): Day {
  return dayOf(dayMs(day) + n * DAY);
}

/** Calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: Day, to: Day): number {
  return Math.round((dayMs(to) - dayMs(from)) / DAY);
}

/** The first day of `day`'s month, quarter or year, or the Monday of its ISO week. */
export function startOfCalendar(day: Day, unit: 'week' | 'month' | 'quarter' | 'year'): Day {
  const d = new Date(dayMs(day));
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  switch (unit) {
    case 'week':
      return addDays(day, -((d.getUTCDay() + 6) % 7));
    case 'month':
      return dayOf(Date.UTC(y, m, 1));
    case 'quarter':
      return dayOf(Date.UTC(y, m - (m % 3), 1));
    case 'year':
      return dayOf(Date.UTC(y, 0, 1));
  }
}

/** Whether an ISO 8601 text ends in a zone designator (`Z`, `+08:00`, `-0500`). */
const hasZone = (text: string) => /(Z|[+-]\d{2}:?\d{2})$/i.test(text);

/**
 * An ISO 8601 date or date-time as an instant text with its zone: without an offset it means
 * Asia/Shanghai, and a bare date is its local midnight.
 */
export function withShanghaiZone(text: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return `${text}T00:00:00${SHANGHAI_OFFSET}`;
  return hasZone(text) ? text : `${text}${SHANGHAI_OFFSET}`;
}

/** The years a timestamp may fall in: anything else in a city record is a typing error. */
export const TIMESTAMP_YEARS = { first: 1990, last: 2100 } as const;

const ISO_LIKE = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Parses an ISO 8601-like timestamp to epoch milliseconds. Without an offset it means Asia/Shanghai.
 * Impossible calendar values (2024-02-30, 25:00) are errors, not silently rolled over; so are years
 * outside 1990–2100, which in city records are typing errors.
 */
export function parseTimestamp(raw: unknown): { value: number; error?: undefined } | { value?: undefined; error: string } {
  if (raw instanceof Date) return Number.isFinite(raw.getTime()) ? { value: raw.getTime() } : { error: 'invalid date' };
  if (typeof raw !== 'string') return { error: `expected an ISO 8601 timestamp, got ${JSON.stringify(raw)}` };
  const m = ISO_LIKE.exec(raw.trim());
  if (!m) return { error: `"${raw}" is not an ISO 8601 timestamp` };
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number);
  const probe = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  if (
    probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day ||
    probe.getUTCHours() !== hour || probe.getUTCMinutes() !== minute || probe.getUTCSeconds() !== second
  ) {
    return { error: `"${raw}" is not a valid date/time` };
  }
  const offset = zone ? (zone.toUpperCase() === 'Z' ? 'Z' : zone.replace(/^([+-]\d{2})(\d{2})$/, '$1:$2')) : SHANGHAI_OFFSET;
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const iso = `${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}${frac}${offset}`;
  const at = Date.parse(iso);
  if (!Number.isFinite(at)) return { error: `"${raw}" is not a valid date/time` };
  if (year < TIMESTAMP_YEARS.first || year > TIMESTAMP_YEARS.last) return { error: `"${raw}" is outside ${TIMESTAMP_YEARS.first}–${TIMESTAMP_YEARS.last}` };
  return { value: at };
}

