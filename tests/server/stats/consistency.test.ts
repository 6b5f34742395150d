/**
 * Consistency of the statistics: parts add up to wholes under every filter —
 * streets to the district, a street's grids to the street, breakdown rows and totals to the summary,
 * day buckets to the summary. Run on the fixture city and on the extended one (cancelled, deferred,
 * outside-grid and multi-site issues).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cityApp, type TestApp } from '../../helpers/app.ts';
import { additive, extendedCityApp, ok, statsClient, sumKpis } from './city.ts';

type Query = { from?: string; to?: string; category?: string; source?: 'patrol' | 'hotline'; status?: 'closed' };
const FILTERS: Record<string, Query> = {
  'to date': {},
  November: { from: '2026-11-01', to: '2026-11-30' },
  '大类 01, 10-01 – 11-15': { from: '2026-10-01', to: '2026-11-15', category: '01' },
  'patrol, since September': { from: '2026-09-01', to: '2026-11-24', source: 'patrol' },
  'closed only': { status: 'closed' },
};
const PARTITIONS = ['category', 'street', 'community', 'grid', 'source', 'status', 'hour', 'weekday'] as const;

let base: TestApp;
let extended: TestApp;
beforeAll(async () => {
  [base, extended] = await Promise.all([cityApp(), extendedCityApp()]);
});
afterAll(async () => Promise.all([base.cleanup(), extended.cleanup()]));

describe.each(Object.entries(FILTERS))('%s', (_, query) => {
  it('the streets add up to the district, and each street’s grids to the street', async () => {
    // Fixture city only: its grids tile every street (the extended city has a street without grids).
    const stats = statsClient(base.app);
    const district = await ok(stats.summary.$get({ query }));
    const streets = ['530111001', '530111002'];
    const streetKpis = await Promise.all(streets.map(async (s) => (await ok(stats.summary.$get({ query: { ...query, scope: `street:${s}` } }))).kpis));
    expect(sumKpis(streetKpis)).toEqual(additive(district.kpis));
    const grids: Record<string, string[]> = {
      '530111001': ['530111001001001', '530111001001002', '530111001002001', '530111001002002'],
      '530111002': ['530111002001001', '530111002001002', '530111002002001', '530111002002002'],
    };
    for (const [i, street] of streets.entries()) {
      const parts = await Promise.all(grids[street].map(async (g) => (await ok(stats.summary.$get({ query: { ...query, scope: `grid:${g}` } }))).kpis));
      expect(sumKpis(parts)).toEqual(additive(streetKpis[i]));
    }
  });

  it.each(PARTITIONS)('breakdown by %s: rows add up to the total, and the total is the summary', async (by) => {
    for (const t of [base, extended]) {
      const stats = statsClient(t.app);
      const [summary, breakdown] = await Promise.all([ok(stats.summary.$get({ query })), ok(stats.breakdown.$get({ query: { ...query, by } }))]);
      expect(breakdown.overlapping).toBe(false);
      expect(breakdown.total).toEqual(summary.kpis);
      expect(sumKpis(breakdown.rows.map((r) => r.kpis))).toEqual(additive(summary.kpis));
    }
  });

  it.each(['site', 'siteType'] as const)('breakdown by %s: the total is the summary, rows may overlap', async (by) => {
    for (const t of [base, extended]) {
      const stats = statsClient(t.app);
      const [summary, breakdown] = await Promise.all([ok(stats.summary.$get({ query })), ok(stats.breakdown.$get({ query: { ...query, by } }))]);
      expect(breakdown.overlapping).toBe(true);
      expect(breakdown.total).toEqual(summary.kpis);
      expect(sumKpis(breakdown.rows.map((r) => r.kpis)).reported).toBeGreaterThanOrEqual(summary.kpis.reported);
    }
  });

  it.each(['day', 'week', 'month'] as const)('%s buckets add up to the summary', async (interval) => {
    for (const t of [base, extended]) {
      const stats = statsClient(t.app);
      const [summary, series] = await Promise.all([ok(stats.summary.$get({ query })), ok(stats.timeseries.$get({ query: { ...query, interval } }))]);
      expect(sumKpis(series.buckets.map((b) => b.kpis))).toEqual(additive(summary.kpis));
    }
  });
});
