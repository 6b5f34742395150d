/**
 * `npm run bulletin -- --period 2026-11 [--scope district:530111] [--format docx,xlsx] --out DIR`
 *
 * Generates the bulletin of CIVGRID_DB, stores it in the archive as a numbered version (like
 * `POST /api/bulletins`) and writes its files to DIR. While a server holds the database, the
 * server generates it and the files are downloaded from it.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { cliToken } from '../server/auth/bootstrap.ts';
import { callServer, HandoffError } from '../server/auth/handoff.ts';
import { BulletinArchive, type BulletinRecord } from '../server/bulletin/archive.ts';
import { bulletinRoot } from '../server/bulletin/files.ts';
import { ArgumentError, BULLETIN_USAGE, parseBulletinArgs, progressLine } from '../server/bulletin/cli.ts';
import { bulletinFileName, type BulletinFormat } from '../server/bulletin/render.ts';
import { serverClock } from '../server/clock.ts';
import { Database, isLockError } from '../server/db/database.ts';
import { migrate } from '../server/db/migrations.ts';
import { readEnv } from '../server/env.ts';
import { restrictNewFiles } from '../server/file-modes.ts';
import { loadScoring } from '../server/kpi/score.ts';
import { loadSiteStatusRule } from '../server/kpi/site-status-config.ts';
import { EventBus } from '../server/live/bus.ts';
import { mediaRoot, photoSettings } from '../server/media/photo-service.ts';
import { MediaStore } from '../server/media/store.ts';
import { PdfPrinter } from '../server/bulletin/pdf.ts';
import { loadScreenConfig } from '../server/routes/screen-config.ts';
import { securityDefaults } from '../server/security/config.ts';
import { UserStore } from '../server/auth/users.ts';
import { serverFileFor } from '../server/server-file.ts';

restrictNewFiles();

function fail(message: string, code = 2): never {
  console.error(message);
  process.exit(code);
}

let args;
try {
  args = parseBulletinArgs(process.argv.slice(2));
} catch (err) {
  if (err instanceof ArgumentError) fail(`${err.message}\n${BULLETIN_USAGE}`);
  throw err;
}
const env = readEnv();
const out = resolve(args.out);
const total = args.formats.length + 2;
let done = 0;
const tty = process.stderr.isTTY;
/** Moves the bar on by one step, redrawn in place on a terminal, a line each otherwise. */
const step = (name: string) => {
  process.stderr.write(`${tty ? '\r' : ''}${progressLine(done, total, name)}${tty ? '\u001b[K' : '\n'}`);
  done = Math.min(total, done + 1);
};

let db: Database | null = null;
try {
  db = await Database.open(env.dbPath);
} catch (err) {
  if (!isLockError(err)) throw err;
}

const t0 = performance.now();
try {
  await mkdir(out, { recursive: true, mode: 0o700 });
  let record: BulletinRecord;
  const files: [BulletinFormat, Buffer][] = [];
  if (db) {
    await migrate(db);
    const archive = new BulletinArchive(db, bulletinRoot(db.path, env.CIVGRID_BULLETIN_DIR));
    const deps = {
      db, version: 'cli', importMaxBytes: 0, scoring: loadScoring(env.CIVGRID_SCORING), siteStatus: loadSiteStatusRule(env.CIVGRID_SITE_STATUS),
      screen: loadScreenConfig(env.CIVGRID_SCREEN_CONFIG), bus: new EventBus(), now: serverClock(env.CIVGRID_TEST_NOW),
      security: securityDefaults(new UserStore(db, () => new Date())), photos: photoSettings(env, await MediaStore.open(mediaRoot(env))),
      bulletin: { templateDir: env.CIVGRID_BULLETIN_TEMPLATES, printer: new PdfPrinter(env.CIVGRID_CHROMIUM) },
    };
    try {
      record = await archive.generate(deps, { scope: args.scope, period: args.period, formats: args.formats, author: 'cli' }, step);
    } finally {
      await deps.bulletin.printer.close();
    }
    for (const f of record.formats) files.push([f, (await archive.file(record.id, f)).bytes]);
    await db.close();
  } else {
    step('server');
    record = await callServer<BulletinRecord>(env.dbPath, 'POST', '/api/bulletins', { scope: args.scope, period: args.period, formats: args.formats });
    const { url } = JSON.parse(readFileSync(serverFileFor(env.dbPath), 'utf8')) as { url: string };
    for (const f of record.formats) {
      step(`download ${f}`);
      const res = await fetch(`${url}/api/bulletins/${record.id}/${f}`, { headers: { authorization: `Bearer ${cliToken(env.dbPath) ?? ''}` } });
      if (!res.ok) throw new HandoffError(`the server at ${url} refused the ${f} download: HTTP ${res.status}`);
      files.push([f, Buffer.from(await res.arrayBuffer())]);
    }
  }
  done = total;
  step('done');
  process.stderr.write(tty ? '\n' : '');
  for (const [f, bytes] of files) {
    const path = join(out, `${bulletinFileName(record)}.${f}`);
    await writeFile(path, bytes, { mode: 0o600 });
    console.log(`${path}  (${(bytes.length / 1024).toFixed(0)} KB, sha256 ${record.hashes[f]})`);
  }
  console.log(`bulletin ${record.number} of ${record.scope} for ${record.period} (archive id ${record.id}) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
} catch (err) {
  if (tty) process.stderr.write('\n');
  if (err instanceof HandoffError) fail(err.message, 1);
  fail(`bulletin failed: ${(err as Error).message}`, 1);
}
