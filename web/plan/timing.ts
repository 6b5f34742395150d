/**
 * Edit → metrics timing: from the moment an edit request leaves the page to the frame in which
 * the new metrics are on screen (the target is under 200 ms on the 500k demo). Samples are kept
 * so the status line can show the typical time next to the last one. Pure: time comes in.
 */

/** One measured edit. */
export interface TimingSample {
  /** What was done: split, merge, undo … */
  label: string;
  /** Request sent → metrics painted, ms. */
  totalMs: number;
  /** The edit's own request (sent → answer). */
  editMs: number;
  /** The metrics request after it (sent → answer). */
  metricsMs: number;
  /** Answer → next frame painted. */
  paintMs: number;
  /** The server's own computation of the metrics (`elapsedMs` of the answer). */
  serverMs: number | null;
}

/** The status line's numbers. */
export interface TimingSummary {
  last: TimingSample;
  count: number;
  medianMs: number;
  maxMs: number;
}

/** Median of numbers (mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (!values.length) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Summary of the samples so far, or null before the first edit. */
export function summariseTimings(samples: readonly TimingSample[]): TimingSummary | null {
  const last = samples[samples.length - 1];
  if (!last) return null;
  const totals = samples.map((s) => s.totalMs);
  return { last, count: samples.length, medianMs: Math.round(median(totals)), maxMs: Math.round(Math.max(...totals)) };
}

/** Keeps the latest `limit` samples (a long session should not grow without bound). */
export function addSample(samples: readonly TimingSample[], sample: TimingSample, limit = 50): TimingSample[] {
  return [...samples, sample].slice(-limit);
}
