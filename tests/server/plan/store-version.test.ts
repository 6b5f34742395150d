/** The planner's working set keys on the data version: it reloads after the writes it derives from, only those. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataKind } from '../../../server/db/data-version.ts';
import { KpiEngine } from '../../../server/kpi/fast/engine.ts';
import { PlanStore } from '../../../server/plan/store.ts';
import { cityApp, type TestApp } from '../../helpers/app.ts';

let t: TestApp;
beforeAll(async () => (t = await cityApp()));
afterAll(async () => t.cleanup());

/** A committed write that changed `kinds` (and, for the test, no row). */
const wrote = (...kinds: DataKind[]) => t.db.transaction(kinds, async () => undefined);

describe('PlanStore', () => {
  it('rebuilds a plan state after a write of plans or reference data, not after other writes', async () => {
    const store = new PlanStore(t.db);
    const first = await store.state(1);
    await wrote('issues', 'users', 'audit');
    expect(await store.state(1)).toBe(first);
    await wrote('drafts');
    const second = await store.state(1);
    expect(second).not.toBe(first);
    await wrote('reference');
    expect(await store.state(1)).not.toBe(second);
  });

  it('reloads the points after a write of issues or sites, not after a draft edit', async () => {
    const store = new PlanStore(t.db);
    const first = await store.currentPoints();
    await wrote('drafts', 'users');
    expect(await store.currentPoints()).toBe(first);
    await wrote('issues');
    const second = await store.currentPoints();
    expect(second).not.toBe(first);
    await wrote('reference');
    expect(await store.currentPoints()).not.toBe(second);
  });

  it('reads the issue points from the KPI engine’s columns, not a copy, caught up after a write', async () => {
    const engine = new KpiEngine(t.db, undefined, { workers: 0 });
    try {
      const store = new PlanStore(t.db, engine);
      const points = await store.currentPoints();
      const cols = (await engine.columns())!;
      expect(points.issues.lon).toBe(cols.lon);
      expect(points.issues.reported).toBe(cols.reported);
      expect(points.issues.count).toBe(cols.length);
      const { n } = (await t.db.one<{ n: number }>('SELECT count(*)::INTEGER AS n FROM issues'))!;
      expect(points.issues.count).toBe(n);
      await t.db.transaction(['issues'], (tx) => tx.run(`INSERT INTO issues SELECT * REPLACE ('PLANNER-1' AS id) FROM issues LIMIT 1`));
      expect((await store.currentPoints()).issues.count).toBe(n + 1);
    } finally {
      await engine.close();
    }
  });
});
