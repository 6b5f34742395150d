/**
 * GET /api/regions with KPIs, on the fixture city (now = 2026-11-25 12:00 +08, "to date" unless a
 * period is given). Where each fixture issue lies (assigned at import):
 *   关上街道 530111001 — 双桥社区 530111001002: I01 (closed on time, immediate, 0.83 h), I02 (open, deadline
 *     11-03 passed → overdue), I05 (closed on time, 22.92 h). 关上社区 530111001001 has none.
 *   太和街道 530111002 — 和平路社区 530111002001: I03 (closed late, 1 rework, 51.5 h), I04 (open, overdue);
 *     金太社区 530111002002: I06 (open, overdue; it lies on the street boundary lon 102.75 and goes east),
 *     I08 (deferred: reported but never due).
 *   I07 lies outside every region (lon 102.85) and is in no region's numbers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../server/app.ts';
import { cityApp, type TestApp } from '../../helpers/app.ts';
import { freshDb } from '../../helpers/db.ts';
import { badParameters, byId, countsOf, getOk, sumCounts, type Collection, type Kpi } from './http.ts';

type RegionProps = Kpi & { code: string; name: string; level: string; parent: string | null; areaKm2: number; grids: number };

let t: TestApp;
beforeAll(async () => {
  t = await cityApp();
});
afterAll(async () => t.cleanup());

const regions = (query: string) => getOk<Collection<RegionProps>>(t.app, `/api/regions?${query}`);

describe('GET /api/regions KPIs', () => {
  it('gives each street its KPIs, to date', async () => {
    const streets = byId(await regions('level=street'));
    // 关上: I01 I02 I05 reported and due; I01 I05 closed on time; I02 overdue; median of 0.83 h and 22.92 h = 11.9 h.
    expect(streets.get('530111001')).toMatchObject({
      reported: 3, immediate: 1, due: 3, closed: 2, closedOnTime: 2, overdue: 1, rework: 0,
      closureRate: 0.6667, onTimeRate: 0.6667, immediateRate: 0.3333, reworkRate: 0, medianHours: 11.9, grids: 4,
    });
    // 太和: I03 I04 I06 I08 reported; I08 deferred so 3 due; only I03 closed (late, reworked).
    expect(streets.get('530111002')).toMatchObject({
      reported: 4, immediate: 0, due: 3, closed: 1, closedOnTime: 0, overdue: 2, rework: 1,
      closureRate: 0.3333, onTimeRate: 0, immediateRate: 0, reworkRate: 1, medianHours: 51.5, grids: 4,
    });
  });

  it('gives each community its KPIs, and zero counts with null rates to one without issues', async () => {
    const communities = byId(await regions('level=community'));
    expect(communities.get('530111001001')).toMatchObject({
      reported: 0, due: 0, closed: 0, overdue: 0, closureRate: null, onTimeRate: null, immediateRate: null, reworkRate: null,
      medianHours: null, score: null, density: 0,
    });
    expect(communities.get('530111001002')).toMatchObject({ reported: 3, due: 3, closed: 2, closedOnTime: 2, overdue: 1 });
    expect(communities.get('530111002001')).toMatchObject({ reported: 2, due: 2, closed: 1, closedOnTime: 0, overdue: 1, rework: 1 });
    // 金太: I06 due and overdue, I08 deferred; nothing closed, so the rework rate has no denominator.
    expect(communities.get('530111002002')).toMatchObject({ reported: 2, due: 1, closed: 0, overdue: 1, closureRate: 0, reworkRate: null });
  });

  it('sums over streets to the district and to the stats summary', async () => {
    const streets = (await regions('level=street&geometry=0')).features.map((f) => f.properties);
    const [district] = (await regions('level=district&geometry=0')).features.map((f) => f.properties);
    const summary = await getOk<{ kpis: Kpi }>(t.app, '/api/stats/summary');
    expect(sumCounts(streets)).toEqual(countsOf(district));
    expect(countsOf(district)).toEqual(countsOf(summary.kpis));
    // Hand count: every issue but I07 (outside) is reported; I08 (deferred) is never due.
    expect(countsOf(district)).toEqual({ reported: 7, due: 6, closed: 3, closedOnTime: 2, overdue: 3, rework: 1, immediate: 1 });
  });

  it('sums over a street\'s communities to the street, in a period', async () => {
    const november = 'from=2026-11-01&to=2026-11-30';
    const [street] = (await regions(`level=street&scope=street:530111002&${november}`)).features.map((f) => f.properties);
    const communities = (await regions(`level=community&parent=530111002&${november}`)).features.map((f) => f.properties);
    expect(sumCounts(communities)).toEqual(countsOf(street));
    // November in 太和: I03 I04 I06 reported and due (I08 was reported in September).
    expect(countsOf(street)).toMatchObject({ reported: 3, due: 3, closed: 1, overdue: 2 });
  });

  it('gives null rates when nothing is due in the period', async () => {
    // October: only I05 (关上) was reported and due; 太和 had nothing.
    const streets = byId(await regions('level=street&from=2026-10-01&to=2026-10-31'));
    expect(streets.get('530111001')).toMatchObject({ reported: 1, due: 1, closed: 1, closureRate: 1 });
    expect(streets.get('530111002')).toMatchObject({
      reported: 0, due: 0, closureRate: null, onTimeRate: null, immediateRate: null, reworkRate: null, score: null,
    });
  });

  it('computes density per km² and workload per grid per 30 days', async () => {
    const streets = byId(await regions('level=street&from=2026-11-01&to=2026-11-30'));
    // 关上 in November: I01 I02 over 56.05 km² and 4 grids, in a 30-day period.
    expect(streets.get('530111001')).toMatchObject({ reported: 2, density: 0.04, workload: 0.5 });
  });

  it('applies the issue filters', async () => {
    // Category 01 (市容环境) = 0101 + 0102: I02 (关上), I03 and I06 (太和); I07 is outside.
    const streets = byId(await regions('level=street&category=01'));
    expect(streets.get('530111001')!.reported).toBe(1);
    expect(streets.get('530111002')!.reported).toBe(2);
  });
});

describe('GET /api/regions selection', () => {
  it('lists a street scope\'s communities like parent= does', async () => {
    const scoped = await regions('level=community&scope=street:530111002');
    const parented = await regions('level=community&parent=530111002');
    expect(scoped.features.map((f) => f.id)).toEqual(['530111002001', '530111002002']);
    expect(scoped).toEqual(parented);
  });

  it('lists the scope region itself at its own level', async () => {
    const fc = await regions('level=street&scope=street:530111001');
    expect(fc.features.map((f) => f.id)).toEqual(['530111001']);
  });

  it('lists a district scope\'s communities two levels down', async () => {
    const fc = await regions('level=community&scope=district:530111');
    expect(fc.features).toHaveLength(4);
  });

  it('refuses a level above the scope, naming level', async () => {
    expect(await badParameters(t.app, '/api/regions?level=street&scope=community:530111001001')).toEqual(['level']);
    expect(await badParameters(t.app, '/api/regions?level=community&scope=grid:530111001001001')).toEqual(['level']);
  });

  it('names an unknown scope, a bad date and a bad simplify tolerance', async () => {
    expect(await badParameters(t.app, '/api/regions?level=street&scope=street:999')).toEqual(['scope']);
    expect(await badParameters(t.app, '/api/regions?level=street&from=2026-02-30')).toEqual(['from']);
    expect(await badParameters(t.app, '/api/regions?level=street&simplify=-1')).toEqual(['simplify']);
  });

  it('omits geometry with geometry=0 and keeps it by default', async () => {
    expect((await regions('level=street&geometry=0')).features.every((f) => f.geometry === null)).toBe(true);
    const [guanshang] = (await regions('level=street')).features;
    expect(guanshang.geometry).toEqual({ type: 'Polygon', coordinates: [[[102.7, 24.9], [102.75, 24.9], [102.75, 25], [102.7, 25], [102.7, 24.9]]] });
  });
});

describe('GET /api/regions before any import', () => {
  it('answers an empty collection, as the basemap expects', async () => {
    const { db, cleanup } = await freshDb();
    try {
      const app = createApp({ ...t.deps, db });
      expect(await getOk(app, '/api/regions?level=street')).toEqual({ type: 'FeatureCollection', features: [] });
    } finally {
      await cleanup();
    }
  });
});
