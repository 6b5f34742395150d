/**
 * The planner's workload metrics and the KPI engine count the same rules: on a generated city, for
 * random windows, each grid of the published plan has the engine's 上报数 and 超期未结 for that grid.
 */
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../server/db/database.ts';
import { loadDemo } from '../../../server/demo/load.ts';
import { KpiEngine } from '../../../server/kpi/fast/engine.ts';
import { resolveFilters } from '../../../server/kpi/resolve.ts';
import { metricsWindow, planMetrics } from '../../../server/plan/metrics.ts';
import { PlanStore } from '../../../server/plan/store.ts';
import { publishedPlans } from '../../../server/queries/published-grids.ts';
import { freshDb } from '../../helpers/db.ts';

describe('plan metrics hold to the KPI engine', () => {
  const NOW = new Date('2026-11-25T04:00:00Z');
  let db: Database;
  let cleanup: () => Promise<void>;
  let engine: KpiEngine;
  beforeAll(async () => {
    let dir: string;
    ({ db, dir, cleanup } = await freshDb());
    await loadDemo(db, { seed: 11, districts: ['530111'], issues: 20_000, grids: 80, sites: 30, now: NOW, outDir: join(dir, 'files') });
    engine = new KpiEngine(db);
    engine.start();
    expect(await engine.ready()).toMatchObject({ state: 'ready', issues: 20_000 });
  }, 120_000);
  afterAll(async () => {
    await engine?.close();
    await cleanup?.();
  });

  it('gives every grid the engine’s reported and overdue for the same window', async () => {
    const store = new PlanStore(db);
    const state = await store.state((await publishedPlans(db))[0].id);
    const { points, asg } = await store.assignment(state);
    const day = fc.integer({ min: 0, max: 900 }).map((d) => new Date(NOW.getTime() - d * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10));
    let counted = 0;
    await fc.assert(
      fc.asyncProperty(fc.tuple(day, day), async (days) => {
        const [from, to] = days.sort();
        const metrics = planMetrics(state, asg, points.issues, points.sites, metricsWindow(from, to, NOW), 0.3);
        const byGrid = (await engine.counts(await resolveFilters(db, { from, to }), { by: 'grid' }, NOW))!;
        for (const g of metrics.grids) {
          const kpi = byGrid.get(g.code);
          expect([g.issues, g.overdue], `${g.code} ${from}..${to}`).toEqual([kpi?.reported ?? 0, kpi?.overdue ?? 0]);
          counted += g.issues + g.overdue;
        }
      }),
      { numRuns: 40, seed: 20261207 },
    );
    // The windows held issues to compare, not only empty grids.
    expect(counted).toBeGreaterThan(1_000);
  }, 120_000);
});
