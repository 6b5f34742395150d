/**
 * The big screen's data: what its panels show for the current scope, and what its map shows for
 * the whole wall — the city, or the one district a `?scope=` wall stands for — (grid KPIs, site
 * statuses, heat bins of the view). One load at a time per
 * kind — a newer load aborts the older one (the tour moved on) — and a failed load keeps the last
 * good data, because a wall that blanks whenever the network hiccups is worse than one that shows
 * numbers a minute old with a badge saying so.
 *
 * No blank frames: the panels' snapshot is replaced only by a complete one. A load for another
 * scope publishes nothing until every part is in; if any part fails, the previous scope's
 * snapshot stays whole (and the tour waits, see stores/screen.ts) rather than showing the new
 * scope with holes in it.
 */
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import { headlinePeriods, windowPeriod, type DayRange } from '../../server/domain/periods';
import { levelBelow } from '../../server/domain/scope';
import { addDays, type Day } from '../../server/domain/time';
import {
  fetchBreakdown, fetchGridValues, fetchHeat, fetchHeatFrames, fetchIssues, fetchPhotoPairs, fetchRanking, fetchSites, fetchStatsFrames, fetchSummary, fetchTimeseries,
  type Breakdown, type HeatFramesAnswer, type HeatView, type Kpis, type PhotoPair, type Ranking, type RankLevel, type StatsFrames, type Timeseries,
} from '../api/civgrid';
import { gridShapesOf } from '../api/early';
import { heatPoints, type HeatPoint } from '../map/layers/heat';
import type { GridCollection } from '../map/layers/grid-choropleth';
import type { SiteCollection } from '../map/layers/key-sites';
import type { ScreenConfig, ScreenPanel } from '../screen/config';
import { entriesFromIssues, newestAt, type TickerEntry } from '../screen/ticker';
import type { WallLevel } from '../screen/tour';
import { loadChoropleth, type Choropleth } from './choropleth-load';
import { withKnownGeometry } from './feature-merge';

/** The place the panels show: the wall's top (a city or a district), a district or one street. */
export interface ScopeRef {
  /** `city:CODE`, `district:CODE` or `street:CODE`. */
  scope: string;
  level: WallLevel;
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
  trend: Timeseries['buckets'] | null;
  categories: Breakdown | null;
  sources: Breakdown | null;
  ranking: Ranking | null;
  /** The district's departments ranked (区直单位红黑榜), whichever street the tour shows. */
  departments: Ranking | null;
  recent: TickerEntry[] | null;
  /** The latest closures with a 整改前 and a 整改后 photo, newest first, in the photo panel's own period. */
  photoPairs: PhotoPair[] | null;
}

