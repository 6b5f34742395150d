import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Kpis } from '../../../server/kpi/definitions.ts';
import type { TestApp } from '../../helpers/app.ts';
import { postJson } from '../issues/helpers.ts';
import { departmentCityApp } from './city.ts';

let t: TestApp;
beforeAll(async () => {
  t = await departmentCityApp();
});
afterAll(async () => t.cleanup());

const reported = async (code: string) => {
  const body = (await (await t.app.request(`/api/stats/summary?scope=department:${code}`)).json()) as { kpis: Kpis };
  return body.kpis.reported;
};
const post = (body: Record<string, unknown>) => postJson(t.app, '/api/issues/I02/events', { actor: '派遣员', ...body });

describe('re-dispatch to another department', () => {
  it('refuses a department on an event that is not a dispatch, and an unknown one', async () => {
    const wrong = await post({ type: 'handled', department: 'SJJ' });
    expect(wrong.status).toBe(422);
    expect(((await wrong.json()) as { error: { details: { field: string }[] } }).error.details[0].field).toBe('department');
  });

  it('keeps both dispatches on the timeline and moves the case’s counts to the new department', async () => {
    expect([await reported('CGJ'), await reported('SJJ')]).toEqual([4, 2]);
    expect((await post({ type: 'returned', at: '2026-11-24T09:00:00+08:00', note: '非本单位职责' })).status).toBe(200);
    const unknown = await post({ type: 'dispatched', department: '园林局' });
    expect(unknown.status).toBe(422);
    const res = await post({ type: 'dispatched', at: '2026-11-24T10:00:00+08:00', department: '市场监管局' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { issue: { department: unknown; events: { type: string; department: { code: string } | null }[] }; event: { department: unknown } };
    expect(body.event.department).toEqual({ code: 'SJJ', name: '官渡区市场监督管理局' });
    expect(body.issue.department).toEqual({ code: 'SJJ', name: '官渡区市场监督管理局' });
    expect(body.issue.events.filter((e) => e.type === 'dispatched').map((e) => e.department?.code)).toEqual(['CGJ', 'SJJ']);
    expect(body.issue.events.map((e) => e.type)).toContain('returned');
    expect([await reported('CGJ'), await reported('SJJ')]).toEqual([3, 3]);
  });

  it('moves the case from the moment of the re-dispatch: a period ending before it counts it for the old department', async () => {
    type Entry = { code: string; kpis: Kpis };
    const get = async <T>(path: string) => (await (await t.app.request(path)).json()) as T;
    const before = 'from=2026-11-01&to=2026-11-20';
    const after = 'from=2026-11-01&to=2026-11-30';
    const summary = async (query: string) => (await get<{ kpis: Kpis }>(`/api/stats/summary?${query}`)).kpis.reported;
    // I02 (reported 11-03) was re-dispatched from CGJ to SJJ on 11-24.
    expect([await summary(`scope=department:CGJ&${before}`), await summary(`scope=department:SJJ&${before}`)]).toEqual([4, 1]);
    expect([await summary(`scope=department:CGJ&${after}`), await summary(`scope=department:SJJ&${after}`)]).toEqual([3, 2]);
    // In the city's statistics (one CGJ case lies outside every street):
    expect([await summary(`department=CGJ&${before}`), await summary(`department=CGJ&${after}`)]).toEqual([3, 2]);
    const breakdown = async (query: string) =>
      Object.fromEntries((await get<{ rows: (Entry & { key: string })[] }>(`/api/stats/breakdown?by=department&${query}`)).rows.map((r) => [r.key, r.kpis.reported]));
    expect(await breakdown(before)).toMatchObject({ CGJ: 3, SJJ: 1 });
    expect(await breakdown(after)).toMatchObject({ CGJ: 2, SJJ: 2 });
    const ranking = async (query: string) => {
      const body = await get<{ red: Entry[]; black: Entry[] }>(`/api/stats/ranking?level=department&${query}`);
      return Object.fromEntries([...body.red, ...body.black].map((e) => [e.code, e.kpis.reported]));
    };
    expect(await ranking(before)).toMatchObject({ CGJ: 3, SJJ: 1 });
    expect(await ranking(after)).toMatchObject({ CGJ: 2, SJJ: 2 });
  });

  it('keeps the department when a dispatch names none', async () => {
    expect((await post({ type: 'returned', at: '2026-11-24T11:00:00+08:00' })).status).toBe(200);
    const res = await post({ type: 'dispatched', at: '2026-11-24T11:30:00+08:00' });
    expect(((await res.json()) as { issue: { department: { code: string } } }).issue.department.code).toBe('SJJ');
  });

  it('keeps the last move in memory: a re-dispatch moves the answers as of a moment before it without reading issue_events for it', async () => {
    const summary = async (query: string) => ((await (await t.app.request(`/api/stats/summary?${query}`)).json()) as { kpis: Kpis }).kpis.reported;
    const through24 = 'from=2026-11-01&to=2026-11-24';
    // I02 has been SJJ's since 11-24 11:30; the first request has read the last move long ago.
    expect([await summary(`scope=department:CGJ&${through24}`), await summary(`scope=department:SJJ&${through24}`)]).toEqual([3, 2]);
    const all = vi.spyOn(t.db, 'all');
    try {
      expect((await post({ type: 'returned', at: '2026-11-25T09:00:00+08:00' })).status).toBe(200);
      expect((await post({ type: 'dispatched', at: '2026-11-25T10:00:00+08:00', department: 'CGJ' })).status).toBe(200);
      // Through 11-24 the case was still SJJ's; only a later period counts it for CGJ again.
      expect([await summary(`scope=department:CGJ&${through24}`), await summary(`scope=department:SJJ&${through24}`)]).toEqual([3, 2]);
      expect([await summary('scope=department:CGJ&from=2026-11-01&to=2026-11-30'), await summary('scope=department:SJJ&from=2026-11-01&to=2026-11-30')]).toEqual([4, 1]);
      const scans = all.mock.calls.filter(([sql]) => /max\(occurred_at\)[\s\S]*FROM issue_events\s+WHERE imported/i.test(sql));
      expect(scans).toEqual([]);
    } finally {
      all.mockRestore();
    }
  });
});
