/**
 * The first answers a page needs, asked for before the app has loaded. The entry (web/main.ts, a
 * few KB) starts them for the page opened while the browser is still fetching and compiling the
 * app, and the stores take them instead of asking again: the same fetchers and checks as always,
 * only sooner. Each answer is taken once, and only while it is fresh: a retry or a later view asks
 * the server again.
 */
import { fetchHealth, fetchMeta, fetchRegionLayers, fetchScreenConfig } from './civgrid';

/** The answers that can be asked for early: none depends on the URL's query or the filters. */
const FETCHERS = {
  health: () => fetchHealth(),
  meta: () => fetchMeta(),
  regions: () => fetchRegionLayers(),
  screenConfig: () => fetchScreenConfig(),
};

/** What can be started early. */
export type EarlyKey = keyof typeof FETCHERS;
type EarlyAnswer<K extends EarlyKey> = Awaited<ReturnType<(typeof FETCHERS)[K]>>;

/** What each page asks for first, by the router's path (web/router.ts). */
export const FIRST_REQUESTS: Readonly<Record<string, readonly EarlyKey[]>> = {
  '/': ['health', 'meta', 'regions'],
  '/screen': ['screenConfig', 'meta', 'regions'],
  '/plan': ['health', 'meta', 'regions'],
};

/** An answer started early serves only the first view: later, it would be a stale copy. */
export const EARLY_MAX_AGE_MS = 15_000;

const started = new Map<EarlyKey, { answer: Promise<unknown>; at: number }>();

/** Starts the first requests of the page at `path` (nothing for a page not listed). */
export function startEarly(path: string, now: () => number = Date.now): void {
  for (const key of FIRST_REQUESTS[path] ?? []) {
    const answer = FETCHERS[key]();
    // The store that takes it shows a failure; one nobody takes must not be an unhandled rejection.
    answer.catch(() => undefined);
    started.set(key, { answer, at: now() });
  }
}

/** The answer started early for `key`, once and while fresh; null otherwise: fetch as usual. */
export function takeEarly<K extends EarlyKey>(key: K, now: () => number = Date.now): Promise<EarlyAnswer<K>> | null {
  const entry = started.get(key);
  if (!entry) return null;
  started.delete(key);
  return now() - entry.at <= EARLY_MAX_AGE_MS ? (entry.answer as Promise<EarlyAnswer<K>>) : null;
}
