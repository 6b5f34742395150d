import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from '../../../server/db/database.ts';
import { DataVersion } from '../../../server/db/data-version.ts';
import { LoopDelayMonitor } from '../../../server/live/loop-delay.ts';
import { CachedCounts, type TableCounts } from '../../../server/queries/health.ts';

/** A database stand-in whose count query answers when the test says so. */
function fakeDb() {
  const version = new DataVersion();
  const pending: ((c: TableCounts) => void)[] = [];
  let queries = 0;
  const db = { version, one: () => (queries++, new Promise<TableCounts>((res) => pending.push(res))) } as unknown as Database;
  const answer = (issues: number) => pending.splice(0).forEach((res) => res({ regions: 7, grids: 8, sites: 3, issues }));
  return { db, version, answer, queries: () => queries };
}

describe('CachedCounts', () => {
  it('counts once per data version, and answers a check from memory while DuckDB is slow to recount', async () => {
    const f = fakeDb();
    const counts = new CachedCounts(f.db, 20);
    const first = counts.get();
    f.answer(8);
    expect((await first).issues).toBe(8);
    expect((await counts.get()).issues).toBe(8);
    expect(f.queries()).toBe(1);

    // Reference data changed, DuckDB answers within the wait: the check gets the new counts.
    f.version.bump(['reference']);
    const quick = counts.get();
    f.answer(9);
    expect((await quick).issues).toBe(9);

    // DuckDB busy: the check answers the last counts after the wait, and the recount lands later.
    f.version.bump(['reference']);
    const t0 = performance.now();
    expect((await counts.get()).issues).toBe(9);
    expect(performance.now() - t0).toBeLessThan(500);
    f.answer(10);
    await new Promise((r) => setTimeout(r, 0));
    expect((await counts.get()).issues).toBe(10);
    expect(f.queries()).toBe(3);
  });

  it('after reports only, answers the last counts at once and recounts in the background', async () => {
    const f = fakeDb();
    // A wait no check may sit out: the answer must not wait for DuckDB at all.
    const counts = new CachedCounts(f.db, 60_000);
    const first = counts.get();
    f.answer(8);
    await first;
    f.version.bump(['issues']);
    expect((await counts.get()).issues).toBe(8);
    expect(f.queries()).toBe(2);
    // One recount at a time, however many checks come meanwhile.
    expect((await counts.get()).issues).toBe(8);
    expect(f.queries()).toBe(2);
    f.answer(9);
    await new Promise((r) => setTimeout(r, 0));
    expect((await counts.get()).issues).toBe(9);
    expect(f.queries()).toBe(2);
  });

  it('takes the issues\' number from the caught-up KPI engine after reports, and asks DuckDB after other changes', async () => {
    const f = fakeDb();
    let held: number | null = null;
    const counts = new CachedCounts(f.db, 20, () => held);
    const first = counts.get();
    f.answer(8);
    await first;
    // Reports written, the engine caught up: no query, no wait.
    f.version.bump(['issues']);
    held = 11;
    expect(await counts.get()).toEqual({ regions: 7, grids: 8, sites: 3, issues: 11 });
    expect(f.queries()).toBe(1);
    // The engine behind: the last counts at once, and DuckDB recounts.
    held = null;
    f.version.bump(['issues']);
    expect((await counts.get()).issues).toBe(8);
    f.answer(12);
    await new Promise((r) => setTimeout(r, 0));
    expect((await counts.get()).issues).toBe(12);
    expect(f.queries()).toBe(2);
    // Reference data changed: grids or regions may have too, so DuckDB counts even with the engine current.
    held = 12;
    f.version.bump(['reference', 'issues']);
    const recount = counts.get();
    f.answer(12);
    await recount;
    expect(f.queries()).toBe(3);
  });

  it('ignores writes that do not change what it counts', async () => {
    const f = fakeDb();
    const counts = new CachedCounts(f.db, 20);
    const first = counts.get();
    f.answer(8);
    await first;
    f.version.bump(['audit', 'users']);
    await counts.get();
    expect(f.queries()).toBe(1);
  });
});

describe('LoopDelayMonitor', () => {
  let monitor: LoopDelayMonitor | undefined;
  afterEach(() => monitor?.close());

  it('reports a block of the event loop as its delay', async () => {
    monitor = new LoopDelayMonitor();
    await new Promise((r) => setTimeout(r, 50));
    const until = performance.now() + 150;
    while (performance.now() < until);
    await new Promise((r) => setTimeout(r, 50));
    const f = monitor.figures();
    expect(f.maxMs).toBeGreaterThanOrEqual(120);
    expect(f.p50Ms).toBeLessThan(f.maxMs);
    expect(f.recentMaxMs).toBeGreaterThanOrEqual(120);
  });

  it('forgets a block in its recent maximum after two short windows', async () => {
    monitor = new LoopDelayMonitor();
    await new Promise((r) => setTimeout(r, 50));
    const until = performance.now() + 150;
    while (performance.now() < until);
    await new Promise((r) => setTimeout(r, 2_200));
    const f = monitor.figures();
    expect(f.maxMs).toBeGreaterThanOrEqual(120);
    expect(f.recentMaxMs).toBeLessThan(100);
  });
});
