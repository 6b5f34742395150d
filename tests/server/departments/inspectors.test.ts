import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cityApp, type TestApp } from '../../helpers/app.ts';
import { rankInspectors } from '../../../server/kpi/ranking.ts';
import { postJson } from '../issues/helpers.ts';

let t: TestApp;
let ranked: TestApp;
beforeAll(async () => {
  [t, ranked] = await Promise.all([cityApp(), cityApp({ inspectorRanking: true })]);
});
afterAll(async () => {
  await t.cleanup();
  await ranked.cleanup();
});

type Row = { name: string; grids: string[]; found: number; issues: number; due: number; onTime: number; onTimeRate: number | null };
type Answer = { named: boolean; rows: Row[]; ranking: (Row & { rank: number })[] | null };
const get = async (app: TestApp, url: string) => {
  const res = await app.app.request(url);
  const body = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(200);
  return body as Answer;
};

describe('GET /api/inspectors', () => {
  it('counts what each inspector found and how their grids did, on the fixture city', async () => {
    const body = await get(t, '/api/inspectors?from=2026-10-01&to=2026-11-25');
    const byName = Object.fromEntries(body.rows.map((r) => [r.name, r]));
    // The fixture's patrol reports name nobody, so each is found by its grid's inspector. 王芳 holds
    // 双桥社区第1网格 (I01 closed on time, I02 overdue) and 金太社区第1网格 (I06 overdue).
    expect(byName['王芳']).toEqual({
      name: '王芳', grids: ['530111001002001', '530111002002001'], found: 3, issues: 3, due: 3, onTime: 1, onTimeRate: 0.3333,
    });
    // 张伟: I03 in 和平路社区第1网格, closed after its deadline.
    expect(byName['张伟']).toMatchObject({ grids: ['530111001001001', '530111002001001'], found: 1, issues: 1, due: 1, onTime: 0, onTimeRate: 0 });
    // 刘洋: I05 on time; I08 was reported before the period and is deferred.
    expect(byName['刘洋']).toMatchObject({ found: 1, issues: 1, due: 1, onTime: 1, onTimeRate: 1 });
    expect(body.rows.map((r) => r.name).sort()).toEqual(['刘洋', '张伟', '李娜', '王芳']);
  });

  it('leaves the ranking out unless the deployment names inspectors in one', async () => {
    expect(await get(t, '/api/inspectors')).toMatchObject({ named: false, ranking: null });
    const body = await get(ranked, '/api/inspectors?from=2026-10-01&to=2026-11-25');
    expect(body.named).toBe(true);
    // 张伟 and 李娜 tie on rate and reports found: by name.
    expect(body.ranking?.map((r) => [r.rank, r.name])).toEqual([[1, '刘洋'], [2, '王芳'], [3, '张伟'], [4, '李娜']]);
  });

  it('answers one inspector by name, and 404 for a name no grid in the scope has', async () => {
    const one = await get(t, '/api/inspectors?name=王芳&scope=street:530111001');
    expect(one.rows.map((r) => [r.name, r.grids])).toEqual([['王芳', ['530111001002001']]]);
    expect((await t.app.request('/api/inspectors?name=赵六')).status).toBe(404);
  });

  it('credits a report to its reporter wherever it lies, and counts it in the grid it lies in', async () => {
    // 王芳 reports in 张伟's 和平路社区第1网格 (where I03 lies).
    const res = await postJson(t.app, '/api/issues', { clientId: 'insp-1', category: '0202', lon: 102.765, lat: 24.93, reporter: '王芳', reportedAt: '2026-11-25T09:00:00+08:00' });
    expect(res.status).toBe(201);
    const body = await get(t, '/api/inspectors?from=2026-10-01&to=2026-11-25');
    const byName = Object.fromEntries(body.rows.map((r) => [r.name, r]));
    expect([byName['王芳'].found, byName['王芳'].issues]).toEqual([4, 3]);
    expect([byName['张伟'].found, byName['张伟'].issues]).toEqual([1, 2]);
  });

  it('ranks by on-time rate, then reports found, then name; nobody with nothing due', () => {
    const row = (name: string, found: number, due: number, onTimeRate: number | null) => ({ name, found, due, onTimeRate });
    expect(rankInspectors([row('乙', 1, 2, 0.5), row('甲', 3, 2, 0.5), row('丙', 9, 0, null), row('丁', 0, 1, 1)]).map((r) => [r.rank, r.name]))
      .toEqual([[1, '丁'], [2, '甲'], [3, '乙']]);
  });
});
