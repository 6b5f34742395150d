/**
 * Class breaks of the choropleths (the workspace's and the wall's): where one colour class ends and
 * the next begins, and which palette colours the classes get. Pure, so the rule is tested once
 * and both maps and their legends follow it.
 *
 * Breaks come from the values of the period shown, so they adapt to it: 近30天 spreads grids over
 * tens of issues, 今日 over none, one or two. Two rules keep a quiet period from looking alarming:
 * - counts that include zeros get a class of their own for zero, and the other classes split the
 *   grids that have any issue, so "nothing" and "one" never share a colour with "many";
 * - count classes take the palette from its calm end, one step per class, instead of stretching
 *   the palette over however many classes there are: class k starts at k issues or more, so the
 *   alarming end needs several issues in a grid, and one report is never painted deep red.
 */

/** How a metric's values are read and rounded (see `METRIC_SPECS` in colours.ts). */
export type ValueKind = 'count' | 'rate' | 'density' | 'score';

/** Rounds a break to a value a legend can print: integers for counts, whole percent for rates. */
function niceBreak(value: number, kind: ValueKind): number {
  if (kind === 'count') return Math.ceil(value);
  if (kind === 'rate') return Math.round(value * 100) / 100;
  if (kind === 'score') return Math.round(value);
  if (value <= 0) return 0;
  const magnitude = 10 ** (Math.floor(Math.log10(value)) - 1);
  return Math.round(value / magnitude) * magnitude;
}

/** The finite values, ascending. */
function finiteSorted(values: readonly (number | null | undefined)[]): number[] {
  return values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
}

/**
 * Quantile breaks over the non-null values, rounded for the legend and deduplicated: a metric whose
 * values cluster (most on-time rates lie between 85 % and 95 %) still gets classes that separate
 * units, which fixed breaks would not. Fewer distinct values give fewer classes.
 */
export function quantileBreaks(values: readonly (number | null | undefined)[], kind: ValueKind, classes = 5): number[] {
  const sorted = finiteSorted(values);
  if (sorted.length < 2) return [];
  const breaks: number[] = [];
  for (let i = 1; i < classes; i++) {
    const b = niceBreak(sorted[Math.floor((i / classes) * sorted.length)], kind);
    // A break at or below the minimum would leave its class empty.
    if (b > sorted[0] && (breaks.length === 0 || b > breaks[breaks.length - 1])) breaks.push(b);
  }
  return breaks;
}

/**
 * Breaks of a metric's values in one period: for counts with zeros, a class for zero and quantile
 * classes over the rest; otherwise quantile classes over all values.
 */
export function classBreaks(values: readonly (number | null | undefined)[], kind: ValueKind, classes = 5): number[] {
  if (kind !== 'count') return quantileBreaks(values, kind, classes);
  const sorted = finiteSorted(values);
  if (sorted.length === 0 || sorted[0] > 0) return quantileBreaks(sorted, kind, classes);
  const positive = sorted.filter((v) => v > 0);
  if (positive.length === 0) return [];
  // The first break is 1 (zero apart); the others split the grids with issues, above 1.
  return [1, ...quantileBreaks(positive, kind, classes - 1).filter((b) => b > 1)];
}

/**
 * The palette indexes of `classes` classes, calm first, over a palette of `size` colours. Counts
 * climb one step per class from the calm end (few classes mean few issues); other metrics keep both
 * ends of the palette, so a two-class rate map still tells good from bad.
 */
export function classColourIndexes(classes: number, size: number, kind: ValueKind): number[] {
  const n = Math.max(1, Math.min(classes, size));
  if (kind === 'count') return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: n }, (_, i) => (n === 1 ? 0 : Math.round((i * (size - 1)) / (n - 1))));
}
