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

/** The longest period a bulletin covers: a year (a leap year's 366 days). */
export const BULLETIN_MAX_DAYS = 366;

/** A bulletin's period as written (`2026-11`, `2026-Q4`, `2026-10-01..2026-10-31`) and as days. */
export interface NamedPeriod extends DayRange {
  kind: 'month' | 'quarter' | 'range';
  text: string;
  /** 2026年11月, 2026年第四季度, 2026年10月1日至10月31日; "（截至…）" when it runs on past today. */
  label: string;
}

const QUARTER_NAMES = ['一', '二', '三', '四'];
/** A day as Chinese documents write it: 2026年11月25日, or 11月25日 without the year. */
export const dayLabel = (d: Day, withYear: boolean) => {
  const [y, m, dd] = d.split('-').map(Number);
  return `${withYear ? `${y}年` : ''}${m}月${dd}日`;
};

/**
 * Parses a bulletin's period. A period that has not started by `today` is refused (there is nothing
 * to report), as is one longer than a year; one still running ends today, since the rest has no
 * data and would distort its rates (like 本月 in the workspace). Returns a reason instead of throwing.
 */
export function parseNamedPeriod(text: string, today: Day): NamedPeriod | { error: string } {
  let from: Day;
  let to: Day;
  let kind: NamedPeriod['kind'];
  let label: string;
  const month = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(text);
  const quarter = /^(\d{4})-Q([1-4])$/i.exec(text);
  const range = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(text);
  if (month) {
    kind = 'month';
    from = `${month[1]}-${month[2]}-01`;
    to = addDays(startOfCalendar(addDays(from, 31), 'month'), -1);
    label = `${month[1]}年${Number(month[2])}月`;
  } else if (quarter) {
    kind = 'quarter';
    const q = Number(quarter[2]);
    from = `${quarter[1]}-${String(q * 3 - 2).padStart(2, '0')}-01`;
    to = addDays(startOfCalendar(addDays(from, 92), 'quarter'), -1);
    label = `${quarter[1]}年第${QUARTER_NAMES[q - 1]}季度`;
  } else if (range && isDay(range[1]) && isDay(range[2])) {
    kind = 'range';
    [from, to] = [range[1], range[2]];
    if (from > to) return { error: `${text} ends before it starts` };
    label = `${dayLabel(from, true)}至${dayLabel(to, from.slice(0, 4) !== to.slice(0, 4))}`;
  } else {
    return { error: `"${text.slice(0, 40)}" is not a month (2026-11), a quarter (2026-Q4) or a range of days (2026-10-01..2026-10-31)` };
  }
  if (from > today) return { error: `${text} has not started yet (today is ${today})` };
  if (rangeDays({ from, to }) > BULLETIN_MAX_DAYS) return { error: `${text} is longer than a year (${BULLETIN_MAX_DAYS} days at most)` };
  if (to > today) {
    to = today;
    label += `（截至${dayLabel(today, false)}）`;
  }
  return { kind, text, from, to, label };
}

/** The calendar month before the one `today` falls in, as `2026-10`: a bulletin's default period. */
export function lastFullMonth(today: Day): string {
  return addDays(startOfCalendar(today, 'month'), -1).slice(0, 7);
}

/** The periods offered for a bulletin on `today`: this month so far, the 12 months before it, then the quarters of the last year. */
export function bulletinPeriodChoices(today: Day): string[] {
  const months: string[] = [];
  for (let m = startOfCalendar(today, 'month'); months.length < 13; m = startOfCalendar(addDays(m, -1), 'month')) months.push(m.slice(0, 7));
  const quarters: string[] = [];
  for (let q = startOfCalendar(today, 'quarter'); quarters.length < 5; q = startOfCalendar(addDays(q, -1), 'quarter')) {
    quarters.push(`${q.slice(0, 4)}-Q${Math.floor((Number(q.slice(5, 7)) - 1) / 3) + 1}`);
  }
  return [...months, ...quarters];
}
