/**
 * The big screen's data: what its panels show for the current scope, and what its map shows for
 * the whole district. One load at a time per kind — a newer load aborts the older one (the tour
 * moved on) — and a failed load keeps the last good data, because a wall that blanks whenever
 * the network hiccups is worse than one that shows numbers a minute old with a badge saying so.
 */
import { ref, shallowRef } from 'vue';
import type { GridCollection as LayerGrids } from '../map/layers/grid-choropleth';
import type { SiteCollection as LayerSites } from '../map/layers/key-sites';
import {
  fetchBreakdown, fetchDaily, fetchGrids, fetchRanking, fetchRecentIssues, fetchSites, fetchSummary,
  type Breakdown, type Daily, type GridCollection, type Kpis, type Ranking, type SiteCollection,
} from './api';
import type { ScreenConfig, ScreenPanel } from './config';
import { headlinePeriods, windowPeriod, type Day, type DayRange } from './periods';
import { entriesFromIssues, type TickerEntry, type TickerIssue } from './ticker';

/** The place the panels show: the district or one street. */
export interface ScopeRef {
  /** `district:CODE` or `street:CODE`. */
  scope: string;
  level: 'district' | 'street';
  code: string;
  name: string;
}

/** Headline KPIs: today, this month, this year. */
export interface Headline {
  ranges: { today: DayRange; month: DayRange; year: DayRange };
  kpis: { today: Kpis; month: Kpis; year: Kpis };
}

/** Everything the panels show for one scope. A part is null when it was never loaded or its panel is off. */
export interface PanelSnapshot {
  scope: ScopeRef;
  today: Day;
  window: DayRange;
  headline: Headline | null;
  windowKpis: Kpis | null;
  trend: Daily['buckets'] | null;
  categories: Breakdown | null;
  sources: Breakdown | null;
  ranking: Ranking | null;
  recent: TickerEntry[] | null;
}

/** What the map draws over the district. Shapes are loaded once; KPIs and statuses on every refresh. */
export interface MapSnapshot {
  window: DayRange;
  grids: LayerGrids;
  sites: LayerSites;
}

type Part = Exclude<keyof PanelSnapshot, 'scope' | 'today' | 'window'>;

/** Which parts each panel reads; a panel that is switched off costs no request. */
const PARTS_OF: Record<ScreenPanel, Part[]> = {
  kpis: ['headline'],
  immediate: ['windowKpis'],
  trend: ['trend'],
  categories: ['categories'],
  sources: ['sources'],
  ranking: ['ranking'],
  sites: [],
  ticker: ['recent'],
};

/** The parts needed by a set of panels. */
export function partsFor(panels: readonly ScreenPanel[]): Set<Part> {
  return new Set(panels.flatMap((p) => PARTS_OF[p]));
}

/** How many newest issues seed the ticker. */
const RECENT_ISSUES = 20;

/** How a load ended: data in, failed (last data kept), or cancelled by a newer load. */
export type LoadResult = 'ok' | 'failed' | 'superseded';

/** Whether an error is our own cancellation rather than a failure. */
function isAbort(err: unknown, signal: AbortSignal): boolean {
  return signal.aborted || (err instanceof DOMException && err.name === 'AbortError');
}

/**
 * The panel and map loaders with their state. `panels` and `map` hold the last good data,
 * `failing` says the last attempt of either failed, `freshAt` when data last arrived.
 */
