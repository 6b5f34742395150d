/**
 * The one write path: jobs run one at a time in call order, a failing one rolls back and leaves
 * the data version as it was, and the next still runs.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataVersion } from '../../../server/db/data-version.ts';
import { Database, type Writer } from '../../../server/db/database.ts';
import { WriteQueue } from '../../../server/db/write-queue.ts';
import { freshDb } from '../../helpers/db.ts';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('WriteQueue', () => {
  it('runs jobs one at a time, in call order', async () => {
    const queue = new WriteQueue();
    const log: string[] = [];
    let running = 0;
    const job = (name: string, ms: number) => queue.run(async () => {
      running++;
      log.push(`start ${name} (${running} running)`);
      await new Promise((r) => setTimeout(r, ms));
      log.push(`end ${name}`);
      running--;
      return name;
    });
    expect(await Promise.all([job('a', 30), job('b', 1), job('c', 10)])).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['start a (1 running)', 'end a', 'start b (1 running)', 'end b', 'start c (1 running)', 'end c']);
  });

  it('runs the next job after one fails', async () => {
    const queue = new WriteQueue();
    const failing = queue.run(async () => {
      throw new Error('boom');
    });
    const next = queue.run(async () => 'ran');
    await expect(failing).rejects.toThrow('boom');
    expect(await next).toBe('ran');
  });

  it('knows when the running job began, and when all have settled', async () => {
    let now = 1_000;
    const queue = new WriteQueue(() => now);
    expect(queue.runningSince).toBeNull();
    let release!: () => void;
    const first = queue.run(() => new Promise<void>((r) => (release = r)));
    const second = queue.run(async () => queue.runningSince);
    await tick();
    expect(queue.runningSince).toBe(1_000);
    expect(queue.length).toBe(2);
    now = 2_000;
    release();
    await first;
    expect(await second).toBe(2_000);
    await queue.drained();
    expect(queue.length).toBe(0);
    expect(queue.runningSince).toBeNull();
  });

  it('refuses a job queued from inside a job (it would wait for itself)', async () => {
    const queue = new WriteQueue();
    const outer = queue.run(() => queue.run(async () => 'inner'));
    await expect(outer).rejects.toThrow(/use the Writer/);
    expect(await queue.run(async () => 'after')).toBe('after');
  });
});

describe('DataVersion', () => {
  it('moves on with every write and remembers which kinds each changed', () => {
    const v = new DataVersion();
    expect([v.current, v.of('issues')]).toEqual([0, 0]);
    v.bump(['issues']);
    v.bump(['reference', 'drafts']);
    expect(v.current).toBe(2);
    expect([v.of('issues'), v.of('reference'), v.of('users'), v.of('issues', 'drafts')]).toEqual([1, 2, 0, 2]);
    expect(v.unchangedSince(1, 'issues', 'users')).toBe(true);
    expect(v.unchangedSince(1, 'reference')).toBe(false);
  });
});

describe('Database.write', () => {
  let db: Database;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ db, cleanup } = await freshDb());
    await db.run('CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER)');
    await db.run('INSERT INTO counter VALUES (1, 0)');
  });
  afterAll(async () => cleanup());
  const n = async () => (await db.one<{ n: number }>('SELECT n FROM counter WHERE id = 1'))!.n;

  it('moves the data version on after each commit, naming what changed', async () => {
    const before = db.version.current;
    await db.transaction(['issues'], (tx) => tx.run('UPDATE counter SET n = n + 1'));
    expect(db.version.current).toBe(before + 1);
    expect(db.version.of('issues')).toBe(before + 1);
    expect(db.version.of('reference')).toBeLessThan(before + 1);
  });

  it('rolls a failing write back, leaves the version as it was, and runs the next', async () => {
    const [count, version] = [await n(), db.version.current];
    const failing = db.transaction(['issues'], async (tx) => {
      await tx.run('UPDATE counter SET n = n + 100');
      throw new Error('refused');
    });
    const next = db.transaction(['issues'], (tx) => tx.run('UPDATE counter SET n = n + 1'));
    await expect(failing).rejects.toThrow('refused');
    await next;
    expect(await n()).toBe(count + 1);
    expect(db.version.current).toBe(version + 1);
  });

  it('serialises concurrent read-then-write jobs on one row: no conflict, no lost update', async () => {
    const count = await n();
    // Each job reads, waits, then writes what it read plus one: run side by side, every job but
    // one would either hit a write-write conflict or overwrite another's increment.
    const bump = () => db.write(['issues'], async (w) => {
      const seen = await n();
      await tick();
      await w.transaction((tx) => tx.run('UPDATE counter SET n = $n WHERE id = 1', { n: seen + 1 }));
    });
    await Promise.all(Array.from({ length: 20 }, bump));
    expect(await n()).toBe(count + 20);
  });

  it('bumps once per committed transaction of a job, not for a job that commits nothing', async () => {
    const version = db.version.current;
    await db.write(['issues'], async () => undefined);
    expect(db.version.current).toBe(version);
    await db.write(['issues'], async (w) => {
      await w.transaction((tx) => tx.run('UPDATE counter SET n = n + 1'));
      await w.transaction((tx) => tx.run('UPDATE counter SET n = n + 1'));
    });
    expect(db.version.current).toBe(version + 2);
  });

  it('refuses a Writer used after its job ended', async () => {
    let kept!: Writer;
    await db.write(['issues'], async (w) => void (kept = w));
    await expect(kept.transaction(async () => undefined)).rejects.toThrow(/only valid while its write job runs/);
  });

  it('refuses to queue a write from inside a write job', async () => {
    await expect(db.write(['issues'], () => db.run('UPDATE counter SET n = n'))).rejects.toThrow(/use the Writer/);
  });
});

describe('Database.close', () => {
  it('lets queued writes finish before the final checkpoint, and refuses new ones', async () => {
    const { db, cleanup } = await freshDb();
    try {
      await db.run('CREATE TABLE t (x INTEGER)');
      const writes = Array.from({ length: 5 }, (_, i) => db.transaction(['issues'], async (tx) => {
        await tick();
        await tx.run('INSERT INTO t VALUES ($x)', { x: i });
      }));
      await db.close();
      await Promise.all(writes);
      await expect(db.run('INSERT INTO t VALUES (9)')).rejects.toThrow(/closing/);
      expect(existsSync(`${db.path}.wal`)).toBe(false);
      const reopened = await Database.open(db.path);
      try {
        expect(await reopened.one('SELECT count(*) AS n FROM t')).toEqual({ n: 5 });
      } finally {
        await reopened.close();
      }
    } finally {
      await cleanup();
    }
  });
});
