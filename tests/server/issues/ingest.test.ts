import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wgs84ToGcj02 } from '../../../server/domain/china-offsets.ts';
import { totalCounts } from '../../../server/kpi/query.ts';
import { resolveFilters } from '../../../server/kpi/resolve.ts';
import { cityApp, FIXTURE_NOW, type TestApp } from '../../helpers/app.ts';
import { postJson } from './helpers.ts';

let t: TestApp;

beforeAll(async () => {
  t = await cityApp();
});
afterAll(async () => t.cleanup());

type Created = { issue: Record<string, unknown> & { id: string; events: { type: string; seq: number }[] }; created: boolean };
type Problem = { error: { code: string; details: { field: string | null; code: string }[] } };

const issueCount = async () => (await t.db.one<{ n: number }>('SELECT count(*) AS n FROM issues'))!.n;

describe('POST /api/issues', () => {
  it('assigns grid, community, street and key sites through the import rules, and returns 201', async () => {
    const res = await postJson(t.app, '/api/issues', { clientId: 'app-0001', category: '0101', lon: 102.72, lat: 24.97, description: '路边垃圾' });
    expect(res.status).toBe(201);
    const body = (await res.json()) as Created;
    expect(body.created).toBe(true);
    expect(body.issue).toMatchObject({
      id: 'API20261125000001', clientId: 'app-0001', category: '0101', categoryName: '暴露垃圾', source: 'patrol', status: 'reported',
      reportedAt: FIXTURE_NOW.toISOString(),
      // 0101 allows 2 working hours: Wednesday 12:00 Shanghai → 14:00.
      deadline: '2026-11-25T06:00:00.000Z',
      grid: { code: '530111001002001', name: '双桥社区第1网格' },
      community: { code: '530111001002' }, street: { code: '530111001' },
      sites: [{ id: 'S1', name: '双桥村综合农贸市场', type: 'market' }], description: '路边垃圾', outsideGrid: false,
    });
    expect(body.issue.events.map((e) => e.type)).toEqual(['reported']);
    const row = await t.db.one<{ client_id: string; grid_code: string; site_ids: string[] }>(`SELECT client_id, grid_code, site_ids FROM issues WHERE id = 'API20261125000001'`);
    expect(row).toEqual({ client_id: 'app-0001', grid_code: '530111001002001', site_ids: ['S1'] });
  });

  it('numbers generated ids per day', async () => {
    const res = await postJson(t.app, '/api/issues', { clientId: 'app-0002', category: '0102', source: '12345', lon: 102.76, lat: 24.93 });
    const body = (await res.json()) as Created;
    expect(body.issue).toMatchObject({ id: 'API20261125000002', source: 'hotline', grid: { code: '530111002001001' } });
  });

  it('is idempotent on clientId: the same report again returns the first issue with 200', async () => {
    const before = await issueCount();
    const res = await postJson(t.app, '/api/issues', { clientId: 'app-0001', category: '0202', lon: 102.79, lat: 24.99 });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Created;
    expect(body).toMatchObject({ created: false, issue: { id: 'API20261125000001', category: '0101' } });
    expect(await issueCount()).toBe(before);
  });

  it('does not duplicate under concurrent retries of the same clientId', async () => {
    const before = await issueCount();
    const results = await Promise.all(
      Array.from({ length: 5 }, () => postJson(t.app, '/api/issues', { clientId: 'burst-1', category: '0101', lon: 102.73, lat: 24.96 })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 201]);
    expect(await issueCount()).toBe(before + 1);
  });

  it('converts GCJ-02 coordinates before assignment', async () => {
    const [lon, lat] = wgs84ToGcj02(102.72, 24.97);
    const res = await postJson(t.app, '/api/issues', { clientId: 'amap-1', id: 'G1', category: '0101', lon, lat, crs: 'gcj02' });
    const body = (await res.json()) as Created & { issue: { lon: number; lat: number } };
    expect(res.status).toBe(201);
    expect(Math.abs(body.issue.lon - 102.72) * 101_000).toBeLessThan(1);
    expect(Math.abs(body.issue.lat - 24.97) * 111_000).toBeLessThan(1);
    expect(body.issue).toMatchObject({ id: 'G1', grid: { code: '530111001002001' } });
  });

  it('does not add an import job per ingested issue', async () => {
    const jobs = async () => (await t.db.one<{ n: number }>('SELECT count(*) AS n FROM import_jobs'))!.n;
    const before = await jobs();
    expect((await postJson(t.app, '/api/issues', { clientId: 'nojob-1', category: '0101', lon: 102.72, lat: 24.97 })).status).toBe(201);
    expect(await jobs()).toBe(before);
  });

  it('publishes issue.created on the bus', async () => {
    const created = t.deps.bus.since(0).filter((e) => e.type === 'issue.created').map((e) => (e.data as { issue: { id: string } }).issue.id);
    expect(created).toContain('API20261125000001');
    expect(created).toContain('G1');
  });

  it('counts in the KPIs and the list afterwards', async () => {
    const ctx = { db: t.db, now: FIXTURE_NOW, scoring: t.deps.scoring };
    const f = await resolveFilters(t.db, { from: '2026-11-25', to: '2026-11-25' });
    const before = (await totalCounts(ctx, f)).reported;
    await postJson(t.app, '/api/issues', { clientId: 'kpi-1', category: '0101', lon: 102.72, lat: 24.97, reportedAt: '2026-11-25T09:30:00+08:00' });
    expect((await totalCounts(ctx, f)).reported).toBe(before + 1);
    const list = (await (await t.app.request('/api/issues?from=2026-11-25&to=2026-11-25&limit=500')).json()) as { items: { id: string }[] };
    expect(list.items.length).toBe(before + 1);
  });
});

