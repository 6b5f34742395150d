/**
 * The city level end to end: a city's KPIs are its districts' summed (rates recomputed from the
 * sums), in SQL and in the KPI engine, for every period and several filters; districts are ranked,
 * broken down and listed like streets; the city is the default scope and the top of /api/meta.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../server/app.ts';
import { scoredRates, type KpiCounts, type Kpis } from '../../../server/kpi/definitions.ts';
import { KpiEngine } from '../../../server/kpi/fast/engine.ts';
import type { TestApp } from '../../helpers/app.ts';
import { additive, errorOf, sumKpis } from '../stats/city.ts';
import { CITY_CODE, FIRST, SECOND, twoDistrictApp } from './two-districts.ts';

let t: TestApp;
let engine: KpiEngine;

beforeAll(async () => {
  t = await twoDistrictApp();
  engine = new KpiEngine(t.db);
  engine.start();
  expect(await engine.ready()).toMatchObject({ state: 'ready' });
}, 120_000);
afterAll(async () => {
  await engine?.close();
  await t?.cleanup();
});

const paths: [string, () => TestApp['app']][] = [
  ['SQL', () => t.app],
  ['KPI engine', () => createApp({ ...t.deps, engine })],
];

async function get<T>(app: TestApp['app'], url: string): Promise<T> {
  const res = await app.request(url);
  const body = await res.json();
  expect(res.status, `${url}: ${JSON.stringify(body)}`).toBe(200);
  return body as T;
}

type Summary = { scope: { level: string; id: string; name: string }; kpis: Kpis; previous: { kpis: Kpis } | null; lastYear: { kpis: Kpis } | null };

const PERIODS = ['', 'from=2026-11-01&to=2026-11-30', 'from=2026-10-01&to=2026-10-31', 'from=2026-11-02&to=2026-11-08', 'from=2026-10-15'];
const FILTERS = ['', 'category=02', 'source=patrol', 'status=closed,deferred', 'siteType=market'];

/** The counts behind a KPI record, for recomputing its rates. */
const countsOf = (k: Kpis): KpiCounts => ({
  reported: k.reported, due: k.due, closed: k.closed, closed_on_time: k.closedOnTime, immediate: k.immediate,
  overdue: k.overdue, rework: k.rework, median_hours: null, mean_hours: null,
}) as KpiCounts;

