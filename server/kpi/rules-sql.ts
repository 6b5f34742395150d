/**
 * The KPI rules (server/domain/kpi-rules.ts) compiled to DuckDB SQL over the `issues` table:
 * conditions, the KPI aggregate clauses, the facts and the measure as columns (the KPI engine
 * loads them), and the key expression and join of each grouping.
 */
import type { DuckDBValue } from '@duckdb/node-api';
import { sqlShanghai, sqlTimestamp } from '../db/sql-time.ts';
import {
  anchorsOf, conditionNamed, conditionOf, FACTS, GROUPINGS, KPI_COUNTERS, MEASURES,
  type Bound, type Condition, type FactName, type Grouping, type GroupingName, type MeasureName, type PeriodTime,
} from '../domain/kpi-rules.ts';

/**
 * SQL expressions (TIMESTAMP) of the bounds; a bound left out drops its comparison (the period is
 * open there). `asOf`: the instant the rules are evaluated as of; left out, the present.
 */
export type SqlBounds = Partial<Record<Bound | 'asOf', string>>;

/** A SQL string literal of a constant from the rules (statuses), never of user input. */
const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;
const list = (values: readonly string[]) => values.map(literal).join(', ');

/** A fact of the issue `a` as a SQL boolean. */
export function factSql(name: FactName, a = 'i'): string {
  const f = FACTS[name];
  switch (f.test) {
    case 'true':
      return `${a}.${f.field}`;
    case 'positive':
      return `${a}.${f.field} > 0`;
    case 'notAfter':
      return `${a}.${f.field} <= ${a}.${f.other}`;
    case 'after':
      return `${a}.${f.field} > ${a}.${f.other}`;
  }
}

/** A condition over the issue `a` as a SQL boolean, with the bounds as SQL expressions. */
export function conditionSql(c: Condition, b: SqlBounds, a = 'i'): string {
  if ('status' in c) return c.status.length === 1 ? `${a}.status = ${literal(c.status[0])}` : `${a}.status IN (${list(c.status)})`;
  if ('statusNot' in c) return c.statusNot.length === 1 ? `${a}.status <> ${literal(c.statusNot[0])}` : `${a}.status NOT IN (${list(c.statusNot)})`;
  if ('fact' in c) return factSql(c.fact, a);
  if ('rule' in c) return conditionSql(conditionNamed(c.rule), b, a);
  // In the present (no asOf) whatever is recorded has happened: no comparison, so today's SQL is unchanged.
  if ('happened' in c) return b.asOf ? `${a}.${c.happened} <= ${b.asOf}` : TRUE;
  if ('notHappened' in c) return b.asOf ? `(${a}.${c.notHappened} IS NULL OR ${a}.${c.notHappened} > ${b.asOf})` : FALSE;
  if ('all' in c) return joined(c.all.map((p) => conditionSql(p, b, a)), 'AND', TRUE);
  if ('any' in c) return joined(c.any.map((p) => conditionSql(p, b, a)), 'OR', FALSE);
  const column = `${a}.${c.time}`;
  const parts = [c.from && b[c.from] && `${column} >= ${b[c.from]}`, b[c.before] && `${column} < ${b[c.before]}`].filter(Boolean);
  // With both sides open a NULL time still passes no comparison, as in the closed case.
  return parts.length ? `(${parts.join(' AND ')})` : `${column} IS NOT NULL`;
}

const TRUE = 'TRUE';
const FALSE = 'FALSE';

/** Parts joined by AND or OR, leaving out those that decide nothing (TRUE in an AND, FALSE in an OR). */
function joined(parts: string[], op: 'AND' | 'OR', neutral: string): string {
  const kept = parts.filter((p) => p !== neutral);
  if (kept.length === 0) return neutral;
  return kept.length === 1 ? kept[0] : `(${kept.join(` ${op} `)})`;
}

