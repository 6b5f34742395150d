import { createRequire } from 'node:module';
import { z } from 'zod';
import { DAY, isDay, shanghaiDate } from './domain/time.ts';
import { WorkCalendar } from './domain/work-calendar.ts';
import { CONFIG_FILES, readConfigFile, readEnv } from './env.ts';

/**
 * The working-day calendar of this deployment: the official one kept by the `chinese-days`
 * package (法定节假日 and 调休 working weekends, as the State Council publishes them each year),
 * plus the local days in `data/calendar.json` (CIVGRID_CALENDAR). Built once per process.
 */

/** The package's data: date → "English name,中文名,days" for days off and for 调休 working days. */
type OfficialDays = { holidays: Record<string, string>; workdays: Record<string, string> };

const day = z.string().refine(isDay, 'not a date YYYY-MM-DD');
const entry = z.object({ date: day, name: z.string().min(1).max(100) }).strict();

/** `data/calendar.json`: a deployment's own days off (e.g. a local festival) and extra working days. */
const calendarSchema = z
  .object({
    $comment: z.string().optional(),
    daysOff: z.array(entry).max(1000).default([]),
    workdays: z.array(entry).max(1000).default([]),
  })
  .strict()
  .superRefine((c, ctx) => {
    const off = new Set(c.daysOff.map((d) => d.date));
    c.workdays.forEach((d, i) => {
      if (off.has(d.date)) ctx.addIssue({ code: 'custom', path: ['workdays', i, 'date'], message: `${d.date} is also listed in daysOff` });
    });
  });

/** The local days of a deployment, validated. */
export type LocalCalendar = z.output<typeof calendarSchema>;

/** The official days as the installed `chinese-days` knows them, and the years they cover. */
function officialDays(): { days: OfficialDays; firstYear: number; lastYear: number } {
  const days = createRequire(import.meta.url)('chinese-days/dist/chinese-days.json') as OfficialDays;
  const years = Object.keys(days.holidays).map((d) => Number(d.slice(0, 4)));
  return { days, firstYear: Math.min(...years), lastYear: Math.max(...years) };
}

/** Builds the calendar from the official days and `local`'s own. */
export function buildWorkCalendar(local: LocalCalendar): WorkCalendar {
  const { days, firstYear, lastYear } = officialDays();
  const localOff = new Set(local.daysOff.map((d) => d.date));
  const localWork = new Set(local.workdays.map((d) => d.date));
  // A local entry overrides the official one for its day.
  const daysOff = [...Object.keys(days.holidays).filter((d) => !localWork.has(d)), ...localOff];
  const workdays = [...Object.keys(days.workdays).filter((d) => !localOff.has(d)), ...localWork];
  return new WorkCalendar({ firstYear, lastYear, daysOff, workdays });
}

/** Reads and validates the file CIVGRID_CALENDAR names (server/env.ts), by default data/calendar.json, and builds the calendar. */
export function loadWorkCalendar(path: string = CONFIG_FILES.CIVGRID_CALENDAR): WorkCalendar {
  return buildWorkCalendar(readConfigFile('CIVGRID_CALENDAR', path, calendarSchema));
}

let current: WorkCalendar | null = null;

/** The process's calendar, loaded on first use from the file the environment names. */
export function workCalendar(): WorkCalendar {
  current ??= loadWorkCalendar(readEnv().CIVGRID_CALENDAR);
  return current;
}

/** Days ahead of now within which a calendar that ends is worth a warning at start. */
const WARN_AHEAD_DAYS = 90;

/**
 * The warning to print at start when the official calendar ends within {@link WARN_AHEAD_DAYS}
 * of `now`: beyond its last year only weekends are days off, so deadlines over a holiday end early.
 */
export function calendarWarning(calendar: WorkCalendar, now: Date): string | null {
  const ahead = shanghaiDate(now.getTime() + WARN_AHEAD_DAYS * DAY);
  if (ahead <= calendar.lastDay) return null;
  const next = calendar.lastYear + 1;
  return `civgrid: the official holiday calendar (chinese-days) covers ${calendar.firstYear}–${calendar.lastYear}; `
    + `from ${next}-01-01 deadlines skip weekends only — update chinese-days or list ${next}'s holidays and 调休 days in ${CONFIG_FILES.CIVGRID_CALENDAR}`;
}
