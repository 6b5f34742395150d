import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totalCounts } from '../../../server/kpi/query.ts';
import { resolveFilters } from '../../../server/kpi/resolve.ts';
import { cityApp, FIXTURE_NOW, type TestApp } from '../../helpers/app.ts';
import { postJson, walkPages } from './helpers.ts';

let t: TestApp;

beforeAll(async () => {
  t = await cityApp();
  // Six reports in the same second: the id must break the tie, or pages would skip or repeat them.
  for (let k = 1; k <= 6; k++) {
    const res = await postJson(t.app, '/api/issues', { clientId: `tie-${k}`, id: `T${k}`, category: '0101', lon: 102.73, lat: 24.96, reportedAt: '2026-11-20T10:00:00+08:00' });
    expect(res.status).toBe(201);
  }
});
afterAll(async () => t.cleanup());

/** The ids a filter must return, straight from the table. */
async function expected(where: string): Promise<string[]> {
  return (await t.db.all<{ id: string }>(`SELECT id FROM issues WHERE ${where} ORDER BY reported_at DESC, id DESC`)).map((r) => r.id);
}

describe('GET /api/issues pagination', () => {
  const cases: [name: string, query: string, where: string][] = [
    ['whole district', '', 'street IS NOT NULL'],
    ['one street', 'scope=street:530111001', `street = '530111001'`],
    ['a period (Shanghai days, on reported_at)', 'from=2026-11-03&to=2026-11-10', `reported_at >= '2026-11-02 16:00' AND reported_at < '2026-11-10 16:00'`],
    ['a status and a category class', 'status=closed,dispatched&category=02', `street IS NOT NULL AND status IN ('closed', 'dispatched') AND category LIKE '02%'`],
    ['a bbox', 'bbox=102.70,24.95,102.75,25.0', 'street IS NOT NULL AND lon BETWEEN 102.70 AND 102.75 AND lat BETWEEN 24.95 AND 25.0'],
  ];
  for (const [name, query, where] of cases) {
    for (const limit of [1, 2, 5]) {
      it(`walks ${name} exactly once in order with limit ${limit}`, async () => {
        const want = await expected(where);
        expect(want.length).toBeGreaterThan(0);
        const { items, pages } = await walkPages(t.app, query, limit);
        expect(items.map((i) => i.id)).toEqual(want);
        expect(pages).toBe(Math.max(1, Math.ceil(want.length / limit)));
      });
    }
  }

  it('orders newest first with ties broken by id, descending', async () => {
    const { items } = await walkPages(t.app, 'from=2026-11-20&to=2026-11-20', 4);
    expect(items.map((i) => i.id)).toEqual(['T6', 'T5', 'T4', 'T3', 'T2', 'T1']);
  });

  it('defaults to 50 per page and ends with nextCursor null', async () => {
    const body = (await (await t.app.request('/api/issues')).json()) as { items: unknown[]; nextCursor: string | null };
    expect(body.items).toHaveLength((await expected('street IS NOT NULL')).length);
    expect(body.nextCursor).toBeNull();
  });
});

describe('GET /api/issues items', () => {
  it('carries names, ISO times with Z and the key sites', async () => {
    const body = (await (await t.app.request('/api/issues?scope=grid:530111001002001')).json()) as { items: Record<string, unknown>[] };
    const i01 = body.items.find((i) => i.id === 'I01')!;
    expect(i01).toEqual({
      id: 'I01', category: '0201', categoryName: '占道经营', source: 'patrol', status: 'closed', statusName: '结案', immediate: true,
      reportedAt: '2026-11-02T01:00:00.000Z', dispatchedAt: '2026-11-02T01:10:00.000Z', deadline: '2026-11-03T01:10:00.000Z',
      closedAt: '2026-11-02T02:00:00.000Z', overdue: false, lon: 102.72, lat: 24.97,
      grid: { code: '530111001002001', name: '双桥社区第1网格', inspector: '王芳' },
      community: { code: '530111001002', name: '双桥社区' }, street: { code: '530111001', name: '关上街道' }, department: null,
      sites: [{ id: 'S1', name: '双桥村综合农贸市场', type: 'market' }], description: '测试问题I01', address: '测试地址',
    });
  });

  it('flags overdue exactly the issues the 超期未结 KPI counts', async () => {
    const { items } = await walkPages(t.app, '', 500);
    const f = await resolveFilters(t.db, {});
    const kpi = await totalCounts({ db: t.db, now: FIXTURE_NOW, scoring: t.deps.scoring }, f);
    expect(kpi.overdue).toBeGreaterThan(0);
    expect(items.filter((i) => i.overdue).length).toBe(kpi.overdue);
    // I08 is deferred (an approved postponement) and I03 closed: neither is overdue. T1–T6 had 2 working hours.
    expect(items.filter((i) => i.overdue).map((i) => i.id).sort()).toEqual(['I02', 'I04', 'I06', 'T1', 'T2', 'T3', 'T4', 'T5', 'T6']);
  });
});

describe('GET /api/issues parameters', () => {
  const bad: [query: string, parameter: string][] = [
    ['limit=0', 'limit'],
    ['limit=501', 'limit'],
    ['cursor=not-a-cursor', 'cursor'],
    [`cursor=${Buffer.from('["x","y"]').toString('base64url')}`, 'cursor'],
    ['bbox=1,2,3', 'bbox'],
    ['bbox=102.8,24.9,102.7,25', 'bbox'],
    ['scope=street:999', 'scope'],
    ['category=7777', 'category'],
  ];
  for (const [query, parameter] of bad) {
    it(`${query} → 400 naming ${parameter}`, async () => {
      const res = await t.app.request(`/api/issues?${query}`);
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: { code: string; details: { parameter: string }[] } };
      expect(body.error.code).toBe('invalid_parameter');
      expect(body.error.details[0].parameter).toBe(parameter);
    });
  }
});

describe('GET /api/issues/:id', () => {
  it('returns the timeline in order with grid, community, street and sites', async () => {
    const res = await t.app.request('/api/issues/I03');
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      id: 'I03', status: 'closed', reworkCount: 1, outsideGrid: false, clientId: null,
      grid: { code: '530111002001001', name: '和平路社区第1网格', inspector: '张伟' },
      community: { code: '530111002001', name: '和平路社区' },
      street: { code: '530111002', name: '太和街道' },
      sites: [{ id: 'S2', name: '和平巷', type: 'back_alley' }],
      allowedEvents: [],
    });
    expect(body.events).toEqual([
      // A patrol report names the grid's inspector; the file names no dispatcher or closer.
      { seq: 1, type: 'reported', at: '2026-11-04T00:00:00.000Z', actor: '张伟', imported: true, note: null, department: null },
      { seq: 3, type: 'dispatched', at: '2026-11-04T00:30:00.000Z', actor: null, imported: true, note: null, department: null },
      { seq: 9, type: 'closed', at: '2026-11-06T04:00:00.000Z', actor: null, imported: true, note: null, department: null },
    ]);
  });

  it('answers 404 not_found for an unknown id', async () => {
    const res = await t.app.request('/api/issues/NOPE');
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
  });
});
