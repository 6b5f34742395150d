/**
 * The data of the drill-down panel for the current scope and filters: KPIs with 环比/同比, the
 * trend, top categories, sub-unit rankings, the longest-overdue issues, and for a key site its
 * record (zone, accountable unit) and recent issues, and the latest evidence photos of the scope. Each piece loads on its own so the panel
 * fills in as answers arrive, after the map has drawn the same filter's grid values (map-first.ts);
 * a new scope or filter cancels what is still running.
 */
import { defineStore } from 'pinia';
import { computed } from 'vue';
import {
  fetchBreakdown, fetchIssues, fetchLatestPhotos, fetchRanking, fetchSites, fetchSummary, fetchTimeseries,
  type Breakdown, type FilterParams, type IssueItem, type Photo, type Ranking, type RankLevel, type SitesAnswer, type Summary, type Timeseries,
} from '../api/civgrid';
import { rankLevelsBelow } from '../workspace/panel-logic';
import { asyncSlot } from './async-slot';
import { mapFirst } from './map-first';
import { trendWindow, type DayRange } from '../../server/domain/periods';
import { scopeText, type Scope, type ScopeLevel } from '../../server/domain/scope';

/** Length of the longest-overdue list: the oldest deadlines among the issues overdue now. */
export const OVERDUE_LIST = 8;

/**
 * The filters of the longest-overdue list: the scope and filters without the period. The backlog is
 * what it is: under 近30天 an issue overdue for 60 days is still the oldest, not left out.
 */
export function backlogFilters(p: FilterParams): FilterParams {
  const { from: _from, to: _to, ...rest } = p;
  return rest;
}
const RANK_N = 100;
/** Photos a panel shows of its scope: the latest uploads. */
const LATEST_PHOTOS = 6;

export const useScopeDataStore = defineStore('scope-data', () => {
  const summary = asyncSlot<Summary>();
  const trend = asyncSlot<Timeseries>();
  const categories = asyncSlot<Breakdown>();
  const rankings = asyncSlot<{ level: RankLevel; answer: Ranking }[]>();
  const overdue = asyncSlot<IssueItem[]>();
  const site = asyncSlot<SitesAnswer['features'][number] | null>();
  const recent = asyncSlot<IssueItem[]>();
  const photos = asyncSlot<Photo[]>();

  /**
   * Loads everything the panel shows for `scope` under the filters; null is the top of the
   * hierarchy, whose level `topLevel` says (a city ranks districts, a district streets).
   */
  function load(scope: Scope | null, filters: FilterParams, period: DayRange, topLevel: ScopeLevel): void {
    const p: FilterParams = { ...filters, ...(scope ? { scope: scopeText(scope) } : {}) };
    const level = scope?.level ?? topLevel;
    void summary.load(mapFirst((signal) => fetchSummary(p, signal)));
    const window = trendWindow(period);
    void trend.load(mapFirst((signal) => fetchTimeseries({ ...p, ...window.range }, window.interval, signal)));
    void categories.load(mapFirst((signal) => fetchBreakdown(p, 'category', 2, signal)));
    void photos.load(mapFirst((signal) => fetchLatestPhotos(p, LATEST_PHOTOS, signal)));
    const levels = rankLevelsBelow(level);
    if (levels.length) {
      void rankings.load(mapFirst(async (signal) =>
        Promise.all(levels.map(async (l) => ({ level: l, answer: await fetchRanking(p, l, RANK_N, signal) }))),
      ));
    } else rankings.reset();
    if (level === 'site') {
      overdue.reset();
      void site.load(mapFirst(async (signal) => (await fetchSites(p, { zones: true }, signal)).features[0] ?? null));
      void recent.load(mapFirst(async (signal) => (await fetchIssues(p, { limit: 30 }, signal)).items));
    } else {
      site.reset();
      recent.reset();
      void overdue.load(mapFirst(async (signal) => (await fetchIssues(backlogFilters(p), { overdue: true, sort: 'deadline', limit: OVERDUE_LIST }, signal)).items));
    }
  }

  return {
    summary: computed(() => summary.state.value),
    trend: computed(() => trend.state.value),
    categories: computed(() => categories.state.value),
    rankings: computed(() => rankings.state.value),
    overdue: computed(() => overdue.state.value),
    site: computed(() => site.state.value),
    recent: computed(() => recent.state.value),
    photos: computed(() => photos.state.value),
    load,
  };
});
