/**
 * The KPI engine counts departments like the SQL path: the department grouping and ranking, the
 * department scope and filter, as of an instant, and after a re-dispatch it has caught up with.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DepartmentMoves } from '../../../server/kpi/fast/departments.ts';
import { KpiEngine } from '../../../server/kpi/fast/engine.ts';
import type { FilterQuery } from '../../../server/kpi/filters.ts';
import type { KpiCounts } from '../../../server/kpi/definitions.ts';
import { totalCounts, type KpiContext } from '../../../server/kpi/query.ts';
import { resolveFilters } from '../../../server/kpi/resolve.ts';
import { loadScoring } from '../../../server/kpi/score.ts';
import { breakdownCounts, unitCounts } from '../../../server/queries/stats.ts';
import { framesOf } from '../../../server/kpi/frames.ts';
import { frameCounts } from '../../../server/queries/frames.ts';
import { FIXTURE_NOW, type TestApp } from '../../helpers/app.ts';
import { postJson } from '../issues/helpers.ts';
import { departmentCityApp } from './city.ts';

let t: TestApp;
let engine: KpiEngine;
beforeAll(async () => {
  t = await departmentCityApp();
  engine = new KpiEngine(t.db);
  engine.start();
  expect(await engine.ready()).toMatchObject({ state: 'ready' });
}, 60_000);
afterAll(async () => {
  await engine.close();
  await t.cleanup();
});

type Counts = Map<string | null, KpiCounts>;

/** The counts of both paths, medians to 9 places (the engine sums in another order). */
function expectSameCounts(fast: Counts, sql: Counts, label: string): void {
  const plain = (m: Counts) => Object.fromEntries([...m].map(([k, c]) => [String(k), Object.fromEntries(Object.entries(c).map(([n, v]) => [n, v === null ? null : Number(Number(v).toFixed(9))]))]));
  expect(plain(fast), label).toEqual(plain(sql));
}

/** An engine that fails the test instead of letting the SQL path answer for it. */
function strict(e: KpiEngine): KpiEngine {
  const answered = <T>(a: T | undefined): T => a ?? (() => { throw new Error('the engine declined'); })();
  return {
    counts: async (...a: Parameters<KpiEngine['counts']>) => answered(await e.counts(...a)),
    countsWithTotal: async (...a: Parameters<KpiEngine['countsWithTotal']>) => answered(await e.countsWithTotal(...a)),
  } as unknown as KpiEngine;
}

/** Both paths' answers to the department questions of `q`; the engine must answer (no fallback). */
async function expectSame(q: FilterQuery, asOf: Date | null = null) {
  const ctx: KpiContext = { db: t.db, now: FIXTURE_NOW, scoring: loadScoring() };
  const f = { ...(await resolveFilters(t.db, q)), asOf };
  const runs = {
    breakdown: (c: KpiContext) => breakdownCounts(c, f, 'department', 2).then(({ rows, total }) => new Map([...rows, ['(total)', total]])),
    ranking: (c: KpiContext) => unitCounts(c, f, 'department', { hours: true }),
    total: async (c: KpiContext) => new Map([['all', await totalCounts(c, f)]]),
  };
  for (const [name, run] of Object.entries(runs)) {
    const fast = await run({ ...ctx, engine: strict(engine) });
    expectSameCounts(fast, await run(ctx), `${name} ${JSON.stringify(q)}`);
  }
}

