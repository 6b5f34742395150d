/**
 * GET /api/grids on the fixture city (now = 2026-11-25 12:00 +08). Grids and their issues:
 *   关上社区第1/2网格 (…001001001/2): none.  双桥社区第1网格 (…001002001): I01 (closed on time, immediate),
 *   I02 (overdue).  双桥社区第2网格 (…001002002): I05 (closed on time, in October).
 *   和平路社区第1网格 (…002001001): I03 (closed late, reworked).  和平路社区第2网格 (…002001002): I04 (overdue).
 *   金太社区第1网格 (…002002001): I06 (overdue).  金太社区第2网格 (…002002002): I08 (deferred, never due).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cityApp, type TestApp } from '../../helpers/app.ts';
import { badParameters, byId, countsOf, getOk, sumCounts, type Collection, type Kpi } from './http.ts';

type GridProps = Kpi & { code: string; name: string; community: string; street: string; inspector: string; households: number; areaKm2: number };

let t: TestApp;
beforeAll(async () => {
  t = await cityApp();
});
afterAll(async () => t.cleanup());

const grids = (query = '') => getOk<Collection<GridProps> & { plan: number }>(t.app, `/api/grids?${query}`);

describe('GET /api/grids', () => {
  it('lists the published plan\'s grids in the district with their attributes', async () => {
    const fc = await grids();
    expect(fc.plan).toBe(1);
    expect(fc.features).toHaveLength(8);
    const first = fc.features[0];
    expect(first.properties).toMatchObject({
      code: '530111001001001', name: '关上社区第1网格', community: '530111001001', street: '530111001', inspector: '张伟', households: 300,
    });
    // 0.025° × 0.05° at 24.9–24.95°N ≈ 2.52 km × 5.56 km.
    expect(first.properties.areaKm2).toBeCloseTo(14.016, 2);
    expect(first.geometry).toEqual({ type: 'Polygon', coordinates: [[[102.7, 24.9], [102.725, 24.9], [102.725, 24.95], [102.7, 24.95], [102.7, 24.9]]] });
  });

  it('gives each grid its KPIs', async () => {
    const g = byId(await grids());
    expect(g.get('530111001002001')).toMatchObject({ reported: 2, immediate: 1, due: 2, closed: 1, closedOnTime: 1, overdue: 1, closureRate: 0.5, immediateRate: 0.5 });
    expect(g.get('530111002001001')).toMatchObject({ reported: 1, due: 1, closed: 1, closedOnTime: 0, rework: 1, onTimeRate: 0, reworkRate: 1, medianHours: 51.5 });
  });

  it('gives null rates to a grid with nothing due', async () => {
    const g = byId(await grids());
    // I08 is deferred: reported (so the immediate rate is 0 of 1) but never due.
    expect(g.get('530111002002002')).toMatchObject({ reported: 1, due: 0, closureRate: null, onTimeRate: null, reworkRate: null, immediateRate: 0, score: null });
    expect(g.get('530111001001001')).toMatchObject({ reported: 0, due: 0, closureRate: null, immediateRate: null, score: null, density: 0 });
  });

  it('sums over a street\'s grids to the street', async () => {
    for (const street of ['530111001', '530111002']) {
      const fc = await grids(`scope=street:${street}&geometry=0`);
      expect(fc.features).toHaveLength(4);
      expect(fc.features.every((f) => f.properties.street === street)).toBe(true);
      const summary = await getOk<{ kpis: Kpi }>(t.app, `/api/stats/summary?scope=street:${street}`);
      expect(sumCounts(fc.features.map((f) => f.properties))).toEqual(countsOf(summary.kpis));
    }
  });

  it('sums over all grids to the district\'s 7 reported issues', async () => {
    expect(sumCounts((await grids()).features.map((f) => f.properties)).reported).toBe(7);
  });

  it('computes workload as issues per grid per 30 days over a closed period', async () => {
    const g = byId(await grids('from=2026-11-01&to=2026-11-30'));
    // 30-day period: workload = reported. 双桥1 had I01 and I02 in November.
    expect(g.get('530111001002001')).toMatchObject({ reported: 2, workload: 2 });
    // Over 60 days (Oct–Nov) 双桥2's one issue (I05, 10-20) is half an issue per 30 days.
    const twoMonths = byId(await grids('from=2026-10-01&to=2026-11-29'));
    expect(twoMonths.get('530111001002002')).toMatchObject({ reported: 1, workload: 0.5 });
  });

  it('narrows to a community and to one grid', async () => {
    expect((await grids('scope=community:530111002002')).features.map((f) => f.id)).toEqual(['530111002002001', '530111002002002']);
    const one = await grids('scope=grid:530111002001002');
    expect(one.features.map((f) => f.id)).toEqual(['530111002001002']);
    expect(one.features[0].properties).toMatchObject({ reported: 1, overdue: 1 });
  });

  it('keeps every grid for a site scope and counts only that site\'s issues', async () => {
    const g = byId(await grids('scope=site:S1&geometry=0'));
    expect(g.size).toBe(8);
    expect(g.get('530111001002001')!.reported).toBe(2);
    expect(sumCounts([...g.values()]).reported).toBe(2);
  });

  it('names bad parameters', async () => {
    expect(await badParameters(t.app, '/api/grids?plan=99')).toEqual(['plan']);
    expect(await badParameters(t.app, '/api/grids?category=9999')).toEqual(['category']);
    expect(await badParameters(t.app, '/api/grids?status=lost')).toEqual(['status']);
    expect(await badParameters(t.app, '/api/grids?geometry=maybe')).toEqual(['geometry']);
  });
});
