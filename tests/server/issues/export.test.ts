import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cityApp, type TestApp } from '../../helpers/app.ts';
import { postJson } from './helpers.ts';

let t: TestApp;

beforeAll(async () => {
  t = await cityApp();
  const res = await postJson(t.app, '/api/issues', {
    clientId: 'csv-1', id: 'Q1', category: '0101', lon: 102.72, lat: 24.97, reportedAt: '2026-11-24T08:00:00+08:00',
    description: '=HYPERLINK("http://x","点我"), 含逗号\n和换行', address: '双桥村 "东门"',
  });
  expect(res.status).toBe(201);
});
afterAll(async () => t.cleanup());

const HEADERS = '编号,类别,来源,状态,立行立改,上报时间,派遣时间,截止时间,结案时间,超期,街道,社区,网格,经度,纬度,地址,描述,责任单位';

async function download(query = ''): Promise<{ res: Response; bytes: Uint8Array; rows: string[][] }> {
  const res = await t.app.request(`/api/export/issues.csv${query}`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  return { res, bytes, rows: parse(text.replace(/^\uFEFF/, ''), { relax_column_count: false }) as string[][] };
}

describe('GET /api/export/issues.csv', () => {
  it('starts with the UTF-8 BOM and the Chinese header line', async () => {
    const { res, bytes, rows } = await download();
    expect(res.status).toBe(200);
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(rows[0].join(',')).toBe(HEADERS);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="issues-20261125.csv"; filename*=UTF-8''${encodeURIComponent('问题清单-20261125.csv')}`,
    );
  });

  const filters: [query: string, where: string][] = [
    ['', 'street IS NOT NULL'],
    ['?scope=street:530111002', `street = '530111002'`],
    ['?status=closed&from=2026-11-01&to=2026-11-30', `street IS NOT NULL AND status = 'closed' AND reported_at >= '2026-10-31 16:00' AND reported_at < '2026-11-30 16:00'`],
  ];
  for (const [query, where] of filters) {
    it(`has one row per filtered issue (${query || 'no filter'})`, async () => {
      const want = (await t.db.all<{ id: string }>(`SELECT id FROM issues WHERE ${where} ORDER BY reported_at DESC, id DESC`)).map((r) => r.id);
      const { rows } = await download(query);
      expect(rows.slice(1).map((r) => r[0])).toEqual(want);
    });
  }

  it('writes Chinese labels and Shanghai times intact', async () => {
    const { rows } = await download('?scope=grid:530111001002001');
    const i01 = rows.find((r) => r[0] === 'I01')!;
    expect(i01).toEqual([
      'I01', '占道经营', '网格员巡查', '结案', '是', '2026-11-02 09:00:00', '2026-11-02 09:10:00', '2026-11-03 09:10:00',
      '2026-11-02 10:00:00', '否', '关上街道', '双桥社区', '双桥社区第1网格', '102.72', '24.97', '测试地址', '测试问题I01', '',
    ]);
  });

  it('quotes commas, quotes and line breaks, and defuses formulas', async () => {
    const { rows } = await download('?scope=grid:530111001002001');
    const q1 = rows.find((r) => r[0] === 'Q1')!;
    expect(q1[9]).toBe('是');
    expect(q1[15]).toBe('双桥村 "东门"');
    expect(q1[16]).toBe(`'=HYPERLINK("http://x","点我"), 含逗号\n和换行`);
  });

  it('defuses every formula trigger, quotes edge spaces and rolls times over Shanghai midnight', async () => {
    const cells = ['+1+1', '-2+3', '@SUM(A1)', ' 前后空格 ', 'plain'];
    const values = cells.map((_, k) =>
      `('F${k}', '0101', 'hotline', 'reported', false, 0, TIMESTAMP '2026-11-21 16:30:05', 102.72, 24.97, '530111001002001', '530111001002', '530111001', false, [], $t${k})`);
    await t.db.run(
      `INSERT INTO issues (id, category, source, status, immediate, rework_count, reported_at, lon, lat, grid_code, community, street, outside_grid, site_ids, description) VALUES ${values.join(',')}`,
      Object.fromEntries(cells.map((text, k) => [`t${k}`, text])),
    );
    const res = await t.app.request('/api/export/issues.csv?from=2026-11-22&to=2026-11-22');
    const text = await res.text();
    expect(text).toContain('," 前后空格 ",\r\n');
    const { rows } = await download('?from=2026-11-22&to=2026-11-22');
    expect(rows.slice(1).map((r) => r[16])).toEqual(['plain', ' 前后空格 ', "'@SUM(A1)", "'-2+3", "'+1+1"]);
    expect(rows[1].slice(2, 6)).toEqual(['12345', '上报', '否', '2026-11-22 00:30:05']);
  });

  it('streams more rows than one page holds', async () => {
    const values = Array.from({ length: 10_050 }, (_, k) =>
      `('B${k}', '0101', 'patrol', 'reported', false, 0, TIMESTAMP '2026-11-23 00:00:00' + INTERVAL (${k}) SECOND, 102.72, 24.97, '530111001002001', '530111001002', '530111001', false, [])`);
    await t.db.run(`INSERT INTO issues (id, category, source, status, immediate, rework_count, reported_at, lon, lat, grid_code, community, street, outside_grid, site_ids) VALUES ${values.join(',')}`);
    const { rows } = await download('?from=2026-11-23&to=2026-11-23');
    expect(rows.length - 1).toBe(10_050);
    expect(new Set(rows.slice(1).map((r) => r[0])).size).toBe(10_050);
  });

  it('answers 400 for a bad filter before streaming', async () => {
    const res = await t.app.request('/api/export/issues.csv?from=2026-13-01');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { details: { parameter: string }[] } }).error.details[0].parameter).toBe('from');
  });
});
