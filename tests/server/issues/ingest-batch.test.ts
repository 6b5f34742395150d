import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cityApp, type TestApp } from '../../helpers/app.ts';
import { postJson } from './helpers.ts';
import { FreshDetails } from '../../../server/ingest/details.ts';
import { warmIngest } from '../../../server/ingest/batcher.ts';
import { shanghaiDate } from '../../../server/domain/time.ts';
import { issueDetail, issueDetails, type IssueDetail } from '../../../server/queries/issues.ts';
import { FIXTURE_NOW } from '../../helpers/fixture-clock.ts';

/** Reports that arrive together are written together (group commit), each with its own answer. */
let t: TestApp;
beforeAll(async () => (t = await cityApp()));
afterAll(async () => t.cleanup());

type Body = { issue?: { id: string; clientId: string; grid: { code: string } | null }; created?: boolean; error?: { code: string; details: { field: string | null }[] } };
const post = async (body: Record<string, unknown>) => {
  const res = await postJson(t.app, '/api/issues', body);
  return { status: res.status, body: (await res.json()) as Body };
};
const report = (i: number, extra: Record<string, unknown> = {}) => ({ clientId: `batch-${i}`, category: '0101', lon: 102.72 + i * 1e-4, lat: 24.97, ...extra });
const count = async () => (await t.db.one<{ n: number }>('SELECT count(*) AS n FROM issues'))!.n;

describe('concurrent ingest', () => {
  it('writes a burst with consecutive ids, each request answered with its own issue', async () => {
    const before = await count();
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => post(report(i))));
    expect(results.map((r) => r.status)).toEqual(Array(40).fill(201));
    expect(results.map((r) => r.body.issue!.clientId)).toEqual(Array.from({ length: 40 }, (_, i) => `batch-${i}`));
    const ids = results.map((r) => r.body.issue!.id).sort();
    expect(new Set(ids).size).toBe(40);
    expect(Number(ids[39]!.slice(-6)) - Number(ids[0]!.slice(-6))).toBe(39);
    expect(results.every((r) => r.body.issue!.grid?.code === '530111001002001')).toBe(true);
    expect(await count()).toBe(before + 40);
  });

  it('rejects only the bad report of a burst', async () => {
    const before = await count();
    const results = await Promise.all([post(report(100)), post(report(101, { category: '9999' })), post(report(102)), post(report(103, { lon: 200 }))]);
    expect(results.map((r) => r.status)).toEqual([201, 422, 201, 422]);
    expect(results[1]!.body.error!.details.map((d) => d.field)).toContain('category');
    expect(await count()).toBe(before + 2);
  });

  it('answers repeated clientIds and reused ids inside one burst', async () => {
    const results = await Promise.all([post(report(200)), post(report(200)), post(report(201, { id: 'MANUAL-1' })), post(report(202, { id: 'MANUAL-1' }))]);
    expect(results.map((r) => r.status)).toEqual([201, 200, 201, 409]);
    expect(results[1]!.body).toMatchObject({ created: false, issue: { id: results[0]!.body.issue!.id } });
    expect(results[3]!.body.error!.code).toBe('duplicate_id');
  });

  it('steps over an API-style id a client chose itself', async () => {
    const next = await post(report(300));
    const taken = next.body.issue!.id.replace(/\d{6}$/, (n) => String(Number(n) + 1).padStart(6, '0'));
    expect((await post(report(301, { id: taken }))).status).toBe(201);
    const after = await post(report(302));
    expect(after.status).toBe(201);
    expect(after.body.issue!.id > taken).toBe(true);
  });
});

describe('the answers of a burst', () => {
  it('are each the stored issue, as GET /api/issues/{id} reads it back', async () => {
    const results = await Promise.all(Array.from({ length: 5 }, (_, i) => post(report(400 + i, { reportedAt: `2026-11-2${i}T08:00:00+08:00`, description: `第${i}件` }))));
    for (const r of results) {
      const stored = await (await t.app.request(`/api/issues/${r.body.issue!.id}`)).json();
      expect(r.body.issue).toEqual(stored);
    }
  });

  it('are read together: one read for the reports settled in one turn, from the earliest report', async () => {
    const reads: { ids: string[]; from: number }[] = [];
    const fresh = new FreshDetails(async (ids, from) => {
      reads.push({ ids, from: from.getTime() });
      return new Map(ids.map((id) => [id, { id } as IssueDetail]));
    });
    const answers = await Promise.all([fresh.get('A', 300), fresh.get('B', 100), fresh.get('A', 300)]);
    expect(answers.map((a) => a?.id)).toEqual(['A', 'B', 'A']);
    expect(await fresh.get('C', 50)).toMatchObject({ id: 'C' });
    expect(reads).toEqual([{ ids: ['A', 'B'], from: 100 }, { ids: ['C'], from: 50 }]);
  });
});

describe('issue details of several issues', () => {
  it('are those of one issue each; a time floor after an issue report leaves it out', async () => {
    const ids = (await t.db.all<{ id: string }>('SELECT id FROM issues ORDER BY id LIMIT 4')).map((r) => r.id);
    const now = FIXTURE_NOW;
    const many = await issueDetails(t.db, [...ids, 'NO-SUCH'], now, new Date(0));
    expect([...many.keys()].sort()).toEqual(ids);
    for (const id of ids) expect(many.get(id)).toEqual(await issueDetail(t.db, id, now));
    const newest = [...many.values()].sort((a, b) => b.reportedAt.localeCompare(a.reportedAt))[0]!;
    const later = await issueDetails(t.db, ids, now, new Date(Date.parse(newest.reportedAt) + 1));
    expect(later.size).toBe(0);
  });
});

describe('a server prepared for live ingest', () => {
  it('answers its first report without scanning for the day’s highest id', async () => {
    const app = await cityApp();
    try {
      const day = shanghaiDate(FIXTURE_NOW);
      await app.db.run(`UPDATE issues SET id = 'API${day.replaceAll('-', '')}000041' WHERE id = (SELECT min(id) FROM issues)`);
      let scans = 0;
      const one = app.db.one.bind(app.db);
      app.db.one = ((sql: string, params?: Parameters<typeof one>[1]) => (sql.includes('max(id)') && scans++, one(sql, params))) as typeof one;
      await warmIngest(app.db, day);
      expect(scans).toBe(1);
      const res = await postJson(app.app, '/api/issues', report(500));
      expect(res.status).toBe(201);
      expect(((await res.json()) as Body).issue!.id).toBe(`API${day.replaceAll('-', '')}000042`);
      expect(scans).toBe(1);
      // A burst is checked with one look-up: its clientIds and the ids it will get, together.
      let lookUps = 0;
      const all = app.db.all.bind(app.db);
      app.db.all = ((sql: string, params?: Parameters<typeof all>[1]) => (/FROM issues WHERE (client_)?id IN/.test(sql) && lookUps++, all(sql, params))) as typeof all;
      const burst = await Promise.all(Array.from({ length: 5 }, (_, i) => postJson(app.app, '/api/issues', report(600 + i))));
      expect(burst.map((r) => r.status)).toEqual(Array(5).fill(201));
      expect(lookUps).toBeLessThanOrEqual(2);
    } finally {
      await app.cleanup();
    }
  });
});
