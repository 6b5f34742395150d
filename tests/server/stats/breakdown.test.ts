/**
 * GET /api/stats/breakdown: rows per category, region, grid, site, site type, source, status, hour
 * and weekday, with names. Issue timeline in summary.test.ts; extra sites and issues in city.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cityApp, type TestApp } from '../../helpers/app.ts';
import { extendedCityApp, ok, statsClient } from './city.ts';

let base: TestApp;
let extended: TestApp;
beforeAll(async () => {
  [base, extended] = await Promise.all([cityApp(), extendedCityApp()]);
});
afterAll(async () => Promise.all([base.cleanup(), extended.cleanup()]));

type Query = Parameters<ReturnType<typeof statsClient>['breakdown']['$get']>[0]['query'];
const breakdown = (t: TestApp, query: Query) => ok(statsClient(t.app).breakdown.$get({ query }));
/** [key, name, reported] of each row, in order. */
const rows = async (t: TestApp, query: Query) => (await breakdown(t, query)).rows.map((r) => [r.key, r.name, r.kpis.reported]);

describe('GET /api/stats/breakdown', () => {
  it('breaks down by 小类, sorted by reported, then due, then code', async () => {
    // 0101: I02 I06 (2 due); 0201: I01 I05 (2 due); 0202: I04 I08 (1 due, I08 deferred); 0102: I03.
    expect(await rows(base, { by: 'category' })).toEqual([
      ['0101', '暴露垃圾', 2], ['0201', '占道经营', 2], ['0202', '机动车乱停', 2], ['0102', '乱张贴小广告', 1],
    ]);
  });

  it('breaks down by 大类 with level=1', async () => {
    // 02 街面秩序: I01 I04 I05 I08; 01 市容环境: I02 I03 I06.
    const body = await breakdown(base, { by: 'category', level: '1' });
    expect(body.categoryLevel).toBe(1);
    expect(body.rows.map((r) => [r.key, r.name, r.kpis.reported])).toEqual([['02', '街面秩序', 4], ['01', '市容环境', 3]]);
  });

  it('breaks down by street and community, with density from the unit’s area', async () => {
    expect(await rows(base, { by: 'street' })).toEqual([['530111002', '太和街道', 4], ['530111001', '关上街道', 3]]);
    // 关上社区 has no issue and no row; 双桥 I01 I02 I05; 和平路 I03 I04; 金太 I06 I08 (和平路 first: 2 due vs 1).
    const communities = await breakdown(base, { by: 'community' });
    expect(communities.rows.map((r) => [r.name, r.kpis.reported])).toEqual([['双桥社区', 3], ['和平路社区', 2], ['金太社区', 2]]);
    // 3 issues over 双桥社区's 0.05° × 0.05° ≈ 28.02 km².
    expect(communities.rows[0].kpis.density).toBeCloseTo(3 / 28.02, 2);
  });

  it('shows issues outside every grid as a null key named 网格外', async () => {
    // Extended city: I07 and J03 lie in 测试街道 / 无网格社区, which has no grid.
    const grids = await rows(extended, { by: 'grid' });
    expect(grids).toContainEqual([null, '网格外', 2]);
    expect(await rows(extended, { by: 'community', scope: 'street:530111003' })).toEqual([['530111003001', '无网格社区', 2]]);
  });

  it('names sources and statuses in Chinese', async () => {
    expect(await rows(base, { by: 'source' })).toEqual([['patrol', '网格员巡查', 7]]);
    // closed I01 I03 I05; then one each: deferred I08 (0 due), dispatched I02, handled I04, reported I06 (1 due each).
    expect(await rows(base, { by: 'status' })).toEqual([
      ['closed', '结案', 3], ['dispatched', '派遣', 1], ['handled', '处置', 1], ['reported', '上报', 1], ['deferred', '缓办', 1],
    ]);
  });

  it('breaks down by Shanghai hour of report, every hour in order', async () => {
    // Local report hours: I01 9, I02 10, I03 8, I04 15, I05 9, I06 11, I08 9 (in UTC they would be 1, 2, 0, 7, 1, 3, 1).
    const body = await breakdown(base, { by: 'hour' });
    expect(body.rows.map((r) => r.key)).toEqual(Array.from({ length: 24 }, (_, h) => String(h)));
    const nonZero = body.rows.filter((r) => r.kpis.reported > 0).map((r) => [r.name, r.kpis.reported]);
    expect(nonZero).toEqual([['8时', 1], ['9时', 3], ['10时', 1], ['11时', 1], ['15时', 1]]);
  });

  it('breaks down by Shanghai weekday, Monday first', async () => {
    // 11-02 Mon (I01); Tue: I02 11-03, I05 10-20, I06 11-10, I08 09-01; Wed I03; Thu I04.
    expect(await rows(base, { by: 'weekday' })).toEqual([
      ['1', '周一', 1], ['2', '周二', 4], ['3', '周三', 1], ['4', '周四', 1], ['5', '周五', 0], ['6', '周六', 0], ['7', '周日', 0],
    ]);
  });

  it('counts an issue in two sites for both, and says so', async () => {
    // Extended city: I01 and I02 lie in S1 (market), S4 (park) and S5 (market).
    const body = await breakdown(extended, { by: 'site', from: '2026-11-01', to: '2026-11-30' });
    expect(body.overlapping).toBe(true);
    const bySite = Object.fromEntries(body.rows.map((r) => [r.key ?? 'none', r.kpis.reported]));
    // November: I01 I02 in S1 S4 S5; I03 in S2; I04 in S3; at no site: I06 I07 J02 J03 J04.
    expect(bySite).toEqual({ S1: 2, S4: 2, S5: 2, S2: 1, S3: 1, none: 5 });
    expect(body.rows.find((r) => r.key === null)?.name).toBe('点位外');
    // 9 issues reported in November, though the rows sum to 13.
    expect(body.total.reported).toBe(9);
  });

  it('counts an issue once per site type even in two sites of that type', async () => {
    // I01 and I02 are in two markets (S1, S5) and one park (S4).
    const body = await breakdown(extended, { by: 'siteType', from: '2026-11-01', to: '2026-11-30' });
    const byType = Object.fromEntries(body.rows.map((r) => [r.key ?? 'none', r.kpis.reported]));
    expect(byType).toEqual({ market: 2, park: 2, back_alley: 1, residential: 1, none: 5 });
    expect(body.rows.find((r) => r.key === 'market')?.name).toBe('农贸市场');
  });

  it('keeps site rows to the siteType filter', async () => {
    const body = await breakdown(extended, { by: 'site', siteType: 'market' });
    expect(body.rows.map((r) => [r.key, r.kpis.reported])).toEqual([['S1', 2], ['S5', 2]]);
    expect(body.total.reported).toBe(2);
  });
});
