/**
 * The data of the drill-down panel for the current scope and filters: KPIs with 环比/同比, the
 * trend, top categories, sub-unit rankings, the longest-overdue issues, and for a key site its
 * record (zone, accountable unit) and recent issues. Each piece loads on its own so the panel
 * fills in as answers arrive; a new scope or filter cancels what is still running.
 */
import { defineStore } from 'pinia';
import { computed } from 'vue';
import {
  fetchBreakdown, fetchIssues, fetchRanking, fetchSites, fetchSummary, fetchTimeseries,
  type Breakdown, type FilterParams, type IssueItem, type Ranking, type SitesAnswer, type Summary, type Timeseries,
} from '../api/civgrid';
import { oldestOverdue, overdueStatuses, rankLevelsBelow } from '../workspace/panel-logic';
import { asyncSlot } from './async-slot';
import type { DayRange } from './period';
import { trendWindow } from './period';
import type { Scope } from './scope-path';
import { scopeText } from './scope-path';

/** Open issues looked at for the overdue list (newest first, the API's order). */
export const OVERDUE_WINDOW = 500;
const RANK_N = 100;

export const useScopeDataStore = defineStore('scope-data', () => {
  const summary = asyncSlot<Summary>();
  const trend = asyncSlot<Timeseries>();
  const categories = asyncSlot<Breakdown>();
  const rankings = asyncSlot<{ level: 'street' | 'community' | 'grid'; answer: Ranking }[]>();
  const overdue = asyncSlot<IssueItem[]>();
  const site = asyncSlot<SitesAnswer['features'][number] | null>();
  const recent = asyncSlot<IssueItem[]>();

  /** Loads everything the panel shows for `scope` (null = district) under the filters. */
  function load(scope: Scope | null, filters: FilterParams, period: DayRange): void {
    const p: FilterParams = { ...filters, ...(scope ? { scope: scopeText(scope) } : {}) };
    const level = scope?.level ?? 'district';
    void summary.load((signal) => fetchSummary(p, signal));
    const window = trendWindow(period);
    void trend.load((signal) => fetchTimeseries({ ...p, ...window.range }, window.interval, signal));
    void categories.load((signal) => fetchBreakdown(p, 'category', 2, signal));
    const levels = rankLevelsBelow(level);
    if (levels.length) {
      void rankings.load(async (signal) =>
        Promise.all(levels.map(async (l) => ({ level: l, answer: await fetchRanking(p, l, RANK_N, signal) }))),
      );
    } else rankings.reset();
    const statuses = overdueStatuses(filters.status ?? []);
    if (level === 'site') {
      overdue.reset();
      void site.load(async (signal) => (await fetchSites(p, { zones: true }, signal)).features[0] ?? null);
      void recent.load(async (signal) => (await fetchIssues(p, { limit: 30 }, signal)).items);
    } else {
      site.reset();
      recent.reset();
      if (statuses.length) {
        void overdue.load(async (signal) => oldestOverdue((await fetchIssues({ ...p, status: statuses }, { limit: OVERDUE_WINDOW }, signal)).items, 8));
      } else overdue.reset();
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
    load,
  };
});
