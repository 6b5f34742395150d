/**
 * GET /api/stats/timeseries: Asia/Shanghai calendar buckets, each with the KPI definitions applied
 * to the bucket as its period. Issue timeline in summary.test.ts; J01–J04 in city.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cityApp, type TestApp } from '../../helpers/app.ts';
import { errorOf, extendedCityApp, ok, statsClient } from './city.ts';

let base: TestApp;
let extended: TestApp;
beforeAll(async () => {
  [base, extended] = await Promise.all([cityApp(), extendedCityApp()]);
});
afterAll(async () => Promise.all([base.cleanup(), extended.cleanup()]));

const series = (t: TestApp, query: Parameters<ReturnType<typeof statsClient>['timeseries']['$get']>[0]['query']) =>
  ok(statsClient(t.app).timeseries.$get({ query }));

describe('GET /api/stats/timeseries', () => {
  it('has one day bucket per day of the period, empty days as zeros', async () => {
    const body = await series(base, { interval: 'day', from: '2026-11-01', to: '2026-11-30' });
    expect(body.interval).toBe('day');
    expect(body.buckets).toHaveLength(30);
    expect(body.buckets[0]).toMatchObject({ bucket: '2026-11-01', from: '2026-11-01', to: '2026-11-01' });
    expect(body.buckets[29].bucket).toBe('2026-11-30');
    const reported = Object.fromEntries(body.buckets.filter((b) => b.kpis.reported > 0).map((b) => [b.bucket, b.kpis.reported]));
    // I01 11-02, I02 11-03, I03 11-04, I04 11-05, I06 11-10.
    expect(reported).toEqual({ '2026-11-02': 1, '2026-11-03': 1, '2026-11-04': 1, '2026-11-05': 1, '2026-11-10': 1 });
    expect(body.buckets[0].kpis).toMatchObject({ reported: 0, due: 0, closureRate: null, score: null });
  });

  it('counts reports on their report day and due issues on their deadline day', async () => {
    // I05: reported 10-20 09:00, due 10-21 09:05, closed 10-21 08:00 (on time, 22.9 h).
    const body = await series(base, { interval: 'day', from: '2026-10-20', to: '2026-10-21' });
    expect(body.buckets.map((b) => [b.bucket, b.kpis.reported, b.kpis.due, b.kpis.closedOnTime])).toEqual([
      ['2026-10-20', 1, 0, 0],
      ['2026-10-21', 0, 1, 1],
    ]);
    expect(body.buckets[1].kpis.medianHours).toBe(22.9);
  });

  it('cuts days at Shanghai midnight, not UTC midnight', async () => {
    // J04 was reported 2026-11-21 00:30 +08, i.e. 2026-11-20 16:30 UTC: it belongs to the 21st.
    const body = await series(extended, { interval: 'day', from: '2026-11-20', to: '2026-11-21' });
    expect(body.buckets.map((b) => [b.bucket, b.kpis.reported])).toEqual([['2026-11-20', 0], ['2026-11-21', 1]]);
  });

  it('starts weeks on Monday and clips the first and last week to the period', async () => {
    // 2026-11-01 is a Sunday: its week began on Monday 10-26. 11-30 is a Monday: a one-day last week.
    const body = await series(base, { interval: 'week', from: '2026-11-01', to: '2026-11-30' });
    expect(body.buckets.map((b) => b.bucket)).toEqual(['2026-10-26', '2026-11-02', '2026-11-09', '2026-11-16', '2026-11-23', '2026-11-30']);
    expect(body.buckets[0]).toMatchObject({ from: '2026-11-01', to: '2026-11-01' });
    expect(body.buckets[5]).toMatchObject({ from: '2026-11-30', to: '2026-11-30' });
    // Week of 11-02: I01–I04 reported; due I01 I02 I03 (11-03/11-04) and I04 (11-06); closed I01 I03.
    expect(body.buckets[1].kpis).toMatchObject({ reported: 4, due: 4, closed: 2, overdue: 2 });
  });

  it('covers the scope’s data range when no period is given', async () => {
    // District data: from I08 (reported 09-01) to I06's deadline (11-10); I07 is outside.
    const body = await series(base, { interval: 'month' });
    expect(body.period).toEqual({ from: null, to: null });
    expect(body.buckets.map((b) => [b.bucket, b.from, b.to, b.kpis.reported])).toEqual([
      ['2026-09-01', '2026-09-01', '2026-09-30', 1],
      ['2026-10-01', '2026-10-01', '2026-10-31', 1],
      ['2026-11-01', '2026-11-01', '2026-11-10', 5],
    ]);
  });

  it('stops a to-date series at now', async () => {
    // J03's deadline (11-27) is after now (11-25 12:00): the last day bucket is 11-25 and J03 is not due.
    const body = await series(extended, { interval: 'day', scope: 'street:530111003' });
    const last = body.buckets.at(-1)!;
    expect(last).toMatchObject({ bucket: '2026-11-25', to: '2026-11-25' });
    expect(body.buckets.reduce((s, b) => s + b.kpis.due, 0)).toBe(0);
  });

  it('returns no buckets for a scope without issues', async () => {
    // 关上社区 has no issue in the fixture city.
    const body = await series(base, { interval: 'day', scope: 'community:530111001001' });
    expect(body.buckets).toEqual([]);
  });

  it('refuses more than 400 buckets, naming the interval', async () => {
    const err = await errorOf(base.app, '/api/stats/timeseries?interval=day&from=2025-01-01&to=2026-11-30');
    expect(err).toEqual({ status: 400, code: 'invalid_parameter', parameters: ['interval'] });
    // The same span by month is fine.
    await series(base, { interval: 'month', from: '2025-01-01', to: '2026-11-30' });
  });
});
