/**
 * Geometry once, values per filter: `/api/geometry` files (immutable, ETag, 304, gzip) and
 * `/api/grids/values`, `/api/regions/values` aligned to them, on the fixture city (8 grids; see
 * grids.test.ts for which issues each holds).
 */
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cityApp, type TestApp } from '../../helpers/app.ts';
import { badParameters, getOk, type Collection, type Kpi } from './http.ts';

type Entry = { version: string; url: string; features: number };
type Index = { grids: Entry; regions: Record<'district' | 'street' | 'community', Entry> };
type Values = { version: string; count: number; metrics: string[]; values: Record<string, (number | null)[]>; outside?: number[] };

let t: TestApp;
beforeAll(async () => {
  t = await cityApp();
});
afterAll(async () => t.cleanup());

const index = () => getOk<Index>(t.app, '/api/geometry');
const file = async (url: string) => (await (await t.app.request(url)).json()) as Collection<{ code: string; name: string }>;

/** KPIs per code from the GeoJSON route, the reference the values must agree with. */
async function kpisByCode(url: string): Promise<Map<string, Kpi>> {
  const fc = await getOk<Collection<Kpi & { code: string }>>(t.app, url);
  return new Map(fc.features.map((f) => [f.properties.code, f.properties]));
}

describe('GET /api/geometry files', () => {
  it('serves the grids once per version at an immutable URL', async () => {
    const { grids } = await index();
    expect(grids.url).toBe(`/api/geometry/grids/${grids.version}.json`);
    expect(grids.features).toBe(8);
    const res = await t.app.request(grids.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('etag')).toBe(`"${grids.version}"`);
    const fc = (await res.json()) as Collection<{ code: string; inspector: string }>;
    expect(fc.features.map((f) => f.properties.code)).toEqual([...fc.features.map((f) => f.properties.code)].sort());
    expect(fc.features[0].properties).toMatchObject({ code: '530111001001001', name: '关上社区第1网格', inspector: '张伟' });
    expect(fc.features[0].geometry?.type).toBe('Polygon');
  });

  it('answers 304 to If-None-Match with the version\'s ETag, with no body', async () => {
    const { grids } = await index();
    const res = await t.app.request(grids.url, { headers: { 'if-none-match': `"${grids.version}"` } });
    expect(res.status).toBe(304);
    expect(await res.text()).toBe('');
    expect(res.headers.get('cache-control')).toContain('immutable');
    const other = await t.app.request(grids.url, { headers: { 'if-none-match': '"something-else"' } });
    expect(other.status).toBe(200);
  });

  it('sends the same body gzipped to a client that accepts gzip, under its own ETag', async () => {
    const { grids } = await index();
    const plain = new Uint8Array(await (await t.app.request(grids.url)).arrayBuffer());
    const res = await t.app.request(grids.url, { headers: { 'accept-encoding': 'gzip, br' } });
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(res.headers.get('etag')).toBe(`"${grids.version}-gz"`);
    expect(gunzipSync(new Uint8Array(await res.arrayBuffer()))).toEqual(Buffer.from(plain));
  });

  it('answers 404 stale_geometry, naming the current version, for another version', async () => {
    const { grids } = await index();
    const res = await t.app.request('/api/geometry/grids/old-version.json');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'stale_geometry', details: { current: grids.version } } });
  });

  it('serves each region level the same way', async () => {
    const { regions } = await index();
    const streets = await file(regions.street.url);
    expect(streets.features.map((f) => f.properties.code)).toEqual(['530111001', '530111002']);
    expect(regions.community.features).toBe(4);
    expect((await t.app.request(regions.district.url)).headers.get('cache-control')).toContain('immutable');
  });
});

