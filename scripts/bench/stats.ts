/**
 * Sample statistics for the benchmark. Pure: no I/O, so tests pin the exact definitions.
 */

/** p50/p95 and friends of one operation's latencies, in ms. */
export interface LatencySummary {
  n: number;
  p50: number;
  p95: number;
  min: number;
  max: number;
}

/**
 * The p-th percentile (0–100) by linear interpolation between closest ranks (the definition of
 * numpy's default and of PostgreSQL's percentile_cont), so p50 of an even count is the midpoint.
 */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be within 0–100, got ${p}`);
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
}

/** Summarises latencies; an empty list gives NaNs, which the table prints as n/a. */
export function summarize(samples: readonly number[]): LatencySummary {
  return {
    n: samples.length,
    p50: percentile(samples, 50),
    p95: percentile(samples, 95),
    min: samples.length ? Math.min(...samples) : Number.NaN,
    max: samples.length ? Math.max(...samples) : Number.NaN,
  };
}

/** Items per second, or null when the duration is unknown or zero. */
export function perSecond(items: number, ms: number | null | undefined): number | null {
  return ms && ms > 0 ? items / (ms / 1000) : null;
}

/**
 * civgrid time over PostGIS time: below 1 civgrid is faster (0.25 = 4× faster). Null when either
 * side is missing, so a missing route never looks like a win.
 */
export function ratio(civgrid: number | null | undefined, postgis: number | null | undefined): number | null {
  if (civgrid === null || civgrid === undefined || postgis === null || postgis === undefined) return null;
  if (!Number.isFinite(civgrid) || !Number.isFinite(postgis) || postgis <= 0) return null;
  return civgrid / postgis;
}

/** Runs `fn` `warmup` times untimed, then `n` times timed, one after another; returns ms per run. */
export async function timeRuns(n: number, fn: () => Promise<unknown>, warmup = 2): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}
