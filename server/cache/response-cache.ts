/**
 * Answers repeated dashboard reads from memory. A big screen, a dozen workspaces and the live
 * ticks all ask the same few aggregate questions; each costs tens of ms of DuckDB CPU, and two
 * cores saturate at ~100 such reads/s (the load test's mix). The cache is keyed by the request URL
 * and the database's data version, which every committed write moves on.
 *
 * Writes come in two weights. New reports and workflow steps (`issues`) arrive all day (10/s in a
 * busy city) and would otherwise empty the cache ten times a second, so after such a write an
 * answer may still be served for `staleMs` (dashboards refresh every 30–60 s; a 2 s old count is
 * as good as a fresh one). Bulk imports, reference data and plans change what the answers mean:
 * nothing computed before such a write is served again. Users and the audit log are in no answer.
 * Every entry also expires after `maxAgeMs`, because answers depend on the clock (today, overdue).
 * Concurrent misses for one key share one computation.
 */
import type { DataKind, DataVersion } from '../db/data-version.ts';

/** How long answers live; `staleMs: 0` means never serve anything older than the last write. */
export type CachePolicy = { staleMs: number; maxAgeMs: number; maxBytes: number };

export const DEFAULT_CACHE_POLICY: CachePolicy = { staleMs: 2_000, maxAgeMs: 15_000, maxBytes: 64 * 1024 * 1024 };

/** A cached answer: the body and the headers that describe it. */
export type CachedAnswer = { body: Uint8Array<ArrayBuffer>; contentType: string };

type Entry = CachedAnswer & { version: number; madeAt: number };

/** Changes after which an answer may still serve for `staleMs`. */
const REPORTS: DataKind[] = ['issues'];
/** Changes after which no earlier answer is served. */
const MEANING: DataKind[] = ['issuesRewritten', 'reference', 'drafts'];

/** The cache of one app: entries in least-recently-used order, bounded by their total size. */
export class ResponseCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<CachedAnswer | null>>();
  private bytes = 0;
  /** The version of the latest write that changed what answers mean, when the entries were last swept. */
  private meaningSince = 0;

  constructor(
    private readonly data: DataVersion,
    private readonly policy: CachePolicy,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  /** The cached answer for `key`, if it may still be served. */
  get(key: string): CachedAnswer | null {
    this.sweep();
    const e = this.entries.get(key);
    if (!e) return null;
    const now = this.clock();
    const exact = this.data.unchangedSince(e.version, ...REPORTS);
    // An inexact entry was made before the latest write, so its age bounds how stale it is.
    const fresh = now - e.madeAt <= this.policy.maxAgeMs && (exact || now - e.madeAt <= this.policy.staleMs);
    if (!fresh) {
      this.drop(key, e);
      return null;
    }
    // Re-insert: Map order is the LRU order.
    this.entries.delete(key);
    this.entries.set(key, e);
    return e;
  }

  /**
   * The answer for `key`: cached, or computed once by `compute` while concurrent callers wait for
   * it. `compute` answers null for what must not be cached (errors, streams).
   */
  async through(key: string, compute: () => Promise<CachedAnswer | null>): Promise<CachedAnswer | null> {
    const hit = this.get(key);
    if (hit) return hit;
    const pending = this.inflight.get(key);
    if (pending) return pending;
    const version = this.data.current;
    const madeAt = this.clock();
    const run = compute()
      .then((answer) => {
        // A report written meanwhile makes the answer stale at birth (it still serves staleMs); any other write voids it.
        if (answer && this.data.unchangedSince(version, ...MEANING)) this.put(key, { ...answer, version, madeAt });
        return answer;
      })
      .finally(() => this.inflight.delete(key));
    this.inflight.set(key, run);
    return run;
  }

  /** Bytes held, for tests and the bench. */
  size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }

  /** Drops every entry once a write changed what answers mean (they could never serve again). */
  private sweep(): void {
    const since = this.data.of(...MEANING);
    if (since === this.meaningSince) return;
    this.meaningSince = since;
    this.entries.clear();
    this.bytes = 0;
  }

  private put(key: string, e: Entry): void {
    if (e.body.byteLength > this.policy.maxBytes / 4) return;
    const old = this.entries.get(key);
    if (old) this.drop(key, old);
    this.entries.set(key, e);
    this.bytes += e.body.byteLength;
    for (const [k, oldest] of this.entries) {
      if (this.bytes <= this.policy.maxBytes) break;
      this.drop(k, oldest);
    }
  }

  private drop(key: string, e: Entry): void {
    this.entries.delete(key);
    this.bytes -= e.body.byteLength;
  }
}
