/**
 * GET /api/sites on the fixture city (now = 2026-11-25 12:00 +08). The three sites and the issues
 * inside their zones:
 *   S1 双桥村综合农贸市场 (market, point + 100 m): I01 (closed on time), I02 (dispatched, overdue since 11-03).
 *   S2 和平巷 (back alley, line + 20 m): I03 (closed late, reworked).
 *   S3 和平路社区老旧小区 (residential polygon): I04 (handled, overdue since 11-06).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { siteStatus, type SiteStatusRule } from '../../../server/domain/site-status.ts';
import { loadSiteStatusRule } from '../../../server/kpi/site-status-config.ts';
import { cityApp, type TestApp } from '../../helpers/app.ts';
import { badParameters, byId, getOk, type Collection, type Kpi } from './http.ts';

type SiteProps = Kpi & {
  id: string; type: string; typeName: string; name: string; unit: string; grid: string; community: string; street: string;
  openCount: number; longOverdue: number; longOverdueDays: number; status: 'green' | 'amber' | 'red'; zone?: { type: string; coordinates: number[][][] };
};

let t: TestApp;
beforeAll(async () => {
  t = await cityApp();
});
afterAll(async () => t.cleanup());

const sites = (query = '') => getOk<Collection<SiteProps>>(t.app, `/api/sites?${query}`);

describe('GET /api/sites', () => {
  it('lists every site with its attributes and geometry, by type order', async () => {
    const fc = await sites();
    expect(fc.features.map((f) => f.id)).toEqual(['S1', 'S2', 'S3']);
    expect(fc.features[0].properties).toMatchObject({
      id: 'S1', type: 'market', typeName: '农贸市场', name: '双桥村综合农贸市场', unit: '关上街道办事处',
      grid: '530111001002001', community: '530111001002', street: '530111001',
    });
    expect(fc.features[0].geometry).toEqual({ type: 'Point', coordinates: [102.72, 24.97] });
    expect(fc.features[1].geometry?.type).toBe('LineString');
    expect(fc.features[0].properties.zone).toBeUndefined();
  });

  it('gives the KPIs of the issues in each zone, with open and long-overdue counts', async () => {
    const s = byId(await sites());
    // I02 is 22 days and I04 19 days past their deadlines: both more than the default 7.
    expect(s.get('S1')).toMatchObject({ reported: 2, due: 2, closed: 1, closedOnTime: 1, overdue: 1, openCount: 1, longOverdue: 1, longOverdueDays: 7 });
    expect(s.get('S2')).toMatchObject({ reported: 1, due: 1, closed: 1, rework: 1, overdue: 0, openCount: 0, longOverdue: 0 });
    expect(s.get('S3')).toMatchObject({ reported: 1, due: 1, closed: 0, overdue: 1, openCount: 1, longOverdue: 1 });
  });

  it('counts open issues reported in the period even when nothing is due in it', async () => {
    // 11-05 alone: I04 was reported that day, its deadline (11-06 15:30) lies outside the period.
    const s = byId(await sites('from=2026-11-05&to=2026-11-05'));
    expect(s.get('S3')).toMatchObject({ reported: 1, due: 0, overdue: 0, longOverdue: 0, openCount: 1, status: 'green', closureRate: null });
    expect(s.get('S1')).toMatchObject({ reported: 0, openCount: 0, status: 'green' });
  });

  it('adds zones on request', async () => {
    const s = byId(await sites('zones=1'));
    // S3 is a polygon with no buffer: its zone is the polygon itself.
    expect(s.get('S3')!.zone).toEqual({ type: 'Polygon', coordinates: [[[102.77, 24.91], [102.78, 24.91], [102.78, 24.92], [102.77, 24.92], [102.77, 24.91]]] });
    // S1's zone is a 100 m circle: its northernmost vertex is 100 m (≈ 0.0009°) north of the point.
    const ring = s.get('S1')!.zone!.coordinates[0];
    expect(Math.max(...ring.map((p) => p[1])) - 24.97).toBeCloseTo(0.0009, 4);
  });

  it('filters by type and by scope', async () => {
    expect((await sites('type=market')).features.map((f) => f.id)).toEqual(['S1']);
    expect((await sites('type=back_alley,residential')).features.map((f) => f.id)).toEqual(['S2', 'S3']);
    expect((await sites('scope=street:530111002')).features.map((f) => f.id)).toEqual(['S2', 'S3']);
    expect((await sites('scope=grid:530111001002001')).features.map((f) => f.id)).toEqual(['S1']);
    expect((await sites('scope=site:S2')).features.map((f) => f.id)).toEqual(['S2']);
  });

  it('applies the issue filters to the zone KPIs', async () => {
    // Category 0101 (暴露垃圾) in S1's zone is I02 only.
    expect(byId(await sites('category=0101')).get('S1')).toMatchObject({ reported: 1, overdue: 1, openCount: 1 });
  });

  it('names bad parameters', async () => {
    expect(await badParameters(t.app, '/api/sites?type=castle')).toEqual(['type']);
    expect(await badParameters(t.app, '/api/sites?type=a-b')).toEqual(['type']);
    expect(await badParameters(t.app, '/api/sites?scope=site:S9')).toEqual(['scope']);
    expect(await badParameters(t.app, '/api/sites?zones=yes')).toEqual(['zones']);
  });
});

describe('key-site status', () => {
  const defaults = loadSiteStatusRule();
  afterEach(() => {
    t.deps.siteStatus = defaults;
  });

  /** Every site's `status` against the kernel's rule applied to the figures the answer carries. */
  async function expectRuleApplied(query = '') {
    const fc = await sites(query);
    for (const f of fc.features) {
      const p = f.properties;
      expect(p.status, p.id).toBe(siteStatus({ reported: p.reported, overdue: p.overdue, longOverdue: p.longOverdue }, t.deps.siteStatus));
    }
    return byId(fc);
  }

  it('is green everywhere in the fixture city under the defaults: one overdue issue is a slip, not a backlog', async () => {
    const s = await expectRuleApplied();
    expect([...s.values()].map((p) => p.status)).toEqual(['green', 'green', 'green']);
  });

  it('equals the rule under stricter thresholds, red and amber included', async () => {
    const strict: SiteStatusRule = { longOverdueDays: 20, red: { longOverdue: 1, share: 0.5 }, amber: { overdue: 1, share: 0.5 } };
    t.deps.siteStatus = strict;
    const s = await expectRuleApplied();
    // S1: I02 22 days past its deadline (> 20), 1 overdue of 2 reported = 50 %: red.
    expect(s.get('S1')).toMatchObject({ longOverdue: 1, longOverdueDays: 20, status: 'red' });
    // S3: I04 19 days past (not > 20): amber on its one overdue issue of one reported.
    expect(s.get('S3')).toMatchObject({ overdue: 1, longOverdue: 0, status: 'amber' });
    expect(s.get('S2')!.status).toBe('green');
    await expectRuleApplied('from=2026-11-01&to=2026-11-30');
    await expectRuleApplied('category=0101');
  });
});
