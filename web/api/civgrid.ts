/** Typed calls to the civgrid API, one function per endpoint the web app uses. */
import { api, ApiError, call } from './client';
import type { Health, RegionCollection, RegionLayers, RegionLevel } from './types';

/** `GET /api/health`: server liveness and table counts. */
export async function fetchHealth(signal?: AbortSignal): Promise<Health> {
  const health: Health = await call(api.api.health.$get(undefined, { init: { signal } }), signal);
  if (typeof health?.counts?.regions !== 'number') {
    throw new ApiError('invalid', '服务器健康检查返回的数据格式不正确');
  }
  return health;
}

/** `GET /api/regions`: one level of the region hierarchy, optionally below one parent. */
export async function fetchRegions(
  level: RegionLevel,
  parent?: string,
  signal?: AbortSignal,
): Promise<RegionCollection> {
  const query = parent === undefined ? { level } : { level, parent };
  const fc = (await call(api.api.regions.$get({ query }, { init: { signal, headers: { accept: 'application/json' } } }), signal)) as unknown as RegionCollection;
  if (fc?.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
    throw new ApiError('invalid', `区域数据（${level}）不是 GeoJSON FeatureCollection`);
  }
  return fc;
}

/** All three levels at once, which is what the basemap draws. */
export async function fetchRegionLayers(signal?: AbortSignal): Promise<RegionLayers> {
  const [district, street, community] = await Promise.all([
    fetchRegions('district', undefined, signal),
    fetchRegions('street', undefined, signal),
    fetchRegions('community', undefined, signal),
  ]);
  return { district, street, community };
}

/**
 * The common filter parameters of every analytics route (issue 3), as the web app holds them:
 * lists stay lists and go out as repeated parameters.
 */
export interface FilterParams {
  scope?: string;
  from?: string;
  to?: string;
  category?: string[];
  source?: string[];
  status?: string[];
  siteType?: string[];
}

/**
 * The parameters as the typed client sends them: empty lists and undefined values left out, so
 * an unset filter never reaches the server as `category=`. The cast is the one place where the
 * client's literal unions (statuses, sources) meet the app's plain strings; the server validates.
 */
export function filterQuery(p: FilterParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(p)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) {
      if (value.length) out[key] = [...value];
    } else out[key] = String(value);
  }
  return out;
}

type Query<T> = T extends { $get: (args: infer A, ...rest: never[]) => unknown } ? (A extends { query: infer Q } ? Q : never) : never;
const q = <E>(params: Record<string, unknown>) => params as unknown as Query<E>;
const init = (signal?: AbortSignal) => ({ init: { signal } });

/** `GET /api/meta`: taxonomy, site types, vocabularies, data range, region tree. */
export function fetchMeta(signal?: AbortSignal) {
  return call(api.api.meta.$get(undefined, init(signal)), signal);
}
export type Meta = Awaited<ReturnType<typeof fetchMeta>>;

/** `GET /api/grids`: the published plan's grids with KPIs, simplified for display. */
export function fetchGrids(p: FilterParams, signal?: AbortSignal, opts: { simplifyM?: number; geometry?: boolean } = {}) {
  const query = { ...filterQuery(p), simplify: String(opts.simplifyM ?? 3), ...(opts.geometry === false ? { geometry: '0' } : {}) };
  return call(api.api.grids.$get({ query: q<typeof api.api.grids>(query) }, init(signal)), signal);
}
export type GridsAnswer = Awaited<ReturnType<typeof fetchGrids>>;

/** `GET /api/sites`: key sites with KPIs and status; `zones` adds each zone polygon. */
export function fetchSites(p: FilterParams, opts: { types?: string[]; zones?: boolean; geometry?: boolean } = {}, signal?: AbortSignal) {
  const query = {
    ...filterQuery(p),
    ...(opts.types?.length ? { type: opts.types } : {}),
    ...(opts.zones ? { zones: '1' } : {}),
    ...(opts.geometry === false ? { geometry: '0' } : {}),
  };
  return call(api.api.sites.$get({ query: q<typeof api.api.sites>(query) }, init(signal)), signal);
}
export type SitesAnswer = Awaited<ReturnType<typeof fetchSites>>;

/** `GET /api/stats/summary`: KPIs of the scope with 环比 and 同比. */
export function fetchSummary(p: FilterParams, signal?: AbortSignal) {
  return call(api.api.stats.summary.$get({ query: q<typeof api.api.stats.summary>(filterQuery(p)) }, init(signal)), signal);
}
export type Summary = Awaited<ReturnType<typeof fetchSummary>>;

