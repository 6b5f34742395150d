/**
 * Where the panels go. The screen is sized in rem with 1rem = 1/67.5 of the viewport height
 * (16 px at 1080 px), so every wall shows the same type sizes relative to its height; a wider
 * wall (8:3, 32:9) therefore has more rem of width, which becomes more panel columns around the
 * map — never stretched panels.
 */
import type { ScreenPanel } from './config';

/** Narrowest side column, including its gap, in rem: what the panels are designed for. */
export const COLUMN_REM = 27;
/**
 * Widest side column in rem: past it panels only get emptier (a donut grows with its panel, its
 * numbers don't), so a very wide wall (32:9) gives its spare width to the map instead.
 */
export const MAX_COLUMN_REM = 31;
/** The map column never gets narrower than this, in rem. */
export const MIN_CENTER_REM = 58;
/** A side column should hold at least this many panels; one panel stretched down a whole wall reads badly. */
const PANELS_PER_COLUMN = 2;
/** rem per viewport height: 1080 / 16. */
export const REM_PER_HEIGHT = 67.5;

/** Panels that sit above the map in the centre column instead of in a side column. */
export const CENTER_PANELS: readonly ScreenPanel[] = ['kpis'];

/**
 * Relative height of each side panel within its column; lists need more room than a chart. The
 * departments' list is a shade lighter than the streets' so that the default eight side panels
 * split four and four on a 16:9 wall instead of squeezing a fifth (the trend) into one column.
 */
export const PANEL_WEIGHT: Record<ScreenPanel, number> = {
  kpis: 1, trend: 1, categories: 1.15, sources: 1, immediate: 1, ranking: 1.5, departments: 1.4, sites: 1.3, ticker: 1.2, photos: 1.3,
};

/** How many side columns fit on each side of the map at this viewport size (1 on 16:9, 2 on 8:3, 3 on 32:9). */
export function columnsPerSide(width: number, height: number): number {
  if (width <= 0 || height <= 0) return 1;
  const widthRem = (width / height) * REM_PER_HEIGHT;
  const fit = Math.floor((widthRem - MIN_CENTER_REM) / (2 * COLUMN_REM));
  return Math.max(1, Math.min(4, fit));
}

/**
 * Side columns per side and their width in rem for `sidePanels` panels: as many columns as fit,
 * but no more than keeps two panels in each; the spare width goes to wider columns (up to
 * {@link MAX_COLUMN_REM}) and the rest to the map, which keeps at least about a third of the wall.
 */
export function sideColumns(width: number, height: number, sidePanels: number): { perSide: number; columnRem: number } {
  const widthRem = height > 0 ? (width / height) * REM_PER_HEIGHT : 0;
  const needed = Math.max(1, Math.ceil(sidePanels / (2 * PANELS_PER_COLUMN)));
  const perSide = Math.min(columnsPerSide(width, height), needed);
  const centre = Math.max(MIN_CENTER_REM + 4, widthRem * 0.36);
  // 2rem of page padding; each column also carries one 0.75rem gap.
  const columnRem = Math.max(COLUMN_REM - 1, Math.min(MAX_COLUMN_REM, (widthRem - 2 - centre) / (2 * perSide) - 0.75));
  return { perSide, columnRem: Math.round(columnRem * 100) / 100 };
}

/**
 * Splits panels, in order, into at most `columns` consecutive groups so that the heaviest column
 * is as light as possible (the linear partition problem; n and k are tiny, so plain DP).
 * Returns no empty column: with fewer panels than columns, fewer columns.
 */
export function partitionColumns<T>(items: readonly T[], columns: number, weight: (item: T) => number): T[][] {
  const n = items.length;
  const k = Math.max(1, Math.min(columns, n));
  if (n === 0) return [];
  const prefix = [0];
  for (const item of items) prefix.push(prefix[prefix.length - 1] + weight(item));
  // best[j][i]: smallest possible heaviest column when the first i items go into j columns.
  const best = Array.from({ length: k + 1 }, () => new Array<number>(n + 1).fill(Infinity));
  const cut = Array.from({ length: k + 1 }, () => new Array<number>(n + 1).fill(0));
  best[0][0] = 0;
  for (let j = 1; j <= k; j++) {
    for (let i = j; i <= n; i++) {
      for (let p = j - 1; p < i; p++) {
        const cost = Math.max(best[j - 1][p], prefix[i] - prefix[p]);
        // `<=` prefers later cuts on ties, so earlier (left) columns take the extra panel.
        if (cost <= best[j][i]) {
          best[j][i] = cost;
          cut[j][i] = p;
        }
      }
    }
  }
  const groups: T[][] = [];
  for (let j = k, i = n; j > 0; j--) {
    const p = cut[j][i];
    groups.unshift(items.slice(p, i));
    i = p;
  }
  return groups;
}

/** The screen's arrangement: panels above the map, and side columns left and right of it. */
export interface ScreenLayout {
  center: ScreenPanel[];
  left: ScreenPanel[][];
  right: ScreenPanel[][];
  /** Width of each side column in rem. */
  columnRem: number;
}

/**
 * Lays out the configured panels for a viewport: centre panels above the map, the rest in
 * reading order across up to 2 × `columnsPerSide` columns, left ones first.
 */
export function planLayout(panels: readonly ScreenPanel[], width: number, height: number): ScreenLayout {
  const center = panels.filter((p) => CENTER_PANELS.includes(p));
  const side = panels.filter((p) => !CENTER_PANELS.includes(p));
  const { perSide, columnRem } = sideColumns(width, height, side.length);
  const columns = partitionColumns(side, 2 * perSide, (p) => PANEL_WEIGHT[p]);
  const leftCount = Math.ceil(columns.length / 2);
  return { center, left: columns.slice(0, leftCount), right: columns.slice(leftCount), columnRem };
}
