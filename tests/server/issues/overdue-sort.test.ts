import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cityApp, type TestApp } from '../../helpers/app.ts';
import { postJson, walkPages, type Item } from './helpers.ts';

let t: TestApp;

type Listed = Item & { deadline: string | null };

/** A 小类 this test adds to the fixture taxonomy, with no time limit. */
const UNLIMITED = '0299';

/** Extra issues in 关上街道 (530111001) on top of the fixture city; the clock is 2026-11-25 12:00 in Shanghai. */
const EXTRA: Record<string, unknown>[] = [
  // Reported before 1–10 Nov, due inside it, open: the KPI of 1–10 Nov counts them. Same deadline: the id breaks the tie.
  ...['D3', 'D1', 'D4', 'D2'].map((id) => ({
    id, category: '0101', status: 'dispatched', reportedAt: '2026-10-30T09:00:00+08:00', dispatchedAt: '2026-10-30T09:30:00+08:00',
    deadline: '2026-11-05T12:00:00+08:00',
  })),
  // Reported inside 1–10 Nov, due after it, open: overdue now, but not in the KPI of 1–10 Nov.
  { id: 'E1', category: '0101', status: 'handled', reportedAt: '2026-11-08T09:00:00+08:00', deadline: '2026-11-15T09:00:00+08:00' },
  // Due after now: open but not overdue.
  { id: 'F1', category: '0101', status: 'dispatched', reportedAt: '2026-11-24T09:00:00+08:00', deadline: '2026-11-30T09:00:00+08:00' },
  // Closed after its deadline: late, but not overdue.
  {
    id: 'C1', category: '0101', status: 'closed', reportedAt: '2026-11-06T09:00:00+08:00', deadline: '2026-11-07T09:00:00+08:00',
    closedAt: '2026-11-09T09:00:00+08:00',
  },
  // A 小类 without a time limit: no deadline at all; the deadline order puts these last.
  ...['N2', 'N1', 'N3'].map((id) => ({ id, category: UNLIMITED, reportedAt: '2026-11-12T09:00:00+08:00' })),
];

beforeAll(async () => {
  t = await cityApp();
  const category = [{ code: UNLIMITED, parent: '02', name: '无时限类别', limit: null, limit_unit: null }];
  const imported = await t.app.request('/api/import/categories?filename=unlimited.json', { method: 'POST', body: JSON.stringify(category) });
  expect(imported.status, await imported.clone().text()).toBe(200);
  for (const issue of EXTRA) {
    const res = await postJson(t.app, '/api/issues', { clientId: `os-${String(issue.id)}`, lon: 102.73, lat: 24.96, ...issue });
    expect(res.status, await res.clone().text()).toBe(201);
  }
});
afterAll(async () => t.cleanup());