/** `GET /api/stats/timeseries`. */
export function fetchTimeseries(p: FilterParams, interval: 'day' | 'week' | 'month', signal?: AbortSignal) {
  return call(api.api.stats.timeseries.$get({ query: q<typeof api.api.stats.timeseries>({ ...filterQuery(p), interval }) }, init(signal)), signal);
}
export type Timeseries = Awaited<ReturnType<typeof fetchTimeseries>>;

/** Breakdown dimensions of `/api/stats/breakdown`. */
export type BreakdownBy = 'category' | 'street' | 'community' | 'grid' | 'site' | 'siteType' | 'source' | 'status' | 'hour' | 'weekday';

/** `GET /api/stats/breakdown`; `categoryLevel` 1 groups by 大类. */
export function fetchBreakdown(p: FilterParams, by: BreakdownBy, categoryLevel?: 1 | 2, signal?: AbortSignal) {
  const query = { ...filterQuery(p), by, ...(categoryLevel ? { level: String(categoryLevel) } : {}) };
  return call(api.api.stats.breakdown.$get({ query: q<typeof api.api.stats.breakdown>(query) }, init(signal)), signal);
}
export type Breakdown = Awaited<ReturnType<typeof fetchBreakdown>>;

/** `GET /api/stats/ranking`: red and black lists of the units one level below the scope. */
export function fetchRanking(p: FilterParams, level: 'street' | 'community' | 'grid', n: number, signal?: AbortSignal) {
  return call(api.api.stats.ranking.$get({ query: q<typeof api.api.stats.ranking>({ ...filterQuery(p), level, n: String(n) }) }, init(signal)), signal);
}
export type Ranking = Awaited<ReturnType<typeof fetchRanking>>;

/** `GET /api/heat`: server-side bins of the filtered issues inside a bbox at a zoom. */
export function fetchHeat(p: FilterParams, bbox: [number, number, number, number], zoom: number, cell = 8, signal?: AbortSignal) {
  const query = { ...filterQuery(p), bbox: bbox.map((v) => v.toFixed(6)).join(','), zoom: String(zoom), cell: String(cell) };
  return call(api.api.heat.$get({ query: q<typeof api.api.heat>(query) }, init(signal)), signal);
}
export type HeatAnswer = Awaited<ReturnType<typeof fetchHeat>>;

/** Paging, window, order and the overdue filter of the issue list. */
export interface IssueListOptions {
  bbox?: [number, number, number, number];
  limit?: number;
  cursor?: string;
  /** Only the issues overdue now that the 超期未结 KPI counts (with a period: due in it). */
  overdue?: boolean;
  /** `deadline`: oldest deadline first; default newest report first. */
  sort?: 'reported' | 'deadline';
}

/** `GET /api/issues`: the filtered issues, newest first (or by deadline), keyset-paged. */
export function fetchIssues(p: FilterParams, o: IssueListOptions = {}, signal?: AbortSignal) {
  const query = {
    ...filterQuery(p),
    ...(o.bbox ? { bbox: o.bbox.map((v) => v.toFixed(6)).join(',') } : {}),
    ...(o.limit ? { limit: String(o.limit) } : {}),
    ...(o.cursor ? { cursor: o.cursor } : {}),
    ...(o.overdue ? { overdue: '1' } : {}),
    ...(o.sort ? { sort: o.sort } : {}),
  };
  return call(api.api.issues.$get({ query: q<typeof api.api.issues>(query) }, init(signal)), signal);
}
export type IssuePage = Awaited<ReturnType<typeof fetchIssues>>;
export type IssueItem = IssuePage['items'][number];

/** `GET /api/issues/:id`: one issue with its timeline. */
export function fetchIssue(id: string, signal?: AbortSignal) {
  return call(api.api.issues[':id'].$get({ param: { id } }, init(signal)), signal);
}
export type IssueDetail = Awaited<ReturnType<typeof fetchIssue>>;

/** The URL of `GET /api/export/issues.csv` for the filters (a download link, not a fetch). */
export function exportCsvUrl(p: FilterParams): string {
  const url = api.api.export['issues.csv'].$url({ query: q<typeof api.api.export['issues.csv']>(filterQuery(p)) });
  return `${url.pathname}${url.search}`;
}
