/**
 * The live ticker: newest reports and closures first, from the issue list at start and the live
 * feed afterwards. Bounded and de-duplicated, so weeks of events never grow it.
 */

import type { WallLevel } from './tour';

/** The fields of an issue (`GET /api/issues` item, or the live feed's `issue`) the ticker shows. */
export interface TickerIssue {
  id: string;
  categoryName: string | null;
  category: string;
  status: string;
  immediate: boolean;
  reportedAt: string;
  closedAt: string | null;
  lon: number;
  lat: number;
  street: { code: string; name: string } | null;
  community: { code: string; name: string } | null;
}

/** One line of the ticker. */
export interface TickerEntry {
  /** Unique per issue and kind: a report and its closure are two lines. */
  key: string;
  kind: 'new' | 'closed';
  id: string;
  /** ISO instant of the report or the closure. */
  at: string;
  /** The category's name as the server sent it (Chinese), and its code for the English name. */
  category: string;
  categoryCode: string;
  street: string | null;
  streetCode: string | null;
  community: string | null;
  immediate: boolean;
  lon: number;
  lat: number;
}

/** At most this many lines are kept; the panel shows as many as fit. */
export const TICKER_MAX = 30;

function entry(issue: TickerIssue, kind: TickerEntry['kind'], at: string): TickerEntry {
  return {
    key: `${issue.id}:${kind}`, kind, id: issue.id, at,
    category: issue.categoryName ?? issue.category, categoryCode: issue.category,
    street: issue.street?.name ?? null, streetCode: issue.street?.code ?? null,
    community: issue.community?.name ?? null,
    immediate: issue.immediate, lon: issue.lon, lat: issue.lat,
  };
}

/** Lines for issues from the list: a closed issue shows its closure, any other its report. */
export function entriesFromIssues(issues: readonly TickerIssue[]): TickerEntry[] {
  return issues.map((i) => (i.status === 'closed' && i.closedAt ? entry(i, 'closed', i.closedAt) : entry(i, 'new', i.reportedAt)));
}

/**
 * The line for a live event: `issue.created` is a report; `issue.updated` counts only when it
 * closed the issue (dispatches and handling steps would drown the wall in noise). Null otherwise,
 * and for payloads that are not what the feed documents.
 */
export function entryFromEvent(type: string, data: unknown): TickerEntry | null {
  if (typeof data !== 'object' || data === null) return null;
  const { issue, event } = data as { issue?: TickerIssue; event?: { type?: string; at?: string } };
  if (!issue || typeof issue.id !== 'string') return null;
  if (type === 'issue.created') return entry(issue, 'new', issue.reportedAt);
  if (type === 'issue.updated' && event?.type === 'closed') return entry(issue, 'closed', issue.closedAt ?? event.at ?? issue.reportedAt);
  return null;
}

/** Newest first, one line per key (the newer copy wins), at most `max`. */
export function mergeTicker(current: readonly TickerEntry[], incoming: readonly TickerEntry[], max = TICKER_MAX): TickerEntry[] {
  const byKey = new Map<string, TickerEntry>();
  for (const e of [...incoming, ...current]) if (!byKey.has(e.key)) byKey.set(e.key, e);
  return [...byKey.values()].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : a.key < b.key ? -1 : 1)).slice(0, max);
}

/**
 * Whether a street lies in the scope a wall shows: everything lies in the city (a deployment
 * holds one), a district holds the streets its code begins (GB/T 2260 codes nest: 530111 →
 * 530111001), a street only itself.
 */
export function streetInScope(streetCode: string | null | undefined, scope: { level: WallLevel; code: string }): boolean {
  if (scope.level === 'city') return true;
  if (scope.level === 'district') return streetCode?.startsWith(scope.code) ?? false;
  return streetCode === scope.code;
}

/** Whether a line belongs to the scope the screen shows (a street scope keeps its own street's lines). */
export function inScope(e: TickerEntry, scope: { level: WallLevel; code: string }): boolean {
  return streetInScope(e.streetCode, scope);
}

/** When the newest of these lines happened (epoch ms), or null for none. */
export function newestAt(entries: readonly TickerEntry[]): number | null {
  let newest: number | null = null;
  for (const e of entries) {
    const t = Date.parse(e.at);
    if (Number.isFinite(t) && (newest === null || t > newest)) newest = t;
  }
  return newest;
}
