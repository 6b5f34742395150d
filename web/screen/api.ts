/**
 * The big screen's requests, each through the typed client (`api` + `call`) so paths, parameters
 * and answers are checked against the server's routes. Every call takes an AbortSignal: the
 * screen cancels what it no longer needs when the tour moves on.
 */
import { api, call } from '../api/client';
import type { DayRange } from './periods';
import type { ScreenConfig } from './config';

type Init = { init: { signal?: AbortSignal } };
const init = (signal?: AbortSignal): Init => ({ init: { signal } });

/** `GET /api/screen-config`: data/screen.json as the server validated it. */
export function fetchScreenConfig(signal?: AbortSignal): Promise<ScreenConfig> {
  return call(api.api['screen-config'].$get(undefined, init(signal)), signal) as Promise<ScreenConfig>;
}

/** `GET /api/meta`: region tree, site types and the data range. */
export function fetchMeta(signal?: AbortSignal) {
  return call(api.api.meta.$get(undefined, init(signal)), signal);
}
export type Meta = Awaited<ReturnType<typeof fetchMeta>>;

/** `GET /api/stats/summary` for one scope and period. */
export function fetchSummary(scope: string, range: DayRange, signal?: AbortSignal) {
  return call(api.api.stats.summary.$get({ query: { scope, ...range } }, init(signal)), signal);
}
export type Summary = Awaited<ReturnType<typeof fetchSummary>>;
/** The KPI record every stats answer carries. */
export type Kpis = Summary['kpis'];

/** `GET /api/stats/timeseries?interval=day`. */
export function fetchDaily(scope: string, range: DayRange, signal?: AbortSignal) {
  return call(api.api.stats.timeseries.$get({ query: { scope, ...range, interval: 'day' } }, init(signal)), signal);
}
export type Daily = Awaited<ReturnType<typeof fetchDaily>>;

/** `GET /api/stats/breakdown?by=category|source` (categories at 小类 level). */
export function fetchBreakdown(scope: string, range: DayRange, by: 'category' | 'source', signal?: AbortSignal) {
  return call(api.api.stats.breakdown.$get({ query: { scope, ...range, by } }, init(signal)), signal);
}
export type Breakdown = Awaited<ReturnType<typeof fetchBreakdown>>;

/** `GET /api/stats/ranking`: red and black lists of the units one level below the scope. */
export function fetchRanking(scope: string, level: 'street' | 'community', range: DayRange, n: number, signal?: AbortSignal) {
  return call(api.api.stats.ranking.$get({ query: { scope, ...range, level, n: String(n) } }, init(signal)), signal);
}
export type Ranking = Awaited<ReturnType<typeof fetchRanking>>;
/** One red- or black-list row. */
export type RankEntry = Ranking['red'][number];

/** `GET /api/issues`: the newest issues of the scope, for the ticker's first lines. */
export function fetchRecentIssues(scope: string, limit: number, signal?: AbortSignal) {
  return call(api.api.issues.$get({ query: { scope, limit: String(limit) } }, init(signal)), signal);
}

/** `GET /api/grids` over the district: with shapes once, then `geometry=0` for the KPIs only. */
export function fetchGrids(range: DayRange, withShapes: boolean, signal?: AbortSignal) {
  const query = withShapes ? { ...range, simplify: '3' } : { ...range, geometry: '0' as const };
  return call(api.api.grids.$get({ query }, init(signal)), signal);
}
export type GridCollection = Awaited<ReturnType<typeof fetchGrids>>;

/** `GET /api/sites?type=…` over the district; shapes once (to place markers), statuses on every refresh. */
export function fetchSites(types: readonly string[], range: DayRange, withShapes: boolean, signal?: AbortSignal) {
  const shape = withShapes ? { simplify: '3' } : { geometry: '0' as const };
  return call(api.api.sites.$get({ query: { type: types.join(','), ...range, ...shape } }, init(signal)), signal);
}
export type SiteCollection = Awaited<ReturnType<typeof fetchSites>>;

/** `GET /api/heat` for the map's view: bins with centres, weighted by count. */
export function fetchHeat(bbox: [number, number, number, number], zoom: number, range: DayRange, signal?: AbortSignal) {
  const query = { bbox: bbox.map((v) => v.toFixed(5)).join(','), zoom: String(zoom), cell: '16', centers: '1' as const, ...range };
  return call(api.api.heat.$get({ query }, init(signal)), signal);
}
export type Heat = Awaited<ReturnType<typeof fetchHeat>>;
