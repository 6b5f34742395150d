/**
 * SQL of grid plans: the plan rows, their grids, the change log (which is also the undo/redo log),
 * the key-site points the planner's live metrics run on (its issue points are the KPI engine's),
 * and publishing.
 */
import { listValue } from '@duckdb/node-api';
import type { MultiPolygon, Polygon } from 'geojson';
import type { Database, Session } from '../db/database.ts';
import { bboxOf } from '../domain/geometry.ts';
import type { SitePoints } from '../plan/points.ts';
import type { GridFeature } from '../plan/state.ts';
import { areaKm2 } from '../spatial/measure.ts';
import { DISTRICT_COMMUNITIES, DISTRICT_STREETS } from './published-grids.ts';

type Reader = Pick<Database, 'all' | 'one'> | Session;

/** Life cycle of a plan: drafts are edited, one plan per district is published, replaced ones are archived. */
export type PlanStatus = 'draft' | 'published' | 'archived';

/** A plan as the API lists it. */
export type PlanRow = {
  id: number; name: string; status: PlanStatus; basedOn: number | null; author: string;
  /** The district the plan divides into grids, with its name. */
  district: string; districtName: string | null;
  createdAt: Date; updatedAt: Date; publishedAt: Date | null; archivedAt: Date | null; grids: number;
};

const PLAN_COLUMNS = `p.id, p.name, p.status, p.based_on AS "basedOn", p.author, p.district,
  (SELECT name FROM regions r WHERE r.code = p.district) AS "districtName", p.created_at AS "createdAt", p.updated_at AS "updatedAt",
  p.published_at AS "publishedAt", p.archived_at AS "archivedAt", (SELECT count(*) FROM grids g WHERE g.plan_id = p.id) AS grids`;

/** Every plan, oldest first (of every district). */
export function listPlans(db: Reader): Promise<PlanRow[]> {
  return db.all<PlanRow>(`SELECT ${PLAN_COLUMNS} FROM grid_plans p ORDER BY p.id`);
}

/** One plan, or undefined. */
export function getPlan(db: Reader, id: number): Promise<PlanRow | undefined> {
  return db.one<PlanRow>(`SELECT ${PLAN_COLUMNS} FROM grid_plans p WHERE p.id = $id`, { id });
}

/** The district a plan divides (every plan has one; a plan that does not exist has none). */
export async function planDistrict(db: Reader, id: number): Promise<string> {
  return (await db.one<{ district: string | null }>(`SELECT district FROM grid_plans WHERE id = $id`, { id }))?.district ?? '';
}

/** Creates a draft of `district` holding a copy of plan `from`'s grids (none when `from` is null); returns its id. */
export async function createDraft(tx: Session, p: { name: string; district: string; from: number | null; author: string }): Promise<number> {
  const row = await tx.one<{ id: number }>(
    `INSERT INTO grid_plans (name, status, based_on, author, district) VALUES ($name, 'draft', $from, $author, $district) RETURNING id`,
    { name: p.name, from: p.from, author: p.author, district: p.district },
  );
  if (p.from !== null) {
    await tx.run(
      `INSERT INTO grids (plan_id, code, name, community, inspector, households, geometry, xmin, ymin, xmax, ymax, area_km2)
       SELECT $id, code, name, community, inspector, households, geometry, xmin, ymin, xmax, ymax, area_km2 FROM grids WHERE plan_id = $from`,
      { id: row!.id, from: p.from },
    );
  }
  return row!.id;
}

/** Renames a plan. */
export async function renamePlan(tx: Session, id: number, name: string): Promise<void> {
  await tx.run(`UPDATE grid_plans SET name = $name, updated_at = now()::TIMESTAMP WHERE id = $id`, { id, name });
}

/** Deletes a plan and its grids (its change log stays, as the record of what happened). */
export async function deletePlan(tx: Session, id: number): Promise<void> {
  await tx.run(`DELETE FROM grids WHERE plan_id = $id`, { id });
  await tx.run(`DELETE FROM grid_plans WHERE id = $id`, { id });
}

/** Marks a plan as changed now. */
export async function touchPlan(tx: Session, id: number): Promise<void> {
  await tx.run(`UPDATE grid_plans SET updated_at = now()::TIMESTAMP WHERE id = $id`, { id });
}

/** The plan's grids as features. */
export async function planGrids(db: Reader, planId: number): Promise<GridFeature[]> {
  const rows = await db.all<{ code: string; name: string; community: string; inspector: string | null; households: number | null; geometry: string }>(
    `SELECT code, name, community, inspector, households, geometry FROM grids WHERE plan_id = $planId ORDER BY code`, { planId },
  );
  return rows.map((r) => ({
    type: 'Feature', id: r.code,
    properties: { code: r.code, name: r.name, community: r.community, inspector: r.inspector, households: r.households },
    geometry: JSON.parse(r.geometry) as Polygon | MultiPolygon,
  }));
}

/** Polygons of the communities of a district (a plan's grids lie in them), by code. */
export async function communityShapes(db: Reader, district: string): Promise<Map<string, Polygon | MultiPolygon>> {
  const rows = await db.all<{ code: string; geometry: string }>(
    `SELECT code, geometry FROM regions WHERE level = 'community' AND code IN ${DISTRICT_COMMUNITIES}`, { scopeId: district },
  );
  return new Map(rows.map((r) => [r.code, JSON.parse(r.geometry) as Polygon | MultiPolygon]));
}

