import { DAY, HOUR, SHANGHAI_OFFSET_MS as SHANGHAI } from './time.ts';
import type { LimitUnit } from './vocabulary.ts';
import type { WorkCalendar } from './work-calendar.ts';

/**
 * Deadlines from a category's time limit (docs/domain.md). Working time is 09:00–17:00 Asia/Shanghai
 * (UTC+8, no daylight saving) on the working days of a {@link WorkCalendar}: weekdays minus public
 * holidays, plus 调休 weekend days, plus the deployment's own days. A working day is 8 working hours.
 */
const WORK_START = 9;
const WORK_END = 17;

/** Adds a time limit to `startMs` (epoch ms), counting working time on `calendar`; returns the deadline in epoch ms. */
export function addTimeLimit(startMs: number, limit: number, unit: LimitUnit, calendar: WorkCalendar): number {
  switch (unit) {
    case 'hours':
      return startMs + limit * HOUR;
    case 'days':
      return startMs + limit * DAY;
    case 'work_hours':
      return addWorkingHours(startMs, limit, calendar);
    case 'work_days':
      return addWorkingHours(startMs, limit * (WORK_END - WORK_START), calendar);
  }
}

/** Walks working windows in local (UTC+8) time, consuming the hours left. */
function addWorkingHours(startMs: number, hours: number, calendar: WorkCalendar): number {
  let local = startMs + SHANGHAI;
  let left = hours * HOUR;
  for (let guard = 0; guard < 10_000; guard++) {
    const day = Math.floor(local / DAY);
    const dayStart = day * DAY;
    const open = dayStart + WORK_START * HOUR;
    const close = dayStart + WORK_END * HOUR;
    if (!calendar.isWorkday(day) || local >= close) {
      local = dayStart + DAY + WORK_START * HOUR;
      continue;
    }
    if (local < open) local = open;
    const available = close - local;
    if (left <= available) return local + left - SHANGHAI;
    left -= available;
    local = dayStart + DAY + WORK_START * HOUR;
  }
  throw new Error(`time limit of ${hours} working hours is too long`);
}

/** How long ago a deadline passed: whole days when at least one, else whole hours (at least 1). */
export function overdueFor(deadline: string, now: number): { unit: 'days' | 'hours'; n: number } {
  const hours = Math.max(0, (now - Date.parse(deadline)) / HOUR);
  return hours >= 24 ? { unit: 'days', n: Math.floor(hours / 24) } : { unit: 'hours', n: Math.max(1, Math.floor(hours)) };
}
