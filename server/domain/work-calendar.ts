import { DAY } from './time.ts';

/**
 * The working-day calendar deadlines are counted on (docs/domain.md): Monday–Friday, minus the
 * official public holidays (法定节假日), plus the weekend days made working days (调休), plus a
 * deployment's own days off and extra working days. Built once into a day table, so a deadline
 * costs an array read per day walked, not a date library call: imports and the demo compute
 * millions of them.
 */

/** The days a calendar is built from: `YYYY-MM-DD` Asia/Shanghai dates. */
export interface CalendarDays {
  /** First and last year the official calendar knows; beyond them only weekends are days off. */
  firstYear: number;
  lastYear: number;
  /** Days off on a weekday (official holidays and local ones). */
  daysOff: readonly string[];
  /** Weekend days that are working days (调休 and local ones). */
  workdays: readonly string[];
}

/** Day number (days since 1970-01-01) of a `YYYY-MM-DD` date; local days share the numbering of {@link localDay}. */
const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY;

/** Monday–Friday by day number (1970-01-01 was a Thursday). */
const isWeekday = (day: number) => {
  const w = (((day + 4) % 7) + 7) % 7;
  return w !== 0 && w !== 6;
};

/** A working-day calendar; {@link isWorkday} takes a local day number (`localDay(ms)` of time.ts). */
export class WorkCalendar {
  readonly firstYear: number;
  readonly lastYear: number;
  /** Day number of the table's first day, and 1 per working day from there. */
  private readonly first: number;
  private readonly table: Uint8Array;

  constructor(days: CalendarDays) {
    this.firstYear = days.firstYear;
    this.lastYear = days.lastYear;
    const listed = [...days.daysOff, ...days.workdays].map(dayNumber);
    // The table spans the official years and every local entry, even one beyond them.
    const first = Math.min(dayNumber(`${days.firstYear}-01-01`), ...listed);
    const last = Math.max(dayNumber(`${days.lastYear}-12-31`), ...listed);
    this.first = first;
    this.table = new Uint8Array(last - first + 1);
    for (let d = first; d <= last; d++) this.table[d - first] = isWeekday(d) ? 1 : 0;
    for (const date of days.daysOff) this.table[dayNumber(date) - first] = 0;
    for (const date of days.workdays) this.table[dayNumber(date) - first] = 1;
  }

  /** Whether the local day `day` (days since 1970-01-01 in Asia/Shanghai) is a working day. */
  isWorkday(day: number): boolean {
    const i = day - this.first;
    return i >= 0 && i < this.table.length ? this.table[i] === 1 : isWeekday(day);
  }

  /** The last day of the official calendar (`YYYY-12-31` of {@link lastYear}). */
  get lastDay(): string {
    return `${this.lastYear}-12-31`;
  }
}

/** Monday to Friday, no holidays: what a calendar falls back to beyond its years. */
export const WEEKDAYS_ONLY = new WorkCalendar({ firstYear: 1970, lastYear: 1970, daysOff: [], workdays: [] });