/** Seconds to a measure's unit (hours): the SQL divides by it, and so does the KPI engine, the same double division. */
export const MEASURE_SECONDS = 3600;

/** The seconds between a measure's two times for the issue `a` in SQL (NULL when a time is missing). */
export function measureSecondsSql(name: MeasureName, a = 'i'): string {
  const m = MEASURES[name];
  return `(epoch(${a}.${m.to}) - epoch(${a}.${m.from}))`;
}

/** A measure of the issue `a` in SQL (NULL when a time is missing). */
export function measureSql(name: MeasureName, a = 'i'): string {
  return `${measureSecondsSql(name, a)} / ${MEASURE_SECONDS}.0`;
}

/**
 * The KPI counters as SQL aggregates over `i`, one column per counter of the rules. `hours: false`
 * leaves the medians and means NULL (a ranking's comparison period needs its scores only).
 */
export function counterAggregates(b: SqlBounds, opts: { hours?: boolean } = {}): string {
  return KPI_COUNTERS.map((c) => {
    if ('count' in c) return `count(*) FILTER (WHERE ${conditionSql(c.count, b)}) AS ${c.name}`;
    if (opts.hours === false) return `NULL::DOUBLE AS ${c.name}`;
    const [fn, measure] = 'median' in c ? ['median', c.median] : ['avg', c.mean];
    const { from, to } = MEASURES[measure];
    return `${fn}(${measureSql(measure)}) FILTER (WHERE ${conditionSql(c.of, b)} AND i.${from} IS NOT NULL AND i.${to} IS NOT NULL) AS ${c.name}`;
  }).join(',\n  ');
}

/** The times KPI counters compare with the period: a time series joins an issue to the bucket of each. */
export const PERIOD_TIMES: readonly PeriodTime[] = [...new Set(KPI_COUNTERS.flatMap((c) => [...anchorsOf(conditionOf(c))]))];

/** The engine's flag bits of a row as one SQL integer: bit k is the k-th fact of the rules. */
export function factBitsSql(a = 'i'): string {
  return `(${(Object.keys(FACTS) as FactName[]).map((name, k) => `(CASE WHEN ${factSql(name, a)} THEN ${1 << k} ELSE 0 END)`).join(' + ')})`;
}

/**
 * Rows that can matter for a period: reported in it, or with a deadline in it (a deadline is never
 * before its report, so both imply reported_at < end). Lets DuckDB skip row groups by min/max.
 */
export const PERIOD_PRUNE = `(i.reported_at < $end::TIMESTAMP AND (i.reported_at >= $start::TIMESTAMP OR i.deadline >= $start::TIMESTAMP))`;

/**
 * Joins each issue to the elements of a list expression (its sites, its report and deadline
 * buckets), as rows `alias.k`. The list is unnested in a subquery and joined back on rowid: DuckDB
 * runs `CROSS JOIN unnest(<expression>)` as a per-row lateral join, 3–30× slower on the 500k demo.
 * `LEFT JOIN` keeps issues with an empty list once, with `k` NULL.
 */
export const fanOutJoin = (alias: string, list: string, join: 'JOIN' | 'LEFT JOIN') =>
  `${join} (SELECT i.rowid AS rid, unnest(${list}) AS k FROM issues i WHERE ${PERIOD_PRUNE}) ${alias} ON ${alias}.rid = i.rowid`;

/**
 * The events of the issues a department change concerns: those naming a department, of issues
 * where an event written after the import (a dispatch through the workflow) names one. The import
 * names one department per issue, so only these few issues ever moved.
 */
export const DEPARTMENT_EVENTS = `SELECT e.issue_id, e.occurred_at, e.seq, e.department FROM issue_events e
  WHERE e.department IS NOT NULL
    AND e.issue_id IN (SELECT issue_id FROM issue_events WHERE imported IS NOT TRUE AND department IS NOT NULL)`;

