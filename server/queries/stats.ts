/**
 * SQL of the statistics routes: time buckets, breakdown keys and ranking units. KPI counting
 * itself is `groupedCounts` (server/kpi/query.ts); this file only says what to group by and
 * where names, areas and grid counts come from.
 */
import { listValue } from '@duckdb/node-api';
import type { Database } from '../db/database.ts';
import { sqlShanghai, sqlTimestamp } from '../db/sql-time.ts';
import { BREAKDOWN_NAMES, fansOut, GROUPINGS, type BreakdownName, type Grouping, type KeyNames } from '../domain/kpi-rules.ts';
import { districtOfDepartment } from '../domain/department-district.ts';
import type { Scope } from '../domain/scope.ts';
import { endOfShanghaiDay, startOfShanghaiDay, type CalendarUnit } from '../domain/time.ts';
import { ISSUE_SOURCES, STATUS_LABELS } from '../domain/vocabulary.ts';
import { kpiAggregates, type KpiCounts } from '../kpi/definitions.ts';
import { issueConditions, type Filters } from '../kpi/filters.ts';
import { isRegionLevel, regionCodesUnder } from '../kpi/region-sql.ts';
import { countsBy, countsWithTotalBy, groupedCounts, ruleGroupingSql, totalCounts, type KpiContext } from '../kpi/query.ts';
import { fanOutJoin, groupingSql, PERIOD_TIMES } from '../kpi/rules-sql.ts';
import { PUBLISHED_GRIDS } from './published-grids.ts';
import type { Bucket, Period } from '../kpi/timeseries.ts';


/**
 * The span a time series covers: the period when it is closed; otherwise its open side comes from
 * the data (whole local days from the first report or deadline of the filtered issues to the last),
 * and "to date" stops at now like the summary does. Null when nothing falls in it.
 */
export async function seriesRange(ctx: KpiContext, f: Filters): Promise<Period | null> {
  if (f.start && f.end) return { start: f.start, end: f.end };
  const cond = issueConditions(f);
  const row = await ctx.db.one<{ first: Date | null; last: Date | null }>(
    `SELECT min(least(i.reported_at, coalesce(i.deadline, i.reported_at))) AS first,
            max(greatest(i.reported_at, coalesce(i.deadline, i.reported_at))) AS last
     FROM issues i WHERE ${cond.sql}`,
    cond.params,
  );
  if (!row?.first || !row.last) return null;
  const start = f.start ?? startOfShanghaiDay(row.first);
  let end = f.end ?? endOfShanghaiDay(row.last);
  if (!f.start && !f.end && end > ctx.now) end = ctx.now;
  return end > start ? { start, end } : null;
}

/** `strftime` formats of the bucket keys (timeseries.ts `bucketKey`). */
const BUCKET_KEY_FORMAT: Record<CalendarUnit, string> = { hour: '%Y-%m-%dT%H:00', day: '%Y-%m-%d', week: '%Y-%m-%d', month: '%Y-%m-%d' };

/**
 * The local calendar start of the bucket holding a timestamp column, as a Shanghai wall-clock
 * TIMESTAMP. `interval` is a literal checked by the route schema, so inlining it is safe;
 * date_trunc('week') starts ISO weeks on Monday, as the buckets do.
 */
export const bucketStartSql = (column: string, interval: CalendarUnit) => `date_trunc('${interval}', ${sqlShanghai(column)})`;

/**
 * KPI counts per time bucket, each bucket its own period: an issue joins the bucket of each time
 * the KPI rules compare with the period, its report and its deadline (at most two rows), and the KPI aggregates take the bucket's
 * bounds instead of the period parameters. One statement of hash joins, however many buckets.
 * `f` must carry the covered range ({@link seriesRange}) as its period: it prunes the scan.
 */
