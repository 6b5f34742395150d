/**
 * The measured operations: for each, the HTTP requests a client makes and the equivalent SQL,
 * written once for DuckDB and PostgreSQL/PostGIS. Pure (strings only), so tests check both.
 *
 * The SQL mirrors the KPI definitions of docs/domain.md (server/kpi) rather than importing them: the
 * server's queries change while the API is being written, and the comparison needs one fixed text.
 */
import { sqlTimestampLiteral } from '../../server/db/sql-time.ts';
import { HEAT_CELL_PX, HEAT_ZOOMS, type BenchContext, type HeatZoom, type Period } from './context.ts';

/** Operation names, as they appear in the JSON. */
export const OPERATION_NAMES = [
  'summary', 'ranking', 'grids', 'breakdown', 'timeseries', 'heat_z11', 'heat_z13', 'heat_z15', 'issues_page', 'street', 'site', 'frames',
  'grid_values',
] as const;
export type OperationName = (typeof OPERATION_NAMES)[number];

/** One operation: HTTP paths requested one after another, and SQL statements run one after another. */
export interface Operation {
  name: OperationName;
  /** What the request is, for the table. */
  label: string;
  http: string[];
  sql: { duckdb: string[]; postgres: string[] };
}

export type Dialect = 'duckdb' | 'postgres';

/** A SQL string literal (values come from our own data, quoted anyway). */
const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** Where the two engines' SQL differ. */
const DIALECT: Record<Dialect, { median: (x: string) => string; epoch: (x: string) => string; hasSite: (id: string) => string; gridGeometry: string }> = {
  duckdb: {
    median: (x) => `median(${x})`,
    epoch: (x) => `epoch(${x})`,
    hasSite: (id) => `list_contains(i.site_ids, ${lit(id)})`,
    gridGeometry: 'g.geometry',
  },
  postgres: {
    median: (x) => `percentile_cont(0.5) WITHIN GROUP (ORDER BY ${x})`,
    epoch: (x) => `extract(epoch FROM ${x})`,
    // @> can use the GIN index on site_ids; = ANY(...) could not.
    hasSite: (id) => `i.site_ids @> ARRAY[${lit(id)}]::text[]`,
    gridGeometry: 'ST_AsGeoJSON(g.geom)',
  },
};

/** Period bounds; `dueEnd` = min(end, now): a deadline still to come is not due yet. */
interface Bounds { start: string; end: string; dueEnd: string }
function bounds(p: Period, now: Date): Bounds {
  return { start: sqlTimestampLiteral(p.start), end: sqlTimestampLiteral(p.end), dueEnd: sqlTimestampLiteral(p.end < now ? p.end : now) };
}

/** The KPI aggregates of docs/domain.md over the issues alias `i`. */
function kpiSql(d: Dialect, b: Bounds): string {
  const due = `(i.status NOT IN ('cancelled', 'deferred') AND i.deadline >= ${b.start} AND i.deadline < ${b.dueEnd})`;
  const reported = `(i.reported_at >= ${b.start} AND i.reported_at < ${b.end})`;
  const closedDue = `(${due} AND i.status = 'closed')`;
  const hours = `(${DIALECT[d].epoch('i.closed_at')} - ${DIALECT[d].epoch('i.dispatched_at')}) / 3600.0`;
  return [
    `count(*) FILTER (WHERE ${reported}) AS reported`,
    `count(*) FILTER (WHERE ${reported} AND i.immediate) AS immediate`,
    `count(*) FILTER (WHERE ${due}) AS due`,
    `count(*) FILTER (WHERE ${closedDue}) AS closed`,
    `count(*) FILTER (WHERE ${closedDue} AND i.closed_at <= i.deadline) AS closed_on_time`,
    `count(*) FILTER (WHERE ${closedDue} AND i.rework_count > 0) AS rework`,
    `count(*) FILTER (WHERE ${due} AND i.status <> 'closed') AS overdue`,
    `${DIALECT[d].median(hours)} FILTER (WHERE ${closedDue} AND i.dispatched_at IS NOT NULL) AS median_hours`,
    `avg(${hours}) FILTER (WHERE ${closedDue} AND i.dispatched_at IS NOT NULL) AS mean_hours`,
  ].join(',\n  ');
}

