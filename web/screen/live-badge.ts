/**
 * What the title bar's badge says. "实时" promises that what the wall shows is happening now, so it
 * is earned by the connection *and* a recent event: with the live feed open but no report or
 * closure for a long while, the badge states how old the newest event is instead.
 */
import type { Connection } from '../stores/screen';

/** The newest event may be this old for the wall to call itself live. */
export const LIVE_EVENT_MAX_AGE_MS = 15 * 60_000;

/** The badge: its state and, once any event is known, the newest event's age. */
export interface LiveBadge {
  /** `quiet`: connected, but the newest event is older than {@link LIVE_EVENT_MAX_AGE_MS}. */
  state: Connection | 'quiet';
  age: EventAge | null;
}

/** An age in the largest whole unit that fits it (`now` below one minute). */
export interface EventAge {
  unit: 'now' | 'minutes' | 'hours' | 'days';
  n: number;
}

/** The age of an event at `at` seen at `now` (epoch ms); an event in the future counts as now. */
export function eventAge(at: number, now: number): EventAge {
  const minutes = Math.floor(Math.max(0, now - at) / 60_000);
  if (minutes < 1) return { unit: 'now', n: 0 };
  if (minutes < 60) return { unit: 'minutes', n: minutes };
  if (minutes < 48 * 60) return { unit: 'hours', n: Math.floor(minutes / 60) };
  return { unit: 'days', n: Math.floor(minutes / (24 * 60)) };
}

/** The badge for a connection state and the newest event's time (null: none seen yet). */
export function liveBadge(connection: Connection, newestEventAt: number | null, now: number): LiveBadge {
  const age = newestEventAt === null ? null : eventAge(newestEventAt, now);
  if (connection !== 'live') return { state: connection, age };
  const recent = newestEventAt !== null && now - newestEventAt <= LIVE_EVENT_MAX_AGE_MS;
  return { state: recent ? 'live' : 'quiet', age };
}