export async function bucketCounts(ctx: KpiContext, f: Filters, interval: CalendarUnit, buckets: Bucket[]): Promise<Map<string | null, KpiCounts>> {
  const key = (column: string) => bucketStartSql(column, interval);
  const from = `
    ${fanOutJoin('bk', `list_distinct([${PERIOD_TIMES.map((t) => key(`i.${t}`)).join(', ')}])`, 'JOIN')}
    JOIN (SELECT unnest($bucketKeys::VARCHAR[])::TIMESTAMP AS k, unnest($bucketStarts::VARCHAR[])::TIMESTAMP AS start,
                 unnest($bucketEnds::VARCHAR[])::TIMESTAMP AS stop) b
      ON b.k = bk.k`;
  return groupedCounts(ctx, f, `strftime(b.k, '${BUCKET_KEY_FORMAT[interval]}')`, {
    fast: { by: 'bucket', interval, buckets },
    from,
    // As for a whole period, a deadline that has not come yet (after $dueEnd = min(end, now)) is not due yet;
    // as of an instant, neither has a report after it ($end, see periodBounds).
    aggregates: kpiAggregates({
      start: 'b.start', end: f.asOf ? 'least(b.stop, $end::TIMESTAMP)' : 'b.stop', dueEnd: 'least(b.stop, $dueEnd::TIMESTAMP)',
      ...(f.asOf && { asOf: '$asOf::TIMESTAMP' }),
    }),
    extraParams: {
      bucketKeys: listValue(buckets.map((b) => b.key)),
      bucketStarts: listValue(buckets.map((b) => sqlTimestamp(b.start))),
      bucketEnds: listValue(buckets.map((b) => sqlTimestamp(b.end))),
    },
  });
}

/** What a breakdown row can be (the `by` parameter): the groupings of the KPI rules that name their keys. */
export const BREAKDOWNS = BREAKDOWN_NAMES;
export type Breakdown = BreakdownName;

/** True for breakdowns where one issue may fall in several rows (an issue inside two overlapping site zones), or in none. */
export const isOverlapping = (by: Breakdown): boolean => fansOut(by);

/**
 * KPI counts per breakdown key (text; NULL = the issue has no such key, e.g. outside every grid).
 * `categoryLevel` 1 groups 小类 under their 大类. Hour and weekday are Asia/Shanghai (weekday 1 = Monday).
 * With a siteType filter, site and siteType rows are limited to the chosen types.
 */
export async function breakdownCounts(ctx: KpiContext, f: Filters, by: Breakdown, categoryLevel: 1 | 2): Promise<{ rows: Map<string | null, KpiCounts>; total: KpiCounts }> {
  // Site rows may share issues, or leave some out: the total is counted on its own.
  if (fansOut(by)) {
    const [rows, total] = await Promise.all([countsBy(ctx, f, { by, onlyFiltered: true }), totalCounts(ctx, f)]);
    return { rows, total };
  }
  // Each issue in one row: the total comes with the rows (one pass in the KPI engine).
  return countsWithTotalBy(ctx, f, { by: by === 'category' && categoryLevel === 1 ? 'categoryParent' : by });
}

/** What a breakdown row shows besides its KPIs; area and grid count feed density and workload. */
export type KeyInfo = { name: string; areaKm2: number | null; grids: number | null };

const WEEKDAYS = ['周一', '周二', '周三', '周四', '周五', '周六', '周日'];

/** Breakdowns over a clock, whose rows are every hour or weekday in order (zeros included) for charts. */
export const isClockBreakdown = (by: Breakdown): boolean => 'clock' in GROUPINGS[by];

/** Every key of a clock grouping, in order. */
const CLOCK_NAMES: Record<'hour' | 'weekday', [string, string][]> = {
  hour: Array.from({ length: 24 }, (_, h) => [String(h), `${h}时`]),
  weekday: WEEKDAYS.map((name, d) => [String(d + 1), name]),
};

