/**
 * `npm run bench -- --load`: the load test, then the heavy-load and big-import-while-serving
 * scenarios (responsive.ts), on the benchmark's dataset (default: the demo's 500 000 issues). The
 * scenarios ingest and import issues, so they run on a copy of the cached database: the next
 * benchmark still measures the data it generated.
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { renderLoadReport, runLoad, type LoadReport } from './load-test.ts';
import type { BenchOptions } from './args.ts';
import { ensureDataset, type Dataset } from './dataset.ts';
import { importDataset } from './importer.ts';
import { measureKpiWorkers, renderKpiWorkers } from './kpi-workers.ts';
import { renderResponsiveness, runHeavyLoad, runImportWhileServing, type HeavyLoadReport, type ImportWhileServingReport } from './responsive.ts';
import { startServer, type BenchServer } from './server.ts';

/** Both responsiveness scenarios' reports, and the server's peak RSS (VmHWM, MB) at their end. */
export type Responsiveness = { heavy: HeavyLoadReport; importWhileServing: ImportWhileServingReport; rssPeakMb: number | null };

/**
 * Starts the server on a copy of `cachedDb`, waits for the KPI engine, runs `fn` with the server and
 * its admin token, and removes the copy.
 */
async function onServedCopy<T>(cachedDb: string, log: (line: string) => void, fn: (server: BenchServer, adminToken: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'civgrid-load-'));
  try {
    const dbPath = join(dir, 'civgrid.duckdb');
    copyFileSync(cachedDb, dbPath);
    const server = await startServer(dbPath);
    try {
      log(`load: server listening on ${server.url} after ${server.coldStartMs.toFixed(0)} ms`);
      // Steady state, as in the main benchmark: KPI answers from memory once the engine has loaded.
      const engine = await server.kpiEngine();
      log(`load: KPI engine ${engine.state}${engine.loadMs === null ? '' : ` after ${engine.loadMs} ms`}`);
      // The server's first start wrote its admin token beside the database, or an earlier start
      // on the cached database itself (the benchmark's HTTP stage) wrote it beside that one.
      const token = [join(dir, 'admin-token'), join(dirname(cachedDb), 'admin-token')].find((f) => existsSync(f));
      if (!token) throw new Error(`no admin token beside ${cachedDb} or its copy`);
      return await fn(server, readFileSync(token, 'utf8').trim());
    } catch (err) {
      console.error(`server output (last lines):\n${server.output().split('\n').slice(-40).join('\n')}`);
      throw err;
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The heavy-load scenario, then the big import, against a running server. */
async function responsiveness(server: BenchServer, adminToken: string, ds: Dataset, opts: BenchOptions, log: (line: string) => void): Promise<Responsiveness> {
  const heavy = await runHeavyLoad({ url: server.url, adminToken, durationS: opts.loadSeconds, log });
  const importWhileServing = await runImportWhileServing({ url: server.url, adminToken, csvPath: ds.files.issues, rows: opts.importRows ?? ds.counts.issues, log });
  const rssPeakMb = server.rssPeakMb();
  console.log(`${renderResponsiveness(heavy, importWhileServing)}\n  server RSS peak ${rssPeakMb?.toFixed(0) ?? '?'} MB`);
  return { heavy, importWhileServing, rssPeakMb };
}

/** The benchmark's stage: both scenarios on a served copy of the benchmark database `dbPath`. */
export async function measureResponsiveness(dbPath: string, ds: Dataset, opts: BenchOptions, log: (line: string) => void): Promise<Responsiveness> {
  return onServedCopy(dbPath, log, (server, token) => responsiveness(server, token, ds, opts, log));
}

/** Runs the load test and both scenarios, prints their figures (and JSON to `opts.json`); resolves to whether all passed. */
export async function loadBench(opts: BenchOptions, log: (line: string) => void): Promise<LoadReport & { responsive: Responsiveness }> {
  const ds = await ensureDataset({ issues: opts.issues, grids: opts.grids, sites: opts.sites, seed: opts.seed }, opts.cacheDir, log);
  const cached = join(ds.dir, 'civgrid.duckdb');
  if (!existsSync(cached)) await importDataset(cached, ds, log);
  const served = await onServedCopy(cached, log, async (server, adminToken) => {
    const report = await runLoad({ url: server.url, adminToken, durationS: opts.loadSeconds, log });
    console.log(renderLoadReport(report));
    const responsive = await responsiveness(server, adminToken, ds, opts, log);
    console.log(`  server RSS peak ${server.rssPeakMb()?.toFixed(0) ?? '?'} MB`);
    // A failed run shows what the server said (a crash, a stuck query) next to the figures.
    if (!report.pass) console.error(`server output (last lines):\n${server.output().split('\n').slice(-40).join('\n')}`);
    return { report, responsive, rssPeakMb: server.rssPeakMb() };
  });
  const { report, responsive } = served;
  // The engine's counting alone, in this process: how long it holds the event loop with and without its workers.
  const counting = await measureKpiWorkers(cached, { log });
  console.log(renderKpiWorkers(counting));
  const countingMax = (workers: boolean) => Math.round(counting.find((m) => (m.workers > 0) === workers)!.maxDelayMs * 10) / 10;
  const json = {
    issues: ds.counts.issues, rssPeakMb: served.rssPeakMb, ...report,
    health_p95_under_load_ms: responsive.heavy.health.p95, health_p95_during_import_ms: responsive.importWhileServing.health.p95,
    event_loop_max_ms: {
      under_load: responsive.heavy.eventLoopMaxMs, during_import: responsive.importWhileServing.eventLoopMaxMs,
      counting_main_thread: countingMax(false), counting_workers: countingMax(true),
    },
    kpi_workers: counting.map((m) => ({ mode: m.mode, answers_ms: Object.fromEntries(m.times), together_ms: m.together, event_loop_max_ms: m.maxDelayMs, rss_mb: m.rssMb })),
    responsive,
  };
  if (opts.json) await writeFile(opts.json, `${JSON.stringify(json, null, 2)}\n`);
  return { ...report, pass: report.pass && responsive.heavy.pass && responsive.importWhileServing.pass, responsive };
}
