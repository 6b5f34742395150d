/**
 * Rows behind the map layers — regions, grids and key sites within a scope — and their KPIs.
 * KPI numbers come only from server/kpi (grouped counts finished by `finishKpis`); this file picks
 * which features to show and joins the two.
 */
import { listValue } from '@duckdb/node-api';
import type { Database } from '../db/database.ts';
import { levelDepth, type Scope } from '../domain/scope.ts';
import type { RegionLevel } from '../domain/vocabulary.ts';
import { EMPTY_COUNTS, finishKpis, OPEN_AGGREGATE, type KpiCounts, type Kpis } from '../kpi/definitions.ts';
import { conditionSql, groupingSql, PERIOD_PRUNE } from '../kpi/rules-sql.ts';
import { issueConditions, periodBounds, periodDays, type Filters } from '../kpi/filters.ts';
import { sqlTimestamp } from '../db/sql-time.ts';
import { CONDITIONS } from '../domain/kpi-rules.ts';
import { DAY } from '../domain/time.ts';
import { countsBy, totalCounts, type KpiContext } from '../kpi/query.ts';
import { topRegion } from '../kpi/resolve.ts';
import { isRegionLevel, regionCodesUnder } from '../kpi/region-sql.ts';
import { PUBLISHED_GRIDS } from './published-grids.ts';

/** KPIs as flat feature properties: map styling expressions read scalars, so the score's parts stay with the ranking route. */
export type FeatureKpis = Omit<Kpis, 'scoreParts'>;

/** Finishes one feature's counts (zero counts when it has no issue) with its area and grid count. */
export function featureKpis(counts: KpiCounts | undefined, unit: { areaKm2: number | null; grids: number }, f: Filters, ctx: KpiContext): FeatureKpis {
  const { scoreParts: _parts, ...flat } = finishKpis(counts ?? EMPTY_COUNTS, {
    areaKm2: unit.areaKm2, grids: unit.grids, periodDays: periodDays(f), scoring: ctx.scoring,
  });
  return flat;
}

/** DuckDB rejects unused named parameters, and a scope that narrows nothing binds none. */
function scopeParam(sql: string, scope: Scope): { scopeId?: string } {
  return sql.includes('$scopeId') ? { scopeId: scope.id } : {};
}

/** True when `level` lies above the scope (e.g. streets asked for inside one community or grid). */
export function levelAboveScope(level: RegionLevel, scope: Scope): boolean {
  return scope.level !== 'site' && scope.level !== 'department' && levelDepth(level)! < levelDepth(scope.level)!;
}

/** SQL (alias `r`) selecting regions of `level` that are, or lie under, a region scope. */
function regionsUnderScope(level: RegionLevel, scope: Scope): string {
  // A site or department scope narrows the issues only: a zone or a department's cases may cross
  // any boundary. (A grid scope never gets here: every region level lies above it.)
  if (!isRegionLevel(scope.level)) return 'TRUE';
  return `r.code IN ${regionCodesUnder(level, scope.level)}`;
}

export type RegionRow = {
  code: string; name: string; level: RegionLevel; parent: string | null;
  area_km2: number; grids: number;
};

/**
 * Regions of one level within the scope (and under `parent` if given), ordered by code, with the
 * number of grids each holds under the plan (for workload).
 */
export async function regionRows(db: Database, q: { level: RegionLevel; parent?: string; scope: Scope }): Promise<RegionRow[]> {
  const under = regionsUnderScope(q.level, q.scope);
  // Codes are unique across levels, so one (code, grids) list serves every level.
  return db.all<RegionRow>(
    `WITH g AS (
       SELECT g.community AS c, cr.parent AS s, sr.parent AS d, dr.parent AS m FROM ${PUBLISHED_GRIDS} g
       LEFT JOIN regions cr ON cr.code = g.community LEFT JOIN regions sr ON sr.code = cr.parent
       LEFT JOIN regions dr ON dr.code = sr.parent),
     n AS (SELECT c AS code, count(*) AS grids FROM g GROUP BY 1
           UNION ALL SELECT s, count(*) FROM g GROUP BY 1
           UNION ALL SELECT d, count(*) FROM g GROUP BY 1
           UNION ALL SELECT m, count(*) FROM g GROUP BY 1)
     SELECT r.code, r.name, r.level, r.parent, r.area_km2, coalesce(n.grids, 0) AS grids
     FROM regions r LEFT JOIN n ON n.code = r.code
     WHERE r.level = $level AND ($parent IS NULL OR r.parent = $parent) AND ${under}
     ORDER BY r.code`,
    { level: q.level, parent: q.parent ?? null, ...scopeParam(under, q.scope) },
  );
}

/**
 * KPI counts per region of a level; issues carry street and community, districts go through their
 * streets. A deployment holds one city, so its counts are those of the scope (a city, or a key
 * site's zone, which narrows the issues only).
 */
export async function regionCounts(ctx: KpiContext, f: Filters, level: RegionLevel): Promise<Map<string | null, KpiCounts>> {
  if (level !== 'city') return countsBy(ctx, f, { by: level });
  const top = await topRegion(ctx.db);
  return new Map(top.level === 'city' ? [[top.code, await totalCounts(ctx, f)]] : []);
}