async function getJson<T>(path: string): Promise<T> {
  const res = await t.app.request(path);
  if (res.status !== 200) throw new Error(`${path} → ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Ids in the deadline order, straight from the table. */
async function byDeadline(where: string): Promise<string[]> {
  return (await t.db.all<{ id: string }>(`SELECT id FROM issues WHERE ${where} ORDER BY deadline ASC NULLS LAST, id ASC`)).map((r) => r.id);
}

describe('GET /api/issues?overdue=1', () => {
  const scopes = [
    '',
    'scope=street:530111001',
    'scope=street:530111002',
    'scope=community:530111001002',
    'scope=grid:530111002001002',
    'from=2026-11-01&to=2026-11-10',
    'from=2026-11-01&to=2026-11-30',
    'from=2026-11-06',
    'to=2026-11-04',
    'scope=street:530111001&from=2026-11-01&to=2026-11-10',
    'from=2026-09-01&to=2026-09-30',
    'status=dispatched,handled',
    'category=01',
    'siteType=market',
  ];
  for (const query of scopes) {
    it(`lists exactly the 超期未结 KPI of /api/stats/summary for ${query || 'the district, to date'}`, async () => {
      const summary = await getJson<{ kpis: { overdue: number } }>(`/api/stats/summary?${query}`);
      const { items } = await walkPages(t.app, `${query}${query ? '&' : ''}overdue=1`, 3);
      expect(items.length).toBe(summary.kpis.overdue);
      expect(items.every((i) => i.overdue)).toBe(true);
      expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
    });
  }

  it('has something to count (the comparisons above are not all 0 = 0)', async () => {
    const { items } = await walkPages(t.app, 'overdue=1', 50);
    expect(items.map((i) => i.id).sort()).toEqual(['D1', 'D2', 'D3', 'D4', 'E1', 'I02', 'I04', 'I06']);
  });

  it('with a period, takes the issues due in it (the KPI rule), not those reported in it', async () => {
    const { items } = await walkPages(t.app, 'overdue=1&from=2026-11-01&to=2026-11-10', 50);
    const ids = items.map((i) => i.id);
    expect(ids).toEqual(expect.arrayContaining(['D1', 'D2', 'D3', 'D4']));
    expect(ids).not.toContain('E1');
  });

  it('overdue=0 (or false) filters nothing', async () => {
    const all = await walkPages(t.app, '', 50);
    for (const flag of ['0', 'false']) {
      const { items } = await walkPages(t.app, `overdue=${flag}`, 50);
      expect(items.map((i) => i.id)).toEqual(all.items.map((i) => i.id));
    }
  });
});

describe('GET /api/issues?sort=deadline', () => {
  it('orders by the oldest deadline first, ties by id, issues without a deadline last', async () => {
    const { items } = await walkPages(t.app, 'sort=deadline', 50);
    const ids = items.map((i) => i.id);
    expect(ids).toEqual(await byDeadline('street IS NOT NULL'));
    expect(ids.slice(ids.indexOf('D1'), ids.indexOf('D1') + 4)).toEqual(['D1', 'D2', 'D3', 'D4']);
    expect(ids.slice(-3)).toEqual(['N1', 'N2', 'N3']);
    const deadlines = (items as Listed[]).map((i) => i.deadline);
    const dated = deadlines.filter((d): d is string => d !== null);
    expect(dated).toEqual([...dated].sort());
    expect(deadlines.slice(dated.length).every((d) => d === null)).toBe(true);
  });

  const cases: [name: string, query: string, where: string][] = [
    ['the district', 'sort=deadline', 'street IS NOT NULL'],
    ['the overdue issues', 'sort=deadline&overdue=1', `street IS NOT NULL AND status NOT IN ('closed', 'cancelled', 'deferred') AND deadline < TIMESTAMP '2026-11-25 04:00:00'`],
    ['a period', 'sort=deadline&from=2026-11-01&to=2026-11-30', `street IS NOT NULL AND reported_at >= '2026-10-31 16:00' AND reported_at < '2026-11-30 16:00'`],
  ];
  for (const [name, query, where] of cases) {
    for (const limit of [1, 2, 3, 5]) {
      it(`walks ${name} exactly once in order with limit ${limit}`, async () => {
        const want = await byDeadline(where);
        expect(want.length).toBeGreaterThan(limit);
        const { items, pages } = await walkPages(t.app, query, limit);
        expect(items.map((i) => i.id)).toEqual(want);
        expect(pages).toBe(Math.max(1, Math.ceil(want.length / limit)));
      });
    }
  }

  it('keeps the default order newest first', async () => {
    const byReport = (await t.db.all<{ id: string }>('SELECT id FROM issues WHERE street IS NOT NULL ORDER BY reported_at DESC, id DESC')).map((r) => r.id);
    for (const query of ['', 'sort=reported']) {
      const { items } = await walkPages(t.app, query, 4);
      expect(items.map((i) => i.id)).toEqual(byReport);
    }
  });
});

describe('GET /api/issues overdue and sort parameters', () => {
  const firstCursor = async (query: string) => (await getJson<{ nextCursor: string }>(`/api/issues?${query}&limit=1`)).nextCursor;

  it('rejects bad values and cursors of the other order with 400 invalid_parameter', async () => {
    const bad: [query: string, parameter: string][] = [
      ['overdue=yes', 'overdue'],
      ['overdue=2', 'overdue'],
      ['sort=oldest', 'sort'],
      ['sort=', 'sort'],
      [`sort=deadline&cursor=${encodeURIComponent(await firstCursor('sort=reported'))}`, 'cursor'],
      [`cursor=${encodeURIComponent(await firstCursor('sort=deadline'))}`, 'cursor'],
      [`sort=deadline&cursor=${Buffer.from('["deadline",1,"x"]').toString('base64url')}`, 'cursor'],
    ];
    for (const [query, parameter] of bad) {
      const res = await t.app.request(`/api/issues?${query}`);
      expect(res.status, query).toBe(400);
      const body = (await res.json()) as { error: { code: string; details: { parameter: string }[] } };
      expect(body.error.code).toBe('invalid_parameter');
      expect(body.error.details[0].parameter).toBe(parameter);
    }
  });

  it('documents both in the OpenAPI description', async () => {
    const doc = (await getJson<{ paths: Record<string, Record<string, { parameters: { name: string; schema: { enum?: string[] } }[] }>> }>('/api/openapi.json'));
    const params = doc.paths['/api/issues'].get.parameters;
    expect(params.find((p) => p.name === 'overdue')?.schema.enum).toEqual(['0', '1', 'false', 'true']);
    expect(params.find((p) => p.name === 'sort')?.schema.enum).toEqual(['reported', 'deadline']);
  });
});
