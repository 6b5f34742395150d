/**
 * Turns the measurements into the benchmark's JSON and the printed tables. Pure.
 */
import type { AssignResult } from './assign.ts';
import { bulkImportJson, type BulkImportFigures } from './bulk-imports.ts';
import type { RouteFigures, RouteJs } from './browser.ts';
import type { BenchContext } from './context.ts';
import { bytes, formatTable, ms, rate, ratioText, type Cell } from './format.ts';
import type { HttpResult } from './http.ts';
import type { MemoryFigures } from './memory.ts';
import type { DatasetKind, ImportTiming } from './importer.ts';
import { OPERATION_NAMES, type Operation, type OperationName } from './operations.ts';
import type { PhotoFigures } from './photos.ts';
import { playbackJson, playbackLines, type PlaybackFigures } from './playback.ts';
import type { Responsiveness } from './load.ts';
import type { PostgisResult } from './postgis-compare.ts';
import { repaintJson, repaintLine, type RepaintFigures } from './repaint.ts';
import { perSecond, ratio, type LatencySummary } from './stats.ts';

/** Everything one run measured; stages that were skipped or failed are absent. */
export interface BenchResults {
  issues: number;
  grids: number;
  sites: number;
  datasetDir: string;
  generateSeconds: number | null;
  imports?: Record<DatasetKind, ImportTiming>;
  geojson?: ImportTiming;
  bulkImports?: BulkImportFigures;
  assign?: AssignResult;
  context?: BenchContext;
  operations?: Operation[];
  sql?: Map<OperationName, LatencySummary>;
  http?: Map<OperationName, HttpResult>;
  server?: { coldStartMs: number; rssPeakMb: number | null; dbMb: number; kpiEngine?: KpiEngineFigures };
  browser?: { entry: RouteJs | null; routes: RouteFigures[] } | { error: string };
  /** Filter click → grid choropleth repainted, in the workspace. */
  repaint?: RepaintFigures;
  photos?: PhotoFigures | { error: string };
  playback?: PlaybackFigures;
  postgis?: PostgisResult | { error: string };
  responsive?: Responsiveness | { error: string };
  /** Server memory with the planner loaded too (memory.ts). */
  memory?: MemoryFigures;
}

/** The server's in-memory KPI engine as /api/health reported it before the HTTP runs. */
export type KpiEngineFigures = { state: string; issues: number; loadMs: number | null; error: string | null };

/** Targets at 10 M issues, p50 ms. */
const TARGET_P50_MS: Partial<Record<OperationName, number>> = {
  summary: 100, ranking: 100, grids: 200, grid_values: 30, heat_z11: 100, heat_z13: 100, heat_z15: 100, street: 50, frames: 250,
};

const round = (v: number | null | undefined, digits = 1) => (v === null || v === undefined || !Number.isFinite(v) ? null : Math.round(v * 10 ** digits) / 10 ** digits);
const pgOk = (r: BenchResults): PostgisResult | null => (r.postgis && !('error' in r.postgis) ? r.postgis : null);

/** One row of `operations` in the JSON: HTTP latency (civgrid's figure) against PostGIS SQL. */
function operationJson(r: BenchResults, name: OperationName) {
  const http = r.http?.get(name);
  const sql = r.sql?.get(name);
  const pg = pgOk(r)?.operations.get(name);
  const httpP50 = http?.ok ? http.latency.p50 : null;
  return {
    name,
    p50_ms: round(httpP50, 2),
    p95_ms: round(http?.ok ? http.latency.p95 : null, 2),
    postgis_p50_ms: round(pg?.p50, 2),
    ratio: round(ratio(httpP50, pg?.p50), 4),
    // Extras: the engine alone (same SQL as PostGIS), and why HTTP is n/a.
    sql_p50_ms: round(sql?.p50, 2),
    sql_p95_ms: round(sql?.p95, 2),
    sql_ratio: round(ratio(sql?.p50, pg?.p50), 4),
    http: http === undefined ? 'not run' : http.ok ? 'ok' : http.reason,
    response_kb: http?.ok ? round(http.bytes / 1024) : null,
    target_p50_ms: TARGET_P50_MS[name] ?? null,
  };
}

