/**
 * Calendar periods of the big screen in Asia/Shanghai, as the API's `from`/`to` days. The wall's
 * own clock and time zone don't matter: "today" is the day in Shanghai (UTC+8, no DST).
 */

/** A calendar day, YYYY-MM-DD. */
export type Day = string;

/** An inclusive range of days, as `from`/`to` query parameters. */
export interface DayRange {
  from: Day;
  to: Day;
}

const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

/** The day in Shanghai at instant `now`. */
export function shanghaiDay(now: Date): Day {
  return new Date(now.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** `day` moved by `n` days (negative goes back). */
export function addDays(day: Day, n: number): Day {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** The headline rows: today, this month so far and this year so far. */
export function headlinePeriods(today: Day): { today: DayRange; month: DayRange; year: DayRange } {
  return {
    today: { from: today, to: today },
    month: { from: `${today.slice(0, 8)}01`, to: today },
    year: { from: `${today.slice(0, 5)}01-01`, to: today },
  };
}

/** The period the other panels cover: the last 7 or 30 days including today, or the month or year so far. */
export function windowPeriod(kind: '7d' | '30d' | 'month' | 'year', today: Day): DayRange {
  if (kind === '7d') return { from: addDays(today, -6), to: today };
  if (kind === '30d') return { from: addDays(today, -29), to: today };
  return headlinePeriods(today)[kind];
}

/** Every day of a range, in order (for a daily chart whose axis must not skip empty days). */
export function daysOf(range: DayRange): Day[] {
  const days: Day[] = [];
  for (let d = range.from; d <= range.to; d = addDays(d, 1)) days.push(d);
  return days;
}

/** Date and time of an instant in Shanghai, for the title bar: `{ date: '2026-11-25', time: '21:05:09', weekday: 0–6 }`. */
export function shanghaiClock(now: Date): { date: Day; time: string; weekday: number } {
  const shifted = new Date(now.getTime() + SHANGHAI_OFFSET_MS);
  const iso = shifted.toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 19), weekday: shifted.getUTCDay() };
}
