/**
 * GET /api/sites on the fixture city (now = 2026-11-25 12:00 +08). The three sites and the issues
 * inside their zones:
 *   S1 双桥村综合农贸市场 (market, point + 100 m): I01 (closed on time), I02 (dispatched, overdue since 11-03).
 *   S2 和平巷 (back alley, line + 20 m): I03 (closed late, reworked).
 *   S3 和平路社区老旧小区 (residential polygon): I04 (handled, overdue since 11-06).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cityApp, type TestApp } from '../../helpers/app.ts';
import { badParameters, byId, getOk, type Collection, type Kpi } from './http.ts';

type SiteProps = Kpi & {
  id: string; type: string; typeName: string; name: string; unit: string; grid: string; community: string; street: string;
  openCount: number; status: 'ok' | 'open' | 'overdue'; zone?: { type: string; coordinates: number[][][] };
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

  it('gives the KPIs of the issues in each zone, with open count and marker status', async () => {
    const s = byId(await sites());
    expect(s.get('S1')).toMatchObject({ reported: 2, due: 2, closed: 1, closedOnTime: 1, overdue: 1, openCount: 1, status: 'overdue' });
    expect(s.get('S2')).toMatchObject({ reported: 1, due: 1, closed: 1, rework: 1, overdue: 0, openCount: 0, status: 'ok' });
    expect(s.get('S3')).toMatchObject({ reported: 1, due: 1, closed: 0, overdue: 1, openCount: 1, status: 'overdue' });
  });

  it('marks a site open when an issue is open but nothing is overdue in the period', async () => {
    // 11-05 alone: I04 was reported that day, its deadline (11-06 15:30) lies outside the period.
    const s = byId(await sites('from=2026-11-05&to=2026-11-05'));
    expect(s.get('S3')).toMatchObject({ reported: 1, due: 0, overdue: 0, openCount: 1, status: 'open', closureRate: null });
    expect(s.get('S1')).toMatchObject({ reported: 0, openCount: 0, status: 'ok' });
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
