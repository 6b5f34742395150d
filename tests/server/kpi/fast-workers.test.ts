/**
 * The KPI engine's counting workers around the counting itself (whose answers fast-engine.test.ts
 * holds to the main thread's): columns in shared memory, the gate that keeps a catch-up from
 * changing columns under a running count, counts while reports are appended, and shutdown.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KpiEngine } from '../../../server/kpi/fast/engine.ts';
import { CountPool } from '../../../server/kpi/fast/pool.ts';
import { loanOf } from '../../../server/kpi/fast/shared-view.ts';
import { SnapshotGate } from '../../../server/kpi/fast/snapshot-gate.ts';
import { resolveFilters } from '../../../server/kpi/resolve.ts';
import { FIXTURE_NOW, type TestApp } from '../../helpers/app.ts';
import { postJson } from '../issues/helpers.ts';
import { extendedCityApp } from '../stats/city.ts';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('snapshot gate', () => {
  it('lets a write wait for the reads running, and reads arriving meanwhile wait for the write', async () => {
    const gate = new SnapshotGate();
    const order: string[] = [];
    let release!: () => void;
    const first = gate.read(() => new Promise<void>((r) => (release = r)).then(() => void order.push('read 1')));
    const write = gate.write(() => void order.push('write'));
    const second = gate.read(async () => void order.push('read 2'));
    await tick();
    expect(order).toEqual([]);
    release();
    await Promise.all([first, write, second]);
    expect(order).toEqual(['read 1', 'write', 'read 2']);
  });

  it('opens again after a write that threw', async () => {
    const gate = new SnapshotGate();
    await expect(gate.write(() => { throw new Error('half applied'); })).rejects.toThrow('half applied');
    expect(await gate.read(async () => 'read')).toBe('read');
  });
});

describe('KPI engine with counting workers', () => {
  let t: TestApp;
  let engine: KpiEngine;
  const logged: string[] = [];
  const q = { from: '2026-10-01', to: '2026-11-30' };
  // Every count split, one row per range and an empty one: as many parts as rows.
  const everyRow = (n: number) => [{ from: 0, to: 0 }, ...Array.from({ length: n }, (_, r) => ({ from: r, to: r + 1 }))];

  beforeAll(async () => {
    t = await extendedCityApp();
    engine = new KpiEngine(t.db, (m) => logged.push(m), { workers: 2, cut: everyRow });
    t.deps.engine = engine;
    engine.start();
    expect(await engine.ready()).toMatchObject({ state: 'ready' });
  }, 60_000);
  afterAll(async () => {
    await engine?.close();
    await t?.cleanup();
  });

  it('holds its columns in shared memory, lent to the workers without a copy', async () => {
    const f = await resolveFilters(t.db, q);
    expect(await engine.counts(f, { by: 'status' }, FIXTURE_NOW)).toBeDefined();
    const cols = (engine as unknown as { cols: Parameters<typeof loanOf>[0] }).cols;
    const loan = loanOf(cols, 'street');
    for (const [name, array] of Object.entries(loan.arrays)) expect(array.buffer, name).toBeInstanceOf(SharedArrayBuffer);
    expect(loan.indexes.street!.slots.buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  it('answers every count sent while rows are appended and changed with the counts of one state of the data', async () => {
    const f = await resolveFilters(t.db, q);
    // The states the data passes through, as the main thread counts them.
    const inline = new KpiEngine(t.db);
    inline.start();
    await inline.ready();
    const state = async () => JSON.stringify([...(await inline.counts(f, { by: 'status' }, FIXTURE_NOW))!]);
    const states = [await state()];
    const answers: Promise<unknown>[] = [];
    // New reports (appended rows), and two held rows far apart changed in place by one write: a
    // count that read one of them before the catch-up and the other after would match no state.
    const statuses = ['cancelled', 'deferred', 'reported'];
    for (let k = 0; k < 6; k++) {
      for (let i = 0; i < 30; i++) answers.push(engine.counts(f, { by: 'status' }, FIXTURE_NOW));
      const written = k % 2 === 0
        ? Promise.resolve(postJson(t.app, '/api/issues', { clientId: `workers-${k}`, category: '0101', lon: 102.72, lat: 24.97 })).then((res) => expect(res.status).toBe(201))
        : t.db.run(
          `UPDATE issues SET status = $status, updated_at = now()::TIMESTAMP
           WHERE rowid IN ((SELECT min(rowid) FROM issues WHERE reported_at >= '2026-10-01'), (SELECT max(rowid) FROM issues WHERE reported_at < '2026-12-01'))`,
          { status: statuses[k % 3] }, ['issues'],
        );
      await written;
      // These catch up while counts sent before the write may still be counting.
      for (let i = 0; i < 6; i++) answers.push(engine.counts(f, { by: 'status' }, FIXTURE_NOW));
      states.push(await state());
    }
    await inline.close();
    expect(new Set(states).size).toBeGreaterThan(4);
    for (const answer of await Promise.all(answers)) expect(states).toContain(JSON.stringify([...(answer as Map<unknown, unknown>)]));
    // After the last report, the engine's answer is the last state's.
    expect(JSON.stringify([...(await engine.counts(f, { by: 'status' }, FIXTURE_NOW))!])).toBe(states[6]);
    expect(logged).toEqual([]);
  });
});

describe('counting workers shut down', () => {
  it('ends its threads on close, failing what was still queued', async () => {
    const pool = new CountPool(2);
    const exits = (pool as unknown as { slots: { worker: import('node:worker_threads').Worker }[] }).slots
      .map(({ worker }) => new Promise<number>((r) => worker.once('exit', r)));
    await pool.close();
    expect(await Promise.all(exits)).toHaveLength(2);
    await expect(pool.run({} as never)).rejects.toThrow('closed');
  });
});