/** The name of the NULL key: issues outside every grid (or region), at no key site, or dispatched to no department. */
export const nullKeyName = (by: Breakdown) => (by === 'department' ? '未派遣' : isOverlapping(by) ? '点位外' : '网格外');

/** The names of a closed vocabulary's codes (its first Chinese label). */
const VOCABULARY_NAMES: Record<Extract<KeyNames, { vocabulary: unknown }>['vocabulary'], [string, string][]> = {
  sources: Object.entries(ISSUE_SOURCES).map(([k, labels]) => [k, labels[0]]),
  statuses: Object.entries(STATUS_LABELS),
};

/**
 * Names (and for regions and grids, area and grid count) of the possible keys of a breakdown, from
 * where its grouping says (see `KeyNames`): the units under the `top` region; every hour 0–23 and
 * weekday 1–7 (Monday first) for the clock breakdowns.
 */
export async function breakdownKeys(db: Database, by: Breakdown, top: Scope): Promise<Map<string, KeyInfo>> {
  const named = (entries: [string, string][]) => new Map(entries.map(([key, name]) => [key, { name, areaKm2: null, grids: null }]));
  const g: Grouping = GROUPINGS[by];
  const names: KeyNames = GROUPINGS[by].names;
  if ('units' in names) {
    const units = await unitsOf(db, names.units, top);
    return new Map(units.map((u) => [u.code, { name: u.name, areaKm2: u.areaKm2, grids: u.grids }]));
  }
  if ('vocabulary' in names) return named(VOCABULARY_NAMES[names.vocabulary]);
  if ('clock' in names) {
    if (!('clock' in g)) throw new Error(`${by} names its keys by the clock but does not group by it`);
    return named(CLOCK_NAMES[g.clock]);
  }
  // Reference data: remembered until an import or plan write changes it. Table and column are constants of the rules.
  const sql = `SELECT ${names.key} AS key, name FROM ${names.table}`;
  return db.memo(`breakdownKeys:${by}`, async () => named((await db.all<{ key: string; name: string }>(sql)).map((r) => [r.key, r.name])));
}

/** The units of a ranking that issues carry in a column of their own (a department too: the one it is dispatched to). */
export const RANK_LEVELS = ['street', 'community', 'grid', 'department'] as const;
type ColumnLevel = (typeof RANK_LEVELS)[number];

/** The units a ranking can rank (the `level` parameter): districts (a city's) and the column units. */
export const RANKING_LEVELS = ['district', ...RANK_LEVELS] as const;
export type RankLevel = (typeof RANKING_LEVELS)[number];

/** A unit of a ranking, with what density and workload need. */
export type Unit = { code: string; name: string; parent: { code: string; name: string } | null; areaKm2: number | null; grids: number };

/** The issue column that holds a unit of each level (the key of its grouping). */
export const UNIT_COLUMN = Object.fromEntries(RANK_LEVELS.map((level) => [level, groupingSql(level).key])) as Record<ColumnLevel, string>;

/**
 * KPI counts per unit of a ranking level. `hours: false` leaves out the medians (ranks do not
 * need them); `only` counts just these units, for the medians of the units a ranking lists.
 */
export function unitCounts(ctx: KpiContext, f: Filters, level: RankLevel, opts: { hours: boolean; only?: readonly string[] }): Promise<Map<string | null, KpiCounts>> {
  // A city has a handful of districts: all of them are counted, medians included.
  if (level === 'district') return countsBy(ctx, f, { by: level });
  return countsBy(ctx, f, { by: level, only: opts.only }, {
    hours: opts.hours,
    ...(opts.only && { extraWhere: `${ruleGroupingSql(f, { by: level }).key} IN (SELECT unnest($units::VARCHAR[]))`, extraParams: { units: listValue([...opts.only]) } }),
  });
}

/**
 * The units of `level` inside a city, district, street or community scope (grids: of the plan), with
 * their parent, area and grid count, ordered by code.
 */