/** The `--json` document: the agreed keys, plus extras. */
export function buildJson(r: BenchResults) {
  const pg = pgOk(r);
  const csv = r.imports?.issues;
  return {
    issues: r.issues,
    grids: r.grids,
    import_issues_per_s: round(perSecond(csv?.features ?? 0, csv?.ms), 0),
    assign_points_per_s: round(r.assign?.allMoved.pointsPerSecond, 0),
    rss_peak_mb: round(r.server?.rssPeakMb),
    db_mb: round(r.server?.dbMb),
    operations: OPERATION_NAMES.map((n) => operationJson(r, n)),
    import_geojson_issues_per_s: round(perSecond(r.geojson?.features ?? 0, r.geojson?.ms), 0),
    import_geojson_issues: r.geojson?.features ?? null,
    ...bulkImportJson(r.bulkImports),
    assign: r.assign && {
      reassign_all_moved_points_per_s: round(r.assign.allMoved.pointsPerSecond, 0),
      reassign_unchanged_points_per_s: round(r.assign.unchanged.pointsPerSecond, 0),
      reassign_all_rewritten_points_per_s: round(r.assign.allRewritten.pointsPerSecond, 0),
      reassign_load_ms: round(r.assign.unchanged.loadMs),
      index_points_per_s: round(r.assign.indexPointsPerSecond, 0),
      synthetic_index_points_per_s: round(r.assign.synthetic.pointsPerSecond, 0),
      postgis_points_per_s: round(pg?.assign.pointsPerSecond, 0),
      postgis_ms: round(pg?.assign.ms),
      postgis_disagreeing_points: pg?.assign.disagreeing ?? null,
    },
    cold_start_ms: round(r.server?.coldStartMs, 0),
    kpi_engine: r.server?.kpiEngine ? { state: r.server.kpiEngine.state, issues: r.server.kpiEngine.issues, load_ms: r.server.kpiEngine.loadMs } : null,
    postgis: r.postgis && ('error' in r.postgis ? { error: r.postgis.error } : { version: r.postgis.version, settings: r.postgis.settings, load_s: round(r.postgis.loadSeconds), db_mb: round(r.postgis.dbMb) }),
    browser: r.browser && ('error' in r.browser ? { error: r.browser.error } : {
      entry_js_gzip_kb: round((r.browser.entry?.gzipBytes ?? 0) / 1024),
      // js_gzip_kb: the JS requested before the first data was drawn; js_all_gzip_kb: with what loads after.
      routes: r.browser.routes.map((b) => ({
        route: b.route, js_gzip_kb: round(b.js.gzipBytes / 1024), js_files: b.js.files.length, js_all_gzip_kb: round(b.jsAll.gzipBytes / 1024),
        first_data_ms: round(b.firstDataMs, 0), method: b.method,
      })),
    }),
    grid_repaint: repaintJson(r.repaint),
    photos: r.photos && ('error' in r.photos ? { error: r.photos.error } : {
      photos: r.photos.photos, mean_kb: round(r.photos.meanBytes / 1024, 0),
      upload_per_s_one_client: round(r.photos.sequentialPerSecond, 2), upload_per_s_four_clients: round(r.photos.concurrentPerSecond, 2),
      thumb_p50_ms: round(r.photos.thumb.p50, 2), thumb_p95_ms: round(r.photos.thumb.p95, 2),
    }),
    ...responsiveJson(r.responsive),
    context: r.context && { period: [r.context.period.from, r.context.period.to], street: r.context.street, site: r.context.site },
    ...playbackJson(r.playback),
    memory: r.memory ? { rss_mb: round(r.memory.rssMb, 0), rss_peak_mb: round(r.memory.rssPeakMb, 0), bytes_per_issue: r.memory.bytesPerIssue, plan_metrics_ms: round(r.memory.planMetricsMs, 0), ...(r.memory.error && { error: r.memory.error }) } : null,
  };
}

