import { serve } from '@hono/node-server';
import { existsSync, readFileSync } from 'node:fs';
import { unlink, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { createApp, type AppDeps } from './app.ts';
import { BulletinArchive } from './bulletin/archive.ts';
import { bulletinRoot } from './bulletin/files.ts';
import { startBulletinSchedule } from './bulletin/schedule.ts';
import { calendarWarning, workCalendar } from './calendar.ts';
import { KpiEngine } from './kpi/fast/engine.ts';
import { DEFAULT_CACHE_POLICY } from './cache/response-cache.ts';
import { adminTokenPath, ensureFirstAdmin } from './auth/bootstrap.ts';
import { backupRoot } from './backup/routes.ts';
import { UserStore } from './auth/users.ts';
import { Database, isLockError, WalReplayError } from './db/database.ts';
import { migrate } from './db/migrations.ts';
import { mediaRoot, photoSettings } from './media/photo-service.ts';
import { MediaStore } from './media/store.ts';
import { referencedHashes } from './queries/photos.ts';
import { serverClock } from './clock.ts';
import { MINUTE, shanghaiDate } from './domain/time.ts';
import { warmIngest } from './ingest/batcher.ts';
import { auditSettled } from './audit/log.ts';
import { demoNow, loadDemo } from './demo/load.ts';
import { readEnv } from './env.ts';
import { loadScoring } from './kpi/score.ts';
import { loadSiteStatusRule } from './kpi/site-status-config.ts';
import { loadScreenConfig } from './routes/screen-config.ts';
import { EventBus } from './live/bus.ts';
import { LoopDelayMonitor } from './live/loop-delay.ts';
import { Admission } from './live/admission.ts';
import { lastDepartmentMove } from './kpi/last-move.ts';
import { tableCounts } from './queries/health.ts';
import { clientAddress } from './security/client-ip.ts';
import { securityDefaults } from './security/config.ts';
import { serverFileFor } from './server-file.ts';
import { serveWebApp } from './web-app.ts';
import { PdfPrinter } from './bulletin/pdf.ts';
import { closeFolder, makePrivate, PRIVATE_FILE, restrictNewFiles } from './file-modes.ts';

const WEB_ROOT = 'dist/web';

// Before anything creates a file: the database, its WAL, backups and the token are private.
restrictNewFiles();

const env = readEnv();
// The configuration files are checked before anything starts, so a typo stops the server at once.
const scoring = loadScoring(env.CIVGRID_SCORING);
const screen = loadScreenConfig(env.CIVGRID_SCREEN_CONFIG);
const siteStatus = loadSiteStatusRule(env.CIVGRID_SITE_STATUS);
const now = serverClock(env.CIVGRID_TEST_NOW);
const calendarNote = calendarWarning(workCalendar(), now());
if (calendarNote) console.warn(calendarNote);
if (env.CIVGRID_TEST_NOW) console.warn(`civgrid: CIVGRID_TEST_NOW is set — the clock runs from ${env.CIVGRID_TEST_NOW}, not the system time (tests and demos only)`);
const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

let db: Database;
try {
  db = await Database.open(env.dbPath, { memoryLimitMb: env.CIVGRID_DUCKDB_MEMORY_MB, importMemoryLimitMb: env.CIVGRID_IMPORT_MEMORY_MB });
} catch (err) {
  if (isLockError(err)) {
    console.error(`civgrid: ${env.dbPath} is held by another process (is a civgrid server already running?)`);
    process.exit(1);
  }
  if (err instanceof WalReplayError) {
    console.error(`civgrid: ${err.message}`);
    process.exit(1);
  }
  throw err;
}
await migrate(db);

// Photos: files an interrupted upload left without a row are removed before anything is served.
const media = await MediaStore.open(mediaRoot(env));
const swept = await media.sweep(await referencedHashes(db));
if (swept.length) console.warn(`civgrid: removed ${swept.length} photo(s) no issue refers to (uploads interrupted before they were recorded)`);

const counts = await tableCounts(db);
if (counts.regions === 0 && env.CIVGRID_DEMO === '1') {
  console.log('civgrid: empty database — generating and importing the 昆明主城六区 demo city (first run only)…');
  await loadDemo(db, { seed: env.CIVGRID_DEMO_SEED, issues: env.CIVGRID_DEMO_ISSUES, now: demoNow(env.CIVGRID_DEMO_NOW, now()), media, log: (line) => console.log(`  ${line}`) });
}

const users = new UserStore(db, now);
const tokenFile = adminTokenPath(env.dbPath, env.CIVGRID_ADMIN_TOKEN_FILE);
const firstToken = await ensureFirstAdmin(users, tokenFile);
if (firstToken) {
  // Printed once, like `npm run user -- add`; the file keeps it for the CLI tools (mode 0600).
  console.log(`civgrid: first start — created an admin token, saved to ${tokenFile}:\n  ${firstToken}`);
}
// Files of earlier versions, or copied in, were made with looser modes.
const backupDir = backupRoot(db, env.CIVGRID_BACKUP_DIR);
const bulletinDir = bulletinRoot(db.path, env.CIVGRID_BULLETIN_DIR);
await makePrivate([env.dbPath, `${env.dbPath}.wal`, tokenFile, serverFileFor(env.dbPath)]);
// The media folder's files are written 0600 by the store; only the folder itself is checked (it may hold millions).
for (const [folder, contents] of [[dirname(env.dbPath), false], [backupDir, true], [media.root, false], [bulletinDir, true]] as const) {
  const warning = await closeFolder(folder, contents);
  if (warning) console.warn(`civgrid: ${warning}`);
}
console.log(`civgrid: reads ${env.reads === 'open' ? 'open without a token' : 'require a token'}; writes require a token with the right role`);

// KPI answers come from memory once the engine has loaded the issues (seconds at city scale); DuckDB answers until then.
const engine = env.CIVGRID_KPI_ENGINE === '1' ? new KpiEngine(db, undefined, { workers: env.CIVGRID_KPI_WORKERS }) : undefined;
engine?.start();
// Read once here; the writers keep it from now on (kpi/last-move.ts).
await lastDepartmentMove(db);

const bulletin = { templateDir: env.CIVGRID_BULLETIN_TEMPLATES, printer: new PdfPrinter(env.CIVGRID_CHROMIUM) };
const deps: AppDeps = {
  db, version, engine, loopDelay: new LoopDelayMonitor(), heavyReads: env.CIVGRID_HEAVY_READS > 0 ? new Admission(env.CIVGRID_HEAVY_READS) : undefined,
  importMaxBytes: env.CIVGRID_IMPORT_MAX_MB * 1024 * 1024, importMaxVertices: env.CIVGRID_MAX_VERTICES,
  scoring, siteStatus, screen, bus: new EventBus(), now, clockSkewMs: env.CIVGRID_CLOCK_SKEW_MINUTES * MINUTE,
  backupDir, bulletinDir, bulletinScope: env.CIVGRID_BULLETIN_SCOPE ?? null,
  photos: photoSettings(env, media),
  bulletin,
  inspectorRanking: env.CIVGRID_INSPECTOR_RANKING === '1',
  cache: env.CIVGRID_CACHE_MB > 0 ? { ...DEFAULT_CACHE_POLICY, staleMs: env.CIVGRID_CACHE_STALE_MS, maxBytes: env.CIVGRID_CACHE_MB * 1024 * 1024 } : undefined,
  security: securityDefaults(users, {
    reads: env.reads,
    corsOrigins: env.CIVGRID_CORS_ORIGINS,
    cspExtraOrigins: env.CIVGRID_CSP_EXTRA_ORIGINS,
    frameAncestors: env.CIVGRID_FRAME_ANCESTORS,
    writeLimit: { burst: env.CIVGRID_RATE_WRITES_BURST, perSecond: env.CIVGRID_RATE_WRITES },
    signInLimit: { burst: Math.max(1, Math.ceil(env.CIVGRID_RATE_SIGNIN)), perSecond: env.CIVGRID_RATE_SIGNIN / 60 },
    clientIp: clientAddress(env.CIVGRID_TRUSTED_PROXIES),
  }),
};
const app = createApp(deps);
startBulletinSchedule(env, deps, new BulletinArchive(db, bulletinDir), (line) => console.log(line));
if (!existsSync(WEB_ROOT)) console.warn(`civgrid: ${WEB_ROOT} is missing; run "npm run build" to serve the web app`);
serveWebApp(app, WEB_ROOT);

const server = serve({ fetch: app.fetch, hostname: env.HOST, port: env.PORT }, async (info: AddressInfo) => {
  const url = `http://${info.family === 'IPv6' ? `[${info.address}]` : info.address}:${info.port}`;
  // Lets the import CLI hand files to this server while it holds the database.
  await writeFile(serverFileFor(env.dbPath), JSON.stringify({ url, pid: process.pid }), { mode: PRIVATE_FILE });
  console.log(`civgrid listening on ${url}`);
  // Before the first report arrives, not when it does (under load its answer would time out).
  warmIngest(db, shanghaiDate(now())).catch((err: unknown) => console.error(`civgrid: could not prepare live ingest (${(err as Error).message})`));
});

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`civgrid: ${signal}, shutting down`);
  server.close();
  await unlink(serverFileFor(env.dbPath)).catch(() => undefined);
  await engine?.close();
  await bulletin.printer.close();
  await auditSettled(db);
  await db.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
