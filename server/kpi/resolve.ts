import type { Database } from '../db/database.ts';
import { invalidParameter, NoDataError } from '../domain/errors.ts';
import { parseScope, type Scope } from '../domain/scope.ts';
import { periodOf, type FilterQuery, type Filters } from './filters.ts';
import { PUBLISHED_GRIDS, publishedPlans } from '../queries/published-grids.ts';
import { lastDepartmentMove } from './last-move.ts';
import { regionCodesUnder } from './region-sql.ts';

/** What a scope is: its name, area and how many grids it holds (for density and workload). */
export type ScopeInfo = Scope & { name: string; areaKm2: number | null; grids: number };

function invalid(parameter: string, reason: string): never {
  throw invalidParameter(parameter, reason);
}

/** The ids of every district's published plan; analytics without any grid plan still work on regions. */
export async function publishedPlanIds(db: Database): Promise<number[]> {
  return db.memo('publishedPlans', async () => (await publishedPlans(db)).map((p) => p.id));
}

/** The top of the hierarchy: the city when the data holds one, else its one district. */
export type TopRegion = { level: 'city' | 'district'; code: string; name: string };

/**
 * The data's top region, the default scope of every analytics route. Imports keep a deployment to
 * one city with its districts, or one district alone, so there is exactly one.
 */
export async function topRegion(db: Database): Promise<TopRegion> {
  const row = await db.memo('topRegion', () => db.one<TopRegion>(
    `SELECT level, code, name FROM regions WHERE level IN ('city', 'district') ORDER BY level = 'city' DESC, code LIMIT 1`,
  ));
  if (!row) throw new NoDataError('no district has been imported yet');
  return row;
}

/**
 * Whether a scope narrows the map's units (regions, grids): a place below the top does; the top
 * itself, a key site or a department narrows only the issues counted.
 */
export async function narrowsMap(db: Database, scope: Scope): Promise<boolean> {
  if (scope.level === 'site' || scope.level === 'department') return false;
  const top = await topRegion(db);
  return !(scope.level === top.level && scope.id === top.code);
}

/** Every category with its parent (大类), remembered until reference data changes. */
export function categoryRows(db: Database): Promise<{ code: string; parent: string | null }[]> {
  return db.memo('categories', () => db.all('SELECT code, parent FROM categories'));
}

/** Every key site with its type, remembered until reference data changes. */
export function siteTypeRows(db: Database): Promise<{ id: string; type: string }[]> {
  return db.memo('siteTypeOfEachSite', () => db.all('SELECT id, type FROM sites'));
}

/** Every department (责任单位), remembered until reference data changes. */
export function departmentRows(db: Database): Promise<{ code: string; name: string; short_name: string | null; kind: string }[]> {
  return db.memo('departments', () => db.all('SELECT code, name, short_name, kind FROM departments ORDER BY code'));
}

/**
 * Validates filter values against the data (unknown scope, category, site type or plan → 400
 * naming the parameter) and expands them: a 大类 selects its 小类, site types select their sites.
 */