/** Rows that can matter for a period (reported in it, or due in it): lets both engines prune. */
const prune = (b: Bounds) => `i.reported_at < ${b.end} AND (i.reported_at >= ${b.start} OR i.deadline >= ${b.start})`;

type Scope = { kind: 'city'; code: string } | { kind: 'district'; code: string } | { kind: 'street'; code: string } | { kind: 'site'; id: string };
function scopeSql(d: Dialect, s: Scope): string {
  if (s.kind === 'district') return `i.street IN (SELECT code FROM regions WHERE parent = ${lit(s.code)} AND level = 'street')`;
  if (s.kind === 'city') {
    return `i.street IN (SELECT code FROM regions WHERE level = 'street' AND parent IN (SELECT code FROM regions WHERE parent = ${lit(s.code)} AND level = 'district'))`;
  }
  if (s.kind === 'street') return `i.street = ${lit(s.code)}`;
  return DIALECT[d].hasSite(s.id);
}

const kpiQuery = (d: Dialect, s: Scope, b: Bounds, key?: string) =>
  key
    ? `SELECT ${key} AS key, ${kpiSql(d, b)}\nFROM issues i WHERE ${scopeSql(d, s)} AND ${prune(b)} GROUP BY 1`
    : `SELECT ${kpiSql(d, b)}\nFROM issues i WHERE ${scopeSql(d, s)} AND ${prune(b)}`;

/** Daily series: report-side KPIs by the day reported, deadline-side KPIs by the day due (Shanghai days). */
function timeseriesSql(d: Dialect, s: Scope, b: Bounds): string {
  const day = (col: string) => `date_trunc('day', ${col} + INTERVAL '8 hours')`;
  return `SELECT day, sum(reported) AS reported, sum(immediate) AS immediate, sum(due) AS due, sum(closed) AS closed, sum(closed_on_time) AS closed_on_time
FROM (
  SELECT ${day('i.reported_at')} AS day, count(*) AS reported, count(*) FILTER (WHERE i.immediate) AS immediate, 0 AS due, 0 AS closed, 0 AS closed_on_time
  FROM issues i WHERE ${scopeSql(d, s)} AND i.reported_at >= ${b.start} AND i.reported_at < ${b.end} GROUP BY 1
  UNION ALL
  SELECT ${day('i.deadline')}, 0, 0, count(*), count(*) FILTER (WHERE i.status = 'closed'), count(*) FILTER (WHERE i.status = 'closed' AND i.closed_at <= i.deadline)
  FROM issues i WHERE ${scopeSql(d, s)} AND i.status NOT IN ('cancelled', 'deferred') AND i.deadline >= ${b.start} AND i.deadline < ${b.dueEnd} GROUP BY 1
) t GROUP BY day ORDER BY day`;
}

/** Half the Web-Mercator world width in metres (EPSG:3857). */
const HALF_WORLD_M = 20037508.342789244;

/**
 * Heat bins at a zoom: counts of issues reported in the period per `HEAT_CELL_PX` bin of world
 * pixels. DuckDB projects lon/lat in the query (no Mercator columns exist in the schema);
 * PostGIS gets its best case, a precomputed EPSG:3857 column with a GiST index.
 */