describe('KPI engine and departments', () => {
  it('answers like SQL for the department scope, filter and grouping, now and as of an instant', async () => {
    const queries: FilterQuery[] = [
      {}, { scope: 'department:CGJ' }, { scope: 'department:SJJ', from: '2026-11-01', to: '2026-11-25' },
      { department: ['SJJ'] }, { department: ['CGJ'], scope: 'street:530111002' },
    ];
    for (const q of queries) {
      await expectSame(q);
      await expectSame(q, new Date('2026-11-06T03:00:00Z'));
    }
  });

  it('follows a re-dispatch', async () => {
    const post = (body: Record<string, unknown>) => postJson(t.app, '/api/issues/I02/events', { actor: '派遣员', ...body });
    expect((await post({ type: 'returned', at: '2026-11-24T09:00:00+08:00' })).status).toBe(200);
    expect((await post({ type: 'dispatched', at: '2026-11-24T10:00:00+08:00', department: 'SJJ' })).status).toBe(200);
    await expectSame({});
    await expectSame({ scope: 'department:SJJ' });
  });

  it('counts the re-dispatched case for its department then: as of an instant and in a period ending before the re-dispatch', async () => {
    const queries: FilterQuery[] = [
      {}, { scope: 'department:CGJ' }, { scope: 'department:SJJ' }, { department: ['CGJ'] }, { department: ['SJJ', 'GSJD'], scope: 'street:530111001' },
      { from: '2026-11-01', to: '2026-11-20' }, { scope: 'department:CGJ', from: '2026-11-01', to: '2026-11-20' },
      { department: ['CGJ'], from: '2026-11-01', to: '2026-11-20' }, { from: '2026-11-01', to: '2026-11-30' },
    ];
    // Before the re-dispatch (11-24 10:00 +08), at its very instant, and after it.
    const instants = [null, new Date('2026-11-20T00:00:00Z'), new Date('2026-11-24T02:00:00Z'), new Date('2026-11-24T01:59:59.999Z')];
    for (const q of queries) for (const asOf of instants) await expectSame(q, asOf);
    const ctx: KpiContext = { db: t.db, now: FIXTURE_NOW, scoring: loadScoring(), engine: strict(engine) };
    const reported = async (asOf: Date | null) => {
      const rows = await unitCounts(ctx, { ...(await resolveFilters(t.db, {})), asOf }, 'department', { hours: false });
      return [rows.get('CGJ')?.reported, rows.get('SJJ')?.reported];
    };
    // In the city (one CGJ case lies outside every street): I02 is CGJ's until 10:00, SJJ's from then.
    expect(await reported(new Date('2026-11-24T01:59:59.999Z'))).toEqual([3, 2]);
    expect(await reported(new Date('2026-11-24T02:00:00Z'))).toEqual([2, 3]);
    // The ranking's few listed departments, as of before the re-dispatch.
    const f = { ...(await resolveFilters(t.db, {})), asOf: new Date('2026-11-20T00:00:00Z') };
    const listed = await unitCounts(ctx, f, 'department', { hours: true, only: ['CGJ'] });
    expect([...listed.keys()]).toEqual(['CGJ']);
    expect(listed.get('CGJ')!.reported).toBe(3);
  });

  it('makes the department column as of an instant only for counts that read departments, in shared memory', async () => {
    const columnAt = vi.spyOn(DepartmentMoves.prototype, 'columnAt');
    try {
      const before = { from: '2026-11-01', to: '2026-11-20' };
      await engine.counts(await resolveFilters(t.db, before), { by: 'status' }, FIXTURE_NOW);
      expect(columnAt).not.toHaveBeenCalled();
      await engine.counts(await resolveFilters(t.db, { ...before, scope: 'department:CGJ' }), { by: 'status' }, FIXTURE_NOW);
      const then = columnAt.mock.results.map((r) => r.value as Int32Array);
      expect(then.length).toBeGreaterThan(0);
      // The case moved after 11-20: a copy, which the counting workers read without one of their own.
      const held = (engine as unknown as { cols: { department: Int32Array } }).cols.department;
      expect(then.filter((column) => column !== held)).not.toEqual([]);
      for (const column of then) expect(column.buffer).toBeInstanceOf(SharedArrayBuffer);
    } finally {
      columnAt.mockRestore();
    }
  });

  it('plays a department back like SQL frame by frame across the re-dispatch', async () => {
    const f = await resolveFilters(t.db, { from: '2026-11-20', to: '2026-11-25' });
    const { step, frames } = framesOf({ start: f.start!, end: f.end! }, undefined, FIXTURE_NOW);
    const ctx: KpiContext = { db: t.db, now: FIXTURE_NOW, scoring: loadScoring() };
    for (const g of [{ level: 'department' as const, f }, { level: 'street' as const, f: { ...f, departments: ['SJJ'] } }]) {
      const units = g.level === 'department' ? ['CGJ', 'SJJ'] : ['530111001', '530111002'];
      const sql = await frameCounts(ctx, g.f, g.level, units, step, frames);
      const fast = await frameCounts({ ...ctx, engine }, g.f, g.level, units, step, frames);
      expect([Array.from(fast.reported), Array.from(fast.overdue)], g.level).toEqual([Array.from(sql.reported), Array.from(sql.overdue)]);
    }
  });
});
