import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cityApp, type TestApp } from '../../helpers/app.ts';
import { CITY } from '../../helpers/db.ts';

/** The lookups every request makes are remembered until a write changes reference data. */
let t: TestApp;
beforeAll(async () => (t = await cityApp()));
afterAll(async () => t.cleanup());

describe('Database.memo', () => {
  it('loads once, forgets when a write changes reference data, and never remembers a failure', async () => {
    let loads = 0;
    const load = async () => ++loads;
    expect(await t.db.memo('k', load)).toBe(1);
    expect(await t.db.memo('k', load)).toBe(1);
    // Writes of other data leave the memo alone.
    await t.db.transaction(['issues', 'drafts', 'users', 'audit'], async () => undefined);
    expect(await t.db.memo('k', load)).toBe(1);
    await t.db.transaction(['reference'], async () => undefined);
    expect(await t.db.memo('k', load)).toBe(2);
    // A load under way when the write commits is not remembered after it.
    let release!: () => void;
    const slow = t.db.memo('slow', () => new Promise<string>((r) => (release = () => r('old'))));
    await t.db.transaction(['reference'], async () => undefined);
    release();
    expect(await slow).toBe('old');
    expect(await t.db.memo('slow', async () => 'new')).toBe('new');
    await expect(t.db.memo('bad', () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    expect(await t.db.memo('bad', async () => 'ok')).toBe('ok');
  });
});

describe('lookups behind the API', () => {
  const streetName = async () => ((await (await t.app.request('/api/stats/summary?scope=street:530111001')).json()) as { scope: { name: string } }).scope.name;

  it('see a region renamed by an import at once', async () => {
    expect(await streetName()).toBe('关上街道');
    const fc = JSON.parse(readFileSync(`${CITY}/regions.geojson`, 'utf8')) as { features: { properties: { code: string; name: string } }[] };
    for (const f of fc.features) if (f.properties.code === '530111001') f.properties.name = '关上街道（新）';
    const res = await t.app.request('/api/import/regions?filename=regions.geojson', { method: 'POST', body: JSON.stringify(fc) });
    expect(res.status).toBe(200);
    expect(await streetName()).toBe('关上街道（新）');
  });

  it('see a new published plan at once, and do not remember unknown scopes', async () => {
    const before = ((await (await t.app.request('/api/grids')).json()) as { features: unknown[] }).features.length;
    const post = (path: string, body?: unknown) => t.app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const draft = (await (await post('/api/plans', { name: '合并' })).json()) as { id: number };
    expect((await post(`/api/plans/${draft.id}/merge`, { grids: ['530111001001001', '530111001001002'] })).status).toBe(200);
    expect((await post(`/api/plans/${draft.id}/publish`)).status).toBe(200);
    expect(((await (await t.app.request('/api/grids')).json()) as { features: unknown[] }).features).toHaveLength(before - 1);
    expect((await t.app.request('/api/stats/summary?scope=grid:530111001001002')).status).toBe(400);
  });
});