/** Replaces grids: deletes `remove` codes, then writes `grids` (bbox and area recomputed). */
export async function replaceGrids(tx: Session, planId: number, remove: readonly string[], grids: readonly GridFeature[]): Promise<void> {
  const codes = [...new Set([...remove, ...grids.map((g) => g.properties.code)])];
  if (codes.length) await tx.run(`DELETE FROM grids WHERE plan_id = $planId AND list_contains($codes, code)`, { planId, codes: listValue(codes) });
  for (const g of grids) {
    const [xmin, ymin, xmax, ymax] = bboxOf(g.geometry);
    const p = g.properties;
    await tx.run(
      `INSERT INTO grids (plan_id, code, name, community, inspector, households, geometry, xmin, ymin, xmax, ymax, area_km2)
       VALUES ($planId, $code, $name, $community, $inspector, $households, $geometry, $xmin, $ymin, $xmax, $ymax, $area)`,
      { planId, code: p.code, name: p.name, community: p.community, inspector: p.inspector, households: p.households, geometry: JSON.stringify(g.geometry), xmin, ymin, xmax, ymax, area: areaKm2(g.geometry) },
    );
  }
}

/** A change-log row. */
export type ChangeRow = { seq: number; at: Date; author: string; op: string; payload: unknown; before: GridFeature[]; after: GridFeature[] };

/** Appends a change; returns its sequence number within the plan. */
export async function appendChange(
  tx: Session,
  c: { planId: number; author: string; op: string; payload: unknown; before?: readonly GridFeature[]; after?: readonly GridFeature[] },
): Promise<number> {
  const row = await tx.one<{ seq: number }>(
    `INSERT INTO plan_changes (plan_id, seq, author, op, payload, before_grids, after_grids)
     SELECT $planId, coalesce(max(seq), 0) + 1, $author, $op, $payload, $before, $after FROM plan_changes WHERE plan_id = $planId
     RETURNING seq`,
    { planId: c.planId, author: c.author, op: c.op, payload: JSON.stringify(c.payload), before: JSON.stringify(c.before ?? []), after: JSON.stringify(c.after ?? []) },
  );
  return row!.seq;
}

/** The log's sequence numbers and ops (what the undo/redo stacks are computed from). */
export function changeOps(db: Reader, planId: number): Promise<{ seq: number; op: string }[]> {
  return db.all(`SELECT seq, op FROM plan_changes WHERE plan_id = $planId ORDER BY seq`, { planId });
}

/** Change-log rows, newest first; with `seq`, just that one. */
export async function changes(db: Reader, planId: number, seq?: number): Promise<ChangeRow[]> {
  const columns = 'seq, changed_at AS "at", author, op, payload, before_grids, after_grids';
  const rows = await db.all<{ seq: number; at: Date; author: string; op: string; payload: string; before_grids: string | null; after_grids: string | null }>(
    seq === undefined
      ? `SELECT ${columns} FROM plan_changes WHERE plan_id = $planId ORDER BY seq DESC`
      : `SELECT ${columns} FROM plan_changes WHERE plan_id = $planId AND seq = $seq`,
    seq === undefined ? { planId } : { planId, seq },
  );
  return rows.map((r) => ({
    seq: r.seq, at: r.at, author: r.author, op: r.op, payload: JSON.parse(r.payload),
    before: JSON.parse(r.before_grids ?? '[]'), after: JSON.parse(r.after_grids ?? '[]'),
  }));
}

/** Key sites with their type and assignment point. */
export async function loadSitePoints(db: Reader): Promise<SitePoints> {
  const rows = await db.all<{ id: string; name: string; type: string; lon: number; lat: number }>(`SELECT id, name, type, lon, lat FROM sites ORDER BY id`);
  return {
    ids: rows.map((r) => r.id), names: rows.map((r) => r.name), types: rows.map((r) => r.type),
    lon: Float64Array.from(rows.map((r) => r.lon)), lat: Float64Array.from(rows.map((r) => r.lat)),
  };
}

/**
 * SQL (with `$scopeId` the district) of the issues or sites a district's plan places: those in its
 * streets, and those in no street at all (in a one-district deployment: every one). Placing the
 * latter again is harmless: only a grid of this district can take them.
 */
export const IN_DISTRICT = `(street IS NULL OR street IN ${DISTRICT_STREETS})`;

/**
 * Publishes `planId`, a plan of `district`, in the caller's transaction: the grid each issue of the
 * district had under the outgoing plan goes to issue_grid_history, the outgoing plan is archived and
 * this one published. Other districts' plans and issues are not touched. The caller re-assigns the
 * district's issues and sites afterwards (same transaction).
 */
export async function publishPlan(tx: Session, planId: number, outgoing: number | null, district: string): Promise<void> {
  if (outgoing !== null) {
    await tx.run(`DELETE FROM issue_grid_history WHERE plan_id = $outgoing`, { outgoing });
    await tx.run(
      `INSERT INTO issue_grid_history (plan_id, issue_id, grid_code) SELECT $outgoing, id, grid_code FROM issues WHERE ${IN_DISTRICT}`,
      { outgoing, scopeId: district },
    );
    await tx.run(`UPDATE grid_plans SET status = 'archived', archived_at = now()::TIMESTAMP, updated_at = now()::TIMESTAMP WHERE id = $outgoing`, { outgoing });
  }
  await tx.run(`UPDATE grid_plans SET status = 'published', published_at = now()::TIMESTAMP, updated_at = now()::TIMESTAMP WHERE id = $planId`, { planId });
}
