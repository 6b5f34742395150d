/**
 * The periods people pick, as inclusive Asia/Shanghai days (the form the API's `from`/`to` take):
 * the workspace's presets (今日, 本周, 本月, 本季度, 本年, 近30天, custom), the big screen's headline
 * rows and panel windows, and the trend chart's window. Pure: "today" is passed in, as a day of
 * server/domain/time.ts.
 */
import { addDays, daysBetween, isDay, startOfCalendar, type Day, type Interval } from './time.ts';

export const PRESETS = ['today', 'week', 'month', 'quarter', 'year', '30d', 'custom'] as const;
export type Preset = (typeof PRESETS)[number];

/** An inclusive period of calendar days, YYYY-MM-DD. */
export interface DayRange {
  from: Day;
  to: Day;
}

/** The `n` days ending with `today`, today included. */
const lastDays = (today: Day, n: number): DayRange => ({ from: addDays(today, 1 - n), to: today });

/** Number of days in an inclusive range. */
export function rangeDays(r: DayRange): number {
  return daysBetween(r.from, r.to) + 1;
}

/**
 * The range of a preset on `today`. Calendar presets run from their start to today (本月 on
 * the 10th is the 1st–10th), since the future has no issues and would distort rates; weeks are
 * ISO weeks from Monday, as the server's weekly buckets. `custom` returns null: its range is
 * whatever the user typed.
 */
export function presetRange(preset: Preset, today: Day): DayRange | null {
  switch (preset) {
    case 'today':
      return { from: today, to: today };
    case 'week':
    case 'month':
    case 'quarter':
    case 'year':
      return { from: startOfCalendar(today, preset), to: today };
    case '30d':
      return lastDays(today, 30);
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
export function trendWindow(period: DayRange): { range: DayRange; interval: Interval } {
  const days = rangeDays(period);
  if (days <= 30) return { range: lastDays(period.to, 30), interval: 'day' };
  return { range: period, interval: days <= 62 ? 'day' : days <= 370 ? 'week' : 'month' };
}

/** The big screen's headline rows: today, this month so far and this year so far. */
export function headlinePeriods(today: Day): { today: DayRange; month: DayRange; year: DayRange } {
  return { today: { from: today, to: today }, month: presetRange('month', today)!, year: presetRange('year', today)! };
}

/** The period the big screen's other panels cover: the last 7 or 30 days including today, or the month or year so far. */
export function windowPeriod(kind: '7d' | '30d' | 'month' | 'year', today: Day): DayRange {
  if (kind === '7d') return lastDays(today, 7);
  if (kind === '30d') return lastDays(today, 30);
  return headlinePeriods(today)[kind];
}

/** Every day of a range, in order (for a daily chart whose axis must not skip empty days). */
export function daysOf(range: DayRange): Day[] {
  const days: Day[] = [];
  for (let d = range.from; d <= range.to; d = addDays(d, 1)) days.push(d);
  return days;
}
