/**
 * Issue imports by the bulk path (server/import/bulk): CSV and newline-delimited GeoJSON, each
 * into a scratch database holding the reference data (imported untimed), with the peak resident
 * memory of each import under the server's import memory limit (CIVGRID_IMPORT_MEMORY_MB).
 */
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { Database } from '../../server/db/database.ts';
import { migrate } from '../../server/db/migrations.ts';
import { readEnv } from '../../server/env.ts';
import { runImport } from '../../server/import/pipeline.ts';
import { formatProblem } from '../../server/import/problems.ts';
import type { Dataset } from './dataset.ts';
import { removeDb, type DatasetKind } from './importer.ts';
import { perSecond } from './stats.ts';

/** One bulk import: features, wall time and the process's peak RSS during it (MB; null where Linux does not tell). */
export type BulkImportTiming = { features: number; ms: number; rssPeakMb: number | null };
export type BulkImportFigures = { csv: BulkImportTiming; ndjson: BulkImportTiming };

const REFERENCE: DatasetKind[] = ['departments', 'categories', 'regions', 'grids', 'sites'];

/**
 * Resets the kernel's peak-RSS mark of this process (`clear_refs` 5), so VmHWM read afterwards is
 * the peak of what ran in between; false where that is not possible.
 */
async function resetPeak(): Promise<boolean> {
  try {
    await writeFile('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

async function peakMb(): Promise<number | null> {
  const status = await readFile('/proc/self/status', 'utf8').catch(() => '');
  const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
  return kb ? Number(kb) / 1024 : null;
}

/** The GeoJSON slice (one Feature per line) as NDJSON beside it, written once. */
async function ndjsonOf(geojsonPath: string): Promise<string> {
  const path = geojsonPath.replace(/\.geojson$/, '.ndjson');
  if (existsSync(path)) return path;
  const out = createWriteStream(`${path}.partial`);
  for await (const line of createInterface({ input: createReadStream(geojsonPath), crlfDelay: Infinity })) {
    if (!line.startsWith('{"type":"Feature"')) continue;
    if (!out.write(`${line.replace(/,$/, '')}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  await rename(`${path}.partial`, path);
  return path;
}

async function timedImport(scratch: string, ds: Dataset, path: string): Promise<BulkImportTiming> {
  await removeDb(scratch);
  // The server's import memory limit: the peak measured is what a deployment's import takes.
  const db = await Database.open(scratch, { importMemoryLimitMb: readEnv().CIVGRID_IMPORT_MEMORY_MB });
  try {
    await migrate(db);
    for (const kind of REFERENCE) if (ds.files[kind]) await runImport(db, { kind, path: ds.files[kind], actor: 'bench' });
    const reset = await resetPeak();
    const t0 = performance.now();
    const report = await runImport(db, { kind: 'issues', path, actor: 'bench' });
    const ms = performance.now() - t0;
    if (!report.ok) throw new Error(`bench: issues import was rejected:\n${report.errors.slice(0, 10).map((p) => formatProblem(report.file, p)).join('\n')}`);
    return { features: report.features, ms, rssPeakMb: reset ? await peakMb() : null };
  } finally {
    await db.close();
    await removeDb(scratch);
  }
}

/** Times the CSV of the dataset and the NDJSON of `geojsonPath` (a one-Feature-per-line slice). */
export async function measureBulkImports(ds: Dataset, geojsonPath: string, log: (line: string) => void): Promise<BulkImportFigures> {
  const scratch = join(ds.dir, 'bulk-scratch.duckdb');
  const csv = await timedImport(scratch, ds, ds.files.issues);
  log(`import (bulk): ${csv.features.toLocaleString('en-US')} issues from CSV in ${(csv.ms / 1000).toFixed(1)} s, peak RSS ${csv.rssPeakMb?.toFixed(0) ?? 'n/a'} MB`);
  const ndjson = await timedImport(scratch, ds, await ndjsonOf(geojsonPath));
  log(`import (bulk): ${ndjson.features.toLocaleString('en-US')} issues from NDJSON in ${(ndjson.ms / 1000).toFixed(1)} s, peak RSS ${ndjson.rssPeakMb?.toFixed(0) ?? 'n/a'} MB`);
  return { csv, ndjson };
}

/** The bench JSON's fields of this stage. */
export function bulkImportJson(f: BulkImportFigures | undefined) {
  const rate = (t: BulkImportTiming | undefined) => (t ? Math.round(perSecond(t.features, t.ms) ?? 0) : null);
  const peaks = [f?.csv.rssPeakMb, f?.ndjson.rssPeakMb].filter((v): v is number => typeof v === 'number');
  return {
    import_csv_issues_per_s: rate(f?.csv),
    import_ndjson_issues_per_s: rate(f?.ndjson),
    import_rss_peak_mb: peaks.length ? Math.round(Math.max(...peaks)) : null,
  };
}