export function createScreenData(config: () => ScreenConfig) {
  const panels = shallowRef<PanelSnapshot | null>(null);
  const map = shallowRef<MapSnapshot | null>(null);
  const freshAt = ref<number | null>(null);
  const failing = ref(false);
  let panelLoad: AbortController | null = null;
  let mapLoad: AbortController | null = null;
  let panelFailed = false;
  let mapFailed = false;
  // Shapes don't change between refreshes; keep them and fetch only KPIs and statuses.
  let gridShapes: GridCollection | null = null;
  let siteShapes: SiteCollection | null = null;

  const settle = () => {
    failing.value = panelFailed || mapFailed;
  };

  /** Loads the panels' data for `scope`. */
  async function loadPanels(scope: ScopeRef, today: Day): Promise<LoadResult> {
    panelLoad?.abort();
    const controller = new AbortController();
    panelLoad = controller;
    const { signal } = controller;
    const cfg = config();
    const wanted = partsFor(cfg.panels);
    const window = windowPeriod(cfg.period, today);
    const ranges = headlinePeriods(today);
    const s = scope.scope;
    const childLevel = scope.level === 'district' ? 'street' : 'community';
    const jobs: { [K in Part]: () => Promise<PanelSnapshot[K]> } = {
      headline: async () => {
        const [t, m, y] = await Promise.all([fetchSummary(s, ranges.today, signal), fetchSummary(s, ranges.month, signal), fetchSummary(s, ranges.year, signal)]);
        return { ranges, kpis: { today: t.kpis, month: m.kpis, year: y.kpis } };
      },
      windowKpis: async () => (await fetchSummary(s, window, signal)).kpis,
      trend: async () => (await fetchDaily(s, window, signal)).buckets,
      categories: () => fetchBreakdown(s, window, 'category', signal),
      sources: () => fetchBreakdown(s, window, 'source', signal),
      ranking: () => fetchRanking(s, childLevel, window, cfg.rankingSize, signal),
      recent: async () => entriesFromIssues((await fetchRecentIssues(s, RECENT_ISSUES, signal)).items as TickerIssue[]),
    };
    const parts = [...wanted];
    const results = await Promise.allSettled(parts.map((p) => jobs[p]()));
    if (panelLoad !== controller) return 'superseded';
    panelLoad = null;
    const previous = panels.value;
    const anyOk = results.some((r) => r.status === 'fulfilled');
    const firstError = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')?.reason;
    if (firstError !== undefined && isAbort(firstError, signal)) return 'superseded';
    panelFailed = firstError !== undefined;
    settle();
    if (!anyOk && parts.length > 0) return 'failed';
    // A part that failed keeps its last value, but only for the same scope: a street's panel
    // must never show the district's numbers under the street's name.
    const sameScope = previous?.scope.scope === scope.scope;
    const next: PanelSnapshot = {
      scope, today, window,
      headline: null, windowKpis: null, trend: null, categories: null, sources: null, ranking: null, recent: null,
    };
    parts.forEach((part, i) => {
      const r = results[i];
      const value = r.status === 'fulfilled' ? r.value : sameScope ? previous?.[part] ?? null : null;
      (next as unknown as Record<Part, unknown>)[part] = value;
    });
    panels.value = next;
    if (!panelFailed) freshAt.value = Date.now();
    return panelFailed ? 'failed' : 'ok';
  }

  /** Loads the district's grid KPIs and site statuses (with shapes the first time). */
  async function loadMap(today: Day): Promise<LoadResult> {
    mapLoad?.abort();
    const controller = new AbortController();
    mapLoad = controller;
    const { signal } = controller;
    const cfg = config();
    const window = windowPeriod(cfg.period, today);
    try {
      const [grids, sites] = await Promise.all([
        cfg.map.grids ? fetchGrids(window, gridShapes === null, signal) : null,
        fetchSites(cfg.siteTypes, window, siteShapes === null, signal),
      ]);
      if (mapLoad !== controller) return 'superseded';
      mapLoad = null;
      if (grids && gridShapes === null) gridShapes = grids;
      if (siteShapes === null) siteShapes = sites;
      const mergedGrids = grids ? withShapes(grids, gridShapes!) : null;
      const mergedSites = withShapes(sites, siteShapes!);
      // A new plan or new sites: the stored shapes no longer cover every feature; reload them next time.
      if (mergedGrids === undefined) gridShapes = null;
      if (mergedSites === undefined) siteShapes = null;
      mapFailed = false;
      settle();
      map.value = {
        window,
        grids: (mergedGrids ?? map.value?.grids ?? { type: 'FeatureCollection', features: [] }) as unknown as LayerGrids,
        sites: (mergedSites ?? map.value?.sites ?? { type: 'FeatureCollection', features: [] }) as unknown as LayerSites,
      };
      freshAt.value = Date.now();
      return 'ok';
    } catch (err) {
      if (isAbort(err, signal) || mapLoad !== controller) return 'superseded';
      mapLoad = null;
      mapFailed = true;
      settle();
      return 'failed';
    }
  }

  /** Cancels whatever is in flight (unmount). */
  function dispose(): void {
    panelLoad?.abort();
    mapLoad?.abort();
    panelLoad = mapLoad = null;
  }

  return { panels, map, freshAt, failing, loadPanels, loadMap, dispose };
}

/** A GeoJSON answer: features with an id-like key and properties. */
type Collection = { type: 'FeatureCollection'; features: { id?: string | number; geometry: unknown; properties: object }[] };

/**
 * The fresh features with the stored shapes put back by id. Undefined when some fresh feature has
 * no stored shape (the caller then reloads the shapes), so nothing is ever drawn without geometry.
 */
export function withShapes<T extends Collection>(fresh: T, shapes: T): T | undefined {
  if (fresh === shapes) return fresh;
  const byId = new Map(shapes.features.map((f) => [String(f.id), f.geometry]));
  const features: T['features'] = [];
  for (const f of fresh.features) {
    const geometry = byId.get(String(f.id));
    if (geometry === undefined) return undefined;
    features.push({ ...f, geometry });
  }
  return { ...fresh, features };
}
