/**
 * An issue's workflow timestamps and status. The whole life is planned first as if time ran on,
 * then cut at `now`: whatever has not happened yet is left out, which yields the open issues of the
 * last days (reported / opened / dispatched / handled / verified) naturally.
 */
import { workCalendar } from '../calendar.ts';
import { addTimeLimit } from '../domain/deadline.ts';
import { DAY, HOUR, MINUTE } from '../domain/time.ts';
import { fromLocal, toLocal } from './clock.ts';
import { DISPATCH_MEDIAN_MIN, IMMEDIATE_CHANCE, type Source } from './issue-mix.ts';
import type { Rng } from './rng.ts';
import type { Category } from './taxonomy.ts';

export type Status = 'reported' | 'opened' | 'dispatched' | 'handled' | 'verified' | 'closed' | 'cancelled' | 'deferred';

/** Workflow fields of one issue; times are local ms (see clock.ts), null when not (yet) set. */
export interface Lifecycle {
  status: Status;
  dispatched: number | null;
  deadline: number | null;
  closed: number | null;
  immediate: boolean;
  rework: number;
}

const CANCEL = 0.01;
const DEFER = 0.01;
/** Among issues not fixed on the spot and not stalled: share closed a little after the deadline. */
const LATE = 0.07;
/** Among issues not fixed on the spot: share that get a failed verification (≈ 3 % of all). */
const REWORK = 0.05;

/**
 * Among issues not fixed on the spot: share that stall past their deadline and are closed late,
 * STALL_MEAN_DAYS after it on average, and share that never close (the old 挂账 backlog). The
 * chances do not depend on the age, so the city's history is one steady process: a year ago
 * it had the backlog it has now, as a real district would (同比 compares like with like).
 */
const STALL = 0.1;
const STALL_MEAN_DAYS = 45;
const NEVER = 0.012;

const floorSecond = (t: number) => Math.floor(t / 1000) * 1000;

/** Status of an issue that is still open at `now`, from how far its planned handling has got. */
function progress(rng: Rng, now: number, reported: number, dispatched: number, closed: number): Lifecycle['status'] {
  if (now < dispatched) return now - reported < 15 * MINUTE ? 'reported' : 'opened';
  if (!Number.isFinite(closed)) return rng.chance(0.7) ? 'dispatched' : 'handled';
  const frac = (now - dispatched) / (closed - dispatched);
  return frac < 0.6 ? 'dispatched' : frac < 0.85 ? 'handled' : 'verified';
}

/**
 * Plans and cuts one issue's life. Guarantees reported ≤ dispatched ≤ closed, every set time
 * ≤ now except the deadline, and `immediate` only on issues closed within 24 h of the report.
 */
export function planLifecycle(rng: Rng, reported: number, source: Source, category: Category, now: number): Lifecycle {
  const onTheSpot = rng.chance(IMMEDIATE_CHANCE[source]);
  const delay = onTheSpot ? rng.range(0.5, 10) * MINUTE : Math.min(rng.logNormal(DISPATCH_MEDIAN_MIN[source], 0.8), 72 * 60) * MINUTE;
  const dispatched = floorSecond(reported + delay);
  // The deadline rule of the import and the workflow, so the demo's 按期结案 is judged as a real city's would be.
  const due = addTimeLimit(fromLocal(dispatched), category.limit ?? 1, category.limit_unit ?? 'days', workCalendar());
  const deadline = floorSecond(toLocal(due));
  const span = deadline - dispatched;
  const open = (closed: number): Lifecycle => {
    const status = progress(rng, now, reported, dispatched, closed);
    const started = status !== 'reported' && status !== 'opened';
    return { status, dispatched: started ? dispatched : null, deadline: started ? deadline : null, closed: null, immediate: false, rework: 0 };
  };

  const u = rng.next();
  if (u < CANCEL) {
    // Half are duplicates or out of scope, cancelled before dispatch; the rest after a look on site.
    const afterDispatch = rng.chance(0.5);
    const at = afterDispatch ? dispatched + rng.range(10 * MINUTE, DAY) : reported + rng.range(5 * MINUTE, 2 * HOUR);
    if (at > now) return open(Infinity);
    return { status: 'cancelled', dispatched: afterDispatch ? dispatched : null, deadline: afterDispatch ? deadline : null, closed: null, immediate: false, rework: 0 };
  }
  if (u < CANCEL + DEFER) {
    if (dispatched > now) return open(Infinity);
    return { status: 'deferred', dispatched, deadline, closed: null, immediate: false, rework: 0 };
  }

  let closed: number;
  let rework = 0;
  if (onTheSpot) {
    closed = Math.min(dispatched + Math.min(rng.range(5, 180) * MINUTE, 0.9 * span), reported + DAY - 1000);
  } else if (rng.chance(NEVER)) {
    return open(Infinity);
  } else if (rng.chance(STALL)) {
    closed = deadline + rng.exponential(STALL_MEAN_DAYS * DAY);
  } else {
    closed = rng.chance(LATE)
      ? deadline + span * rng.range(0.05, 1.2) + rng.exponential(6 * HOUR)
      : dispatched + span * (0.1 + 0.88 * rng.next() ** 0.7);
    if (rng.chance(REWORK)) {
      rework = rng.chance(0.85) ? 1 : 2;
      closed += rework * 0.3 * span;
    }
  }
  closed = Math.max(dispatched, floorSecond(closed));
  if (closed > now) {
    const state = open(closed);
    // A rework shows only once the first handling has been checked.
    return state.status === 'handled' || state.status === 'verified' ? { ...state, rework } : state;
  }
  return { status: 'closed', dispatched, deadline, closed, immediate: onTheSpot, rework };
}
