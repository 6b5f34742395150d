import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kpis } from '../../../server/kpi/definitions.ts';
import type { TestApp } from '../../helpers/app.ts';
import { additive, errorOf, sumKpis } from '../stats/city.ts';
import { departmentCityApp } from './city.ts';

let t: TestApp;
beforeAll(async () => {
  t = await departmentCityApp({ inspectorRanking: false });
});
afterAll(async () => t.cleanup());

const get = async <T>(url: string): Promise<T> => {
  const res = await t.app.request(url);
  const body = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(200);
  return body as T;
};
type Row = { key: string | null; name: string; kpis: Kpis };
const PERIOD = 'from=2026-09-01&to=2026-11-25';

describe('departments counted like any unit', () => {
  it('breaks KPIs down by department, the undispatched in their own row, adding up to the district', async () => {
    const body = await get<{ rows: Row[]; total: Kpis; overlapping: boolean }>(`/api/stats/breakdown?by=department&${PERIOD}`);
    expect(body.overlapping).toBe(false);
    // I07 (CGJ) lies outside every street of the district.
    expect(body.rows.map((r) => [r.key, r.name, r.kpis.reported])).toEqual([
      ['CGJ', '官渡区城市管理局', 3], ['SJJ', '官渡区市场监督管理局', 2], [null, '未派遣', 2],
    ]);
    expect(sumKpis(body.rows.map((r) => r.kpis))).toEqual(additive(body.total));
    const district = await get<{ kpis: Kpis }>(`/api/stats/summary?${PERIOD}`);
    expect(additive(body.total)).toEqual(additive(district.kpis));
  });

  it('summarises one department (scope=department:CODE) with all its cases, with 环比 and 同比', async () => {
    const row = (await get<{ rows: Row[] }>(`/api/stats/breakdown?by=department&${PERIOD}`)).rows.find((r) => r.key === 'SJJ')!;
    const body = await get<{ scope: unknown; kpis: Kpis; previous: unknown; lastYear: unknown }>(`/api/stats/summary?scope=department:SJJ&${PERIOD}`);
    expect(body.scope).toEqual({ level: 'department', id: 'SJJ', name: '官渡区市场监督管理局' });
    expect(additive(body.kpis)).toEqual(additive(row.kpis));
    // A department's scope holds its cases wherever they lie, I07 outside the district's streets too.
    const cgj = await get<{ kpis: Kpis }>(`/api/stats/summary?scope=department:CGJ&${PERIOD}`);
    expect(cgj.kpis.reported).toBe(4);
    expect(body.previous).not.toBeNull();
    expect(body.lastYear).not.toBeNull();
  });

  it('counts the share closed past the deadline (超期结案率) as a KPI', async () => {
    const cgj = await get<{ kpis: Kpis }>(`/api/stats/summary?scope=department:CGJ&${PERIOD}`);
    // I03 (1 working day from 11-04 08:30) was closed on 11-06: closed, late.
    expect(cgj.kpis).toMatchObject({ closed: 1, closedOnTime: 0, closedLate: 1, lateRate: 1 });
    const sjj = await get<{ kpis: Kpis }>(`/api/stats/summary?scope=department:SJJ&${PERIOD}`);
    expect(sjj.kpis).toMatchObject({ closed: 2, closedOnTime: 2, closedLate: 0, lateRate: 0 });
  });

  it('ranks the departments (区直单位红黑榜) in the streets’ shape, leaving out the street offices', async () => {
    const body = await get<{ level: string; ranked: number; unranked: number; red: { code: string; name: string; rank: number; kpis: Kpis; parent: unknown }[] }>(
      `/api/stats/ranking?level=department&${PERIOD}`,
    );
    expect(body.level).toBe('department');
    expect(body.ranked + body.unranked).toBe(2);
    expect(body.red.map((e) => e.code).sort()).toEqual(['CGJ', 'SJJ']);
    expect(body.red[0]).toMatchObject({ code: 'SJJ', rank: 1, parent: { code: '530111', name: '官渡区' } });
    const street = await get<{ red: Record<string, unknown>[] }>(`/api/stats/ranking?level=street&${PERIOD}`);
    expect(Object.keys(body.red[0]).sort()).toEqual(Object.keys(street.red[0]).sort());
  });

  it('filters every statistic and the issue list by department', async () => {
    const filtered = await get<{ kpis: Kpis }>(`/api/stats/summary?department=SJJ&${PERIOD}`);
    expect(filtered.kpis.reported).toBe(2);
    const list = await get<{ items: { id: string; department: { code: string } | null }[] }>('/api/issues?department=CGJ,SJJ');
    expect(list.items.map((i) => i.id).sort()).toEqual(['I01', 'I02', 'I03', 'I05', 'I06']);
    expect(list.items.find((i) => i.id === 'I02')?.department).toEqual({ code: 'CGJ', name: '官渡区城市管理局' });
    const scoped = await get<{ items: { id: string }[] }>('/api/issues?scope=department:SJJ');
    expect(scoped.items.map((i) => i.id).sort()).toEqual(['I01', 'I05']);
  });

  it('names the department in the CSV export, filtered by it', async () => {
    const text = await (await t.app.request('/api/export/issues.csv?department=SJJ')).text();
    const lines = text.trim().split('\r\n');
    expect(lines[0].endsWith(',责任单位')).toBe(true);
    expect(lines.slice(1).map((l) => [l.split(',')[0], l.split(',').at(-1)])).toEqual([['I01', '官渡区市场监督管理局'], ['I05', '官渡区市场监督管理局']]);
  });

  it('refuses an unknown department in a scope or a filter with 400 naming the parameter', async () => {
    expect(await errorOf(t.app, '/api/stats/summary?scope=department:NOPE')).toMatchObject({ status: 400, parameters: ['scope'] });
    expect(await errorOf(t.app, '/api/stats/summary?department=NOPE')).toMatchObject({ status: 400, parameters: ['department'] });
    expect(await errorOf(t.app, '/api/stats/ranking?scope=department:CGJ&level=department')).toMatchObject({ status: 400, parameters: ['scope'] });
  });
});
