/**
 * Time arithmetic for the demo in Asia/Shanghai (UTC+8, no daylight saving). Internally a time is
 * "local ms": epoch ms shifted by +8 h, so the getUTC* accessors read Beijing wall-clock fields.
 */
import { DAY, HOUR, SHANGHAI_OFFSET_MS, shanghaiIso } from '../domain/time.ts';
import type { LimitUnit } from './taxonomy.ts';

/** Working day window used for work_hours / work_days limits (approximate: no lunch break, no holidays). */
// Not domain/deadline.ts: the demo's 9–18 window and whole-day work_days shape its generated data, which must not change.
const WORK_START = 9;
const WORK_END = 18;

/** Epoch ms → local ms. */
export const toLocal = (epochMs: number) => epochMs + SHANGHAI_OFFSET_MS;

/** Local ms → ISO 8601 with the +08:00 offset, to the second. */
export const formatLocal = (localMs: number) => shanghaiIso(localMs - SHANGHAI_OFFSET_MS);

/** Start (00:00) of the local day containing a local time. */
export const dayStart = (localMs: number) => Math.floor(localMs / DAY) * DAY;

/** 0 = Sunday … 6 = Saturday. */
export const weekday = (localMs: number) => new Date(localMs).getUTCDay();

const isWorkday = (localMs: number) => {
  const w = weekday(localMs);
  return w !== 0 && w !== 6;
};

/** The same time, or the start of the next working window if it falls outside one. */
function nextWorkingMoment(localMs: number): number {
  let t = localMs;
  for (;;) {
    const d = dayStart(t);
    if (isWorkday(d)) {
      if (t < d + WORK_START * HOUR) return d + WORK_START * HOUR;
      if (t < d + WORK_END * HOUR) return t;
    }
    t = d + DAY;
  }
}

/**
 * The deadline for a limit counted from `fromLocal` (the dispatch time). work_hours count only
 * Mon–Fri 9–18 h; work_days advance whole working days keeping the time of day; hours and days are
 * calendar time.
 */
export function addLimit(fromLocal: number, limit: number, unit: LimitUnit): number {
  switch (unit) {
    case 'hours':
      return fromLocal + limit * HOUR;
    case 'days':
      return fromLocal + limit * DAY;
    case 'work_hours': {
      let t = nextWorkingMoment(fromLocal);
      let left = limit * HOUR;
      for (;;) {
        const end = dayStart(t) + WORK_END * HOUR;
        if (t + left <= end) return t + left;
        left -= end - t;
        t = nextWorkingMoment(end);
      }
    }
    case 'work_days': {
      let t = nextWorkingMoment(fromLocal);
      for (let k = 0; k < limit; ) {
        t += DAY;
        if (isWorkday(t)) k++;
      }
      return t;
    }
  }
}