/** SQL (alias `g`) selecting the grids inside a scope; a site or department scope narrows issues only. */
function gridsUnderScope(scope: Scope): string {
  if (scope.level === 'grid') return 'g.code = $scopeId';
  if (scope.level === 'site' || scope.level === 'department') return 'TRUE';
  return `g.community IN ${regionCodesUnder('community', scope.level)}`;
}

export type GridRow = {
  code: string; name: string; community: string; street: string | null;
  inspector: string | null; households: number | null; area_km2: number;
};

/** The published grids inside the scope, ordered by code; remembered until reference data changes (callers must not change them). */
export function gridRows(db: Database, f: Pick<Filters, 'scope'>): Promise<GridRow[]> {
  const under = gridsUnderScope(f.scope);
  return db.memo(`gridRows:${f.scope.level}:${f.scope.id}`, () => db.all<GridRow>(
    `SELECT g.code, g.name, g.community, c.parent AS street, g.inspector, g.households, g.area_km2
     FROM ${PUBLISHED_GRIDS} g LEFT JOIN regions c ON c.code = g.community
     WHERE ${under}
     ORDER BY g.code`,
    scopeParam(under, f.scope),
  ));
}

/** SQL (alias `s`) selecting the key sites inside a scope. */
function sitesUnderScope(scope: Scope): string {
  switch (scope.level) {
    case 'city':
    case 'district': return `s.street IN ${regionCodesUnder('street', scope.level)}`;
    case 'street': return 's.street = $scopeId';
    case 'community': return 's.community = $scopeId';
    case 'grid': return 's.grid_code = $scopeId';
    case 'site': return 's.id = $scopeId';
    case 'department': return 'TRUE';
  }
}

export type SiteRow = {
  id: string; type: string; type_name: string; name: string; unit: string | null; unit_department: string | null;
  grid_code: string | null; community: string | null; street: string | null;
};

/** Key sites inside the scope, of the given types (all when null), ordered by type then id. */
export function siteRows(db: Database, f: Filters, types: string[] | null): Promise<SiteRow[]> {
  return db.all<SiteRow>(
    `SELECT s.id, s.type, t.name AS type_name, s.name, s.unit, s.unit_department, s.grid_code, s.community, s.street
     FROM sites s JOIN site_types t ON t.code = s.type
     WHERE ${sitesUnderScope(f.scope)} AND ($types IS NULL OR list_contains($types, s.type))
     ORDER BY t.sort, s.id`,
    { scopeId: f.scope.id, types: types ? listValue(types) : null },
  );
}

/** An issue counts for every site whose zone holds it: the site grouping, without the issues at no site. */
const PER_SITE = groupingSql('site', { dropEmpty: true });

/** KPI counts per site id. */
export function siteCounts(ctx: KpiContext, f: Filters): Promise<Map<string | null, KpiCounts>> {
  return countsBy(ctx, f, { by: 'site', dropEmpty: true });
}

/** Overdue with the due window ending at `$longEnd` instead of `$dueEnd`. */
const LONG_OVERDUE_AGGREGATE = `count(*) FILTER (WHERE ${conditionSql(CONDITIONS.overdue, { start: '$start::TIMESTAMP', dueEnd: '$longEnd::TIMESTAMP' })})::INTEGER AS long_overdue`;

/** Per site id: issues still open (see `OPEN_AGGREGATE`) and overdue issues more than `longOverdueDays` past their deadline. */
export type SiteZoneCounts = { open: number; longOverdue: number };

/**
 * Open and long-overdue issues per site id, for the site status (server/domain/site-status.ts). Long
 * overdue is the KPI's overdue condition with the due window ending `longOverdueDays` before now
 * (or at the period's end, if earlier), so it is always a part of the site's 超期未结.
 */
export async function siteZoneCounts(ctx: KpiContext, f: Filters, longOverdueDays: number): Promise<Map<string, SiteZoneCounts>> {
  const cond = issueConditions(f);
  const { start, end, dueEnd } = periodBounds(f, ctx.now);
  const longEnd = new Date(Math.min(dueEnd.getTime(), ctx.now.getTime() - longOverdueDays * DAY));
  const rows = await ctx.db.all<{ id: string; open: number; long_overdue: number }>(
    `SELECT ${PER_SITE.key} AS id, ${OPEN_AGGREGATE}, ${LONG_OVERDUE_AGGREGATE} FROM issues i ${PER_SITE.from} WHERE ${cond.sql} AND ${PERIOD_PRUNE} GROUP BY ALL`,
    { ...cond.params, start: sqlTimestamp(start), end: sqlTimestamp(end), longEnd: sqlTimestamp(longEnd) },
  );
  return new Map(rows.map((r) => [r.id, { open: r.open, longOverdue: r.long_overdue }]));
}

/** The site types that exist, to validate `type`. */
export async function siteTypeCodes(db: Database): Promise<Set<string>> {
  return new Set((await db.all<{ code: string }>('SELECT code FROM site_types')).map((r) => r.code));
}
