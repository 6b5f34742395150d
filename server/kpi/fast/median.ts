/**
 * Medians and means of the hours of closed-and-due issues, per group, with DuckDB's median
 * (quantile_cont 0.5: the mean of the two middle values of an even count). Linear time: a
 * district's quarter holds ~10⁶ closed issues, and sorting them took longer than counting them.
 */

/** Hours tagged with their group. */
export type Hours = { values: Float64Array; groups: Int32Array; length: number };

/** Moves the k-th smallest of a[lo, hi) to a[k], smaller ones before it, larger after (quickselect). */
function select(a: Float64Array, lo: number, hi: number, k: number): void {
  let left = lo;
  let right = hi - 1;
  while (right > left) {
    // A random pivot: data-chosen orders (sorted, organ-pipe) cannot make it quadratic.
    const pivot = a[left + Math.floor(Math.random() * (right - left + 1))];
    let i = left;
    let j = right;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return;
  }
}

/** DuckDB's median of a[lo, hi), reordering it: the upper middle value of an even count is the least one after the lower. */
export function medianOf(a: Float64Array, lo: number, hi: number): number {
  const n = hi - lo;
  const k = lo + ((n - 1) >> 1);
  select(a, lo, hi, k);
  if (n % 2 === 1) return a[k];
  let next = Infinity;
  for (let i = k + 1; i < hi; i++) if (a[i] < next) next = a[i];
  // DuckDB interpolates as lo·(1 − d) + hi·d, d = ½; (lo + hi) / 2 or lo + (hi − lo) / 2 differ in the last bit.
  return a[k] * 0.5 + next * 0.5;
}

/** Median and mean of each group's hours (NaN where a group has none). */
export function summariseHours(hours: Hours, groupCount: number): { median: Float64Array; mean: Float64Array } {
  const median = new Float64Array(groupCount).fill(NaN);
  const mean = new Float64Array(groupCount).fill(NaN);
  // Counting sort by group (unless there is one group), then each group's run on its own.
  const start = new Int32Array(groupCount + 1);
  let byGroup = hours.values;
  if (groupCount === 2) start[1] = start[2] = hours.length;
  else {
    for (let i = 0; i < hours.length; i++) start[hours.groups[i] + 1]++;
    for (let g = 0; g < groupCount; g++) start[g + 1] += start[g];
    const fill = start.slice(0, groupCount);
    byGroup = new Float64Array(hours.length);
    for (let i = 0; i < hours.length; i++) byGroup[fill[hours.groups[i]]++] = hours.values[i];
  }
  for (let g = 0; g < groupCount; g++) {
    const lo = start[g];
    const hi = start[g + 1];
    if (hi === lo) continue;
    let sum = 0;
    for (let i = lo; i < hi; i++) sum += byGroup[i];
    mean[g] = sum / (hi - lo);
    median[g] = medianOf(byGroup, lo, hi);
  }
  return { median, mean };
}

