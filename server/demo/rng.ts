/**
 * Seeded pseudo-random numbers for the demo generator. Everything random in the demo city comes
 * from here, so one seed reproduces the same files byte for byte.
 */

/** FNV-1a over a string: turns a stream label into 32 seed bits. */
function hashLabel(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * sfc32 generator (small, fast, passes PractRand far beyond what a demo needs) with the helpers
 * the generator uses. Independent streams come from {@link Rng.fork} so that, e.g., asking for more
 * issues does not move a single grid boundary.
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** @param seed any integer; @param label names the stream (different labels → unrelated streams). */
  constructor(
    private readonly seed: number,
    label = '',
  ) {
    this.a = 0x9e3779b9;
    this.b = hashLabel(label);
    this.c = seed >>> 0;
    this.d = Math.floor(seed / 2 ** 32) >>> 0;
    // sfc32 needs a few rounds before the state is well mixed.
    for (let i = 0; i < 15; i++) this.next();
  }

  /** A new independent stream derived from this generator's seed and a label. */
  fork(label: string): Rng {
    return new Rng(this.seed, label);
  }

  /** Uniform in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** Uniform in [min, max). */
  range(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  /** Standard normal (Box–Muller; one of the pair is discarded to keep the stream simple). */
  normal(): number {
    const u = 1 - this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /** Exponential with the given mean. */
  exponential(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }

  /** Log-normal whose median is `median` and whose log has standard deviation `sigma`. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** Fisher–Yates shuffle in place; returns the array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [items[i], items[j]] = [items[j], items[i]];
    }
    return items;
  }
}

/**
 * Weighted choice among n outcomes in O(log n) per draw (cumulative sums + binary search).
 * Zero weights are never drawn; at least one weight must be positive.
 */
export class WeightedTable<T> {
  private readonly cumulative: Float64Array;
  private readonly total: number;

  constructor(
    readonly items: readonly T[],
    weights: readonly number[],
  ) {
    if (items.length !== weights.length) throw new Error('WeightedTable: items and weights differ in length');
    this.cumulative = new Float64Array(weights.length);
    let sum = 0;
    weights.forEach((w, i) => {
      sum += Math.max(0, w);
      this.cumulative[i] = sum;
    });
    if (!(sum > 0)) throw new Error('WeightedTable: no positive weight');
    this.total = sum;
  }

  /** Index of one weighted draw. */
  drawIndex(rng: Rng): number {
    const x = rng.next() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cumulative[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** One weighted draw. */
  draw(rng: Rng): T {
    return this.items[this.drawIndex(rng)];
  }
}

/**
 * Splits `total` into integer shares proportional to `weights` (largest remainder), giving every
 * share at least `min` when the total allows it.
 */
export function apportion(total: number, weights: readonly number[], min = 0): number[] {
  const n = weights.length;
  const base = Math.min(min, Math.floor(total / Math.max(1, n)));
  const rest = total - base * n;
  const sum = weights.reduce((s, w) => s + w, 0);
  const exact = weights.map((w) => (sum > 0 ? (w / sum) * rest : rest / n));
  const shares = exact.map((x) => Math.floor(x));
  let left = rest - shares.reduce((s, x) => s + x, 0);
  const order = exact.map((x, i) => ({ i, frac: x - Math.floor(x) })).sort((p, q) => q.frac - p.frac || p.i - q.i);
  for (let k = 0; left > 0; k = (k + 1) % n, left--) shares[order[k].i]++;
  return shares.map((s) => s + base);
}