describe('POST /api/issues rejections change nothing', () => {
  const cases: [name: string, body: Record<string, unknown>, status: number, code: string, field: string | null][] = [
    ['an unknown category', { category: '9999', lon: 102.72, lat: 24.97 }, 422, 'unknown_category', 'category'],
    ['coordinates outside China', { category: '0101', lon: 2.72, lat: 48.97 }, 422, 'out_of_range', 'lon,lat'],
    ['impossible coordinates', { category: '0101', lon: 202.72, lat: 24.97 }, 422, 'out_of_range', 'lon,lat'],
    ['swapped coordinates', { category: '0101', lon: 24.97, lat: 102.72 }, 422, 'lonlat_swapped', 'lon,lat'],
    ['an unknown source', { category: '0101', lon: 102.72, lat: 24.97, source: 'rumour' }, 422, 'invalid', 'source'],
    ['an impossible date', { category: '0101', lon: 102.72, lat: 24.97, reportedAt: '2026-02-30T10:00:00' }, 422, 'invalid_timestamp', 'reportedAt'],
    ['a report from the future', { category: '0101', lon: 102.72, lat: 24.97, reportedAt: '2026-11-26T12:00:00+08:00' }, 422, 'in_future', 'reportedAt'],
    ['closed without closedAt', { category: '0101', lon: 102.72, lat: 24.97, status: 'closed' }, 422, 'required', 'closedAt'],
    ['a string longitude', { category: '0101', lon: '102.72', lat: 24.97 }, 400, 'invalid_type', 'lon'],
    ['an unsupported crs', { category: '0101', lon: 102.72, lat: 24.97, crs: 'EPSG:3857' }, 400, 'invalid_value', 'crs'],
  ];
  for (const [name, body, status, code, field] of cases) {
    it(`${name} → ${status} ${code}`, async () => {
      const before = await issueCount();
      const res = await postJson(t.app, '/api/issues', { clientId: `bad-${name}`, ...body });
      expect(res.status).toBe(status);
      const problem = ((await res.json()) as Problem).error.details.find((d) => d.code === code);
      expect(problem, `no ${code} problem`).toBeDefined();
      expect(problem!.field).toBe(field);
      expect(await issueCount()).toBe(before);
    });
  }

  it('a missing clientId is named', async () => {
    const res = await postJson(t.app, '/api/issues', { category: '0101', lon: 102.72, lat: 24.97 });
    expect(res.status).toBe(400);
    const body = (await res.json()) as Problem;
    expect(body.error.code).toBe('invalid_body');
    expect(body.error.details[0].field).toBe('clientId');
  });

  it('an id that belongs to another issue → 409', async () => {
    const res = await postJson(t.app, '/api/issues', { clientId: 'other', id: 'I01', category: '0101', lon: 102.72, lat: 24.97 });
    expect(res.status).toBe(409);
    expect(((await res.json()) as Problem).error.code).toBe('duplicate_id');
    expect(await t.db.one(`SELECT category, client_id FROM issues WHERE id = 'I01'`)).toEqual({ category: '0201', client_id: null });
  });

  it('a body over 1 MB → 413', async () => {
    const res = await postJson(t.app, '/api/issues', { clientId: 'big', category: '0101', lon: 102.72, lat: 24.97, description: 'x'.repeat(1_100_000) });
    expect(res.status).toBe(413);
    expect(((await res.json()) as Problem).error.code).toBe('too_large');
  });

  it('malformed JSON → 400', async () => {
    const res = await t.app.request('/api/issues', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"clientId":' });
    expect(res.status).toBe(400);
  });
});