describe('GET /api/grids/values', () => {
  it('gives values[i] to feature i of the geometry file, equal to /api/grids per code', async () => {
    const { grids } = await index();
    const fc = await file(grids.url);
    const v = await getOk<Values>(t.app, `/api/grids/values?version=${grids.version}&metric=reported&metric=overdue&metric=onTimeRate`);
    expect(v).toMatchObject({ version: grids.version, count: 8, metrics: ['reported', 'overdue', 'onTimeRate'] });
    expect(v.outside).toBeUndefined();
    const reference = await kpisByCode('/api/grids?geometry=0');
    fc.features.forEach((f, i) => {
      const k = reference.get(f.properties.code)!;
      expect([v.values.reported[i], v.values.overdue[i], v.values.onTimeRate[i]], f.properties.code).toEqual([k.reported, k.overdue, k.onTimeRate]);
    });
    expect(v.values.reported.reduce((s, n) => s! + n!, 0)).toBe(7);
  });

  it('applies the filters', async () => {
    const { grids } = await index();
    const fc = await file(grids.url);
    const v = await getOk<Values>(t.app, '/api/grids/values?from=2026-10-01&to=2026-10-31&metric=reported');
    const reference = await kpisByCode('/api/grids?geometry=0&from=2026-10-01&to=2026-10-31');
    expect(v.values.reported).toEqual(fc.features.map((f) => reference.get(f.properties.code)!.reported));
    // Only I05 (双桥社区第2网格) was reported in October.
    expect(v.values.reported.reduce((s, n) => s! + n!, 0)).toBe(1);
  });

  it('answers the map\'s five metrics by default', async () => {
    const v = await getOk<Values>(t.app, '/api/grids/values');
    expect(v.metrics).toEqual(['reported', 'overdue', 'onTimeRate', 'density', 'score']);
    expect(Object.keys(v.values)).toEqual(v.metrics);
  });

  it('lists the grids outside a community scope, with null values', async () => {
    const { grids } = await index();
    const fc = await file(grids.url);
    const v = await getOk<Values>(t.app, '/api/grids/values?scope=community:530111002002&metric=reported');
    const outside = fc.features.flatMap((f, i) => (f.properties.code.startsWith('530111002002') ? [] : [i]));
    expect(v.outside).toEqual(outside);
    for (const i of outside) expect(v.values.reported[i]).toBeNull();
    expect(v.values.reported.filter((n) => n !== null)).toEqual([1, 1]);
  });

  it('answers 409 stale_geometry for a version that is not the current one', async () => {
    const { grids } = await index();
    const res = await t.app.request('/api/grids/values?version=abc123');
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: { code: 'stale_geometry', details: { current: grids.version } } });
  });

  it('refuses an unknown metric or a malformed version', async () => {
    expect(await badParameters(t.app, '/api/grids/values?metric=households')).toEqual(['metric']);
    expect(await badParameters(t.app, '/api/grids/values?version=../x')).toEqual(['version']);
  });
});

describe('GET /api/regions/values', () => {
  it('aligns each level\'s values with its file', async () => {
    const { regions } = await index();
    const fc = await file(regions.community.url);
    const v = await getOk<Values>(t.app, `/api/regions/values?level=community&version=${regions.community.version}&metric=reported`);
    const reference = await kpisByCode('/api/regions?level=community&geometry=0');
    expect(v.values.reported).toEqual(fc.features.map((f) => reference.get(f.properties.code)!.reported));
  });

  it('lists the communities outside a street scope, and refuses a level above the scope', async () => {
    const { regions } = await index();
    const fc = await file(regions.community.url);
    const v = await getOk<Values>(t.app, '/api/regions/values?level=community&scope=street:530111002&metric=reported');
    expect(v.outside).toEqual(fc.features.flatMap((f, i) => (f.properties.code.startsWith('530111002') ? [] : [i])));
    expect(await badParameters(t.app, '/api/regions/values?level=district&scope=street:530111002')).toEqual(['level']);
  });

  it('answers 409 for a stale version of that level', async () => {
    const res = await t.app.request('/api/regions/values?level=street&version=abc123');
    expect(res.status).toBe(409);
  });
});

describe('with tokens required for reads', () => {
  it('lets no shared cache keep a file', async () => {
    const tokens = await cityApp({}, { anonymous: undefined, reads: 'token' });
    try {
      const as = tokens.as(await tokens.tokenFor('viewer'));
      const { grids } = (await (await as('/api/geometry')).json()) as Index;
      const res = await as(grids.url);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
      expect((await tokens.app.request(grids.url)).status).toBe(401);
    } finally {
      await tokens.cleanup();
    }
  });
});

describe('a change of the reference data', () => {
  it('gives the grids a new version; the old URL and the old version in values are refused', async () => {
    const before = await index();
    await t.db.write(['reference'], (w) => w.transaction((tx) => tx.run(`UPDATE grids SET inspector = '李娜' WHERE code = '530111001001001'`)));
    const after = await index();
    expect(after.grids.version).not.toBe(before.grids.version);
    // Region outlines did not change: their files keep their version.
    expect(after.regions.street.version).toBe(before.regions.street.version);
    expect((await t.app.request(before.grids.url)).status).toBe(404);
    expect((await t.app.request(`/api/grids/values?version=${before.grids.version}`)).status).toBe(409);
    expect((await file(after.grids.url)).features[0].properties).toMatchObject({ inspector: '李娜' });
  });
});
