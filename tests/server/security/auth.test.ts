import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../../server/auth/tokens.ts';
import { UserStore } from '../../../server/auth/users.ts';
import { cityApp, FIXTURE_NOW, type TestApp } from '../../helpers/app.ts';
import { CITY } from '../../helpers/db.ts';

/** The real server behaviour: no test principal, reads open (loopback default). */
let t: TestApp;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  t = await cityApp({}, { anonymous: undefined });
  for (const role of ['viewer', 'operator', 'planner', 'admin'] as const) tokens[role] = await t.tokenFor(role, `${role}-user`);
});
afterAll(async () => t.cleanup());

type ErrorBody = { error: { code: string; message: string; details?: Record<string, unknown> } };
const json = { 'content-type': 'application/json' };
const issue = (clientId: string) => JSON.stringify({ clientId, category: '0101', lon: 102.72, lat: 24.97 });
const plan = (name: string) => JSON.stringify({ name });

describe('without a token', () => {
  it('reads are open when the server says so', async () => {
    expect((await t.app.request('/api/stats/summary')).status).toBe(200);
  });

  it('writes answer 401 with a Bearer challenge and change nothing', async () => {
    const res = await t.app.request('/api/issues', { method: 'POST', headers: json, body: issue('anon-1') });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="civgrid"/);
    expect(((await res.json()) as ErrorBody).error).toMatchObject({ code: 'unauthorized', details: { required: 'operator' } });
    expect((await t.db.one<{ n: number }>(`SELECT count(*) AS n FROM issues WHERE client_id = 'anon-1'`))!.n).toBe(0);
  });

  it('a percent-encoded path does not slip past the policy', async () => {
    const res = await t.app.request('/api/%70lans', { method: 'POST', headers: json, body: plan('sneaky') });
    expect([401, 404]).toContain(res.status);
    expect((await t.db.one<{ n: number }>(`SELECT count(*) AS n FROM grid_plans WHERE name = 'sneaky'`))!.n).toBe(0);
  });
});

describe('roles', () => {
  const cases: [role: string, what: string, method: string, path: string, body: string | undefined, allowed: boolean][] = [
    ['viewer', 'ingest an issue', 'POST', '/api/issues', issue('v-1'), false],
    ['operator', 'ingest an issue', 'POST', '/api/issues', issue('o-1'), true],
    ['operator', 'apply a workflow event', 'POST', '/api/issues/API20261125000001/events', JSON.stringify({ type: 'opened', actor: '网格员' }), true],
    ['operator', 'create a plan draft', 'POST', '/api/plans', plan('o-plan'), false],
    ['planner', 'create a plan draft', 'POST', '/api/plans', plan('p-plan'), true],
    ['planner', 'ingest an issue', 'POST', '/api/issues', issue('p-1'), true],
    ['planner', 'list users', 'GET', '/api/users', undefined, false],
    ['planner', 'read the audit log', 'GET', '/api/audit', undefined, false],
    ['admin', 'list users', 'GET', '/api/users', undefined, true],
    ['admin', 'read the audit log', 'GET', '/api/audit', undefined, true],
  ];
  for (const [role, what, method, path, body, allowed] of cases) {
    it(`${role} ${allowed ? 'may' : 'may not'} ${what}`, async () => {
      const res = await t.as(tokens[role]!)(path, { method, headers: json, body });
      if (allowed) expect(res.status, await res.clone().text()).toBeLessThan(300);
      else {
        expect(res.status).toBe(403);
        expect(((await res.json()) as ErrorBody).error).toMatchObject({ code: 'forbidden', details: { role } });
      }
    });
  }

  it('imports need admin: a planner is refused, an admin imports', async () => {
    const file = readFileSync(`${CITY}/sites.geojson`);
    const path = '/api/import/sites?filename=sites.geojson';
    expect((await t.as(tokens.planner!)(path, { method: 'POST', body: file })).status).toBe(403);
    const res = await t.as(tokens.admin!)(path, { method: 'POST', body: file });
    expect(res.status).toBe(200);
    const job = await t.db.one<{ actor: string }>('SELECT actor FROM import_jobs ORDER BY id DESC LIMIT 1');
    expect(job!.actor).toBe('admin-user');
  });
});

