/**
 * The auto tour: district → streets (all, or the N worst) → district …, one stop every N seconds.
 * Pure state so the timing rules (pause on interaction, resume, stop lists changing under a running
 * tour) are tested without timers; the view calls `tourStep` once a second.
 */
import { scopeText } from '../../server/domain/scope';

/** One place the tour shows: its API scope and name. */
export interface TourStop {
  /** `district:CODE` or `street:CODE`, as the API's `scope` parameter. */
  scope: string;
  level: 'district' | 'street';
  code: string;
  name: string;
}

/** Where the tour is. Times are epoch milliseconds. */
export interface TourState {
  index: number;
  /** When to move to the next stop. */
  nextAt: number;
  /** Until when an interaction holds the tour; 0 when not paused. */
  pausedUntil: number;
}

/** A region as the stop list needs it. */
export interface NamedRegion {
  code: string;
  name: string;
}

/**
 * The stops: the district first, then every street in code order, or only the `streets` worst
 * (taken from `worstFirst`, street codes ordered worst first — the 黑榜). Streets missing from
 * the ranking (nothing due) are not "worst" and are left out of an N-worst tour.
 */
export function tourStops(district: NamedRegion, streets: readonly NamedRegion[], option: 'all' | number, worstFirst: readonly string[] = []): TourStop[] {
  const stop = (level: TourStop['level'], r: NamedRegion): TourStop => ({ scope: scopeText({ level, id: r.code }), level, code: r.code, name: r.name });
  let chosen: NamedRegion[];
  if (option === 'all') {
    chosen = [...streets].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  } else {
    const byCode = new Map(streets.map((s) => [s.code, s]));
    chosen = worstFirst.map((code) => byCode.get(code)).filter((s): s is NamedRegion => s !== undefined).slice(0, option);
  }
  return [stop('district', district), ...chosen.map((s) => stop('street', s))];
}

/** A tour that has just shown its first stop. */
export function startTour(now: number, seconds: number): TourState {
  return { index: 0, nextAt: now + seconds * 1000, pausedUntil: 0 };
}

/**
 * Advances when the stop's time is up and no pause holds. Returns the same object when nothing
 * changed, so callers can compare by identity.
 */
export function tourStep(state: TourState, stopCount: number, now: number, seconds: number): TourState {
  if (stopCount === 0 || seconds <= 0) return state;
  if (now < state.pausedUntil || now < state.nextAt) return state;
  return { index: (state.index + 1) % stopCount, nextAt: now + seconds * 1000, pausedUntil: 0 };
}

/**
 * Holds the current stop while its data has not arrived: its full time starts again from `now`,
 * so when the data comes the stop is shown for a whole stop's time. Same object when unchanged.
 */
export function holdTour(state: TourState, now: number, seconds: number): TourState {
  const nextAt = Math.max(state.nextAt, now + seconds * 1000);
  return nextAt === state.nextAt ? state : { ...state, nextAt };
}

/** Moves to the next stop at once (the test hook and "skip" use it). */
export function tourNext(state: TourState, stopCount: number, now: number, seconds: number): TourState {
  if (stopCount === 0) return state;
  return { index: (state.index + 1) % stopCount, nextAt: now + seconds * 1000, pausedUntil: 0 };
}

/**
 * An interaction: hold the current stop for `pauseMs`, then give it a full stop's time again so
 * the person who touched it still sees what they were looking at when the pause ends.
 */
export function pauseTour(state: TourState, now: number, pauseMs: number, seconds: number): TourState {
  const pausedUntil = now + pauseMs;
  return { ...state, pausedUntil, nextAt: Math.max(state.nextAt, pausedUntil + seconds * 1000) };
}

/** Seconds left of a pause, for the indicator; 0 when not paused. */
export function pauseRemaining(state: TourState, now: number): number {
  return state.pausedUntil > now ? Math.ceil((state.pausedUntil - now) / 1000) : 0;
}

/**
 * Keeps the tour on the same place when the stop list is rebuilt (a new ranking reorders the N
 * worst): same scope → its new index; gone → back to the district.
 */
export function reconcileTour(state: TourState, before: readonly TourStop[], after: readonly TourStop[]): TourState {
  const current = before[state.index]?.scope;
  const index = after.findIndex((s) => s.scope === current);
  return index === state.index ? state : { ...state, index: Math.max(0, index) };
}