function heatSql(d: Dialect, s: Scope, b: Bounds, zoom: number, bbox: [number, number, number, number], byDay = false): string {
  const size = 256 * 2 ** zoom;
  // Per Shanghai day of the report (playback), as a third key.
  const day = byDay ? `, ${shanghaiDay('i.reported_at')} AS day` : '';
  const group = byDay ? 'GROUP BY 1, 2, 3' : 'GROUP BY 1, 2';
  const where = `${scopeSql(d, s)} AND i.reported_at >= ${b.start} AND i.reported_at < ${b.end}`;
  if (d === 'duckdb') {
    const sin = 'sin(radians(i.lat))';
    const x = `((i.lon + 180.0) / 360.0 * ${size})`;
    const y = `((0.5 - ln((1 + ${sin}) / (1 - ${sin})) / (4 * pi())) * ${size})`;
    return `SELECT floor(${x} / ${HEAT_CELL_PX})::BIGINT AS bin_x, floor(${y} / ${HEAT_CELL_PX})::BIGINT AS bin_y${day}, count(*) AS n
FROM issues i WHERE ${where} AND i.lon BETWEEN ${bbox[0]} AND ${bbox[2]} AND i.lat BETWEEN ${bbox[1]} AND ${bbox[3]} ${group}`;
  }
  const x = `((ST_X(i.geom3857) + ${HALF_WORLD_M}) / ${2 * HALF_WORLD_M} * ${size})`;
  const y = `((${HALF_WORLD_M} - ST_Y(i.geom3857)) / ${2 * HALF_WORLD_M} * ${size})`;
  return `SELECT floor(${x} / ${HEAT_CELL_PX})::bigint AS bin_x, floor(${y} / ${HEAT_CELL_PX})::bigint AS bin_y${day}, count(*) AS n
FROM issues i WHERE ${where} AND i.geom3857 && ST_Transform(ST_MakeEnvelope(${bbox.join(', ')}, 4326), 3857) ${group}`;
}

/** A Shanghai day's start of a timestamp column, in either engine. */
const shanghaiDay = (col: string) => `date_trunc('day', ${col} + INTERVAL '8 hours')`;

/**
 * Playback of the period by day: heat bins per day in a viewport, reports per grid and
 * day, and per grid the backlog (超期未结) at the end of each day — every day end joined with the
 * issues whose backlog span [deadline, closed_at) can reach into the period.
 */
function framesSql(d: Dialect, s: Scope, b: Bounds, zoom: number, bbox: [number, number, number, number]): string[] {
  const heat = heatSql(d, s, b, zoom, bbox, true);
  const reports = `SELECT i.grid_code, ${shanghaiDay('i.reported_at')} AS day, count(*) AS n
FROM issues i WHERE ${scopeSql(d, s)} AND i.reported_at >= ${b.start} AND i.reported_at < ${b.end} GROUP BY 1, 2`;
  // A backlog is judged up to now at the latest (dueEnd = min(end, now)).
  const last = b.dueEnd;
  const ends = d === 'duckdb'
    ? `(SELECT least(t, ${last}) AS t FROM generate_series(${b.start} + INTERVAL 1 DAY, ${b.end}, INTERVAL 1 DAY) g(t))`
    : `(SELECT least(t, ${last}) AS t FROM generate_series(${b.start} + INTERVAL '1 day', ${b.end}, INTERVAL '1 day') g(t))`;
  const backlog = `SELECT i.grid_code, e.t, count(*) AS n
FROM issues i JOIN ${ends} e ON i.deadline < e.t AND NOT (i.status = 'closed' AND i.closed_at <= e.t)
WHERE ${scopeSql(d, s)} AND i.status NOT IN ('cancelled', 'deferred') AND i.deadline < ${last}
  AND (i.status <> 'closed' OR i.closed_at > ${b.start}) GROUP BY 1, 2`;
  return [heat, reports, backlog];
}

/** One page of the issue list, newest first. */
function issuesPageSql(d: Dialect, s: Scope, b: Bounds): string {
  return `SELECT i.id, i.category, i.source, i.status, i.reported_at, i.deadline, i.closed_at, i.lon, i.lat, i.grid_code, i.street, i.address
FROM issues i WHERE ${scopeSql(d, s)} AND i.reported_at >= ${b.start} AND i.reported_at < ${b.end}
ORDER BY i.reported_at DESC, i.id DESC LIMIT 50`;
}

/** Query string of the common filters. */
function qs(params: Record<string, string | number>): string {
  return new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString();
}

