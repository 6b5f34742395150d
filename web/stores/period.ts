/**
 * Time presets of the filter bar (今日, 本周, 本月, 本季度, 本年, 近30天, custom) as inclusive
 * Asia/Shanghai dates, the form the API's `from`/`to` take. Pure: "today" is passed in.
 */

export const PRESETS = ['today', 'week', 'month', 'quarter', 'year', '30d', 'custom'] as const;
export type Preset = (typeof PRESETS)[number];

/** An inclusive period of calendar days, YYYY-MM-DD. */
export interface DayRange {
  from: string;
  to: string;
}

const SHANGHAI_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Today's date in Asia/Shanghai (the server's calendar), whatever the browser's time zone. */
export function shanghaiToday(now: Date = new Date()): string {
  return new Date(now.getTime() + SHANGHAI_MS).toISOString().slice(0, 10);
}

/** Whether a string is a real calendar date YYYY-MM-DD. */
export function isDay(s: unknown): s is string {
  if (typeof s !== 'string' || !DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
}

const parse = (day: string) => Date.parse(`${day}T00:00:00Z`);
const format = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** `day` shifted by `n` days. */
export function addDays(day: string, n: number): string {
  return format(parse(day) + n * DAY_MS);
}

/** Number of days in an inclusive range. */
export function rangeDays(r: DayRange): number {
  return Math.round((parse(r.to) - parse(r.from)) / DAY_MS) + 1;
}

/**
 * The range of a preset on `today`. Calendar presets run from their start to today (本月 on
 * the 10th is the 1st–10th), since the future has no issues and would distort rates.
 * `custom` returns null: its range is whatever the user typed.
 */
export function presetRange(preset: Preset, today: string): DayRange | null {
  const d = new Date(parse(today));
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  switch (preset) {
    case 'today':
      return { from: today, to: today };
    case 'week':
      // ISO weeks start on Monday, as the server's weekly buckets do.
      return { from: addDays(today, -((d.getUTCDay() + 6) % 7)), to: today };
    case 'month':
      return { from: format(Date.UTC(y, m, 1)), to: today };
    case 'quarter':
      return { from: format(Date.UTC(y, m - (m % 3), 1)), to: today };
    case 'year':
      return { from: format(Date.UTC(y, 0, 1)), to: today };
    case '30d':
      return { from: addDays(today, -29), to: today };
    case 'custom':
      return null;
  }
}

/** A custom range made valid: both ends real dates, in order (swapped when reversed); null otherwise. */
export function normaliseRange(from: unknown, to: unknown): DayRange | null {
  if (!isDay(from) || !isDay(to)) return null;
  return from <= to ? { from, to } : { from: to, to: from };
}

/**
 * The trend chart's window and bucket size: at least the 30 days ending with the period (the
 * "30-day trend" of a short period such as 今日 or 本周), the period itself when longer, in days up
 * to ~2 months, weeks up to a year, months beyond.
 */
export function trendWindow(period: DayRange): { range: DayRange; interval: 'day' | 'week' | 'month' } {
  const days = rangeDays(period);
  if (days <= 30) return { range: { from: addDays(period.to, -29), to: period.to }, interval: 'day' };
  return { range: period, interval: days <= 62 ? 'day' : days <= 370 ? 'week' : 'month' };
}
