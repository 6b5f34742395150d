import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../server/db/database.ts';
import { withDefaultDepartments } from '../../../server/demo/departments.ts';
import { loadDemo } from '../../../server/demo/load.ts';
import { loadTaxonomy } from '../../../server/demo/taxonomy.ts';
import { unitsOf } from '../../../server/queries/stats.ts';
import { FIXTURE_NOW } from '../../helpers/fixture-clock.ts';
import { freshDb } from '../../helpers/db.ts';

describe('the demo’s departments', () => {
  let db: Database;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    let dir: string;
    ({ db, dir, cleanup } = await freshDb());
    await loadDemo(db, { seed: 5, issues: 12_000, grids: 140, sites: 60, now: FIXTURE_NOW, outDir: join(dir, 'demo') });
  }, 120_000);
  afterAll(async () => cleanup());

  it('gives every 小类 a default department', () => {
    const leaves = withDefaultDepartments(loadTaxonomy()).filter((c) => c.parent !== null);
    expect(leaves.filter((c) => !c.department).map((c) => c.code)).toEqual([]);
  });

  it('holds fifteen units per district and one office per street, and every issue has a department', async () => {
    const kinds = await db.all<{ kind: string; n: number }>('SELECT kind, count(*)::INTEGER AS n FROM departments GROUP BY kind ORDER BY kind');
    const streets = (await db.one<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM regions WHERE level = 'street'`))!.n;
    const districts = (await db.one<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM regions WHERE level = 'district'`))!.n;
    expect(districts).toBe(6);
    expect(kinds).toEqual([{ kind: 'department', n: 14 * districts }, { kind: 'enterprise', n: districts }, { kind: 'street-office', n: streets }]);
    expect((await db.one<{ n: number }>('SELECT count(*)::INTEGER AS n FROM issues WHERE department IS NULL'))!.n).toBe(0);
  });

  it('sends each issue to a unit of its own district: the category’s kind of unit, resolved there', async () => {
    // A district's units carry its initials (五华区 WH…), street offices the street's code.
    const wrong = await db.all<{ id: string }>(
      `SELECT i.id FROM issues i JOIN regions s ON s.code = i.street JOIN departments d ON d.code = i.department
       WHERE d.kind <> 'street-office' AND NOT starts_with(i.department, CASE s.parent
         WHEN '530102' THEN 'WH' WHEN '530103' THEN 'PL' WHEN '530111' THEN 'GD' WHEN '530112' THEN 'XS' WHEN '530114' THEN 'CG' ELSE 'JN' END)
       LIMIT 5`,
    );
    expect(wrong).toEqual([]);
    const perDistrict = await db.all<{ district: string; n: number }>(
      `SELECT s.parent AS district, count(DISTINCT i.department)::INTEGER AS n FROM issues i JOIN regions s ON s.code = i.street
       JOIN departments d ON d.code = i.department AND d.short_name = '城管局' GROUP BY 1`,
    );
    expect(perDistrict.length).toBe(6);
    expect(perDistrict.every((r) => r.n === 1)).toBe(true);
  });

  it('ranks a district’s own departments under it, every district’s in the city, each with its district', async () => {
    const inWuhua = await unitsOf(db, 'department', { level: 'district', id: '530102' });
    expect(inWuhua.length).toBe(15);
    expect(inWuhua.every((u) => u.code.startsWith('WH') && u.parent?.code === '530102')).toBe(true);
    const inCity = await unitsOf(db, 'department', { level: 'city', id: '530100' });
    expect(inCity.length).toBe(90);
  });

  it('sends the 市容环境 cases at a school to its district’s 教育局, which answers for its surroundings', async () => {
    const rows = await db.all<{ category: string; at_school: boolean }>(
      `SELECT i.category, list_has_any(i.site_ids, (SELECT list(id) FROM sites WHERE type = 'school')) AS at_school
       FROM issues i JOIN departments d ON d.code = i.department
       WHERE d.short_name = '教育局' AND NOT EXISTS (SELECT 1 FROM issue_events e WHERE e.issue_id = i.id AND e.type = 'returned')`,
    );
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.every((r) => r.category.startsWith('01') && r.at_school)).toBe(true);
  });

  it('re-dispatches a few open cases in every district, keeping both dispatches on the timeline', async () => {
    const moved = await db.all<{ id: string; departments: string[]; department: string; district: string }>(
      `SELECT e.issue_id AS id, list(e.department ORDER BY e.seq) AS departments, any_value(i.department) AS department, any_value(s.parent) AS district
       FROM issue_events e JOIN issues i ON i.id = e.issue_id JOIN regions s ON s.code = i.street
       WHERE e.type = 'dispatched' GROUP BY e.issue_id HAVING count(*) > 1`,
    );
    // This small demo has open 城管局 cases of the last month in only some districts.
    expect(new Set(moved.map((m) => m.district)).size).toBeGreaterThan(1);
    for (const m of moved) {
      expect(m.departments[0]).toMatch(/CG$/);
      expect(m.departments.at(-1)).toBe(m.department);
      expect(m.department).not.toBe(m.departments[0]);
      // To the same district's unit, or to a street office.
      expect(m.department.startsWith(m.departments[0].slice(0, 2)) || m.department.startsWith('JD')).toBe(true);
    }
  });
});