/** The health checks' p95 under heavy load and during a big import (responsive.ts), or why they are missing. */
function responsiveJson(r: BenchResults['responsive']) {
  const ok = r && !('error' in r) ? r : null;
  return {
    health_p95_under_load_ms: round(ok?.heavy.health.p95),
    health_p95_during_import_ms: round(ok?.importWhileServing.health.p95),
    event_loop_max_ms: ok ? { under_load: round(ok.heavy.eventLoopMaxMs), during_import: round(ok.importWhileServing.eventLoopMaxMs) } : null,
    ...(r && 'error' in r ? { responsive_error: r.error } : {}),
  };
}

function engineNote(e: KpiEngineFigures): string {
  if (e.state === 'ready') return `${e.issues.toLocaleString('en-US')} issues in memory, in the background after listening`;
  return e.error ? `${e.state}: ${e.error}` : `${e.state}: KPIs counted in DuckDB`;
}

/** The printed report. */
export function renderReport(r: BenchResults): string {
  const pg = pgOk(r);
  const out: string[] = [];
  const csv = r.imports?.issues;
  const a = r.assign;
  const facts: [string, Cell, Cell][] = [
    ['dataset', `${r.issues.toLocaleString('en-US')} issues, ${r.grids.toLocaleString('en-US')} grids, ${r.sites.toLocaleString('en-US')} sites`, r.generateSeconds === null ? 'cached' : `generated in ${r.generateSeconds.toFixed(0)} s`],
    ['import issues, CSV', rate(perSecond(csv?.features ?? 0, csv?.ms), 'issues'), csv ? `${(csv.ms / 1000).toFixed(1)} s` : null],
    ['import issues, GeoJSON', rate(perSecond(r.geojson?.features ?? 0, r.geojson?.ms), 'issues'), r.geojson ? `${r.geojson.features.toLocaleString('en-US')} in ${(r.geojson.ms / 1000).toFixed(1)} s` : null],
    ['re-assign on publish, every point moved', rate(a?.allMoved.pointsPerSecond, 'points'), a ? `${(a.allMoved.ms / 1000).toFixed(2)} s + ${(a.allMoved.loadMs / 1000).toFixed(2)} s index build` : null],
    ['re-assign on publish, nothing moved', rate(a?.unchanged.pointsPerSecond, 'points'), a ? `${(a.unchanged.ms / 1000).toFixed(2)} s` : null],
    ['re-assign on sites import, all rewritten', rate(a?.allRewritten.pointsPerSecond, 'points'), a ? `${(a.allRewritten.ms / 1000).toFixed(2)} s (grids and site lists, worst case)` : null],
    ['point-in-polygon index, real grids', rate(a?.indexPointsPerSecond, 'points'), a ? `${a.indexPoints.toLocaleString('en-US')} points, no I/O` : null],
    ['point-in-polygon index, synthetic tiling', rate(a?.synthetic.pointsPerSecond, 'points'), a ? `${a.synthetic.polygons.toLocaleString('en-US')} polygons` : null],
    ['PostGIS ST_Contains assignment', rate(pg?.assign.pointsPerSecond, 'points'), pg ? `${(pg.assign.ms / 1000).toFixed(1)} s; ${pg.assign.disagreeing} points differ from civgrid` : null],
    ['server cold start', ms(r.server?.coldStartMs), 'spawn → listening'],
    ['KPI engine load', ms(r.server?.kpiEngine?.loadMs ?? undefined), r.server?.kpiEngine ? engineNote(r.server.kpiEngine) : null],
    ['server RSS peak', r.server?.rssPeakMb != null ? `${r.server.rssPeakMb.toFixed(0)} MB` : null, 'VmHWM'],
    ['DuckDB file', r.server ? `${r.server.dbMb.toFixed(0)} MB` : null, pg ? `PostGIS database ${pg.dbMb.toFixed(0)} MB` : null],
  ];
  out.push(formatTable(['measure', 'value', 'note'], facts, ['left', 'right', 'left']));

  if (r.operations) {
    const rows: Cell[][] = r.operations.map((op) => {
      const j = operationJson(r, op.name);
      const target = j.target_p50_ms;
      const verdict = target === null || j.p50_ms === null ? '' : j.p50_ms <= target ? `≤${target} ok` : `≤${target} MISS`;
      return [op.name, j.p50_ms, j.p95_ms, j.sql_p50_ms, j.postgis_p50_ms, ratioText(j.ratio), ratioText(j.sql_ratio), verdict];
    });
    out.push('', 'Latency in ms. HTTP: loopback, full body read, p50/p95 of the timed runs. SQL: the same statements on',
      'DuckDB directly and on PostGIS (psql \\timing). Ratios are civgrid/PostGIS p50 (< 1: civgrid faster).');
    out.push(formatTable(['operation', 'HTTP p50', 'HTTP p95', 'DuckDB SQL p50', 'PostGIS p50', 'HTTP/PostGIS', 'SQL/PostGIS', 'target'], rows,
      ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'left']));
    const missing = r.operations.map((op) => [op.name, r.http?.get(op.name)] as const).filter(([, h]) => h && !h.ok);
    for (const [name, h] of missing) out.push(`  ${name}: HTTP n/a — ${h && !h.ok ? h.reason : ''}`);
  }
  if (r.photos && 'error' in r.photos) out.push('', `photos: n/a — ${r.photos.error}`);
  else if (r.photos) {
    const p = r.photos;
    out.push('', `Evidence photos: ${p.photos} camera-sized JPEGs of ${bytes(p.meanBytes)} on average (decoded, checked, two WebP sizes written).`);
    out.push(formatTable(['measure', 'value'], [
      ['upload, one client', rate(p.sequentialPerSecond, 'photos')],
      ['upload, four clients', rate(p.concurrentPerSecond, 'photos')],
      ['thumbnail p50 / p95', `${ms(p.thumb.p50)} / ${ms(p.thumb.p95)}`],
    ], ['left', 'right']));
  }
  if (r.browser && 'error' in r.browser) out.push('', `browser: n/a — ${r.browser.error}`);
  else if (r.browser) {
    out.push('', formatTable(['route', 'JS gzip before first data', 'JS raw', 'files', 'JS gzip in all', 'first data drawn'], [
      ['entry (index.html)', bytes(r.browser.entry?.gzipBytes), bytes(r.browser.entry?.rawBytes), r.browser.entry?.files.length ?? null, '', ''],
      ...r.browser.routes.map((b): Cell[] => [b.route, bytes(b.js.gzipBytes), bytes(b.js.rawBytes), b.js.files.length, bytes(b.jsAll.gzipBytes), ms(b.firstDataMs)]),
    ]));
    for (const b of r.browser.routes) out.push(`  ${b.route}: first data drawn = ${b.method}${b.runs.length ? `; median of ${b.runs.length} cold loads` : ''}`);
  }
  out.push(...repaintLine(r.repaint));
  if (r.playback) out.push('', ...playbackLines(r.playback));
  if (r.postgis && 'error' in r.postgis) out.push('', `PostGIS: n/a — ${r.postgis.error}`);
  else if (pg) out.push('', `PostGIS: ${pg.version.split(',')[0]}; loaded in ${pg.loadSeconds.toFixed(0)} s; ${Object.entries(pg.settings).map(([k, v]) => `${k}=${v}`).join(' ')}`);
  return out.join('\n');
}
