/**
 * `backupDatabase`: every table to Parquet (DuckDB `COPY … (FORMAT parquet)`) from one
 * transaction, so the files are one consistent moment even while the server keeps writing.
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { auditSettled } from '../audit/log.ts';
import { Session, type Database } from '../db/database.ts';
import { ConflictError } from '../domain/errors.ts';
import { closeFolder, makePrivate, PRIVATE_DIR, PRIVATE_FILE } from '../file-modes.ts';
import type { MediaStore } from '../media/store.ts';
import { bulletinFileName } from '../bulletin/files.ts';
import { BULLETIN_DIR, fileSha256, ident, literal, MANIFEST, MEDIA_DIR, mediaFileName, sequencePositions, tableChecksum, tableNames, type Manifest } from './manifest.ts';

/** The files kept outside the database that a backup carries with the rows referring to them. */
export interface BackupFiles {
  /** The photo store: each photo's three files go under `media/`. */
  media?: MediaStore;
  /** The bulletin archive folder: each stored bulletin's files go under `bulletins/`. */
  bulletins?: string;
}

/**
 * Writes a backup of `db` into `dir` (created if needed; must hold no earlier backup) and returns
 * its manifest. The files of every photo and bulletin the backed-up rows refer to are copied
 * too (from the stores `files` names) and listed with their hashes; a file that is missing or
 * does not match its recorded hash fails the backup.
 */
export async function backupDatabase(db: Database, dir: string, now: Date = new Date(), files: BackupFiles = {}): Promise<Manifest> {
  const out = resolve(dir);
  await mkdir(out, { recursive: true, mode: PRIVATE_DIR });
  if (existsSync(join(out, MANIFEST))) throw new ConflictError('backup_exists', `${out} already holds a backup; choose a new directory`);
  if ((await readdir(out)).some((f) => f.endsWith('.parquet'))) throw new ConflictError('backup_exists', `${out} holds Parquet files of an unfinished backup; choose a new directory`);

  // Every write answered so far is in the backup with its audit entry.
  await auditSettled(db);
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
    // A database of a schema before photos has none.
    const photos = tables.some((t) => t.name === 'photos') ? await tx.all<{ hash: string }>('SELECT DISTINCT hash FROM photos ORDER BY hash') : [];
    // Likewise a database before the bulletin archive.
    const bulletins = tables.some((t) => t.name === 'bulletins') ? await tx.all<{ id: number; hashes: string }>('SELECT id, hashes FROM bulletins ORDER BY id') : [];
    return {
      tables, schemaVersion: version!.v, duckdbVersion: duckdb!.v, sequences: await sequencePositions(tx), photos: photos.map((p) => p.hash),
      bulletinFiles: bulletins.flatMap((b) => Object.entries(JSON.parse(b.hashes) as Record<string, string>).map(([format, sha256]) => ({ file: bulletinFileName(b.id, format), sha256 }))),
    };
  });
  const mediaEntries = files.media ? await copyMedia(files.media, measured.photos, join(out, MEDIA_DIR)) : [];
  const bulletinEntries = files.bulletins ? await copyBulletins(files.bulletins, measured.bulletinFiles, join(out, BULLETIN_DIR)) : [];

  const manifest: Manifest = {
    format: 'civgrid-backup', formatVersion: 1, createdAt: now.toISOString(),
    schemaVersion: measured.schemaVersion, duckdbVersion: measured.duckdbVersion,
    tables: await Promise.all(measured.tables.map(async (t) => ({ ...t, sha256: await fileSha256(join(out, t.file)) }))),
    sequences: measured.sequences,
    media: mediaEntries,
    bulletins: bulletinEntries,
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

/** Copies each listed bulletin file from the archive folder into `target`, checking it against its recorded hash. */
async function copyBulletins(root: string, entries: Manifest['bulletins'], target: string): Promise<Manifest['bulletins']> {
  if (entries.length === 0) return [];
  await mkdir(target, { recursive: true, mode: PRIVATE_DIR });
  for (const { file, sha256 } of entries) {
    const from = join(root, file);
    if (!existsSync(from)) throw new Error(`bulletin file ${from} is listed in the database but missing`);
    await copyFile(from, join(target, file));
    if ((await fileSha256(join(target, file))) !== sha256) throw new Error(`bulletin file ${from} does not match the hash the archive recorded (changed or damaged on disk)`);
  }
  await makePrivate(entries.map((e) => join(target, e.file)));
  return entries;
}

/** Copies each photo's three files into `target` and returns their manifest entries. */
async function copyMedia(media: MediaStore, hashes: readonly string[], target: string): Promise<Manifest['media']> {
  if (hashes.length === 0) return [];
  await mkdir(target, { recursive: true, mode: 0o700 });
  const entries: Manifest['media'] = [];
  for (const hash of hashes) {
    for (const file of ['original', 'thumb', 'view'] as const) {
      const from = media.path(hash, file);
      if (!existsSync(from)) throw new Error(`photo ${hash} is in the database but its ${file} file ${from} is missing`);
      await copyFile(from, join(target, mediaFileName(hash, file)));
    }
    const original = await fileSha256(join(target, mediaFileName(hash, 'original')));
    if (original !== hash) throw new Error(`photo file ${media.path(hash, 'original')} does not match its hash (damaged on disk)`);
    entries.push({
      hash,
      thumbSha256: await fileSha256(join(target, mediaFileName(hash, 'thumb'))),
      viewSha256: await fileSha256(join(target, mediaFileName(hash, 'view'))),
    });
  }
  return entries;
}
