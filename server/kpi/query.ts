import type { DuckDBValue } from '@duckdb/node-api';
import type { Database } from '../db/database.ts';
import { aggregatesOf, EMPTY_COUNTS, finishKpis, type KpiCounts, type Kpis } from './definitions.ts';
import { fansOut, type GroupingName } from '../domain/kpi-rules.ts';
import { departmentInstant, issueConditions, periodDays, periodParams, type Filters } from './filters.ts';
import { groupingSql, PERIOD_PRUNE } from './rules-sql.ts';
import { scopeInfo } from './resolve.ts';
import type { ScoringConfig } from './score.ts';
import type { FastGrouping, KpiEngine } from './fast/engine.ts';

/** Everything a KPI query needs besides the filters; with an `engine`, counts come from memory when it can. */
export type KpiContext = { db: Database; now: Date; scoring: ScoringConfig; engine?: KpiEngine };

/** A request's KPI context from the app's dependencies (the time is read once per request). */
export function kpiContextOf(deps: { db: Database; now: () => Date; scoring: ScoringConfig; engine?: KpiEngine }): KpiContext {
  return { db: deps.db, now: deps.now(), scoring: deps.scoring, engine: deps.engine };
}

/**
 * KPI counts grouped by a key expression over the filtered issues (`i` is the issues alias;
 * `from` may add a lateral join, e.g. to unnest site ids; `aggregates` replaces the period
 * parameters by per-group bounds, see `kpiAggregates`). One SQL statement, one scan — unless the
 * context's KPI engine answers `fast`, the same grouping declared for it (server/kpi/fast).
 * `hours: false` leaves median and mean hours null, for answers that only rank.
 */
export async function groupedCounts(
  ctx: KpiContext,
  f: Filters,
  key: string,
  opts: { from?: string; extraWhere?: string; extraParams?: Record<string, DuckDBValue>; aggregates?: string; fast?: FastGrouping; hours?: boolean } = {},
): Promise<Map<string | null, KpiCounts>> {
  const hours = opts.hours !== false;
  const fromMemory = opts.fast && ctx.engine && (await ctx.engine.counts(f, opts.fast, ctx.now, { hours }));
  if (fromMemory) return fromMemory;
  const cond = issueConditions(f);
  const where = [cond.sql, PERIOD_PRUNE, opts.extraWhere].filter(Boolean).join(' AND ');
  const rows = await ctx.db.all<KpiCounts & { key: string | null }>(
    `SELECT ${key} AS key, ${opts.aggregates ?? aggregatesOf(f, { hours })} FROM issues i ${opts.from ?? ''} WHERE ${where} GROUP BY ALL`,
    { ...cond.params, ...periodParams(f, ctx.now), ...opts.extraParams },
  );
  return new Map(rows.map(({ key: k, ...counts }) => [k, counts]));
}

/**
 * `groupedCounts` and the total of the same filter, for a key that puts each issue in exactly one
 * group: the KPI engine counts both in one pass; SQL runs the two statements.
 */
export async function groupedCountsWithTotal(
  ctx: KpiContext,
  f: Filters,
  key: string,
  opts: { from?: string; extraParams?: Record<string, DuckDBValue>; fast: FastGrouping },
): Promise<{ rows: Map<string | null, KpiCounts>; total: KpiCounts }> {
  const fromMemory = ctx.engine && (await ctx.engine.countsWithTotal(f, opts.fast, ctx.now));
  if (fromMemory) return { rows: fromMemory.groups, total: fromMemory.total };
  const [rows, total] = await Promise.all([groupedCounts(ctx, f, key, opts), totalCounts(ctx, f)]);
  return { rows, total };
}

/** A grouping of the KPI rules with the engine's options. */
export type RuleGrouping = Extract<FastGrouping, { by: GroupingName }>;

/** The SQL of a rule grouping: its key, join and parameters, and with `onlyFiltered` the rows kept to the siteType filter's sites. */
export function ruleGroupingSql(f: Filters, g: RuleGrouping): { key: string; from?: string; where?: string; params?: Record<string, DuckDBValue> } {
  const { key, from, onlyFilteredSites, params } = groupingSql(g.by, { dropEmpty: 'dropEmpty' in g && g.dropEmpty, departmentAt: departmentInstant(f) });
  const only = 'onlyFiltered' in g && g.onlyFiltered && f.siteIds ? onlyFilteredSites : undefined;
  return { key, from, where: only, params };
}

/** `groupedCounts` by a grouping of the KPI rules: its SQL key and the engine's grouping both come from its one declaration. */
export function countsBy(
  ctx: KpiContext, f: Filters, g: RuleGrouping, opts: { extraWhere?: string; extraParams?: Record<string, DuckDBValue>; hours?: boolean } = {},
): Promise<Map<string | null, KpiCounts>> {
  const { key, from, where, params } = ruleGroupingSql(f, g);
  const extraWhere = [where, opts.extraWhere].filter(Boolean).join(' AND ') || undefined;
  return groupedCounts(ctx, f, key, { ...opts, extraWhere, extraParams: { ...params, ...opts.extraParams }, from, fast: g });
}

/** `groupedCountsWithTotal` by a grouping of the KPI rules that puts each issue in exactly one group. */
export function countsWithTotalBy(ctx: KpiContext, f: Filters, g: RuleGrouping): Promise<{ rows: Map<string | null, KpiCounts>; total: KpiCounts }> {
  // A total summed from rows would count an issue at two sites twice.
  if (fansOut(g.by)) throw new Error(`${g.by} fans out: count its total on its own`);
  const { key, from, params } = ruleGroupingSql(f, g);
  return groupedCountsWithTotal(ctx, f, key, { from, extraParams: params, fast: g });
}

/** KPI counts of the whole filter, as one row. */
export async function totalCounts(ctx: KpiContext, f: Filters): Promise<KpiCounts> {
  return (await groupedCounts(ctx, f, `'all'`, { fast: { by: 'all' } })).get('all') ?? EMPTY_COUNTS;
}

/** The KPIs of the filter's scope, with density and workload from the scope's area and grids. */
export async function scopeKpis(ctx: KpiContext, f: Filters): Promise<Kpis> {
  const info = await scopeInfo(ctx.db, f.scope);
  return finishKpis(await totalCounts(ctx, f), { areaKm2: info?.areaKm2, grids: info?.grids, periodDays: periodDays(f), scoring: ctx.scoring });
}