/**
 * The department of the issue `a` at the instant of the `$departmentAt` parameter (`at`), the rule
 * of `departmentAt` (server/domain/kpi-rules.ts): its latest naming event at or before it (by time,
 * then sequence), else its first; the issue's own department when no event moved it. Without
 * `at`: the present's, the plain column.
 */
export function departmentSql(at: boolean, a = 'i'): string {
  if (!at) return `${a}.department`;
  const order = '(m.occurred_at, m.seq)';
  return `coalesce((SELECT coalesce(arg_max(m.department, ${order}) FILTER (WHERE m.occurred_at <= $departmentAt::TIMESTAMP), arg_min(m.department, ${order}))
    FROM (${DEPARTMENT_EVENTS}) m WHERE m.issue_id = ${a}.id), ${a}.department)`;
}

/**
 * The key of a grouping: a SQL expression over `i`, the join it needs, for the groupings that
 * fan out the condition keeping rows to the sites of a siteType filter (`$siteIds`), and the
 * parameters the key names.
 */
export type GroupingSql = { key: string; from?: string; onlyFilteredSites?: string; params?: Record<string, DuckDBValue> };

/** The reference table of a `parentOf` grouping, joined under its own alias. */
const REFERENCE: Record<'category' | 'street', { table: string; alias: string }> = {
  category: { table: 'categories', alias: 'kc' },
  street: { table: 'regions', alias: 'ks' },
};

/** The list column and reference table of the things an `each`/`eachTypeOf` grouping fans out to. */
const FAN_OUT: Record<'site', { list: string; table: string }> = {
  site: { list: 'i.site_ids', table: 'sites' },
};

/**
 * Key and join of a grouping. A fanned-out grouping (sites) joins one row per site of the issue;
 * `dropEmpty` leaves out the issues at no site instead of counting them in the NULL row.
 * `departmentAt`: the instant a case's department is read at (filters.ts `departmentInstant`; none: now).
 */
export function groupingSql(name: GroupingName, opts: { dropEmpty?: boolean; departmentAt?: Date | null } = {}): GroupingSql {
  const g: Grouping = GROUPINGS[name];
  if ('column' in g && g.column === 'department' && opts.departmentAt) {
    return { key: departmentSql(true), params: { departmentAt: sqlTimestamp(opts.departmentAt) } };
  }
  if ('column' in g) return { key: `i.${g.column}` };
  if ('clock' in g) return { key: `${g.clock === 'hour' ? 'hour' : 'isodow'}(${sqlShanghai('i.reported_at')})::VARCHAR` };
  const join = opts.dropEmpty ? 'JOIN' : 'LEFT JOIN';
  if ('each' in g) {
    return {
      key: 'fo.k',
      from: fanOutJoin('fo', FAN_OUT[g.each].list, join),
      onlyFilteredSites: 'list_contains($siteIds::VARCHAR[], fo.k)',
    };
  }
  if ('eachTypeOf' in g) {
    // Two sites of one type count the issue once for that type: distinct types per issue first.
    const { list, table } = FAN_OUT[g.eachTypeOf];
    return {
      key: 'fo.k',
      from: `${join} (
        SELECT DISTINCT x.rid, st.type AS k FROM (SELECT i.rowid AS rid, unnest(${list}) AS site_id FROM issues i WHERE ${PERIOD_PRUNE}) x
        JOIN ${table} st ON st.id = x.site_id) fo ON fo.rid = i.rowid`,
      onlyFilteredSites: `fo.k IN (SELECT type FROM ${table} WHERE list_contains($siteIds::VARCHAR[], id))`,
    };
  }
  const { table, alias } = REFERENCE[g.parentOf];
  return {
    key: g.orSelf ? `coalesce(${alias}.parent, i.${g.parentOf})` : `${alias}.parent`,
    from: `LEFT JOIN ${table} ${alias} ON ${alias}.code = i.${g.parentOf}`,
  };
}
