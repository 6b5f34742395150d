/**
 * The auto tour: the wall's top (a city, or a district) → its districts and their streets (all, or
 * the N worst) → the top …, one stop every N seconds. Pure state so the timing rules (pause on
 * interaction, resume, stop lists changing under a running tour) are tested without timers; the
 * view calls `tourStep` once a second.
 */
import { parseScope, scopeText, type Scope } from '../../server/domain/scope';

/** The levels a wall can show: its top and the levels the tour goes down to. */
export type WallLevel = 'city' | 'district' | 'street';
/** The levels below the top that a tour can visit (`tour.levels` in data/screen.json). */
export type TourLevel = Exclude<WallLevel, 'city'>;

/** One place the tour shows: its API scope and name. */
export interface TourStop {
  /** `city:CODE`, `district:CODE` or `street:CODE`, as the API's `scope` parameter. */
  scope: string;
  level: WallLevel;
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

/** A region of `/api/meta`'s tree as the stop list needs it. */
export interface TourNode {
  code: string;
  name: string;
  level: string;
  children: readonly TourNode[];
}

const WALL_LEVELS: readonly string[] = ['city', 'district', 'street'] satisfies WallLevel[];
const byCode = (a: TourNode, b: TourNode) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);

/**
 * The region a wall stands for: the unit `requested` names (`?scope=district:530111` gives one
 * district its own wall inside a city) when the tree holds it at a level a wall can show, else
 * the top of the tree. Null while the tree is empty.
 */
export function wallTop(tree: readonly TourNode[], requested: Scope | null): TourNode | null {
  const find = (nodes: readonly TourNode[]): TourNode | null => {
    for (const n of nodes) {
      if (n.level === requested?.level && n.code === requested.id) return n;
      const below = find(n.children);
      if (below) return below;
    }
    return null;
  };
  const found = requested && WALL_LEVELS.includes(requested.level) ? find(tree) : null;
  return found ?? tree[0] ?? null;
}

/** The wall's own scope from its `?scope=` parameter; null (the top) when absent or not a scope a wall can show. */
export function wallScopeParam(value: string | null): Scope | null {
  const scope = parseScope(value);
  return scope && WALL_LEVELS.includes(scope.level) ? scope : null;
}

/**
 * The stops: the top first, then depth first in code order every unit of the toured `levels`
 * below it — each district followed by its streets — so the map moves out one district at a time.
 * `streets` = N keeps only the N worst streets (taken from `worstFirst`, street codes ordered worst
 * first — the 黑榜), worst first within their district. Streets missing from the ranking (nothing
 * due) are not "worst" and are left out of an N-worst tour.
 */
export function tourStops(top: TourNode, levels: readonly TourLevel[], streets: 'all' | number, worstFirst: readonly string[] = []): TourStop[] {
  const stop = (n: TourNode): TourStop => ({ scope: scopeText({ level: n.level as WallLevel, id: n.code }), level: n.level as WallLevel, code: n.code, name: n.name });
  const worst = streets === 'all' ? null : worstFirst.slice(0, streets);
  const out: TourStop[] = [stop(top)];
  const visit = (node: TourNode) => {
    const children = node.children.filter((c) => WALL_LEVELS.includes(c.level));
    const ordered = worst === null
      ? [...children].sort(byCode)
      : [...children.filter((c) => c.level !== 'street').sort(byCode), ...worst.map((code) => children.find((c) => c.code === code && c.level === 'street')).filter((c): c is TourNode => c !== undefined)];
    for (const child of ordered) {
      const toured = (levels as readonly string[]).includes(child.level);
      if (toured) out.push(stop(child));
      // Streets are the deepest a tour goes; a district not toured still leads to its streets.
      if (child.level !== 'street') visit(child);
    }
  };
  visit(top);
  return out;
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
 * worst): same scope → its new index; gone → back to the top.
 */
export function reconcileTour(state: TourState, before: readonly TourStop[], after: readonly TourStop[]): TourState {
  const current = before[state.index]?.scope;
  const index = after.findIndex((s) => s.scope === current);
  return index === state.index ? state : { ...state, index: Math.max(0, index) };
}
