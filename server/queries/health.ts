import type { Database } from '../db/database.ts';

export type TableCounts = { regions: number; grids: number; sites: number; issues: number };

/** Row counts of the main tables; grids are those of the published plan. */
export async function tableCounts(db: Database): Promise<TableCounts> {
  const row = await db.one<TableCounts>(`SELECT
    (SELECT count(*) FROM regions) AS regions,
    (SELECT count(*) FROM grids WHERE plan_id = (SELECT id FROM grid_plans WHERE status = 'published')) AS grids,
    (SELECT count(*) FROM sites) AS sites,
    (SELECT count(*) FROM issues) AS issues`);
  return row!;
}
