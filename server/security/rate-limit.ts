/**
 * Token buckets per key (a user's token, or a client address): `burst` requests at once, then
 * `perSecond` on average. In memory, per server process: enough for one civgrid server, and a
 * restart forgiving everyone is harmless.
 */

/** Bucket size and refill rate. */
export type BucketSpec = { burst: number; perSecond: number };

/** The answer of one `take`. */
export type Take = { ok: true } | { ok: false; retryAfterS: number };

type Bucket = { tokens: number; at: number };

/** Past this many keys, full buckets are dropped: an address seen once must not be kept forever. */
const MAX_KEYS = 10_000;

/** A set of token buckets with one spec. */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    readonly spec: BucketSpec,
    private readonly clock: () => number = () => performance.now(),
  ) {
    if (!(spec.burst >= 1) || !(spec.perSecond > 0)) throw new Error('a rate limit needs burst ≥ 1 and a positive rate');
  }

  /** Takes one token from `key`'s bucket, or says how many seconds until one is available. */
  take(key: string): Take {
    const now = this.clock();
    const b = this.refilled(key, now);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterS: Math.max(1, Math.ceil((1 - b.tokens) / this.spec.perSecond)) };
  }

  private refilled(key: string, now: number): Bucket {
    let b = this.buckets.get(key);
    if (!b) {
      if (this.buckets.size >= MAX_KEYS) this.prune(now);
      b = { tokens: this.spec.burst, at: now };
      this.buckets.set(key, b);
      return b;
    }
    b.tokens = Math.min(this.spec.burst, b.tokens + ((now - b.at) / 1000) * this.spec.perSecond);
    b.at = now;
    return b;
  }

  private prune(now: number): void {
    for (const [key, b] of this.buckets) {
      if (b.tokens + ((now - b.at) / 1000) * this.spec.perSecond >= this.spec.burst) this.buckets.delete(key);
    }
    // Every bucket busy (a flood from many addresses): start over rather than grow without bound.
    if (this.buckets.size >= MAX_KEYS) this.buckets.clear();
  }
}
