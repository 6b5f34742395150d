/**
 * The first answers a page needs, asked for before the app has loaded. The entry (web/main.ts, a
 * few KB) starts them for the page opened while the browser is still fetching and compiling the
 * app, and the stores take them instead of asking again: the same fetchers and checks as always,
 * only sooner. Each answer is taken once, and only while it is fresh: a retry or a later view asks
 * the server again.
 */
import type { GridCollection } from '../map/layers/grid-choropleth';
import { fetchGeometryIndex, fetchGridGeometry, fetchHealth, fetchMeta, fetchRegionLayers, fetchScreenConfig } from './civgrid';

type GeometryIndex = ReturnType<typeof fetchGeometryIndex>;

/**
 * The answers that can be asked for early: none depends on the URL's query or the filters. The
 * geometry files share one request for the index that names their versions.
 */
const FETCHERS = {
  health: () => fetchHealth(),
  meta: () => fetchMeta(),
  regions: (index: GeometryIndex) => fetchRegionLayers(undefined, index),
  // The grids' shapes are otherwise asked for only once the first values have named their
  // version, after the map's libraries have loaded: seconds later on a slow machine.
  gridShapes: (index: GeometryIndex) => index.then(async ({ grids }) => ({ version: grids.version, shapes: await fetchGridGeometry(grids.version) })),
  screenConfig: () => fetchScreenConfig(),
};

/** What can be started early. */
export type EarlyKey = keyof typeof FETCHERS;
type EarlyAnswer<K extends EarlyKey> = Awaited<ReturnType<(typeof FETCHERS)[K]>>;

/** What each page asks for first, by the router's path (web/router.ts). */
export const FIRST_REQUESTS: Readonly<Record<string, readonly EarlyKey[]>> = {
  // Not the grids' shapes: measured at 10 k grids, the workspace drew its first data ~1.7 s later
  // with them asked for early (the wall ~1 s sooner); why is not known yet.
  '/': ['health', 'meta', 'regions'],
  '/screen': ['screenConfig', 'meta', 'regions', 'gridShapes'],
  '/plan': ['health', 'meta', 'regions'],
};

/** An answer started early serves only the first view: later, it would be a stale copy. */
export const EARLY_MAX_AGE_MS = 15_000;

const started = new Map<EarlyKey, { answer: Promise<unknown>; at: number }>();

/** Starts the first requests of the page at `path` (nothing for a page not listed). */
export function startEarly(path: string, now: () => number = Date.now): void {
  let index: GeometryIndex | null = null;
  const geometryIndex = () => (index ??= fetchGeometryIndex());
  for (const key of FIRST_REQUESTS[path] ?? []) {
    const answer = FETCHERS[key](geometryIndex());
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

/**
 * The published grids' shapes of `version`: the answer started early when it is of that version
 * (a plan published in between makes it another), else a request.
 */
export async function gridShapesOf(version: string, signal?: AbortSignal): Promise<GridCollection> {
  const early = await takeEarly('gridShapes')?.catch(() => null);
  return early?.version === version ? early.shapes : fetchGridGeometry(version, signal);
}
