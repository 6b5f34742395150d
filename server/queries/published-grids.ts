/**
 * The published grids: every district holds its own plan, so what the dashboards, the KPI engine,
 * assignment, meta and health read is the union of each district's published plan. This is the one
 * place that says so; readers take {@link PUBLISHED_GRIDS} where they used to name a plan.
 */
import type { Database, Session } from '../db/database.ts';
import { regionCodesUnder } from '../kpi/region-sql.ts';

type Reader = Pick<Database, 'all' | 'one'> | Session;

/** A subquery (give it an alias) of the rows of `grids` that belong to a published plan. */
export const PUBLISHED_GRIDS = `(SELECT * FROM grids WHERE plan_id IN (SELECT id FROM grid_plans WHERE status = 'published'))`;

/** SQL of the communities of the district `$scopeId` (a plan's grids lie in them). */
export const DISTRICT_COMMUNITIES = regionCodesUnder('community', 'district');

/** SQL of the streets of the district `$scopeId` (issues carry their street). */
export const DISTRICT_STREETS = regionCodesUnder('street', 'district');

/** A district's published plan as meta and health list it. */
export type PublishedPlan = { id: number; district: string; name: string; publishedAt: Date | null; grids: number };

/** Every district's published plan, by district code. */
export function publishedPlans(db: Reader): Promise<PublishedPlan[]> {
  return db.all<PublishedPlan>(
    `SELECT p.id, p.district, p.name, p.published_at AS "publishedAt", (SELECT count(*) FROM grids g WHERE g.plan_id = p.id)::INTEGER AS grids
     FROM grid_plans p WHERE p.status = 'published' ORDER BY p.district, p.id`,
  );
}

/** The id of a district's published plan, or null when it has none yet. */
export async function publishedPlanOf(db: Reader, district: string): Promise<number | null> {
  return (await db.one<{ id: number }>(`SELECT id FROM grid_plans WHERE status = 'published' AND district = $district`, { district }))?.id ?? null;
}

/** The districts of the deployment (one, or a city's), by code. */
export function districtRows(db: Reader): Promise<{ code: string; name: string }[]> {
  return db.all(`SELECT code, name FROM regions WHERE level = 'district' ORDER BY code`);
}

/** The published grids of every district but `district`, as the border checks of its plans need them. */
export async function neighbourGrids(db: Reader, district: string): Promise<{ code: string; district: string; geometry: string }[]> {
  return db.all(
    `SELECT g.code, p.district, g.geometry FROM ${PUBLISHED_GRIDS} g JOIN grid_plans p ON p.id = g.plan_id
     WHERE p.district IS DISTINCT FROM $district ORDER BY g.code`,
    { district },
  );
}
