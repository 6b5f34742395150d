/** Pure helpers behind the drill-down panel: what to list, in which order, and how to word durations. */
import type { ScopeLevel } from '../../server/domain/scope';
import type { RankLevel } from '../api/civgrid';
import { trendWindow, type DayRange, type Preset } from '../../server/domain/periods';
import type { Interval } from '../../server/domain/time';
import { formatDate } from '../components/format';


/**
 * The ranking levels below a scope, the two next levels down: a city ranks its districts (its
 * red and black list) and its streets, a district its streets and communities, a street its
 * communities and grids.
 */
export function rankLevelsBelow(level: ScopeLevel): RankLevel[] {
  switch (level) {
    case 'city':
      return ['district', 'street'];
    case 'district':
      return ['street', 'community'];
    case 'street':
      return ['community', 'grid'];
    case 'community':
      return ['grid'];
    default:
      return [];
  }
}

export { overdueFor } from '../../server/domain/deadline';

/** Rows of a breakdown with something reported, most first, at most `n`. */
export function topRows<T extends { kpis: { reported: number } }>(rows: readonly T[], n: number): T[] {
  return rows.filter((r) => r.kpis.reported > 0).sort((a, b) => b.kpis.reported - a.kpis.reported).slice(0, n);
}

/**
 * What the trend chart covers, for its title: the 30 days ending with a short period (which the
 * chart extends to 30 days), else the period itself — a preset by name, a custom range by its days —
 * and the bucket size.
 */
export function trendCoverage(preset: Preset, period: DayRange): { covers: 'last30' | Preset | DayRange; interval: Interval } {
  const window = trendWindow(period);
  const extended = window.range.from !== period.from || window.range.to !== period.to;
  return { covers: extended ? 'last30' : preset === 'custom' ? window.range : preset, interval: window.interval };
}

/**
 * The dates a change under a KPI compares with, and the moment they are judged as of, as the hover
 * text names them (a 环比 of 1–7 December is 1–7 November as it stood on 7 November at this hour);
 * null when the summary has no such comparison.
 */
export function comparedWords(
  compared: { period: { from: string | null; to: string | null }; asOf: string } | null | undefined, locale: string,
): { from: string; to: string; asOf: string } | null {
  if (!compared?.period.from || !compared.period.to) return null;
  return { from: formatDate(compared.period.from, 'day', locale), to: formatDate(compared.period.to, 'day', locale), asOf: formatDate(compared.asOf, 'minute', locale) };
}
