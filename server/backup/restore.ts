/**
 * `restoreDatabase`: a new DuckDB file from a backup directory. Checks every file against the
 * manifest before touching anything, builds the database under a temporary name with the
 * backup's schema version, loads and re-checks every table, moves sequences past the ids the
 * backup used, migrates to the current schema, and only then renames it into place.
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Database } from '../db/database.ts';
import { bulletinRoot } from '../bulletin/files.ts';
import { makePrivate, PRIVATE_DIR } from '../file-modes.ts';
import { migrate, SCHEMA_VERSION } from '../db/migrations.ts';
import { MediaStore } from '../media/store.ts';
import { BULLETIN_DIR, fileSha256, ident, literal, MANIFEST, manifestSchema, MEDIA_DIR, mediaFileName, tableChecksum, tableNames, type Manifest } from './manifest.ts';

/** Reads and validates `DIR/manifest.json`. */
export async function readManifest(dir: string): Promise<Manifest> {
  const path = join(resolve(dir), MANIFEST);
  if (!existsSync(path)) throw new Error(`${path} is missing: not a civgrid backup, or an unfinished one`);
  const parsed = manifestSchema.safeParse(JSON.parse(await readFile(path, 'utf8')));
  if (!parsed.success) throw new Error(`${path} is not a valid civgrid backup manifest: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

/** Where a restore puts the files a backup carries besides the tables. */
export interface RestoreFiles {
  /** The media store to put the photos into (content-addressed: photos already there are the same files and are kept). */
  media?: string;
  /** The bulletin archive folder to put the bulletins' files into (default `bulletins/` beside the restored database). */
  bulletins?: string;
}

/**
 * Restores the backup in `dir` into a new database file at `dbPath` (which must not exist), its
 * photos into the media store and its bulletin files into the archive folder `files` names.
 */
export async function restoreDatabase(dir: string, dbPath: string, files: RestoreFiles = {}): Promise<Manifest> {
  const mediaRoot = files.media;
  const bulletinFolder = bulletinRoot(resolve(dbPath), files.bulletins);
  const source = resolve(dir);
  const manifest = await readManifest(source);
  if (manifest.schemaVersion > SCHEMA_VERSION) {
    throw new Error(`the backup has schema version ${manifest.schemaVersion}; this civgrid knows up to ${SCHEMA_VERSION} — restore with a newer civgrid`);
  }
  for (const t of manifest.tables) {
    const sha = await fileSha256(join(source, t.file)).catch(() => null);
    if (sha !== t.sha256) throw new Error(`${t.file} is ${sha === null ? 'missing' : 'damaged (checksum differs from the manifest)'}; nothing was restored`);
  }
  for (const m of manifest.media) {
    const expected = { original: m.hash, thumb: m.thumbSha256, view: m.viewSha256 } as const;
    for (const file of ['original', 'thumb', 'view'] as const) {
      const name = join(MEDIA_DIR, mediaFileName(m.hash, file));
      const sha = await fileSha256(join(source, name)).catch(() => null);
      if (sha !== expected[file]) throw new Error(`${name} is ${sha === null ? 'missing' : 'damaged (checksum differs from the manifest)'}; nothing was restored`);
    }
  }
  if (manifest.media.length > 0 && !mediaRoot) throw new Error('the backup holds photos: name the media folder to restore them into');
  for (const b of manifest.bulletins) {
    const name = join(BULLETIN_DIR, b.file);
    const sha = await fileSha256(join(source, name)).catch(() => null);
    if (sha !== b.sha256) throw new Error(`${name} is ${sha === null ? 'missing' : 'damaged (checksum differs from the manifest)'}; nothing was restored`);
    // Never overwrite: a file of that name from another database is not this bulletin.
    const there = await fileSha256(join(bulletinFolder, b.file)).catch(() => null);
    if (there !== null && there !== b.sha256) throw new Error(`${join(bulletinFolder, b.file)} exists with other contents; restore into an empty bulletin folder (CIVGRID_BULLETIN_DIR)`);
  }
  const target = resolve(dbPath);
  if (existsSync(target) || existsSync(`${target}.wal`)) throw new Error(`${target} exists; restore into a new path (civgrid never overwrites a database)`);

  const tmp = `${target}.restoring`;
  await removeDb(tmp);
  const db = await Database.open(tmp);
  try {
    await migrate(db, manifest.schemaVersion);
    const present = new Set(await tableNames(db));
    const listed = new Set(manifest.tables.map((t) => t.name));
    const missing = [...present].filter((t) => !listed.has(t));
    const extra = [...listed].filter((t) => !present.has(t));
    if (missing.length || extra.length) {
      throw new Error(`the backup does not match schema version ${manifest.schemaVersion} (missing: ${missing.join(', ') || '—'}; unknown: ${extra.join(', ') || '—'})`);
    }
    // Migrations seed rows (site types, schema_migrations): the backup's rows replace them.
    // Deleting and inserting the same keys in one DuckDB transaction trips its unique checks, so
    // the two are separate; the temporary file makes the whole restore all-or-nothing anyway.
    for (const t of manifest.tables) await db.run(`DELETE FROM ${ident(t.name)}`);
    for (const t of manifest.tables) {
      await db.run(`INSERT INTO ${ident(t.name)} BY NAME SELECT * FROM read_parquet(${literal(join(source, t.file))})`);
      const got = await tableChecksum(db, t.name);
      if (got.rows !== t.rows || got.checksum !== t.checksum) {
        throw new Error(`${t.name} restored ${got.rows} rows with checksum ${got.checksum}; the manifest says ${t.rows} rows, ${t.checksum}`);
      }
    }
    for (const s of manifest.sequences) {
      // DuckDB cannot restart a sequence a column default depends on; drawing it forward can.
      if (s.lastValue !== null && s.lastValue > 0) await db.run(`SELECT max(nextval(${literal(s.name)})) FROM range(${Math.trunc(s.lastValue)})`);
    }
    await migrate(db);
    if (mediaRoot && manifest.media.length > 0) {
      // Photos before the database appears: a database never names files that are not there.
      const store = await MediaStore.open(mediaRoot);
      for (const m of manifest.media) {
        const read = (file: 'original' | 'thumb' | 'view') => readFile(join(source, MEDIA_DIR, mediaFileName(m.hash, file)));
        await store.put(m.hash, { original: await read('original'), thumb: await read('thumb'), view: await read('view') });
      }
    }
    if (manifest.bulletins.length > 0) {
      await mkdir(bulletinFolder, { recursive: true, mode: PRIVATE_DIR });
      for (const b of manifest.bulletins) await copyFile(join(source, BULLETIN_DIR, b.file), join(bulletinFolder, b.file));
      await makePrivate(manifest.bulletins.map((b) => join(bulletinFolder, b.file)));
    }
    await db.close();
    await makePrivate([tmp, `${tmp}.wal`]);
    await rename(tmp, target);
    if (existsSync(`${tmp}.wal`)) await rename(`${tmp}.wal`, `${target}.wal`);
    return manifest;
  } catch (err) {
    await db.close().catch(() => undefined);
    await removeDb(tmp);
    throw err;
  }
}

async function removeDb(path: string): Promise<void> {
  await rm(path, { force: true });
  await rm(`${path}.wal`, { force: true });
}