/** The operations for a context: the eleven dashboard operations, then playback, then the choropleth's values. */
export function buildOperations(ctx: BenchContext): Operation[] {
  const period = { from: ctx.period.from, to: ctx.period.to };
  const cur = bounds(ctx.period, ctx.now);
  const top: Scope = ctx.top.level === 'city' ? { kind: 'city', code: ctx.top.code } : { kind: 'district', code: ctx.top.code };
  const street: Scope = { kind: 'street', code: ctx.street.code };
  const site: Scope = { kind: 'site', id: ctx.site.id };
  const both = (f: (d: Dialect) => string[]) => ({ duckdb: f('duckdb'), postgres: f('postgres') });
  const drill = (scope: string, s: Scope) => ({
    http: [
      `/api/stats/summary?${qs({ scope, ...period })}`,
      `/api/stats/timeseries?${qs({ scope, interval: 'day', ...period })}`,
      `/api/stats/breakdown?${qs({ scope, by: 'category', ...period })}`,
    ],
    sql: both((d) => [kpiQuery(d, s, cur), timeseriesSql(d, s, cur), kpiQuery(d, s, cur, 'i.category')]),
  });
  const heat = (zoom: HeatZoom): Operation => ({
    name: `heat_z${zoom}`,
    label: `heat, zoom ${zoom}, one ${1366}×${768} viewport`,
    http: [`/api/heat?${qs({ bbox: ctx.viewports[zoom].map((v) => v.toFixed(6)).join(','), zoom, ...period })}`],
    sql: both((d) => [heatSql(d, top, cur, zoom, ctx.viewports[zoom])]),
  });
  return [
    {
      name: 'summary', label: `${ctx.top.level} KPIs + 环比 + 同比`,
      http: [`/api/stats/summary?${qs(period)}`],
      sql: both((d) => [ctx.period, ctx.previous, ctx.lastYear].map((p) => kpiQuery(d, top, bounds(p, ctx.now)))),
    },
    {
      name: 'ranking', label: 'red/black list of grids + rank change',
      http: [`/api/stats/ranking?${qs({ level: 'grid', n: 10, ...period })}`],
      sql: both((d) => [ctx.period, ctx.previous].map((p) => kpiQuery(d, top, bounds(p, ctx.now), 'i.grid_code'))),
    },
    {
      name: 'grids', label: 'grid choropleth (GeoJSON + KPIs)',
      http: [`/api/grids?${qs(period)}`],
      sql: both((d) => [
        `SELECT g.code, ${DIALECT[d].gridGeometry} AS geometry, k.* FROM grids g LEFT JOIN (\n${kpiQuery(d, top, cur, 'i.grid_code')}\n) k ON k.key = g.code`,
      ]),
    },
    {
      name: 'breakdown', label: 'breakdown by category',
      http: [`/api/stats/breakdown?${qs({ by: 'category', ...period })}`],
      sql: both((d) => [kpiQuery(d, top, cur, 'i.category')]),
    },
    {
      name: 'timeseries', label: 'daily series, 90 days',
      http: [`/api/stats/timeseries?${qs({ interval: 'day', ...period })}`],
      sql: both((d) => [timeseriesSql(d, top, cur)]),
    },
    ...HEAT_ZOOMS.map(heat),
    {
      name: 'issues_page', label: 'issue list, first page of 50',
      http: [`/api/issues?${qs({ limit: 50, ...period })}`],
      sql: both((d) => [issuesPageSql(d, top, cur)]),
    },
    { name: 'street', label: `street drill-down (${ctx.street.name})`, ...drill(`street:${ctx.street.code}`, street) },
    { name: 'site', label: `site drill-down (${ctx.site.name})`, ...drill(`site:${ctx.site.id}`, site) },
    {
      name: 'frames', label: 'playback: daily frames, per-grid values + heat of the top region (z11)',
      http: [
        `/api/stats/frames?${qs({ level: 'grid', step: 'day', ...period })}`,
        `/api/heat/frames?${qs({ bbox: ctx.viewports[11].map((v) => v.toFixed(6)).join(','), zoom: 11, step: 'day', ...period })}`,
      ],
      sql: both((d) => framesSql(d, top, cur, 11, ctx.viewports[11])),
    },
    {
      // What a filter click costs once the map holds the grid shapes: one metric per grid, aligned to them.
      name: 'grid_values', label: 'grid choropleth values per filter click (one metric, no geometry)',
      http: [`/api/grids/values?${qs({ metric: 'reported', ...period })}`],
      sql: both((d) => [kpiQuery(d, top, cur, 'i.grid_code')]),
    },
  ];
}
