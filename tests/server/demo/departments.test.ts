import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../server/db/database.ts';
import { withDefaultDepartments } from '../../../server/demo/departments.ts';
import { loadDemo } from '../../../server/demo/load.ts';
import { loadTaxonomy } from '../../../server/demo/taxonomy.ts';
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

  it('holds fifteen district units and one office per street, and every issue has a department', async () => {
    const kinds = await db.all<{ kind: string; n: number }>('SELECT kind, count(*)::INTEGER AS n FROM departments GROUP BY kind ORDER BY kind');
    const streets = (await db.one<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM regions WHERE level = 'street'`))!.n;
    expect(kinds).toEqual([{ kind: 'department', n: 14 }, { kind: 'enterprise', n: 1 }, { kind: 'street-office', n: streets }]);
    expect((await db.one<{ n: number }>('SELECT count(*)::INTEGER AS n FROM issues WHERE department IS NULL'))!.n).toBe(0);
  });

  it('sends the 市容环境 cases at a school to 教育局, which answers for its surroundings', async () => {
    const rows = await db.all<{ category: string; at_school: boolean }>(
      `SELECT i.category, list_has_any(i.site_ids, (SELECT list(id) FROM sites WHERE type = 'school')) AS at_school
       FROM issues i WHERE i.department = 'GDJY' AND NOT EXISTS (SELECT 1 FROM issue_events e WHERE e.issue_id = i.id AND e.type = 'returned')`,
    );
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.every((r) => r.category.startsWith('01') && r.at_school)).toBe(true);
  });

  it('re-dispatches a few open cases, keeping both dispatches on the timeline', async () => {
    const moved = await db.all<{ id: string; departments: string[]; department: string }>(
      `SELECT e.issue_id AS id, list(e.department ORDER BY e.seq) AS departments, any_value(i.department) AS department
       FROM issue_events e JOIN issues i ON i.id = e.issue_id
       WHERE e.type = 'dispatched' GROUP BY e.issue_id HAVING count(*) > 1`,
    );
    expect(moved.length).toBeGreaterThan(0);
    for (const m of moved) {
      expect(m.departments[0]).toBe('GDCG');
      expect(m.departments.at(-1)).toBe(m.department);
      expect(m.department).not.toBe('GDCG');
    }
  });
});
