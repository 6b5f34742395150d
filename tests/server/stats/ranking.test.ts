/**
 * GET /api/stats/ranking (红黑榜) on the extended city (city.ts), now = 2026-11-25 12:00 +08.
 * Scores with the default weights: 按期 40, 结案 30, 立行立改 10, no-rework 20, minus 20 × overdue share.
 *
 * November (11-01 … 11-30):
 *   关上: I01 closed on time (immediate), I02 overdue; J04 deferred (reported, never due).
 *         due 2, on time 1, closed 1, immediate 1/3, rework 0/1, overdue 1/2
 *         → 20 + 15 + 3.33 + 20 − 10 = 48.33 → rank 1
 *   太和: I03 closed late with rework, I04 and I06 overdue; J02 cancelled (never due).
 *         due 3, on time 0, closed 1, immediate 0, rework 1/1, overdue 2/3
 *         → 0 + 10 + 0 + 0 − 13.33 < 0 → 0 → rank 2
 *   测试街道: I07 cancelled, J03 not due yet → nothing due → unranked
 * October, the 30 days before (10-02 … 10-31):
 *   关上: I05 closed on time → 40 + 30 + 0 + 20 = 90 → rank 2
 *   太和: J01 closed on time, immediate → 100 → rank 1
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../helpers/app.ts';
import { loadScoring } from '../../../server/kpi/score.ts';
import { FIXTURE_SCORING } from '../../helpers/server-process.ts';
import { extendedCityApp, ok, statsClient } from './city.ts';

let t: TestApp;
let stats: ReturnType<typeof statsClient>;
beforeAll(async () => {
  t = await extendedCityApp();
  stats = statsClient(t.app);
});
afterAll(async () => t.cleanup());

const NOVEMBER = { from: '2026-11-01', to: '2026-11-30' };

describe('the fewest cases due a ranked unit has (minDue)', () => {
  it('leaves unranked a street with fewer cases due than the scoring says, and says the minimum', async () => {
    // 太和 has 3 cases due in November and 关上 2: with minDue 3 only 太和 is ranked, and first.
    const strict = await extendedCityApp({ scoring: { ...loadScoring(FIXTURE_SCORING), minDue: 3 } });
    try {
      const body = await ok(statsClient(strict.app).ranking.$get({ query: { level: 'street', ...NOVEMBER } }));
      expect(body.red.map((e) => [e.name, e.rank])).toEqual([['太和街道', 1]]);
      expect(body).toMatchObject({ ranked: 1, minDue: 3 });
      expect(body.unranked).toBeGreaterThanOrEqual(2);
    } finally {
      await strict.cleanup();
    }
  });
});

describe('GET /api/stats/ranking', () => {
  it('ranks streets by score, best first on the red list and worst first on the black list', async () => {
    const body = await ok(stats.ranking.$get({ query: { level: 'street', ...NOVEMBER } }));
    expect(body.red.map((e) => [e.name, e.rank])).toEqual([['关上街道', 1], ['太和街道', 2]]);
    expect(body.black.map((e) => [e.name, e.rank])).toEqual([['太和街道', 2], ['关上街道', 1]]);
    expect(body.red[0].score).toBeCloseTo(48.33, 1);
    expect(body.red[0].scoreParts).toMatchObject({ onTime: 20, closure: 15, reworkFree: 20, overduePenalty: 10 });
    expect(body.red[1].score).toBe(0);
    expect(body.red[0]).toMatchObject({ code: '530111001', parent: { code: '530111', name: '官渡区' } });
    expect(body.red[0].kpis).toMatchObject({ reported: 3, due: 2, closed: 1, overdue: 1 });
  });

  it('leaves out units with nothing due and counts them', async () => {
    const body = await ok(stats.ranking.$get({ query: { level: 'street', ...NOVEMBER } }));
    expect(body).toMatchObject({ ranked: 2, unranked: 1 });
    expect([...body.red, ...body.black].map((e) => e.code)).not.toContain('530111003');
  });

  it('reports the rank change against the previous month', async () => {
    const body = await ok(stats.ranking.$get({ query: { level: 'street', ...NOVEMBER } }));
    expect(body.previousPeriod).toEqual({ from: '2026-10-01', to: '2026-10-31' });
    // 关上 climbed from 2 to 1, 太和 fell from 1 to 2.
    expect(body.red.map((e) => [e.code, e.rank, e.previousRank, e.rankChange])).toEqual([
      ['530111001', 1, 2, 1],
      ['530111002', 2, 1, -1],
    ]);
  });

  it('has no previous rank without a period', async () => {
    const body = await ok(stats.ranking.$get({ query: { level: 'street' } }));
    expect(body.previousPeriod).toBeNull();
    expect(body.red.every((e) => e.previousRank === null && e.rankChange === null)).toBe(true);
  });

  it('shows each listed unit’s full KPIs, medians included, as its own summary does', async () => {
    // Ranks are computed without medians; the listed units get theirs counted afterwards.
    const body = await ok(stats.ranking.$get({ query: { level: 'street', ...NOVEMBER } }));
    for (const entry of [...body.red, ...body.black]) {
      const summary = await ok(stats.summary.$get({ query: { scope: `street:${entry.code}`, ...NOVEMBER } }));
      expect(entry.kpis, entry.name).toEqual(summary.kpis);
    }
    expect(body.red[0].kpis.medianHours).not.toBeNull();
  });

  it('keeps each list to n units', async () => {
    const body = await ok(stats.ranking.$get({ query: { level: 'street', n: '1', ...NOVEMBER } }));
    expect(body.red.map((e) => e.code)).toEqual(['530111001']);
    expect(body.black.map((e) => e.code)).toEqual(['530111002']);
  });

  it('ranks the communities of a street when scoped to it', async () => {
    // 太和 in November: 和平路 (I03 late with rework, I04 overdue) → 0 + 15 + 0 + 0 − 10 = 5;
    // 金太 (I06 overdue; J02 cancelled) → 0 + 0 + 0 + 20 − 20 = 0.
    const body = await ok(stats.ranking.$get({ query: { level: 'community', scope: 'street:530111002', ...NOVEMBER } }));
    expect(body.scope).toMatchObject({ level: 'street', id: '530111002', name: '太和街道' });
    expect(body.red.map((e) => [e.name, e.score, e.parent?.name])).toEqual([['和平路社区', 5, '太和街道'], ['金太社区', 0, '太和街道']]);
  });

  it('ranks the grids of a community', async () => {
    // 双桥社区 to date. Grid 1 (I01, I02): due 2, on time 1, closed 1, immediate 1/2, rework 0/1, overdue 1 → 20 + 15 + 5 + 20 − 10 = 50.
    // Grid 2: I05 closed on time, not immediate → 40 + 30 + 0 + 20 = 90.
    const body = await ok(stats.ranking.$get({ query: { level: 'grid', scope: 'community:530111001002' } }));
    expect(body.red.map((e) => [e.code, e.score, e.rank])).toEqual([['530111001002002', 90, 1], ['530111001002001', 50, 2]]);
  });
});
