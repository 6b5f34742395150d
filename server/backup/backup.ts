/**
 * `backupDatabase`: every table to Parquet (DuckDB `COPY … (FORMAT parquet)`) from one
 * transaction, so the files are one consistent moment even while the server keeps writing.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Session, type Database } from '../db/database.ts';
import { ConflictError } from '../domain/errors.ts';
import { closeFolder, makePrivate, PRIVATE_DIR, PRIVATE_FILE } from '../file-modes.ts';
import { fileSha256, ident, literal, MANIFEST, sequencePositions, tableChecksum, tableNames, type Manifest } from './manifest.ts';

/** Writes a backup of `db` into `dir` (created if needed; must hold no earlier backup) and returns its manifest. */
export async function backupDatabase(db: Database, dir: string, now: Date = new Date()): Promise<Manifest> {
  const out = resolve(dir);
  await mkdir(out, { recursive: true, mode: PRIVATE_DIR });
  if (existsSync(join(out, MANIFEST))) throw new ConflictError('backup_exists', `${out} already holds a backup; choose a new directory`);
  if ((await readdir(out)).some((f) => f.endsWith('.parquet'))) throw new ConflictError('backup_exists', `${out} holds Parquet files of an unfinished backup; choose a new directory`);

  // One snapshot, read only: a backup never holds up the writers.
  const measured = await db.snapshot(async (conn) => {
    const tx = new Session(conn);
    const tables = [];
    for (const name of await tableNames(tx)) {
      const file = `${name}.parquet`;
      await tx.run(`COPY (SELECT * FROM ${ident(name)}) TO ${literal(join(out, file))} (FORMAT parquet, COMPRESSION zstd)`);
      tables.push({ name, file, ...(await tableChecksum(tx, name)) });
    }
    const version = await tx.one<{ v: number }>('SELECT max(version) AS v FROM schema_migrations');
    const duckdb = await tx.one<{ v: string }>('SELECT version() AS v');
    return { tables, schemaVersion: version!.v, duckdbVersion: duckdb!.v, sequences: await sequencePositions(tx) };
  });

  const manifest: Manifest = {
    format: 'civgrid-backup', formatVersion: 1, createdAt: now.toISOString(),
    schemaVersion: measured.schemaVersion, duckdbVersion: measured.duckdbVersion,
    tables: await Promise.all(measured.tables.map(async (t) => ({ ...t, sha256: await fileSha256(join(out, t.file)) }))),
    sequences: measured.sequences,
  };
  // Written last and renamed into place: a manifest means a complete backup.
  const tmp = join(out, `${MANIFEST}.tmp`);
  await writeFile(tmp, `${JSON.stringify(manifest, null, 2)}\n`, { mode: PRIVATE_FILE });
  // The Parquet files hold every table, the audit log's request bodies included; DuckDB writes
  // them with the process's umask, which only the entry points set (server/file-modes.ts).
  await makePrivate(manifest.tables.map((t) => join(out, t.file)));
  const warning = await closeFolder(out);
  if (warning) console.warn(`civgrid: backup: ${warning}`);
  await rename(tmp, join(out, MANIFEST));
  return manifest;
}
