import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeWrite } from '../../../server/audit/actions.ts';
import { csvCell } from '../../../server/audit/routes.ts';
import { cityApp, type TestApp } from '../../helpers/app.ts';
import { CITY, fingerprint } from '../../helpers/db.ts';

let t: TestApp;
let operator: (path: string, init?: RequestInit) => Promise<Response>;
let planner: (path: string, init?: RequestInit) => Promise<Response>;
let admin: (path: string, init?: RequestInit) => Promise<Response>;

const post = (body: unknown, method = 'POST'): RequestInit => ({ method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
type Entry = {
  id: number; at: string; actor: string; role: string; ip: string; method: string; path: string; action: string; target: string | null;
  status: number; planId: number | null; changeSeq: number | null; detail: { body?: Record<string, unknown>; query?: Record<string, string[]>; result?: Record<string, unknown> };
  change: { op: string; before: unknown[]; after: unknown[] } | null;
};
const list = async (query = '') => ((await (await admin(`/api/audit${query}`)).json()) as { items: Entry[]; nextCursor: number | null });

let draft: number;

beforeAll(async () => {
  t = await cityApp({}, { anonymous: undefined });
  operator = t.as(await t.tokenFor('operator', '巡查员甲'));
  planner = t.as(await t.tokenFor('planner', '王规划'));
  admin = t.as(await t.tokenFor('admin', '管理员'));
  // A little day of work: an ingest, a transition, a plan edit, an import.
  expect((await operator('/api/issues', post({ clientId: 'audit-1', category: '0101', lon: 102.72, lat: 24.97 }))).status).toBe(201);
  expect((await operator('/api/issues/API20261125000001/events', post({ type: 'opened', actor: '张队长' }))).status).toBe(200);
  const created = await planner('/api/plans', post({ name: '审计测试' }));
  draft = ((await created.json()) as { id: number }).id;
  const split = await planner(`/api/plans/${draft}/split`, post({ grid: '530111002001001', line: { type: 'LineString', coordinates: [[102.76, 24.89], [102.76, 24.96]] } }));
  expect(split.status, await split.clone().text()).toBe(200);
  expect((await admin('/api/import/sites?filename=sites.geojson', { method: 'POST', body: readFileSync(`${CITY}/sites.geojson`) })).status).toBe(200);
});
afterAll(async () => t.cleanup());

describe('the audit log', () => {
  it('records each accepted write with who, role, address, action and target, newest first', async () => {
    const { items } = await list();
    expect(items.map((e) => [e.action, e.actor, e.role])).toEqual([
      ['import.sites', '管理员', 'admin'],
      ['plan.split', '王规划', 'planner'],
      ['plan.create', '王规划', 'planner'],
      ['issue.event', '巡查员甲', 'operator'],
      ['issue.ingest', '巡查员甲', 'operator'],
    ]);
    expect(items[4]).toMatchObject({ method: 'POST', path: '/api/issues', target: 'API20261125000001', status: 201, ip: '127.0.0.1', detail: { body: { clientId: 'audit-1', category: '0101' } } });
    expect(items[3]).toMatchObject({ target: 'API20261125000001', detail: { body: { type: 'opened', actor: '张队长' } } });
    expect(items[0]).toMatchObject({ target: 'sites', detail: { query: { filename: ['sites.geojson'] }, result: { ok: true, kind: 'sites', updated: 3 } } });
  });

  it('links plan edits to the change log with the grids before and after', async () => {
    const { items } = await list('?action=plan.split');
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ planId: draft, target: String(draft), change: { op: 'split', before: ['530111002001001'] } });
    expect(items[0]!.change!.after).toHaveLength(2);
    const one = (await (await admin(`/api/audit/${items[0]!.id}`)).json()) as { change: { before: { type: string; geometry: { type: string } }[]; after: unknown[] } };
    expect(one.change.before[0]).toMatchObject({ type: 'Feature', geometry: { type: 'Polygon' } });
    expect(one.change.after).toHaveLength(2);
    const create = (await list('?action=plan.create')).items[0]!;
    expect(create).toMatchObject({ planId: draft, changeSeq: 1, change: { op: 'create' } });
  });

  it('does not record refused writes, so they leave the database as it was', async () => {
    const before = await fingerprint(t.db);
    expect((await operator('/api/plans', post({ name: 'nope' }))).status).toBe(403);
    expect((await operator('/api/issues', post({ clientId: 'bad', category: '9999', lon: 102.72, lat: 24.97 }))).status).toBe(422);
    expect((await t.app.request('/api/issues', post({ clientId: 'anon', category: '0101', lon: 102.72, lat: 24.97 }))).status).toBe(401);
    expect(await fingerprint(t.db)).toEqual(before);
  });

  it('filters by actor, action prefix and time, and pages by cursor', async () => {
    expect((await list('?actor=王规划')).items.map((e) => e.action)).toEqual(['plan.split', 'plan.create']);
    expect((await list('?action=issue.*')).items.map((e) => e.action)).toEqual(['issue.event', 'issue.ingest']);
    expect((await list('?from=2026-11-25&to=2026-11-25')).items).toHaveLength(5);
    expect((await list('?to=2026-11-24')).items).toHaveLength(0);
    expect((await list('?from=2026-11-25T12:00:01%2B08:00')).items).toHaveLength(0);
    const first = await list('?limit=2');
    expect(first.items).toHaveLength(2);
    const rest = await list(`?limit=10&cursor=${first.nextCursor}`);
    expect(rest.items.map((e) => e.action)).toEqual(['plan.create', 'issue.event', 'issue.ingest']);
    expect(rest.nextCursor).toBeNull();
  });

  it('names bad filters in a 400', async () => {
    for (const q of ['?from=2026-13-01', '?action=DROP%20TABLE', '?from=2026-11-26&to=2026-11-25', '?limit=0']) {
      const res = await admin(`/api/audit${q}`);
      expect(res.status, q).toBe(400);
    }
  });

  it('exports CSV with a BOM, one line per entry, and no live formulas', async () => {
    const res = await admin('/api/audit/export.csv?action=issue.*');
    expect(res.headers.get('content-type')).toMatch(/text\/csv/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    expect(text.startsWith('id,at,actor,role')).toBe(true);
    const lines = text.trim().split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain('issue.event');
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('普通, 文本')).toBe('"普通, 文本"');
  });

  it('is for admins only', async () => {
    expect((await planner('/api/audit')).status).toBe(403);
    expect((await planner('/api/audit/export.csv')).status).toBe(403);
  });
});

describe('describeWrite', () => {
  it('names writes by method and path', () => {
    expect(describeWrite('PUT', '/api/plans/4/grids/530111%E7%BD%91')).toEqual({ action: 'plan.update_grid', target: '530111网', planId: 4 });
    expect(describeWrite('POST', '/api/plans/4/vertices')).toEqual({ action: 'plan.vertex', target: '4', planId: 4 });
    expect(describeWrite('DELETE', '/api/users/7')).toEqual({ action: 'user.revoke', target: '7', planId: null });
    expect(describeWrite('POST', '/api/whatever')).toEqual({ action: 'other', target: null, planId: null });
  });
});
