/**
 * 红黑榜: ranking units (streets, communities, grids) by their composite score. Pure, so the order
 * rules are testable without a database.
 */
import type { Kpis } from './definitions.ts';

/** What ranking needs of a unit. */
export type Rankable = { code: string; kpis: Pick<Kpis, 'score' | 'onTimeRate' | 'due'> };

/**
 * Ranks of the units with a score and at least `minDue` cases due (rank 1 = best); the others get
 * none — an idle unit is neither red nor black, and nor is one with too few cases for its rates to
 * mean anything (3 cases closed on time would top the red list). One rule for every level: streets,
 * communities, grids and departments alike (`minDue` in data/scoring.json). Ties go to the better
 * 按期结案率, then to the smaller code, so the same data always gives the same list.
 */
export function rankUnits(units: Rankable[], minDue = 1): Map<string, number> {
  const scored = units.filter((u) => u.kpis.score !== null && u.kpis.due >= minDue);
  scored.sort(
    (a, b) =>
      b.kpis.score! - a.kpis.score! ||
      (b.kpis.onTimeRate ?? -1) - (a.kpis.onTimeRate ?? -1) ||
      (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
  );
  return new Map(scored.map((u, i) => [u.code, i + 1]));
}

/** Places climbed since the previous period (positive = better); null when either rank is missing. */
export function rankChange(rank: number | null, previousRank: number | null): number | null {
  return rank === null || previousRank === null ? null : previousRank - rank;
}

/**
 * The red list (best `n`, best first) and the black list (worst `n`, worst first) of ranked units.
 * With fewer than 2n ranked units the lists share units: each is still the true top or bottom n.
 */
export function redAndBlack<T extends { rank: number | null }>(units: T[], n: number): { red: T[]; black: T[] } {
  const ranked = units.filter((u) => u.rank !== null).sort((a, b) => a.rank! - b.rank!);
  return { red: ranked.slice(0, n), black: ranked.slice(-n).reverse() };
}

/**
 * 网格之星: inspectors with something due in their grids, best first — by the on-time rate of their
 * grids, then by the reports they found, then by name (so equal figures keep a stable order).
 */
export function rankInspectors<T extends { name: string; found: number; due: number; onTimeRate: number | null }>(rows: T[]): (T & { rank: number })[] {
  return rows
    .filter((r) => r.due > 0 && r.onTimeRate !== null)
    .sort((a, b) => b.onTimeRate! - a.onTimeRate! || b.found - a.found || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((r, i) => ({ ...r, rank: i + 1 }));
}
