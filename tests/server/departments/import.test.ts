import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImport } from '../../../server/import/pipeline.ts';
import { fingerprint } from '../../helpers/db.ts';
import { postJson } from '../issues/helpers.ts';
import type { TestApp } from '../../helpers/app.ts';
import { departmentCityApp, tempFiles } from './city.ts';

let t: TestApp;
const files = tempFiles();
beforeAll(async () => {
  t = await departmentCityApp();
});
afterAll(async () => {
  files.done();
  await t.cleanup();
});

const issueCsv = (id: string, department: string) =>
  `案件编号,小类,上报时间,经度,纬度,处置单位\n${id},0202,2026-11-20T10:00:00+08:00,102.72,24.97,${department}\n`;

describe('departments as data', () => {
  it('imports departments with Chinese column names and kinds, and lists them in /api/meta', async () => {
    const meta = (await (await t.app.request('/api/meta')).json()) as { departments: unknown[] };
    expect(meta.departments).toEqual([
      { code: 'CGJ', name: '官渡区城市管理局', shortName: '城管局', kind: 'department' },
      { code: 'GSJD', name: '关上街道办事处', shortName: '关上街道', kind: 'street-office' },
      { code: 'SJJ', name: '官渡区市场监督管理局', shortName: '市场监管局', kind: 'department' },
    ]);
  });

  it('gives an issue without a department its category’s default, named by code, name or short name', async () => {
    const rows = await t.db.all<{ id: string; department: string | null }>('SELECT id, department FROM issues ORDER BY id');
    expect(Object.fromEntries(rows.map((r) => [r.id, r.department]))).toEqual({
      I01: 'SJJ', I02: 'CGJ', I03: 'CGJ', I04: null, I05: 'SJJ', I06: 'CGJ', I07: 'CGJ', I08: null,
    });
    // The imported dispatch names the department on the timeline.
    const dispatch = await t.db.one<{ department: string }>(`SELECT department FROM issue_events WHERE issue_id = 'I02' AND type = 'dispatched'`);
    expect(dispatch?.department).toBe('CGJ');
  });

  it('takes the department an issue names (处置单位) over the default', async () => {
    const report = await runImport(t.db, { kind: 'issues', path: files.write('named.csv', issueCsv('N01', '关上街道')) });
    expect(report.ok).toBe(true);
    expect((await t.db.one<{ department: string }>(`SELECT department FROM issues WHERE id = 'N01'`))?.department).toBe('GSJD');
  });

  it('refuses an unknown department, naming it, and writes nothing', async () => {
    const before = await fingerprint(t.db);
    const report = await runImport(t.db, { kind: 'issues', path: files.write('unknown.csv', issueCsv('N02', '园林局')) });
    expect(report.ok).toBe(false);
    expect(report.errors).toEqual([expect.objectContaining({ id: 'N02', field: 'department', code: 'unknown_department' })]);
    expect(report.errors[0].reason).toContain('"园林局"');
    expect(await fingerprint(t.db)).toEqual(before);
  });

  it('creates an unknown department with --create-departments and says so', async () => {
    const report = await runImport(t.db, { kind: 'issues', path: files.write('create.csv', issueCsv('N03', '园林局')), createDepartments: true });
    expect(report.ok).toBe(true);
    expect(report.warnings).toEqual([expect.objectContaining({ field: 'department', code: 'department_created' })]);
    expect(report.warnings[0].reason).toContain('"园林局"');
    const made = await t.db.one<{ code: string; kind: string }>(`SELECT code, kind FROM departments WHERE name = '园林局'`);
    expect(made?.kind).toBe('department');
    expect((await t.db.one<{ department: string }>(`SELECT department FROM issues WHERE id = 'N03'`))?.department).toBe(made?.code);
  });

  it('refuses a category naming an unknown department', async () => {
    const path = files.write('cat.json', JSON.stringify([{ code: '0202', parent: '02', name: '机动车乱停', 责任单位: '交警大队' }]));
    const report = await runImport(t.db, { kind: 'categories', path });
    expect(report.ok).toBe(false);
    expect(report.errors[0]).toMatchObject({ field: 'department', code: 'unknown_department' });
  });

  it('refuses a live report naming an unknown department with 422 naming it', async () => {
    const res = await postJson(t.app, '/api/issues', { clientId: 'dept-1', category: '0202', lon: 102.72, lat: 24.97, department: '园艺所' });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { code: string; details: { field: string; reason: string }[] } };
    expect(body.error.code).toBe('invalid_issue');
    expect(body.error.details[0]).toMatchObject({ field: 'department' });
    expect(body.error.details[0].reason).toContain('"园艺所"');
  });

  it('takes a live report’s department by short name', async () => {
    const res = await postJson(t.app, '/api/issues', { clientId: 'dept-2', category: '0202', lon: 102.72, lat: 24.97, department: '市场监管局' });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { issue: { department: { code: string; name: string } } };
    expect(body.issue.department).toEqual({ code: 'SJJ', name: '官渡区市场监督管理局' });
  });

  it('links a key site whose accountable unit names a department', async () => {
    const path = files.write('sites.geojson', JSON.stringify({
      type: 'FeatureCollection',
      features: [{ type: 'Feature', properties: { id: 'SD1', type: 'market', name: '测试市场', 责任单位: '市场监管局' }, geometry: { type: 'Point', coordinates: [102.73, 24.96] } }],
    }));
    const report = await runImport(t.db, { kind: 'sites', path });
    expect(report.ok).toBe(true);
    expect(await t.db.one(`SELECT unit, unit_department FROM sites WHERE id = 'SD1'`)).toEqual({ unit: '市场监管局', unit_department: 'SJJ' });
    const sites = (await (await t.app.request('/api/sites?scope=site:SD1')).json()) as { features: { properties: Record<string, unknown> }[] };
    expect(sites.features[0].properties).toMatchObject({ unit: '市场监管局', unitDepartment: 'SJJ' });
  });
});