describe('tokens', () => {
  it('are stored only as SHA-256 hashes', async () => {
    const rows = await t.db.all<{ token_hash: string; token_prefix: string }>('SELECT token_hash, token_prefix FROM users');
    const dump = JSON.stringify(rows);
    for (const token of Object.values(tokens)) {
      expect(dump).not.toContain(token);
      expect(rows.map((r) => r.token_hash)).toContain(hashToken(token));
    }
  });

  it('an unknown, malformed or non-Bearer token is refused with 401 invalid_token', async () => {
    const forged = `cg_${'A'.repeat(43)}`;
    for (const header of [`Bearer ${forged}`, 'Bearer nonsense', `Basic ${Buffer.from('a:b').toString('base64')}`, 'Bearer']) {
      const res = await t.app.request('/api/stats/summary', { headers: { authorization: header } });
      expect(res.status, header).toBe(401);
      expect(((await res.json()) as ErrorBody).error.code).toBe('invalid_token');
    }
  });

  it('a revoked token stops working at once', async () => {
    const token = await t.tokenFor('operator', '即将撤销');
    const id = (await t.db.one<{ id: number }>(`SELECT id FROM users WHERE token_prefix = $p`, { p: token.slice(0, 11) }))!.id;
    expect((await t.as(token)('/api/auth/me')).status).toBe(200);
    const revoked = await t.as(tokens.admin!)(`/api/users/${id}`, { method: 'DELETE' });
    expect(revoked.status).toBe(200);
    expect(await revoked.json()).toMatchObject({ id, active: false, revokedBy: 'admin-user' });
    const res = await t.as(token)('/api/issues', { method: 'POST', headers: json, body: issue('revoked-1') });
    expect(res.status).toBe(401);
    expect(((await res.json()) as ErrorBody).error.message).toMatch(/revoked/);
    expect((await t.as(tokens.admin!)(`/api/users/${id}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('an expired token is refused, saying so', async () => {
    const { token } = await t.users.add({ name: '临时', role: 'viewer', expiresAt: new Date(FIXTURE_NOW.getTime() - 1000), createdBy: 'test' });
    const res = await t.as(token)('/api/stats/summary');
    expect(res.status).toBe(401);
    expect(((await res.json()) as ErrorBody).error.message).toMatch(/expired/);
  });

  it('the users API shows a new token once and never again', async () => {
    const res = await t.as(tokens.admin!)('/api/users', { method: 'POST', headers: json, body: JSON.stringify({ name: '张三', role: 'planner', expires: '90d' }) });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { token: string; user: { id: number; expiresAt: string; createdBy: string } };
    expect(body.token).toMatch(/^cg_[\w-]{43}$/);
    expect(body.user).toMatchObject({ createdBy: 'admin-user', expiresAt: new Date(FIXTURE_NOW.getTime() + 90 * 86_400_000).toISOString() });
    const list = await (await t.as(tokens.admin!)('/api/users')).text();
    expect(list).toContain('张三');
    expect(list).not.toContain(body.token);
    expect((await t.as(body.token)('/api/auth/me')).status).toBe(200);
  });

  it('the users API refuses bad names, roles and expiries', async () => {
    for (const payload of [{ name: 'x\u0007', role: 'viewer' }, { name: 'x', role: 'root' }, { name: 'x', role: 'viewer', expires: 'soon' }]) {
      const res = await t.as(tokens.admin!)('/api/users', { method: 'POST', headers: json, body: JSON.stringify(payload) });
      expect(res.status, JSON.stringify(payload)).toBe(400);
    }
  });
});

describe('GET /api/auth/me', () => {
  it('names the holder, the role and what it may do', async () => {
    const res = await t.as(tokens.planner!)('/api/auth/me');
    expect(await res.json()).toMatchObject({ name: 'planner-user', role: 'planner', abilities: ['read', 'ingest_issues', 'workflow', 'edit_plans', 'publish_plans'], expiresAt: null, reads: 'open' });
  });

  it('answers 401 without a token', async () => {
    expect((await t.app.request('/api/auth/me')).status).toBe(401);
  });
});

describe('reads by token (CIVGRID_READS=token)', () => {
  let locked: TestApp;
  beforeAll(async () => {
    locked = await cityApp({}, { anonymous: undefined, reads: 'token' });
  });
  afterAll(async () => locked.cleanup());

  it('refuses reads without a token but keeps health open', async () => {
    expect((await locked.app.request('/api/stats/summary')).status).toBe(401);
    expect((await locked.app.request('/api/openapi.json')).status).toBe(401);
    expect((await locked.app.request('/api/health')).status).toBe(200);
  });

  it('lets a viewer read', async () => {
    const viewer = await locked.tokenFor('viewer');
    expect((await locked.as(viewer)('/api/stats/summary')).status).toBe(200);
  });

  it('takes ?access_token= on the live feed only (EventSource cannot send headers)', async () => {
    const viewer = await locked.tokenFor('viewer', 'sse');
    const sse = await locked.app.request(`/api/events?access_token=${viewer}`);
    expect(sse.status).toBe(200);
    expect(sse.headers.get('content-type')).toMatch(/text\/event-stream/);
    // Read up to the first KPI tick, so no computation is left running when the database closes.
    const reader = sse.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    while (!text.includes('event: kpi')) text += (await reader.read()).value ?? '';
    await reader.cancel();
    expect((await locked.app.request(`/api/stats/summary?access_token=${viewer}`)).status).toBe(401);
  });
});

describe('UserStore', () => {
  it('revokes every active token of a name', async () => {
    const store = new UserStore(t.db, () => FIXTURE_NOW);
    await store.add({ name: '王五', role: 'viewer', createdBy: 'test' });
    await store.add({ name: '王五', role: 'operator', createdBy: 'test' });
    const revoked = await store.revoke({ name: '王五' }, 'test');
    expect(revoked.map((u) => u.role).sort()).toEqual(['operator', 'viewer']);
    expect(await store.revoke({ name: '王五' }, 'test')).toEqual([]);
  });
});
