/**
 * The balance figures of a draft beside the published plan, as rows the metrics panel prints, and
 * the colour class of each grid for the map. Pure.
 */
import type { PlanSummary } from '../../server/plan/metrics';

/** A row: the figure for the draft, for the published plan, and whether the draft is better. */
export interface CompareRow {
  key: 'grids' | 'issues' | 'mean' | 'maxOverMean' | 'cv' | 'outside';
  draft: number | null;
  published: number | null;
  /** True when the draft is more balanced, false when less, null when neither or unknown. */
  better: boolean | null;
  kind: 'count' | 'decimal' | 'ratio';
}

/**
 * Rows of the comparison. Lower max/mean, CV and "outside the band" mean a fairer split; grid and
 * issue counts and the mean are context, judged neither way. Total issues should not change at
 * all between plans of the same area: if they do, land was lost or gained.
 */
export function compareSummaries(draft: PlanSummary, published: PlanSummary | null): CompareRow[] {
  const judged = (a: number | null, b: number | null): boolean | null => {
    if (a === null || b === null || Math.abs(a - b) < 1e-9) return null;
    return a < b;
  };
  const p = published;
  return [
    { key: 'grids', draft: draft.grids, published: p?.grids ?? null, better: null, kind: 'count' },
    { key: 'issues', draft: draft.issues, published: p?.issues ?? null, better: null, kind: 'count' },
    { key: 'mean', draft: draft.mean, published: p?.mean ?? null, better: null, kind: 'decimal' },
    { key: 'maxOverMean', draft: draft.maxOverMean, published: p?.maxOverMean ?? null, better: judged(draft.maxOverMean, p?.maxOverMean ?? null), kind: 'ratio' },
    { key: 'cv', draft: draft.cv, published: p?.cv ?? null, better: judged(draft.cv, p?.cv ?? null), kind: 'ratio' },
    { key: 'outside', draft: draft.band.outside, published: p?.band.outside ?? null, better: judged(draft.band.outside, p?.band.outside ?? null), kind: 'count' },
  ];
}

/** Where a grid's workload lies relative to the band. */
export type BandClass = 'above' | 'below' | 'within' | 'none';

/** Band class per grid code from the metrics answer's grids. */
export function bandClasses(grids: readonly { code: string; band: 'above' | 'below' | null }[]): Map<string, BandClass> {
  return new Map(grids.map((g) => [g.code, g.band ?? 'within']));
}

/** Colours of the band classes (map fill and legend): red over, blue under, green inside, grey unknown. */
export const BAND_COLOURS: Record<BandClass, string> = { above: '#e4572e', below: '#3b82c4', within: '#7cb518', none: '#c9ced6' };

/** Sites by type as sorted rows, most first, for the grid panel. */
export function siteRows(sites: Record<string, number>): { type: string; count: number }[] {
  return Object.entries(sites).map(([type, count]) => ({ type, count })).sort((a, b) => b.count - a.count || a.type.localeCompare(b.type));
}

/** Grids outside the band, the furthest from the mean first, at most `limit` of each side. */
export function outsideGrids<G extends { code: string; name: string; issuesPer30d: number; band: 'above' | 'below' | null }>(
  grids: readonly G[], limit: number,
): { above: G[]; below: G[]; moreAbove: number; moreBelow: number } {
  const above = grids.filter((g) => g.band === 'above').sort((a, b) => b.issuesPer30d - a.issuesPer30d);
  const below = grids.filter((g) => g.band === 'below').sort((a, b) => a.issuesPer30d - b.issuesPer30d);
  return { above: above.slice(0, limit), below: below.slice(0, limit), moreAbove: Math.max(0, above.length - limit), moreBelow: Math.max(0, below.length - limit) };
}
