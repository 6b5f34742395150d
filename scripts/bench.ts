/**
 * `npm run bench -- [--issues N] [--grids N] [--vs-postgis] [--json FILE] [--load]` — civgrid at
 * city scale: import and assignment throughput, API latency against the real server,
 * memory, database size, cold start, browser figures, and optionally the same work on PostGIS.
 * Progress goes to stderr, the report to stdout. See README "Benchmark" for how to read it.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Database } from '../server/db/database.ts';
import { parseBenchArgs, UsageError, type BenchOptions } from './bench/args.ts';
import { measureAssignment } from './bench/assign.ts';
import { entryJs, measureBrowser } from './bench/browser.ts';
import { pickContext, planDistrictOf } from './bench/context.ts';
import { ensureDataset, geojsonSlice } from './bench/dataset.ts';
import { timeDuckdbSql } from './bench/duckdb-sql.ts';
import { measureHttp } from './bench/http.ts';
import { measureMemory } from './bench/memory.ts';
import { loadBench, measureResponsiveness } from './bench/load.ts';
import { measurePhotos } from './bench/photos.ts';
import { measurePlayback } from './bench/playback.ts';
import { importDataset, importGeojsonIssues } from './bench/importer.ts';
import { measureBulkImports } from './bench/bulk-imports.ts';
import { buildOperations } from './bench/operations.ts';
import { measureRepaint } from './bench/repaint.ts';
import { comparePostgis } from './bench/postgis-compare.ts';
import { ensurePostgis, startPostgres } from './bench/postgis.ts';
import { buildJson, renderReport, type BenchResults } from './bench/report.ts';
import { startServer } from './bench/server.ts';

/** The GeoJSON import figure uses at most this many issues: it measures a rate, not capacity. */
const GEOJSON_SLICE = 1_000_000;
/** Cold page loads per route for the browser figure. */
const BROWSER_RUNS = 3;
/** Filter clicks timed for the grid repaint figure. */
const REPAINT_CLICKS = 7;

const started = performance.now();
const log = (line: string) => console.error(`[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(5)} s] ${line}`);

/** Undo steps (server, PostgreSQL) run on failure and on Ctrl-C as well as at the end. */
const cleanups: (() => Promise<void>)[] = [];
async function cleanup(): Promise<void> {
  for (const fn of cleanups.splice(0).reverse()) await fn().catch((err: unknown) => log(`cleanup failed: ${(err as Error).message}`));
}
process.once('SIGINT', () => void cleanup().then(() => process.exit(130)));

/** The last non-empty line of a message (a server's crash output ends with the cause). */
const lastLine = (text: string) => text.trim().split('\n').filter((l) => l.trim() && !/^\s+at /.test(l)).pop() ?? text;

const fileMb = (path: string) => [path, `${path}.wal`].reduce((n, p) => n + (existsSync(p) ? statSync(p).size : 0), 0) / 1024 / 1024;