describe.each(paths)('the city level (%s)', (_, app) => {
  it('answers for the city by default, and names it', async () => {
    const body = await get<Summary>(app(), '/api/stats/summary');
    expect(body.scope).toEqual({ level: 'city', id: CITY_CODE, name: '昆明市' });
  });

  it('counts for the city the sum of its districts, with rates recomputed from the sums, for every period and filter', async () => {
    let differ = 0;
    for (const period of PERIODS) {
      for (const filter of FILTERS) {
        const query = [period, filter].filter(Boolean).join('&');
        const of = (scope: string) => get<Summary>(app(), `/api/stats/summary?scope=${scope}&${query}`);
        const [city, first, second] = await Promise.all([of(`city:${CITY_CODE}`), of(`district:${FIRST}`), of(`district:${SECOND}`)]);
        const label = query || 'to date';
        for (const pick of [(s: Summary) => s.kpis, (s: Summary) => s.previous?.kpis, (s: Summary) => s.lastYear?.kpis]) {
          const [c, a, b] = [pick(city), pick(first), pick(second)];
          if (!c || !a || !b) continue;
          expect(additive(c), label).toEqual(sumKpis([a, b]));
          const recomputed = scoredRates(countsOf(c), t.deps.scoring);
          for (const rate of ['closureRate', 'onTimeRate', 'immediateRate', 'reworkRate'] as const) {
            expect(c[rate], `${label} ${rate}`).toBe(recomputed[rate]);
          }
          if (a.onTimeRate !== null && b.onTimeRate !== null && a.onTimeRate !== b.onTimeRate && c.onTimeRate !== (a.onTimeRate + b.onTimeRate) / 2) differ++;
        }
      }
    }
    // Somewhere the districts' rates differ and the city's is not their average.
    expect(differ).toBeGreaterThan(0);
  });

  it('sums the districts of a time series bucket by bucket', async () => {
    type Series = { buckets: { bucket: string; kpis: Kpis }[] };
    const of = (scope: string) => get<Series>(app(), `/api/stats/timeseries?scope=${scope}&from=2026-09-01&to=2026-11-30&interval=month`);
    const [city, first, second] = await Promise.all([of(`city:${CITY_CODE}`), of(`district:${FIRST}`), of(`district:${SECOND}`)]);
    expect(city.buckets.map((b) => b.bucket)).toEqual(['2026-09-01', '2026-10-01', '2026-11-01']);
    city.buckets.forEach((b, i) => expect(additive(b.kpis), b.bucket).toEqual(sumKpis([first.buckets[i].kpis, second.buckets[i].kpis])));
  });

  it('ranks the districts on the 红黑榜, with their rank change', async () => {
    type Entry = { code: string; name: string; parent: { code: string; name: string } | null; rank: number; previousRank: number | null; rankChange: number | null; kpis: Kpis };
    const body = await get<{ scope: { level: string }; level: string; ranked: number; red: Entry[]; black: Entry[] }>(
      app(), `/api/stats/ranking?level=district&n=5&from=2026-11-01&to=2026-11-30`,
    );
    expect(body).toMatchObject({ scope: { level: 'city' }, level: 'district', ranked: 2 });
    expect(body.red.map((e) => e.code).sort()).toEqual([FIRST, SECOND]);
    expect(body.red.map((e) => e.rank)).toEqual([1, 2]);
    for (const e of body.red) {
      expect(e.parent).toEqual({ code: CITY_CODE, name: '昆明市' });
      expect(e.previousRank).not.toBeNull();
      expect(e.rankChange).toBe(e.previousRank! - e.rank);
      const own = await get<Summary>(app(), `/api/stats/summary?scope=district:${e.code}&from=2026-11-01&to=2026-11-30`);
      expect(e.kpis.score).toBe(own.kpis.score);
    }
    expect(body.red.map((e) => e.name)).toContain('测试区');
  });

  it('counts for the city and for each district the sum of their grids\' (with the issues outside every grid)', async () => {
    type Breakdown = { rows: { key: string | null; kpis: Kpis }[] };
    for (const scope of [`city:${CITY_CODE}`, `district:${FIRST}`, `district:${SECOND}`]) {
      for (const period of ['', 'from=2026-11-01&to=2026-11-30', 'from=2026-10-01&to=2026-10-31&source=patrol']) {
        const summary = await get<Summary>(app(), `/api/stats/summary?scope=${scope}&${period}`);
        const grids = await get<Breakdown>(app(), `/api/stats/breakdown?by=grid&scope=${scope}&${period}`);
        expect(sumKpis(grids.rows.map((r) => r.kpis)), `${scope} ${period}`).toEqual(additive(summary.kpis));
      }
    }
  });

  it('breaks the city down by district, rows adding up to the total', async () => {
    type Breakdown = { rows: { key: string | null; name: string; kpis: Kpis }[]; total: Kpis };
    const body = await get<Breakdown>(app(), `/api/stats/breakdown?by=district&from=2026-10-01&to=2026-11-30`);
    expect(body.rows.map((r) => r.name).sort()).toEqual(['官渡区', '测试区']);
    expect(sumKpis(body.rows.map((r) => r.kpis))).toEqual(additive(body.total));
  });

  it('lists districts as regions with their KPIs, and the city as one', async () => {
    type Regions = { features: { properties: Kpis & { code: string; parent: string | null; grids: number } }[] };
    const districts = await get<Regions>(app(), '/api/regions?level=district&geometry=0&from=2026-11-01&to=2026-11-30');
    expect(districts.features.map((f) => [f.properties.code, f.properties.parent])).toEqual([[FIRST, CITY_CODE], [SECOND, CITY_CODE]]);
    const city = await get<Regions>(app(), '/api/regions?level=city&geometry=0&from=2026-11-01&to=2026-11-30');
    expect(city.features.map((f) => f.properties.code)).toEqual([CITY_CODE]);
    expect(additive(city.features[0].properties)).toEqual(sumKpis(districts.features.map((f) => f.properties)));
    expect(city.features[0].properties.grids).toBe(districts.features.reduce((n, f) => n + f.properties.grids, 0));
    const streets = await get<Regions>(app(), `/api/regions?level=street&scope=district:${SECOND}&geometry=0`);
    expect(streets.features.map((f) => f.properties.parent)).toEqual([SECOND, SECOND]);
  });

  it('lists the key sites and grids of the whole city', async () => {
    type Collection = { features: { properties: { id?: string; code?: string } }[] };
    const sites = await get<Collection>(app(), `/api/sites?scope=city:${CITY_CODE}`);
    expect(sites.features.map((f) => f.properties.id)).toEqual(expect.arrayContaining(['S1', 'ES1']));
    const grids = await get<Collection>(app(), `/api/grids?scope=city:${CITY_CODE}&geometry=0`);
    expect(grids.features).toHaveLength(16);
  });

  it('lists, exports and bins the issues of the whole city', async () => {
    type List = { items: { id: string }[] };
    const ids = async (scope: string) => (await get<List>(app(), `/api/issues?scope=${scope}&limit=500`)).items.map((i) => i.id).sort();
    const [city, first, second] = await Promise.all([ids(`city:${CITY_CODE}`), ids(`district:${FIRST}`), ids(`district:${SECOND}`)]);
    // I07 and its two copies lie in no street, so in no district.
    expect(second).toHaveLength(14);
    expect(city).toEqual([...first, ...second].sort());
    expect(city).not.toContain('I07');
    const overdue = await get<List>(app(), `/api/issues?scope=city:${CITY_CODE}&overdue=1&limit=500`);
    const overdueKpi = (await get<Summary>(app(), `/api/stats/summary?scope=city:${CITY_CODE}`)).kpis.overdue;
    expect(overdue.items).toHaveLength(overdueKpi);
    const csv = await (await app().request(`/api/export/issues.csv?scope=district:${SECOND}`)).text();
    expect(csv.trim().split('\n')).toHaveLength(1 + 14);
    const heat = await app().request(`/api/heat?scope=city:${CITY_CODE}&zoom=10&bbox=102.6,24.8,103.3,25.1`);
    expect(heat.status).toBe(200);
  });

  it('refuses a scope naming a level or a code that does not exist', async () => {
    for (const [url, named] of [
      ['/api/stats/summary?scope=city:530200', 'city 530200'],
      ['/api/stats/summary?scope=province:530000', '"province:530000"'],
      ['/api/regions?level=district&scope=district:530199', 'district 530199'],
    ]) {
      const res = await app().request(url);
      const body = (await res.json()) as { error: { details: { parameter: string; reason: string }[] } };
      expect(res.status, url).toBe(400);
      expect(body.error.details, url).toMatchObject([{ parameter: 'scope', reason: expect.stringContaining(named) }]);
    }
    expect(await errorOf(app(), `/api/stats/ranking?level=district&scope=district:${FIRST}`)).toMatchObject({ status: 400, parameters: ['level'] });
  });
});

it('answers from the KPI engine exactly as from SQL, at the city and in each district', async () => {
  const fast = createApp({ ...t.deps, engine });
  const scopes = [`city:${CITY_CODE}`, `district:${FIRST}`, `district:${SECOND}`];
  for (const scope of scopes) {
    for (const period of PERIODS) {
      for (const route of ['summary?', 'breakdown?by=district&', 'breakdown?by=street&', 'breakdown?by=site&', 'ranking?level=street&']) {
        const url = `/api/stats/${route}scope=${scope}&${period}`;
        expect(await get(fast, url), url).toEqual(await get(t.app, url));
      }
    }
    for (const filter of FILTERS.slice(1)) {
      for (const route of ['summary?', 'breakdown?by=category&', 'ranking?level=grid&n=2&', 'timeseries?interval=week&']) {
        const url = `/api/stats/${route}scope=${scope}&${PERIODS[1]}&${filter}`;
        expect(await get(fast, url), url).toEqual(await get(t.app, url));
      }
    }
  }
});
