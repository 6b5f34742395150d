import { DAY, HOUR, SHANGHAI_OFFSET_MS as SHANGHAI } from './time.ts';
import type { LimitUnit } from './vocabulary.ts';

/**
 * Deadlines from a category's time limit (docs/domain.md). Working time is Monday–Friday 09:00–17:00
 * Asia/Shanghai (UTC+8, no daylight saving); public holidays and swapped workdays (调休) are not
 * modelled yet, so a limit that spans a holiday ends earlier than an office would count it.
 */
const WORK_START = 9;
const WORK_END = 17;

/** Adds a time limit to `startMs` (epoch ms) and returns the deadline in epoch ms. */
export function addTimeLimit(startMs: number, limit: number, unit: LimitUnit): number {
  switch (unit) {
    case 'hours':
      return startMs + limit * HOUR;
    case 'days':
      return startMs + limit * DAY;
    case 'work_hours':
      return addWorkingHours(startMs, limit);
    case 'work_days':
      return addWorkingHours(startMs, limit * (WORK_END - WORK_START));
  }
}

function isWorkday(localMs: number): boolean {
  const weekday = new Date(localMs).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/** Walks working windows in local (UTC+8) time, consuming the hours left. */
function addWorkingHours(startMs: number, hours: number): number {
  let local = startMs + SHANGHAI;
  let left = hours * HOUR;
  for (let guard = 0; guard < 10_000; guard++) {
    const dayStart = Math.floor(local / DAY) * DAY;
    const open = dayStart + WORK_START * HOUR;
    const close = dayStart + WORK_END * HOUR;
    if (!isWorkday(local) || local >= close) {
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