/** What the map draws over the wall's area. Shapes are loaded once; KPIs and statuses on every refresh. */
export interface MapSnapshot {
  window: DayRange;
  /** The grids' shapes and their overdue counts (null when the wall shows no grids). */
  grids: Choropleth<GridCollection> | null;
  sites: SiteCollection;
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
  departments: ['departments'],
  sites: [],
  ticker: ['recent'],
  photos: ['photoPairs'],
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

/** Copies one part from the previous snapshot (a part that failed keeps its last value). */
function keepPart<K extends Part>(next: PanelSnapshot, previous: PanelSnapshot, part: K): void {
  next[part] = previous[part];
}

const NO_FEATURES = { type: 'FeatureCollection' as const, features: [] };

/** Server bin size in pixels for the wall: coarser than the desk's, its kernel is wider anyway. */
const HEAT_CELL = 16;

/** The days the replay plays: the last `days`, today (so far) included. */
export function replayRange(today: Day, days: number): DayRange {
  return { from: addDays(today, -(days - 1)), to: today };
}

const sameRange = (a: DayRange, b: DayRange) => a.from === b.from && a.to === b.to;

/** What the replay plays: the grids' daily frames and the heat frames of the map's view. */
export interface ReplaySnapshot {
  range: DayRange;
  frames: StatsFrames;
  heat: HeatFramesAnswer | null;
}

/**
 * The panel and map loaders with their state. `panels` and `map` hold the last good data,
 * `failing` says the last attempt of either failed, `freshAt` when data last arrived.
 */
export const useScreenDataStore = defineStore('screen-data', () => {
  const panels = shallowRef<PanelSnapshot | null>(null);
  const map = shallowRef<MapSnapshot | null>(null);
  const freshAt = ref<number | null>(null);
  const failing = ref(false);
  /** Heat bins of the map's view; the previous bins stay until new ones arrive, so it never blinks. */
  const heat = shallowRef<HeatPoint[]>([]);
  /** When the newest report or closure the screen has seen happened (epoch ms), for the live badge. */
  const newestEventAt = ref<number | null>(null);
  /** The replay's frames (null until loaded or when replay is off); the last ones stay while a reload fails. */
  const replay = shallowRef<ReplaySnapshot | null>(null);
  let replayLoad: AbortController | null = null;
  let replayHeatLoad: AbortController | null = null;
  let panelLoad: AbortController | null = null;
  let mapLoad: AbortController | null = null;
  let heatLoad: AbortController | null = null;
  let panelFailed = false;
  let mapFailed = false;
  // Shapes don't change between refreshes; keep them and fetch only KPIs and statuses.
  let siteShapes: SiteCollection | null = null;

  const settle = () => {
    failing.value = panelFailed || mapFailed;
  };

  /** Takes note of events (ticker lines) seen, from a load or the live feed. */
  function noteEvents(entries: readonly TickerEntry[]): void {
    const at = newestAt(entries);
    if (at !== null && (newestEventAt.value === null || at > newestEventAt.value)) newestEventAt.value = at;
  }

  /** Loads the panels' data for `scope` as `config` asks. */
  async function loadPanels(scope: ScopeRef, today: Day, config: ScreenConfig): Promise<LoadResult> {
    panelLoad?.abort();
    const controller = new AbortController();
    panelLoad = controller;
    const { signal } = controller;
    const window = windowPeriod(config.period, today);
    const ranges = headlinePeriods(today);
    const inWindow = { scope: scope.scope, ...window };
    // 红黑榜 of the level below: a city's districts, a district's streets, a street's communities.
    const childLevel = levelBelow(scope.level) as RankLevel;
    const jobs: { [K in Part]: () => Promise<PanelSnapshot[K]> } = {
      headline: async () => {
        const [t, m, y] = await Promise.all([ranges.today, ranges.month, ranges.year].map((r) => fetchSummary({ scope: scope.scope, ...r }, signal)));
        return { ranges, kpis: { today: t.kpis, month: m.kpis, year: y.kpis } };
      },
      windowKpis: async () => (await fetchSummary(inWindow, signal)).kpis,
      trend: async () => (await fetchTimeseries(inWindow, 'day', signal)).buckets,
      categories: () => fetchBreakdown(inWindow, 'category', undefined, signal),
      sources: () => fetchBreakdown(inWindow, 'source', undefined, signal),
      ranking: () => fetchRanking(inWindow, childLevel, config.rankingSize, signal),
      // Departments answer to the district, so their list stays the district's on a street stop.
      departments: () => fetchRanking(window, 'department', config.rankingSize, signal),
      recent: async () => entriesFromIssues((await fetchIssues({ scope: scope.scope }, { limit: RECENT_ISSUES }, signal)).items),
      photoPairs: () => fetchPhotoPairs({ scope: scope.scope, ...windowPeriod(config.photos.period, today) }, config.photos.pairs, signal),
    };
    // Each part lands in a snapshot that is published only once the whole load is in.
    const next: PanelSnapshot = {
      scope, today, window,
      headline: null, windowKpis: null, trend: null, categories: null, sources: null, ranking: null, departments: null, recent: null, photoPairs: null,
    };
    const load = async <K extends Part>(part: K) => {
      next[part] = await jobs[part]();
    };
    const parts = [...partsFor(config.panels)];
    const results = await Promise.allSettled(parts.map(load));
    if (panelLoad !== controller) return 'superseded';
    panelLoad = null;
    const previous = panels.value;
    const anyOk = results.some((r) => r.status === 'fulfilled');
    const firstError = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')?.reason;
    if (firstError !== undefined && isAbort(firstError, signal)) return 'superseded';
    panelFailed = firstError !== undefined;
    settle();
    if (!anyOk && parts.length > 0) return 'failed';
    // Another scope with holes in it would show "—" and empty charts: keep the previous scope whole.
    const sameScope = previous?.scope.scope === scope.scope;
    if (panelFailed && previous && !sameScope) return 'failed';
    // A part that failed keeps its last value, but only for the same scope: a street's panel
    // must never show the district's numbers under the street's name.
    if (sameScope) {
      parts.forEach((part, i) => {
        if (results[i].status === 'rejected') keepPart(next, previous, part);
      });
    }
    if (next.recent) noteEvents(next.recent);
    panels.value = next;
    if (!panelFailed) freshAt.value = Date.now();
    return panelFailed ? 'failed' : 'ok';
  }

  /**
   * Loads the grid KPIs and site statuses (with shapes the first time) of the wall's area as
   * `config` asks: everything, or only `wallScope` (`district:530111`) on a wall of its own.
   */
  async function loadMap(today: Day, config: ScreenConfig, wallScope: string | null = null): Promise<LoadResult> {
    mapLoad?.abort();
    const controller = new AbortController();
    mapLoad = controller;
    const { signal } = controller;
    const window = windowPeriod(config.period, today);
    const query = { ...window, ...(wallScope ? { scope: wallScope } : {}) };
    const shapes = (wanted: boolean) => (wanted ? { simplifyM: 3 } : { geometry: false });
    try {
      // The grids: their geometry file once per version, the window's overdue counts each time
      // (grids outside a wall's own district come back as outside and are not drawn).
      const grids = config.map.grids
        ? loadChoropleth(map.value?.grids ?? null, 'overdue', {
            values: (version, s) => fetchGridValues(query, { metrics: ['overdue'], version }, s),
            shapes: (version, s) => gridShapesOf(version, s),
          }, signal)
        : null;
      const [gridMap, sites] = await Promise.all([grids, fetchSites(query, { types: config.siteTypes, ...shapes(siteShapes === null) }, signal)]);
      if (mapLoad !== controller) return 'superseded';
      mapLoad = null;
      if (siteShapes === null) siteShapes = sites;
      const mergedSites = sites === siteShapes ? sites : withKnownGeometry(siteShapes, sites, (p) => p.id);
      // New sites: the kept shapes no longer cover every feature; reload them next time.
      if (mergedSites === null) siteShapes = null;
      mapFailed = false;
      settle();
      map.value = {
        window,
        grids: gridMap,
        sites: mergedSites ?? map.value?.sites ?? NO_FEATURES,
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

  /** Loads the heat bins of a map view for the screen's period; a newer view's load aborts this one. */
  async function loadHeat(config: ScreenConfig, today: Day, view: Pick<HeatView, 'bbox' | 'zoom'>): Promise<LoadResult> {
    heatLoad?.abort();
    const controller = new AbortController();
    heatLoad = controller;
    try {
      const bins = await fetchHeat(windowPeriod(config.period, today), { ...view, cell: HEAT_CELL, centers: true }, controller.signal);
      if (heatLoad !== controller) return 'superseded';
      heat.value = heatPoints(bins);
      return 'ok';
    } catch (err) {
      // The last bins stay; the screen's badge already says when the server is away.
      return isAbort(err, controller.signal) || heatLoad !== controller ? 'superseded' : 'failed';
    } finally {
      if (heatLoad === controller) heatLoad = null;
    }
  }

  /**
   * Loads the replay's daily frames of the district's grids (one request for every day); they
   * replace the last ones only when in, so a replay never plays half a load.
   */
  async function loadReplay(today: Day, config: ScreenConfig): Promise<LoadResult> {
    replayLoad?.abort();
    const controller = new AbortController();
    replayLoad = controller;
    const range = replayRange(today, config.replay.days);
    try {
      const frames = await fetchStatsFrames(range, 'grid', { step: 'day' }, controller.signal);
      if (replayLoad !== controller) return 'superseded';
      const keepHeat = replay.value && sameRange(replay.value.range, range) ? replay.value.heat : null;
      replay.value = { range, frames, heat: keepHeat };
      return 'ok';
    } catch (err) {
      return isAbort(err, controller.signal) || replayLoad !== controller ? 'superseded' : 'failed';
    } finally {
      if (replayLoad === controller) replayLoad = null;
    }
  }

  /** Loads the replay's heat frames for a map view (after the frames, which say which days). */
  async function loadReplayHeat(view: Pick<HeatView, 'bbox' | 'zoom'>): Promise<LoadResult> {
    const current = replay.value;
    if (!current) return 'superseded';
    replayHeatLoad?.abort();
    const controller = new AbortController();
    replayHeatLoad = controller;
    try {
      const heatFrames = await fetchHeatFrames(current.range, { ...view, cell: HEAT_CELL }, { step: 'day' }, controller.signal);
      const now = replay.value;
      if (replayHeatLoad !== controller || !now || !sameRange(now.range, current.range)) return 'superseded';
      replay.value = { ...now, heat: heatFrames };
      return 'ok';
    } catch (err) {
      return isAbort(err, controller.signal) || replayHeatLoad !== controller ? 'superseded' : 'failed';
    } finally {
      if (replayHeatLoad === controller) replayHeatLoad = null;
    }
  }

  /** Cancels whatever is in flight (the screen is closing). */
  function dispose(): void {
    panelLoad?.abort();
    mapLoad?.abort();
    heatLoad?.abort();
    replayLoad?.abort();
    replayHeatLoad?.abort();
    panelLoad = mapLoad = heatLoad = replayLoad = replayHeatLoad = null;
  }

  /** Cancels and forgets everything: a screen opened again starts from nothing, as on a fresh page. */
  function reset(): void {
    dispose();
    panels.value = null;
    map.value = null;
    heat.value = [];
    replay.value = null;
    newestEventAt.value = null;
    freshAt.value = null;
    failing.value = false;
    panelFailed = mapFailed = false;
    siteShapes = null;
  }

  return { panels, map, heat, replay, freshAt, failing, newestEventAt, loadPanels, loadMap, loadHeat, loadReplay, loadReplayHeat, noteEvents, dispose, reset };
});