async function run(opts: BenchOptions): Promise<BenchResults> {
  const ds = await ensureDataset({ issues: opts.issues, grids: opts.grids, sites: opts.sites, seed: opts.seed }, opts.cacheDir, log);
  const dbPath = join(ds.dir, 'civgrid.duckdb');
  const r: BenchResults = {
    issues: ds.counts.issues, grids: ds.counts.grids, sites: ds.counts.sites, datasetDir: ds.dir, generateSeconds: ds.generateSeconds,
  };

  if (!opts.skip.has('import') || !existsSync(dbPath)) r.imports = await importDataset(dbPath, ds, log);
  else log(`import: skipped, reusing ${dbPath}`);
  if (!opts.skip.has('geojson')) {
    const slice = await geojsonSlice(ds.files.issues, Math.min(opts.issues, GEOJSON_SLICE));
    r.geojson = await importGeojsonIssues(join(ds.dir, 'geojson-scratch.duckdb'), ds, slice.path);
    log(`import: ${r.geojson.features.toLocaleString('en-US')} issues from GeoJSON in ${(r.geojson.ms / 1000).toFixed(1)} s`);
  }
  if (!opts.skip.has('bulk')) r.bulkImports = await measureBulkImports(ds, (await geojsonSlice(ds.files.issues, opts.issues)).path, log);
  if (!opts.skip.has('assign')) {
    r.assign = await measureAssignment(dbPath, r.grids);
    const pps = (t: { pointsPerSecond: number }) => Math.round(t.pointsPerSecond).toLocaleString('en-US');
    log(`assign: ${pps(r.assign.allMoved)} points/s (all moved), ${pps(r.assign.unchanged)} (none moved), ${pps(r.assign.allRewritten)} (site lists too)`);
  }

  const db = await Database.open(dbPath);
  try {
    r.context = await pickContext(db, ds.now);
  } finally {
    await db.close();
  }
  r.operations = buildOperations(r.context);
  log(`requests: ${r.context.period.from} … ${r.context.period.to}, street ${r.context.street.name}, site ${r.context.site.name}`);
  if (!opts.skip.has('sql')) {
    r.sql = await timeDuckdbSql(dbPath, r.operations, opts.requests);
    log('sql: DuckDB timings done');
  }

  if (!opts.skip.has('http') || !opts.skip.has('browser')) {
    if (!opts.skip.has('browser')) {
      // The server serves dist/web; build it first if web/ is newer (same helper as the e2e tests).
      const { ensureWebBuild } = await import('../tests/helpers/server-process.ts');
      await ensureWebBuild();
    }
    let server: Awaited<ReturnType<typeof startServer>> | null = null;
    try {
      // Cache off: the same request 20 times would otherwise time one computation and 19 memory
      // reads. A leader drilling somewhere new gets the computed figure; a hit costs ~1 ms.
      server = await startServer(dbPath, { cache: false });
    } catch (err) {
      // A server that can't start (e.g. mid-way through someone's change) costs the HTTP and
      // browser figures, not the rest of the run.
      const reason = `server did not start: ${lastLine((err as Error).message)}`;
      log(reason);
      r.http = new Map(r.operations.map((op) => [op.name, { ok: false as const, reason }]));
    }
    if (server) {
      cleanups.push(() => server.stop());
      log(`server: listening after ${server.coldStartMs.toFixed(0)} ms`);
      // KPI answers come from DuckDB until the engine has loaded; measure the steady state.
      const kpiEngine = await server.kpiEngine();
      log(`server: KPI engine ${kpiEngine.state}${kpiEngine.loadMs === null ? '' : ` after ${kpiEngine.loadMs} ms`}`);
      if (!opts.skip.has('http')) r.http = await measureHttp(server.url, r.operations, opts.requests, log);
      if (!opts.skip.has('http')) r.memory = await measureMemory(server, existsSync(join(ds.dir, 'admin-token')) ? readFileSync(join(ds.dir, 'admin-token'), 'utf8').trim() : null, opts.issues, log);
      if (!opts.skip.has('photos')) {
        try {
          r.photos = await measurePhotos(server.url, readFileSync(join(ds.dir, 'admin-token'), 'utf8').trim(), opts.seed, log);
        } catch (err) {
          r.photos = { error: (err as Error).message.split('\n')[0]! };
          log(`photos: ${r.photos.error}`);
        }
      }
      if (!opts.skip.has('browser')) {
        try {
          r.browser = { entry: entryJs(), routes: await measureBrowser(server.url, BROWSER_RUNS, log, { planDistrict: planDistrictOf(r.context!) }) };
          r.repaint = await measureRepaint(server.url, REPAINT_CLICKS, log);
          r.playback = await measurePlayback(server.url, { from: r.context!.period.from, to: r.context!.period.to, frames: 120 }, log);
        } catch (err) {
          r.browser = { error: (err as Error).message.split('\n')[0] };
          log(`browser: ${r.browser.error}`);
        }
      }
      const rssPeakMb = server.rssPeakMb();
      await cleanup();
      r.server = { coldStartMs: server.coldStartMs, rssPeakMb, dbMb: fileMb(dbPath), kpiEngine };
    }
  }
  r.server ??= { coldStartMs: Number.NaN, rssPeakMb: null, dbMb: fileMb(dbPath) };
  if (!opts.skip.has('responsive')) r.responsive = await measureResponsiveness(dbPath, ds, opts, log).catch((err: unknown) => ({ error: lastLine((err as Error).message) }));

  if (opts.vsPostgis) {
    try {
      const pg = await startPostgres(await ensurePostgis(log), log);
      cleanups.push(() => pg.stop());
      r.postgis = await comparePostgis(pg, dbPath, r.operations, opts.requests, log);
    } catch (err) {
      r.postgis = { error: (err as Error).message.split('\n')[0] };
      log(`postgis: ${r.postgis.error}`);
    } finally {
      await cleanup();
    }
  }
  return r;
}

let opts: BenchOptions;
try {
  opts = parseBenchArgs(process.argv.slice(2));
} catch (err) {
  if (!(err instanceof UsageError)) throw err;
  console.error(err.message);
  process.exit(2);
}
if (opts.load) {
  // Issue 8's load test instead of the single-client figures; exits 1 when it fails.
  try {
    const report = await loadBench(opts, log);
    process.exitCode = report.pass ? 0 : 1;
  } catch (err) {
    console.error(`bench --load failed: ${(err as Error).message}`);
    process.exitCode = 1;
  }
  process.exit();
}
try {
  const results = await run(opts);
  console.log(renderReport(results));
  if (opts.json) {
    await writeFile(opts.json, `${JSON.stringify(buildJson(results), null, 2)}\n`);
    log(`wrote ${opts.json}`);
  }
  log('done');
} catch (err) {
  await cleanup();
  console.error(err);
  process.exit(1);
}
