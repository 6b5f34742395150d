/**
 * `npm run bench -- --load`: issue 8's load test on the benchmark's dataset (default: the demo's
 * 500 000 issues). The test ingests issues, so it runs on a copy of the cached database: the next
 * benchmark still measures the data it generated.
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderLoadReport, runLoad, type LoadReport } from './load-test.ts';
import type { BenchOptions } from './args.ts';
import { ensureDataset } from './dataset.ts';
import { importDataset } from './importer.ts';
import { startServer } from './server.ts';

/** Runs the load test, prints its figures (and JSON to `opts.json`); resolves to the report. */
export async function loadBench(opts: BenchOptions, log: (line: string) => void): Promise<LoadReport> {
  const ds = await ensureDataset({ issues: opts.issues, grids: opts.grids, sites: opts.sites, seed: opts.seed }, opts.cacheDir, log);
  const cached = join(ds.dir, 'civgrid.duckdb');
  if (!existsSync(cached)) await importDataset(cached, ds, log);
  const dir = mkdtempSync(join(tmpdir(), 'civgrid-load-'));
  try {
    const dbPath = join(dir, 'civgrid.duckdb');
    copyFileSync(cached, dbPath);
    const server = await startServer(dbPath);
    try {
      log(`load: server listening on ${server.url} after ${server.coldStartMs.toFixed(0)} ms`);
      // Steady state, as in the main benchmark: KPI answers from memory once the engine has loaded.
      const engine = await server.kpiEngine();
      log(`load: KPI engine ${engine.state}${engine.loadMs === null ? '' : ` after ${engine.loadMs} ms`}`);
      // The server's first start wrote its admin token beside the database.
      const adminToken = readFileSync(join(dir, 'admin-token'), 'utf8').trim();
      const report = await runLoad({ url: server.url, adminToken, log });
      console.log(renderLoadReport(report));
      console.log(`  server RSS peak ${server.rssPeakMb()?.toFixed(0) ?? '?'} MB`);
      // A failed run shows what the server said (a crash, a stuck query) next to the figures.
      if (!report.pass) console.error(`server output (last lines):\n${server.output().split('\n').slice(-40).join('\n')}`);
      if (opts.json) await writeFile(opts.json, `${JSON.stringify({ issues: ds.counts.issues, rssPeakMb: server.rssPeakMb(), ...report }, null, 2)}\n`);
      return report;
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
