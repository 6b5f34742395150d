/**
 * `npm run backup -- DIR` — every table of CIVGRID_DB to Parquet in DIR, with manifest.json
 * (tables, row counts, checksums, schema version), and the photo files under DIR/media. While a server holds the database, the server
 * writes the backup; it writes only under its backup root (CIVGRID_BACKUP_DIR, default
 * `backups/` beside the database), so DIR must lie there.
 */
import { dirname, join, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { callServer, HandoffError } from '../server/auth/handoff.ts';
import { backupDatabase } from '../server/backup/backup.ts';
import { Database, isLockError } from '../server/db/database.ts';
import { migrate } from '../server/db/migrations.ts';
import { readEnv } from '../server/env.ts';
import { restrictNewFiles } from '../server/file-modes.ts';
import { mediaRoot } from '../server/media/photo-service.ts';
import { MediaStore } from '../server/media/store.ts';
import { bulletinRoot } from '../server/bulletin/files.ts';

// The files it writes (database, WAL, backups, generated data) are private: 0600 in 0700 folders.
restrictNewFiles();

const USAGE = 'usage: npm run backup -- DIR';

function fail(message: string, code = 2): never {
  console.error(message);
  process.exit(code);
}

const { positionals } = (() => {
  try {
    return parseArgs({ allowPositionals: true, options: {} });
  } catch (err) {
    return fail(`${(err as Error).message}\n${USAGE}`);
  }
})();
if (positionals.length !== 1) fail(USAGE);
const dir = resolve(positionals[0]!);
const env = readEnv();

let db: Database | null = null;
try {
  db = await Database.open(env.dbPath);
} catch (err) {
  if (!isLockError(err)) throw err;
}

try {
  if (db) {
    await migrate(db);
    const m = await backupDatabase(db, dir, new Date(), { media: await MediaStore.open(mediaRoot(env)), bulletins: bulletinRoot(env.dbPath, env.CIVGRID_BULLETIN_DIR) });
    await db.close();
    const rows = m.tables.reduce((n, t) => n + t.rows, 0);
    console.log(`backed up ${m.tables.length} tables (${rows.toLocaleString('en-US')} rows, ${m.media.length.toLocaleString('en-US')} photos, ${m.bulletins.length.toLocaleString('en-US')} bulletin files, schema version ${m.schemaVersion}) to ${dir}`);
  } else {
    const root = resolve(env.CIVGRID_BACKUP_DIR ?? join(dirname(env.dbPath), 'backups'));
    const name = relative(root, dir);
    if (!name || name.startsWith('..') || name.includes(sep)) {
      fail(`${env.dbPath} is held by a running server, which writes backups only directly under ${root}; use ${join(root, 'NAME')} or stop the server`, 1);
    }
    const r = await callServer<{ dir: string; tables: number; rows: number; schemaVersion: number }>(env.dbPath, 'POST', '/api/backups', { name });
    console.log(`the server backed up ${r.tables} tables (${r.rows.toLocaleString('en-US')} rows, schema version ${r.schemaVersion}) to ${r.dir}`);
  }
} catch (err) {
  if (err instanceof HandoffError) fail(err.message, 1);
  fail(`backup failed: ${(err as Error).message}`, 1);
}
