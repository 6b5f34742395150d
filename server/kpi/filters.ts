/**
 * The common query parameters of every analytics route (scope, period, category, source, status,
 * siteType, plan), their zod schema, and their translation into SQL conditions on `issues i`.
 */
import { listValue, type DuckDBValue } from '@duckdb/node-api';
import { z } from 'zod';
import { sqlTimestamp } from '../db/sql-time.ts';
import { SCOPE_LEVELS, SCOPE_PATTERN, type Scope } from '../domain/scope.ts';
import { DAY, isDay, shanghaiMidnight } from '../domain/time.ts';
import { ISSUE_SOURCES, ISSUE_STATUSES } from '../domain/vocabulary.ts';
import { regionCodesUnder } from './region-sql.ts';
import { departmentSql } from './rules-sql.ts';

/** A parameter that may repeat (`?category=01&category=0302`) or hold a comma-separated list. */
export const repeated = (item: z.ZodType<string, string>) =>
  z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(item).max(200));

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD').refine(isDay, 'not a valid calendar date');

/** The zod schema of the common filter parameters; routes extend it with their own. */
export const filterQuery = z.object({
  scope: z
    .string()
    // The answer names what was asked (cut short: it comes from the request).
    .regex(SCOPE_PATTERN, { error: (issue) => `"${String(issue.input).slice(0, 80)}" is not level:ID with level ${SCOPE_LEVELS.join('|')}` })
    .optional()
    .describe('city:CODE | district:CODE | street:CODE | community:CODE | grid:CODE | site:ID | department:CODE (default: the top region, the city or the one district)'),
  from: isoDate.optional().describe('first day of the period, YYYY-MM-DD in Asia/Shanghai'),
  to: isoDate.optional().describe('last day of the period (inclusive); without from/to the KPIs are "to date"'),
  category: repeated(z.string().regex(/^\w{1,16}$/, 'category codes are letters and digits')).optional()
    .describe('category codes, repeatable or comma-separated; a 大类 selects its 小类'),
  source: repeated(z.enum(Object.keys(ISSUE_SOURCES) as [keyof typeof ISSUE_SOURCES])).optional().describe('issue sources, repeatable'),
  status: repeated(z.enum(Object.keys(ISSUE_STATUSES) as [keyof typeof ISSUE_STATUSES])).optional().describe('issue statuses, repeatable'),
  siteType: repeated(z.string().regex(/^\w{1,32}$/, 'site type codes are letters, digits and _')).optional()
    .describe('key-site types, repeatable: issues inside a site of these types'),
  department: repeated(z.string().regex(/^[\w.\-]{1,64}$/, 'department codes are letters, digits, _ . -')).optional()
    .describe('department (责任单位) codes, repeatable: the cases they had at the end of the period (a re-dispatch moves a case from that moment)'),
  plan: z.coerce.number().int().positive().optional().describe('a published grid plan id (the grids are every district\'s published plan)'),
});
export type FilterQuery = z.infer<typeof filterQuery>;

/** Filters after validation against the database: scope checked, 大类 expanded to 小类, site types to site ids. */
export type Filters = {
  scope: Scope;
  /** Period [start, end) in UTC; null = open. */
  start: Date | null;
  end: Date | null;
  categories: string[] | null;
  sources: string[] | null;
  statuses: string[] | null;
  siteIds: string[] | null;
  /** Issues dispatched to these departments (at {@link departmentInstant}); null: any, or none. */
  departments?: string[] | null;
  /**
   * When a case last moved to another department (a re-dispatch; null: never; absent: not looked
   * up, so every instant is read from the events): at any later instant each case's department is
   * its present one, and the queries read the plain column.
   */
  departmentsMovedAt?: Date | null;
  /**
   * Evaluate the KPI rules as of this instant (server/domain/kpi-rules.ts): what was reported, due,
   * closed and overdue then. Absent or null: the present. Comparisons and playback set it.
   */
  asOf?: Date | null;
};

/** `to` is inclusive (a whole day), so the period ends at the next midnight. */
export function periodOf(q: Pick<FilterQuery, 'from' | 'to'>): { start: Date | null; end: Date | null } {
  return {
    start: q.from ? shanghaiMidnight(q.from) : null,
    end: q.to ? new Date(shanghaiMidnight(q.to).getTime() + DAY) : null,
  };
}

