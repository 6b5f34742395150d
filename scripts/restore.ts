/**
 * `npm run restore -- DIR [--db PATH]` — a new database from a backup made by `npm run backup`.
 * The target (default CIVGRID_DB) must not exist: stop the server, move the old file aside,
 * restore, start the server. Every file is checked against the manifest first, and the database
 * appears at PATH only when every table was loaded and re-checked.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { mediaRoot } from '../server/media/photo-service.ts';
import { restoreDatabase } from '../server/backup/restore.ts';
import { bulletinRoot } from '../server/bulletin/files.ts';
import { readEnv } from '../server/env.ts';
import { restrictNewFiles } from '../server/file-modes.ts';

// The files it writes (database, WAL, backups, generated data) are private: 0600 in 0700 folders.
restrictNewFiles();

const USAGE = 'usage: npm run restore -- DIR [--db PATH]';

function fail(message: string, code = 2): never {
  console.error(message);
  process.exit(code);
}

const { values, positionals } = (() => {
  try {
    return parseArgs({ allowPositionals: true, options: { db: { type: 'string' } } });
  } catch (err) {
    return fail(`${(err as Error).message}\n${USAGE}`);
  }
})();
if (positionals.length !== 1) fail(USAGE);
const env = readEnv();
const target = values.db ?? env.dbPath;
// Photos go beside the restored database unless CIVGRID_MEDIA names their folder.
const media = mediaRoot({ CIVGRID_MEDIA: env.CIVGRID_MEDIA, dbPath: resolve(target) });

try {
  const bulletins = bulletinRoot(resolve(target), env.CIVGRID_BULLETIN_DIR);
  const m = await restoreDatabase(positionals[0]!, target, { media, bulletins });
  const rows = m.tables.reduce((n, t) => n + t.rows, 0);
  console.log(`restored ${m.tables.length} tables (${rows.toLocaleString('en-US')} rows, ${m.media.length.toLocaleString('en-US')} photos into ${media}, ${m.bulletins.length.toLocaleString('en-US')} bulletin files into ${bulletins}, backup of ${m.createdAt}, schema version ${m.schemaVersion}) into ${target}`);
} catch (err) {
  fail(`restore failed: ${(err as Error).message}`, 1);
}
