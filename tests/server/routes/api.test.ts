import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../server/db/database.ts';
import { cityApp, type TestApp } from '../../helpers/app.ts';
import { CITY, fingerprint } from '../../helpers/db.ts';

let db: Database;
let cleanup: () => Promise<void>;
let app: TestApp['app'];
let t: TestApp;

beforeAll(async () => {
  t = await cityApp();
  ({ app, db, cleanup } = t);
});
afterAll(async () => cleanup());

describe('GET /api/health', () => {
  it('reports the loaded counts', async () => {
    const res = await app.request('/api/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, counts: { regions: 7, grids: 8, sites: 3, issues: 8 } });
  });
});

describe('GET /api/regions', () => {
  it('returns streets as GeoJSON with code, name, level, parent, areaKm2', async () => {
    const res = await app.request('/api/regions?level=street');
    const body = (await res.json()) as { type: string; features: { properties: Record<string, unknown> }[] };
    expect(body.type).toBe('FeatureCollection');
    expect(body.features.map((f) => f.properties.name)).toEqual(['关上街道', '太和街道']);
    const first = body.features[0].properties;
    expect(first).toMatchObject({ code: '530111001', level: 'street', parent: '530111' });
    // 0.05° × 0.1° at 25°N ≈ 5.04 km × 11.07 km.
    expect(first.areaKm2 as number).toBeGreaterThan(55);
    expect(first.areaKm2 as number).toBeLessThan(57);
  });

  it('filters by parent', async () => {
    const body = (await (await app.request('/api/regions?level=community&parent=530111002')).json()) as { features: { properties: { code: string } }[] };
    expect(body.features.map((f) => f.properties.code)).toEqual(['530111002001', '530111002002']);
  });

  it('names a bad parameter in a 400', async () => {
    const res = await app.request('/api/regions?level=province');
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; details: { parameter: string }[] } };
    expect(body.error.code).toBe('invalid_parameter');
    expect(body.error.details[0].parameter).toBe('level');
  });
});

describe('POST /api/import/:kind', () => {
  const post = (kind: string, file: string, query = '') =>
    app.request(`/api/import/${kind}?filename=${encodeURIComponent(file.split('/').pop()!)}${query}`, { method: 'POST', body: readFileSync(file) });

  it('imports through the same pipeline as the CLI', async () => {
    const res = await post('sites', `${CITY}/sites.geojson`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, kind: 'sites', file: 'sites.geojson', updated: 3 });
  });

  it('answers 422 with the report for a rejected file and changes nothing', async () => {
    const before = await fingerprint(db);
    const res = await post('issues', 'tests/fixtures/bad/issues-unknown-category.geojson');
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { code: string; details: { errors: { code: string }[] } } };
    expect(body.error.code).toBe('import_rejected');
    expect(body.error.details.errors[0].code).toBe('unknown_category');
    expect(await fingerprint(db)).toEqual(before);
  });

  it('refuses an unknown kind, a bad extension and a path in the file name', async () => {
    expect((await post('people', `${CITY}/sites.geojson`)).status).toBe(400);
    const exe = await app.request('/api/import/sites?filename=x.exe', { method: 'POST', body: 'x' });
    expect(exe.status).toBe(400);
    const traversal = await app.request(`/api/import/sites?filename=${encodeURIComponent('../../etc/sites.geojson')}`, { method: 'POST', body: readFileSync(`${CITY}/sites.geojson`) });
    expect(traversal.status).toBe(200);
    expect(((await traversal.json()) as { file: string }).file).toBe('sites.geojson');
  });

  it('refuses bodies over the limit with 413', async () => {
    const res = await app.request('/api/import/issues?filename=big.csv', { method: 'POST', body: 'x'.repeat(70 * 1024) });
    expect(res.status).toBe(413);
  });

  it('refuses callers below admin', async () => {
    const planner = t.as(await t.tokenFor('planner'));
    const res = await planner(`/api/import/sites?filename=sites.geojson`, { method: 'POST', body: readFileSync(`${CITY}/sites.geojson`) });
    expect(res.status).toBe(403);
  });

  it('answers unknown routes with the error shape', async () => {
    const res = await app.request('/api/nothing');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'not_found' } });
  });
});
