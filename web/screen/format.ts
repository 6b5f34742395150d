/**
 * Number formats for a wall read from five metres: short, tabular, and the same on every panel.
 * Big counts switch to 万/亿 (k/M in English) so a year's total fits the tile it shares with today's.
 */

/** The UI language; formats differ only for large counts. */
export type FormatLocale = 'zh-CN' | 'en';

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** Shown for a value that is unknown or undefined (e.g. a rate with nothing due). */
export const NO_VALUE = '—';

/**
 * A count: `12,345` up to 99,999, then `16.4万` / `1.2亿` (`164.2k` / `1.2M` in English).
 * Null means unknown.
 */
export function formatCount(n: number | null | undefined, locale: FormatLocale = 'zh-CN'): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return NO_VALUE;
  const abs = Math.abs(n);
  if (abs < 100_000) return grouped.format(n);
  if (locale === 'en') return abs < 1e6 ? `${oneDecimal.format(n / 1e3)}k` : `${oneDecimal.format(n / 1e6)}M`;
  return abs < 1e8 ? `${oneDecimal.format(n / 1e4)}万` : `${oneDecimal.format(n / 1e8)}亿`;
}

/** Counts below this fit a headline cell written out in full (`999,999`). */
const FULL_UP_TO = 1_000_000;

/**
 * Counts shown side by side (one row of the headline KPIs) in one format, so 17.5万 never stands
 * next to 60,529: all written out in full while the largest fits its cell, else all in the unit
 * of the largest (`120.0万`, `9.5万`).
 */
export function formatCountsAlike(values: readonly (number | null | undefined)[], locale: FormatLocale = 'zh-CN'): string[] {
  const largest = Math.max(0, ...values.map((v) => (typeof v === 'number' && Number.isFinite(v) ? Math.abs(v) : 0)));
  if (largest < FULL_UP_TO) return values.map((v) => (v === null || v === undefined || !Number.isFinite(v) ? NO_VALUE : grouped.format(v)));
  const [divisor, unit] = locale === 'en' ? (largest < 1e9 ? [1e6, 'M'] : [1e9, 'B']) : largest < 1e8 ? [1e4, '万'] : [1e8, '亿'];
  return values.map((v) => (v === null || v === undefined || !Number.isFinite(v) ? NO_VALUE : `${oneDecimal.format(v / divisor)}${unit}`));
}

/** A rate from the API (0–1) as a percentage with one decimal: `0.7848` → `78.5%`. */
export function formatRate(r: number | null | undefined): string {
  if (r === null || r === undefined || !Number.isFinite(r)) return NO_VALUE;
  // Rates come with four decimals; rounding in integers avoids 0.3485 × 100 = 34.849999… → 34.8.
  const tenThousandths = Math.round(r * 10_000);
  return `${oneDecimal.format(Math.round(tenThousandths / 10) / 10)}%`;
}

/** A score (0–100) with one decimal. */
export function formatScore(s: number | null | undefined): string {
  if (s === null || s === undefined || !Number.isFinite(s)) return NO_VALUE;
  return oneDecimal.format(s);
}

/** How a rank moved since the previous period: up (better), down, same, or new (no earlier rank). */
export type RankMove = 'up' | 'down' | 'same' | 'new';

/** The API's `rankChange` (positive = moved up) as a direction and the number of places. */
export function rankMove(change: number | null | undefined): { move: RankMove; places: number } {
  if (change === null || change === undefined) return { move: 'new', places: 0 };
  if (change > 0) return { move: 'up', places: change };
  if (change < 0) return { move: 'down', places: -change };
  return { move: 'same', places: 0 };
}