export function unitsOf(db: Database, level: RankLevel, scope: Scope): Promise<Unit[]> {
  if (level === 'department') return db.memo(`unitsOf:department:${scope.level}:${scope.id}`, () => loadDepartmentUnits(db, scope));
  // Reference data: remembered until regions, grids or plans change (scopes are validated, so keys are bounded).
  return db.memo(`unitsOf:${level}:${scope.level}:${scope.id}`, () => loadUnits(db, level, scope));
}

/**
 * The departments a 区直单位红黑榜 ranks: all but the street offices, which answer for their cases as
 * streets. Each has its district as parent (server/domain/department-district.ts; none for a
 * city-level unit); under a district, or a street or community of one, the list holds that
 * district's departments and the city-level ones, in a city all of them. They have no area or
 * grids: density and workload stay empty.
 */
async function loadDepartmentUnits(db: Database, scope: Scope): Promise<Unit[]> {
  const [rows, regions] = await Promise.all([
    db.all<{ code: string; name: string }>(`SELECT code, name FROM departments WHERE kind <> 'street-office' ORDER BY code`),
    db.all<{ code: string; name: string; level: string; parent: string | null }>(`SELECT code, name, level, parent FROM regions WHERE level <> 'city'`),
  ]);
  const byCode = new Map(regions.map((r) => [r.code, r]));
  const districts = regions.filter((r) => r.level === 'district');
  let within: string | null = scope.id;
  while (within !== null && byCode.get(within)?.level !== 'district') within = byCode.get(within)?.parent ?? null;
  const units = rows.map((r) => {
    const district = districtOfDepartment(r.name, districts);
    const parent = district === null ? null : { code: district, name: byCode.get(district)!.name };
    return { code: r.code, name: r.name, parent, areaKm2: null, grids: 0 };
  });
  return within === null ? units : units.filter((u) => u.parent === null || u.parent.code === within);
}

async function loadUnits(db: Database, level: Exclude<RankLevel, 'department'>, scope: Scope): Promise<Unit[]> {
  // Which codes lie under the scope; the route has checked that `level` is finer than the scope.
  if (!isRegionLevel(scope.level)) throw new Error(`units under a ${scope.level} scope`);
  const communities = regionCodesUnder('community', scope.level);
  const params = { scopeId: scope.id };
  type Row = { code: string; name: string; parent: string | null; parent_name: string | null; area: number | null; grids: number };
  const rows =
    level === 'grid'
      ? await db.all<Row>(
        `SELECT g.code, g.name, g.community AS parent, c.name AS parent_name, g.area_km2 AS area, 1 AS grids
         FROM ${PUBLISHED_GRIDS} g LEFT JOIN regions c ON c.code = g.community
         WHERE g.community IN ${communities} ORDER BY g.code`,
        params,
      )
      : await db.all<Row>(
        // Grid counts per community, street and district of the plan, for workload (issues per grid).
        // `level` (district | street | community) comes from the validated enum, so inlining it is safe.
        `WITH per_community AS (
           SELECT g.community, c.parent AS street, s.parent AS district, count(*) AS n
           FROM ${PUBLISHED_GRIDS} g JOIN regions c ON c.code = g.community LEFT JOIN regions s ON s.code = c.parent
           GROUP BY ALL)
         SELECT r.code, r.name, r.parent, p.name AS parent_name, r.area_km2 AS area,
                coalesce((SELECT sum(n) FROM per_community pc WHERE pc.${level} = r.code), 0) AS grids
         FROM regions r LEFT JOIN regions p ON p.code = r.parent
         WHERE r.level = '${level}' AND r.code IN ${regionCodesUnder(level, scope.level)}
         ORDER BY r.code`,
        params,
      );
  return rows.map((r) => ({
    code: r.code, name: r.name, areaKm2: r.area, grids: Number(r.grids),
    parent: r.parent ? { code: r.parent, name: r.parent_name ?? r.parent } : null,
  }));
}