export async function resolveFilters(db: Database, q: FilterQuery): Promise<Filters> {
  const { start, end } = periodOf(q);
  if (start && end && start >= end) invalid('to', 'must not be before from');
  if (q.plan !== undefined && !(await publishedPlanIds(db)).includes(q.plan)) {
    const plan = await db.one<{ status: string }>('SELECT status FROM grid_plans WHERE id = $id', { id: q.plan });
    if (!plan) invalid('plan', `plan ${q.plan} does not exist`);
    // Issues carry their assignment under the published plans; statistics under other plans need
    // the per-plan assignment history the planner brings.
    invalid('plan', `plan ${q.plan} is ${plan.status}; statistics are available for the published plans`);
  }
  const top = q.scope ? null : await topRegion(db);
  const scope = top ? { level: top.level, id: top.code } : (parseScope(q.scope) ?? invalid('scope', `"${q.scope}" is not level:ID`));
  await assertScopeExists(db, scope);
  let categories: string[] | null = null;
  if (q.category?.length) {
    const rows = await categoryRows(db);
    const known = new Set(rows.map((r) => r.code));
    const unknown = q.category.filter((c) => !known.has(c));
    if (unknown.length) invalid('category', `unknown category ${unknown.join(', ')}`);
    const wanted = new Set(q.category);
    categories = rows.filter((r) => wanted.has(r.code) || (r.parent !== null && wanted.has(r.parent))).map((r) => r.code);
  }
  let siteIds: string[] | null = null;
  if (q.siteType?.length) {
    const types = new Set((await db.memo('siteTypes', () => db.all<{ code: string }>('SELECT code FROM site_types'))).map((r) => r.code));
    const unknown = q.siteType.filter((t) => !types.has(t));
    if (unknown.length) invalid('siteType', `unknown site type ${unknown.join(', ')}`);
    const rows = await siteTypeRows(db);
    const wanted = new Set(q.siteType);
    siteIds = rows.filter((r) => wanted.has(r.type)).map((r) => r.id);
  }
  let departments: string[] | null = null;
  if (q.department?.length) {
    const known = new Set((await departmentRows(db)).map((d) => d.code));
    const unknown = q.department.filter((d) => !known.has(d));
    if (unknown.length) invalid('department', `unknown department ${unknown.join(', ')}`);
    departments = q.department;
  }
  return {
    scope, start, end, categories, siteIds, departments,
    sources: q.source?.length ? q.source : null,
    statuses: q.status?.length ? q.status : null,
    departmentsMovedAt: await lastDepartmentMove(db),
  };
}

async function assertScopeExists(db: Database, scope: Scope): Promise<void> {
  const info = await scopeInfo(db, scope);
  if (!info) invalid('scope', `no ${scope.level} ${scope.id}`);
}

const NOT_FOUND = Symbol('no such scope');

/** Name, area and grid count of a scope, or undefined if it does not exist. */
export async function scopeInfo(db: Database, scope: Scope): Promise<ScopeInfo | undefined> {
  // Remembered only when found: unknown ids come from requests and must not fill memory.
  const found = db.memo(`scope:${scope.level}:${scope.id}`, async () => (await loadScopeInfo(db, scope)) ?? Promise.reject(NOT_FOUND));
  return found.catch((err: unknown) => {
    if (err === NOT_FOUND) return undefined;
    throw err;
  });
}

async function loadScopeInfo(db: Database, scope: Scope): Promise<ScopeInfo | undefined> {
  let row: { name: string; area: number | null; grids: number } | undefined;
  if (scope.level === 'grid') {
    row = await db.one(`SELECT name, area_km2 AS area, 1 AS grids FROM ${PUBLISHED_GRIDS} g WHERE code = $id`, { id: scope.id });
  } else if (scope.level === 'site') {
    row = await db.one(`SELECT name, NULL::DOUBLE AS area, 0 AS grids FROM sites WHERE id = $id`, { id: scope.id });
  } else if (scope.level === 'department') {
    // A department has no area or grids of its own: its cases lie anywhere.
    row = await db.one(`SELECT name, NULL::DOUBLE AS area, 0 AS grids FROM departments WHERE code = $id`, { id: scope.id });
  } else {
    // The level is one of the scope grammar's constants, so inlining it is safe.
    row = await db.one(
      `SELECT name, area_km2 AS area,
              (SELECT count(*) FROM ${PUBLISHED_GRIDS} g WHERE community IN ${regionCodesUnder('community', scope.level)}) AS grids
       FROM regions WHERE code = $scopeId AND level = '${scope.level}'`,
      { scopeId: scope.id },
    );
  }
  return row ? { ...scope, name: row.name, areaKm2: row.area, grids: row.grids } : undefined;
}
