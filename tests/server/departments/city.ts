/**
 * The fixture city with departments (责任单位): 城管局 (CGJ), 市场监管局 (SJJ) and a street office
 * (GSJD), default departments for three categories (0101 and 0102 → CGJ, the second by its short
 * name; 0201 → SJJ; 0202 none), and the fixture issues imported again so the defaults apply:
 * CGJ holds I02, I03, I06, I07; SJJ holds I01, I05; I04 and I08 (0202) have no department.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppDeps } from '../../../server/app.ts';
import { cityApp, type TestApp } from '../../helpers/app.ts';
import { CITY, importOk } from '../../helpers/db.ts';

/** Chinese column names, as an office's export has them. */
export const DEPARTMENTS_CSV = `编码,名称,简称,类型,层级
CGJ,官渡区城市管理局,城管局,区直单位,区
SJJ,官渡区市场监督管理局,市场监管局,部门,区
GSJD,关上街道办事处,关上街道,街道办,区
`;

const CATEGORY_DEFAULTS = [
  { code: '0101', parent: '01', name: '暴露垃圾', limit: 2, limit_unit: 'work_hours', 默认责任单位: 'CGJ' },
  { code: '0102', parent: '01', name: '乱张贴小广告', limit: 1, limit_unit: 'work_days', 默认责任单位: '城管局' },
  { code: '0201', parent: '02', name: '占道经营', limit: 24, limit_unit: 'hours', 默认责任单位: '官渡区市场监督管理局' },
];

/** Writes `text` into a fresh temp folder under `name`; the folder is removed by `done`. */
export function tempFiles() {
  const dir = mkdtempSync(join(tmpdir(), 'civgrid-dept-'));
  return {
    write(name: string, text: string) {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    },
    done: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The fixture city with the departments above. */
export async function departmentCityApp(overrides: Partial<AppDeps> = {}): Promise<TestApp> {
  const t = await cityApp(overrides);
  const files = tempFiles();
  try {
    await importOk(t.db, { kind: 'departments', path: files.write('departments.csv', DEPARTMENTS_CSV) });
    await importOk(t.db, { kind: 'categories', path: files.write('categories.json', JSON.stringify(CATEGORY_DEFAULTS)) });
    await importOk(t.db, { kind: 'issues', path: `${CITY}/issues.geojson` });
  } finally {
    files.done();
  }
  return t;
}