/** The period's length in days, or null when it is open on either side. */
export function periodDays(f: Pick<Filters, 'start' | 'end'>): number | null {
  return f.start && f.end ? (f.end.getTime() - f.start.getTime()) / DAY : null;
}

const EPOCH = new Date(Date.UTC(1970, 0, 1));
const FAR_FUTURE = new Date(Date.UTC(2200, 0, 1));

/**
 * The bounds the KPI aggregates use: an open period runs from the epoch to now; deadlines count up
 * to now. As of an instant t, t stands in for now and reports after t are left out too; `asOf` is
 * null in the present.
 */
export function periodBounds(f: Pick<Filters, 'start' | 'end' | 'asOf'>, now: Date): { start: Date; end: Date; dueEnd: Date; asOf: Date | null } {
  const asOf = f.asOf ?? null;
  const moment = asOf ?? now;
  const start = f.start ?? EPOCH;
  let end = f.end ?? (f.start ? FAR_FUTURE : moment);
  if (asOf && end.getTime() > asOf.getTime()) end = asOf;
  const dueEnd = end.getTime() < moment.getTime() ? end : moment;
  return { start, end, dueEnd, asOf };
}

/** `$start`, `$end`, `$dueEnd` for the KPI aggregates, and `$asOf` when evaluated as of an instant. */
export function periodParams(f: Pick<Filters, 'start' | 'end' | 'asOf'>, now: Date): Record<string, DuckDBValue> {
  const { start, end, dueEnd, asOf } = periodBounds(f, now);
  return { start: sqlTimestamp(start), end: sqlTimestamp(end), dueEnd: sqlTimestamp(dueEnd), ...(asOf && { asOf: sqlTimestamp(asOf) }) };
}

/**
 * The instant a case's department is read at (server/domain/kpi-rules.ts `departmentAt`): the end
 * of the period or the as-of instant, whichever is earlier — a past month counts each case for the
 * department it had then, a re-dispatch since notwithstanding. Null: now (no end, or no case moved
 * since, so the present's department anyway).
 */
export function departmentInstant(f: Pick<Filters, 'end' | 'asOf' | 'departmentsMovedAt'>): Date | null {
  const at = [f.end, f.asOf].filter((d): d is Date => d instanceof Date);
  if (!at.length || f.departmentsMovedAt === null) return null;
  const t = Math.min(...at.map((d) => d.getTime()));
  // No case moved since: every department then is the present one.
  return f.departmentsMovedAt && t >= f.departmentsMovedAt.getTime() ? null : new Date(t);
}

/** SQL conditions (joined by AND) and their named parameters for everything but the period. */
export function issueConditions(f: Filters): { sql: string; params: Record<string, DuckDBValue> } {
  const where: string[] = [];
  const params: Record<string, DuckDBValue> = {};
  const { level, id } = f.scope;
  params.scopeId = id;
  /** The department the case had at the filter's instant (its own parameter: not every caller passes the period's). */
  const department = () => {
    const at = departmentInstant(f);
    if (at) params.departmentAt = sqlTimestamp(at);
    return departmentSql(at !== null);
  };
  if (level === 'city' || level === 'district') where.push(`i.street IN ${regionCodesUnder('street', level)}`);
  else if (level === 'street') where.push('i.street = $scopeId');
  else if (level === 'community') where.push('i.community = $scopeId');
  else if (level === 'grid') where.push('i.grid_code = $scopeId');
  else if (level === 'department') where.push(`${department()} = $scopeId`);
  else where.push('list_contains(i.site_ids, $scopeId)');
  const inList = (column: string, name: string, values: string[] | null) => {
    if (!values) return;
    params[name] = listValue(values);
    where.push(`list_contains($${name}, ${column})`);
  };
  inList('i.category', 'categories', f.categories);
  inList('i.source', 'sources', f.sources);
  inList('i.status', 'statuses', f.statuses);
  if (f.departments) inList(department(), 'departments', f.departments);
  if (f.siteIds) {
    params.siteIds = listValue(f.siteIds);
    where.push('list_has_any(i.site_ids, $siteIds::VARCHAR[])');
  }
  return { sql: where.join(' AND '), params };
}
