import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finishKpis, rate, EMPTY_COUNTS } from '../../../server/kpi/definitions.ts';
import { filterQuery } from '../../../server/kpi/filters.ts';
import { scopeKpis, type KpiContext } from '../../../server/kpi/query.ts';
import { resolveFilters } from '../../../server/kpi/resolve.ts';
import { compositeScore, loadScoring } from '../../../server/kpi/score.ts';
import { cityApp, FIXTURE_NOW, type TestApp } from '../../helpers/app.ts';

let t: TestApp;
let ctx: KpiContext;
beforeAll(async () => {
  t = await cityApp();
  ctx = { db: t.db, now: FIXTURE_NOW, scoring: loadScoring() };
});
afterAll(async () => t.cleanup());

const kpisFor = async (query: Record<string, string>) => scopeKpis(ctx, await resolveFilters(t.db, filterQuery.parse(query)));

describe('KPI definitions on the fixture city (to date, now = 2026-11-25)', () => {
  // In the district: I01–I06 and I08 (I07 lies outside every region).
  // Due (deadline passed, not cancelled/deferred): I01 I02 I03 I04 I05 I06 — I08 is deferred.
  // Closed of those: I01 (on time), I03 (late: 1 work day from Wed 08:30 → Wed 17:00, closed Fri), I05 (on time).
  // Overdue: I02 (deadline 11-03 12:05), I04 (11-06 15:30), I06 (11-10 13:00), all still open.
  // Hours dispatched → closed: I01 0.83, I03 51.5, I05 22.92 → median 22.9, mean 25.1.
  it('counts reported, due, closed, on time, overdue, rework and hours', async () => {
    const k = await kpisFor({});
    expect(k).toMatchObject({
      reported: 7, immediate: 1, due: 6, closed: 3, closedOnTime: 2, overdue: 3, rework: 1,
      closureRate: 0.5, onTimeRate: 0.3333, immediateRate: 0.1429, reworkRate: 0.3333,
      medianHours: 22.9, meanHours: 25.1,
    });
    expect(k.due).toBe(k.closed + k.overdue);
  });

  it('gives null rates, not 0 or NaN, when nothing is due', async () => {
    const k = await kpisFor({ from: '2025-01-01', to: '2025-01-31' });
    expect(k).toMatchObject({ reported: 0, due: 0, closureRate: null, onTimeRate: null, immediateRate: null, reworkRate: null, medianHours: null, score: null });
  });

  it('counts an issue due in the period even when it was reported before', async () => {
    // I05: reported 10-20, deadline 10-21 09:05 (+08) → due in October, reported in October.
    const october = await kpisFor({ from: '2026-10-01', to: '2026-10-31' });
    expect(october).toMatchObject({ reported: 1, due: 1, closed: 1, closedOnTime: 1 });
  });

  it('excludes cancelled and deferred issues from due', async () => {
    const k = await kpisFor({ status: 'deferred' });
    expect(k).toMatchObject({ reported: 1, due: 0, overdue: 0 });
  });

  it('narrows to a street, a grid and a site', async () => {
    expect((await kpisFor({ scope: 'site:S1' })).reported).toBe(2);
    expect((await kpisFor({ scope: 'grid:530111001002001' })).reported).toBe(2);
    const west = await kpisFor({ scope: 'street:530111001' });
    const east = await kpisFor({ scope: 'street:530111002' });
    expect(west.reported + east.reported).toBe(7);
  });

  it('expands a 大类 to its 小类', async () => {
    const whole = await kpisFor({ category: '01' });
    const parts = (await kpisFor({ category: '0101' })).reported + (await kpisFor({ category: '0102' })).reported;
    expect(whole.reported).toBe(parts);
    expect(whole.reported).toBe(3);
  });

  it('computes density per km² of the scope', async () => {
    const k = await kpisFor({ scope: 'street:530111001' });
    expect(k.density).toBeCloseTo(k.reported / 56.0, 1);
  });
});

describe('rates and score', () => {
  it('rate() is null for a zero denominator', () => {
    expect(rate(0, 0)).toBeNull();
    expect(rate(1, 3)).toBe(0.3333);
  });

  it('scores a perfect unit 100 and an idle one null', () => {
    const cfg = loadScoring();
    expect(compositeScore({ due: 10, onTimeRate: 1, closureRate: 1, immediateRate: 1, reworkRate: 0, overdue: 0 }, cfg).score).toBe(100);
    expect(compositeScore({ due: 0, onTimeRate: null, closureRate: null, immediateRate: null, reworkRate: null, overdue: 0 }, cfg).score).toBeNull();
    expect(finishKpis(EMPTY_COUNTS, { scoring: cfg }).score).toBeNull();
  });

  it('penalises overdue issues', () => {
    const cfg = loadScoring();
    const base = { due: 10, onTimeRate: 0.5, closureRate: 0.5, immediateRate: 0, reworkRate: 0 };
    const clean = compositeScore({ ...base, overdue: 0 }, cfg).score!;
    const late = compositeScore({ ...base, overdue: 5 }, cfg).score!;
    expect(late).toBeLessThan(clean);
  });
});
