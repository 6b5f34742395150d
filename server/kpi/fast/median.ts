/**
 * Medians and means of the hours of closed-and-due issues, per group, with DuckDB's median
 * (quantile_cont 0.5: the mean of the two middle values of an even count). Linear time: a
 * district's quarter holds ~10⁶ closed issues, and sorting them took longer than counting them.
 */
import { Scratch } from './scratch.ts';

/** Hours tagged with their group; `groups` null: all of group 0 (a count with one group). */
export type Hours = { values: Float64Array; groups: Int32Array | null; length: number };

const swap = (a: Float64Array, i: number, j: number) => {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
};

/**
 * Moves the k-th smallest of a[left..right] (inclusive) to a[k], smaller ones before it, larger
 * after: Floyd and Rivest's SELECT, which first narrows to a sample around rank k, so it compares
 * each value about 1.5 times (quickselect: ~3.4; twice as slow on a district's 10⁶ hours).
 */
function select(a: Float64Array, left: number, right: number, k: number): void {
  while (right > left) {
    if (right - left > 600) {
      const n = right - left + 1;
      const m = k - left + 1;
      const z = Math.log(n);
      const s = 0.5 * Math.exp((2 * z) / 3);
      const sd = 0.5 * Math.sqrt((z * s * (n - s)) / n) * (m - n / 2 < 0 ? -1 : 1);
      select(a, Math.max(left, Math.floor(k - (m * s) / n + sd)), Math.min(right, Math.floor(k + ((n - m) * s) / n + sd)), k);
    }
    const t = a[k];
    let i = left;
    let j = right;
    swap(a, left, k);
    if (a[right] > t) swap(a, right, left);
    while (i < j) {
      swap(a, i, j);
      i++;
      j--;
      while (a[i] < t) i++;
      while (a[j] > t) j--;
    }
    if (a[left] === t) swap(a, left, j);
    else {
      j++;
      swap(a, j, right);
    }
    if (j <= k) left = j + 1;
    if (k <= j) right = j - 1;
  }
}

/** DuckDB's median of a[lo, hi), reordering it: the upper middle value of an even count is the least one after the lower. */
export function medianOf(a: Float64Array, lo: number, hi: number): number {
  const n = hi - lo;
  const k = lo + ((n - 1) >> 1);
  select(a, lo, hi - 1, k);
  if (n % 2 === 1) return a[k];
  let next = Infinity;
  for (let i = k + 1; i < hi; i++) if (a[i] < next) next = a[i];
  // DuckDB interpolates as lo·(1 − d) + hi·d, d = ½; (lo + hi) / 2 or lo + (hi − lo) / 2 differ in the last bit.
  return a[k] * 0.5 + next * 0.5;
}

/**
 * The sum of a[lo, hi), compensated (Neumaier): the rounding error of each addition is kept aside
 * and added back once, so the sum is correct to ~2⁻¹⁰⁶ relative whatever the values' order. A
 * count split across workers lays each group's hours end to end part by part, not in the order of
 * an unsplit count; a plain running sum would then differ in the last bits of the mean.
 */
export function compensatedSum(a: Float64Array, lo: number, hi: number): number {
  let sum = 0;
  let error = 0;
  for (let i = lo; i < hi; i++) {
    const x = a[i];
    const t = sum + x;
    error += Math.abs(sum) >= Math.abs(x) ? (sum - t) + x : (x - t) + sum;
    sum = t;
  }
  return sum + error;
}

/** One buffer for every count of this thread (scratch.ts): a fresh 7 MB array per query kept the garbage collector busy. */
const grouped = new Scratch((n) => new Float64Array(n));
const groupedBuffer = (size: number): Float64Array => grouped.get(size);

/** Median and mean of each group's hours (NaN where a group has none). */
export function summariseHours(hours: Hours, groupCount: number): { median: Float64Array; mean: Float64Array } {
  const median = new Float64Array(groupCount).fill(NaN);
  const mean = new Float64Array(groupCount).fill(NaN);
  // Counting sort by group (unless there is one group), then each group's run on its own.
  const start = new Int32Array(groupCount + 1);
  const { values, groups, length } = hours;
  let byGroup = values;
  if (groups === null) start.fill(length, 1);
  else {
    for (let i = 0; i < length; i++) start[groups[i] + 1]++;
    for (let g = 0; g < groupCount; g++) start[g + 1] += start[g];
    const fill = start.slice(0, groupCount);
    byGroup = groupedBuffer(length);
    for (let i = 0; i < length; i++) byGroup[fill[groups[i]]++] = values[i];
  }
  for (let g = 0; g < groupCount; g++) {
    const lo = start[g];
    const hi = start[g + 1];
    if (hi === lo) continue;
    mean[g] = compensatedSum(byGroup, lo, hi) / (hi - lo);
    median[g] = medianOf(byGroup, lo, hi);
  }
  return { median, mean };
}

