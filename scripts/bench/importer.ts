/**
 * Import throughput: the dataset goes through the same pipeline a user's files do
 * (`runImport`), into a fresh DuckDB file each run so every figure starts from the same state.
 */
import { rm } from 'node:fs/promises';
import { Database } from '../../server/db/database.ts';
import { migrate } from '../../server/db/migrations.ts';
import type { ImportKind } from '../../server/import/kind.ts';
import { runImport } from '../../server/import/pipeline.ts';
import { formatProblem } from '../../server/import/problems.ts';
import type { Dataset } from './dataset.ts';

/** Features and wall time of one import. */
export interface ImportTiming {
  features: number;
  ms: number;
}

/** Each kind references the ones before it. */
/** The kinds a benchmark city holds (reference layers are drawn, not measured). */
export type DatasetKind = Exclude<ImportKind, 'reference'>;
const ORDER: DatasetKind[] = ['departments', 'categories', 'regions', 'grids', 'sites', 'issues'];

/** Deletes a DuckDB file and its WAL. */
export async function removeDb(path: string): Promise<void> {
  await rm(path, { force: true });
  await rm(`${path}.wal`, { force: true });
}

async function importOne(db: Database, kind: ImportKind, path: string): Promise<ImportTiming> {
  const t0 = performance.now();
  const report = await runImport(db, { kind, path, actor: 'bench' });
  const ms = performance.now() - t0;
  if (!report.ok) {
    throw new Error(`bench: ${kind} import was rejected:\n${report.errors.slice(0, 10).map((p) => formatProblem(report.file, p)).join('\n')}`);
  }
  return { features: report.features, ms };
}

/**
 * Imports the whole dataset (issues from CSV) into a new database at `dbPath`, checkpoints it so
 * the server opens a settled file, and returns the per-kind timings.
 */
export async function importDataset(dbPath: string, ds: Dataset, log: (line: string) => void): Promise<Record<DatasetKind, ImportTiming>> {
  await removeDb(dbPath);
  const db = await Database.open(dbPath);
  try {
    await migrate(db);
    const out = {} as Record<DatasetKind, ImportTiming>;
    for (const kind of ORDER) {
      out[kind] = await importOne(db, kind, ds.files[kind]);
      log(`import: ${out[kind].features.toLocaleString('en-US')} ${kind} in ${(out[kind].ms / 1000).toFixed(1)} s`);
    }
    return out;
  } finally {
    await db.close();
  }
}

/**
 * Issues from GeoJSON: a scratch database gets the reference data (untimed), then the GeoJSON
 * slice is imported and timed; the scratch file is deleted afterwards.
 */
export async function importGeojsonIssues(scratchPath: string, ds: Dataset, geojsonPath: string): Promise<ImportTiming> {
  await removeDb(scratchPath);
  const db = await Database.open(scratchPath);
  try {
    await migrate(db);
    for (const kind of ORDER.slice(0, -1)) await importOne(db, kind, ds.files[kind]);
    return await importOne(db, 'issues', geojsonPath);
  } finally {
    await db.close();
    await removeDb(scratchPath);
  }
}
