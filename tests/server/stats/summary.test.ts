/**
 * GET /api/stats/summary on the fixture city (tests/fixtures/city), now = 2026-11-25 12:00 +08.
 *
 * The issues as stored (local = Asia/Shanghai; deadline from the category's limit, counted from the
 * dispatch, or from the report when there is none; working time Mon–Fri 09–17):
 *   id   category        status      reported     deadline          closed       grid / street
 *   I01  0201 24 h       closed      11-02 09:00  11-03 09:10       11-02 10:00  双桥1 / 关上  immediate, 0.83 h
 *   I02  0101 2 work h   dispatched  11-03 10:00  11-03 12:05       —            双桥1 / 关上
 *   I03  0102 1 work d   closed      11-04 08:00  11-04 17:00       11-06 12:00  和平路1 / 太和 late, rework, 51.5 h
 *   I04  0202 (own)      handled     11-05 15:00  11-06 15:30       —            和平路2 / 太和
 *   I05  0201 24 h       closed      10-20 09:00  10-21 09:05       10-21 08:00  双桥2 / 关上  on the corner of 4 grids, 22.92 h
 *   I06  0101 2 work h   reported    11-10 11:00  11-10 13:00       —            金太1 / 太和  on the street border
 *   I07  0101            cancelled   11-11 11:00  —                 —            outside the district
 *   I08  0202 3 days     deferred    09-01 09:00  09-04 10:00       —            金太2 / 太和
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cityApp, type TestApp } from '../../helpers/app.ts';
import { ok, statsClient } from './city.ts';

let t: TestApp;
let stats: ReturnType<typeof statsClient>;
beforeAll(async () => {
  t = await cityApp();
  stats = statsClient(t.app);
});
afterAll(async () => t.cleanup());

describe('GET /api/stats/summary', () => {
  it('counts the district to date by the KPI definitions', async () => {
    const body = await ok(stats.summary.$get({ query: {} }));
    // Reported: I01–I06 and I08 = 7 (I07 lies outside the district).
    // Due (deadline before now, not cancelled/deferred): I01 I02 I03 I04 I05 I06 = 6 (I08 deferred).
    // Closed: I01 I03 I05 = 3; on time: I01, I05 = 2 (I03 closed two days late).
    // Overdue: I02 I04 I06 = 3 = due − closed. Immediate: I01 → 1/7. Rework: I03 → 1 of 3 closed.
    // Hours dispatched → closed: 0.83, 22.92, 51.5 → median 22.9, mean 25.1.
    expect(body.scope).toEqual({ level: 'district', id: '530111', name: '官渡区' });
    expect(body.period).toEqual({ from: null, to: null });
    expect(body.kpis).toMatchObject({
      reported: 7, due: 6, closed: 3, closedOnTime: 2, overdue: 3, immediate: 1, rework: 1,
      closureRate: 0.5, onTimeRate: 0.3333, immediateRate: 0.1429, reworkRate: 0.3333, medianHours: 22.9, meanHours: 25.1,
      // Without a period there are no "days" to spread the workload over.
      workload: null,
    });
    // 7 issues over the district's 0.1° × 0.1° ≈ 112.1 km².
    expect(body.kpis.density).toBeCloseTo(7 / 112.1, 2);
  });

  it('has no 环比 to date, and 同比 is everything to date one year before', async () => {
    const body = await ok(stats.summary.$get({ query: {} }));
    expect(body).toMatchObject({ previous: null, change: { previous: null } });
    // The fixture city starts in September 2026: a year before, nothing had been reported.
    expect(body.lastYear).toMatchObject({ period: { from: null, to: null }, asOf: '2025-11-25T04:00:00.000Z', kpis: { reported: 0, due: 0 } });
  });

  it('compares November with October (环比) and November 2025 (同比)', async () => {
    const body = await ok(stats.summary.$get({ query: { from: '2026-11-01', to: '2026-11-30' } }));
    // November: reported I01 I02 I03 I04 I06 = 5; due by now: the same five; closed I01 I03, on time I01;
    // overdue I02 I04 I06; immediate I01 → 1/5; rework I03 → 1/2; hours 0.83 and 51.5 → 26.2.
    expect(body.kpis).toMatchObject({
      reported: 5, due: 5, closed: 2, closedOnTime: 1, overdue: 3, closureRate: 0.4, onTimeRate: 0.2,
      immediateRate: 0.2, reworkRate: 0.5, medianHours: 26.2,
    });
    // October holds I05 only (reported 10-20, due 10-21, closed on time).
    expect(body.previous).toMatchObject({
      period: { from: '2026-10-01', to: '2026-10-31' },
      kpis: { reported: 1, due: 1, closed: 1, closedOnTime: 1, closureRate: 1, medianHours: 22.9 },
    });
    expect(body.lastYear?.period).toEqual({ from: '2025-11-01', to: '2025-11-30' });
    expect(body.lastYear?.kpis).toMatchObject({ reported: 0, due: 0, closureRate: null });
    // 5 vs 1 reported = +400 %; closure 40 % vs 100 % = −60 points; 26.2 h vs 22.9 h = +3.3 h.
    expect(body.change.previous).toMatchObject({ reportedPct: 400, closureRatePts: -60, onTimeRatePts: -80, medianHoursDelta: 3.3 });
    // Nothing a year ago: a change from zero or from a null rate is null, not Infinity or NaN.
    expect(body.change.lastYear).toMatchObject({ reportedPct: null, closureRatePts: null, scoreDelta: null });
  });

  it('gives null rates and score, not 0 or NaN, when nothing is due', async () => {
    // September: I08 reported on 09-01 but deferred, so it is never due.
    const body = await ok(stats.summary.$get({ query: { from: '2026-09-01', to: '2026-09-30' } }));
    expect(body.kpis).toMatchObject({
      reported: 1, due: 0, closed: 0, overdue: 0, closureRate: null, onTimeRate: null, reworkRate: null,
      medianHours: null, score: null, scoreParts: null,
      // Something was reported, so the 立行立改率 is a real 0 %.
      immediateRate: 0,
    });
  });

  it('counts the corner issue I05 in exactly one grid', async () => {
    // I05 sits on the corner shared by 关上1, 关上2, 双桥1 and 双桥2; the assignment puts it in 双桥2.
    const reported = async (grid: string) => (await ok(stats.summary.$get({ query: { scope: `grid:${grid}` } }))).kpis.reported;
    expect(await reported('530111001001001')).toBe(0);
    expect(await reported('530111001001002')).toBe(0);
    expect(await reported('530111001002001')).toBe(2); // I01, I02
    expect(await reported('530111001002002')).toBe(1); // I05
  });

  it('counts the border issue I06 in exactly one street', async () => {
    // I06 lies on lon 102.75, the border of 关上 and 太和; it belongs to 太和 (金太社区第1网格).
    const west = await ok(stats.summary.$get({ query: { scope: 'street:530111001' } }));
    const east = await ok(stats.summary.$get({ query: { scope: 'street:530111002' } }));
    expect(west.scope.name).toBe('关上街道');
    expect(west.kpis.reported).toBe(3); // I01 I02 I05
    expect(east.kpis.reported).toBe(4); // I03 I04 I06 I08
  });

  it('narrows to a key site and to a category', async () => {
    const market = await ok(stats.summary.$get({ query: { scope: 'site:S1' } }));
    expect(market.scope.name).toBe('双桥村综合农贸市场');
    expect(market.kpis).toMatchObject({ reported: 2, due: 2, closed: 1 }); // I01 closed, I02 open
    // 大类 01 selects 0101 and 0102: I02, I03, I06.
    const cityLook = await ok(stats.summary.$get({ query: { category: '01' } }));
    expect(cityLook.kpis.reported).toBe(3);
  });
});
