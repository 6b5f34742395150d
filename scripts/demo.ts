/**
 * `npm run demo -- [--districts all|CODE,…] [--seed N] [--issues N] [--grids N] [--sites N] [--now ISO]` —
 * regenerates the demo city (by default 昆明主城六区) and imports it into CIVGRID_DB (re-running
 * upserts; stop the server first, it holds the database).
 */
import { parseArgs } from 'node:util';
import { Database } from '../server/db/database.ts';
import { migrate } from '../server/db/migrations.ts';
import { serverClock } from '../server/clock.ts';
import { parseDistricts } from '../server/demo/city.ts';
import { demoNow, loadDemo } from '../server/demo/load.ts';
import { readEnv } from '../server/env.ts';
import { restrictNewFiles } from '../server/file-modes.ts';
import { mediaRoot } from '../server/media/photo-service.ts';
import { MediaStore } from '../server/media/store.ts';

// The files it writes (database, WAL, backups, generated data) are private: 0600 in 0700 folders.
restrictNewFiles();

const { values } = parseArgs({
  options: { now: { type: 'string' }, seed: { type: 'string' }, issues: { type: 'string' }, grids: { type: 'string' }, sites: { type: 'string' }, districts: { type: 'string' } },
});
const env = readEnv();
const int = (v: string | undefined, fallback: number, name: string) => {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`--${name} must be a non-negative integer`);
    process.exit(2);
  }
  return n;
};
const districts = (() => {
  try {
    return parseDistricts(values.districts);
  } catch (e) {
    console.error((e as Error).message);
    process.exit(2);
  }
})();
const opts = {
  seed: int(values.seed, env.CIVGRID_DEMO_SEED, 'seed'),
  issues: int(values.issues, env.CIVGRID_DEMO_ISSUES, 'issues'),
  districts,
  grids: values.grids === undefined ? undefined : int(values.grids, 0, 'grids'),
  sites: values.sites === undefined ? undefined : int(values.sites, 0, 'sites'),
  now: demoNow(values.now ?? env.CIVGRID_DEMO_NOW, serverClock(env.CIVGRID_TEST_NOW)()),
};
if (Number.isNaN(opts.now.getTime())) {
  console.error('--now must be an ISO 8601 timestamp');
  process.exit(2);
}
const db = await Database.open(env.dbPath);
try {
  await migrate(db);
  const started = Date.now();
  const result = await loadDemo(db, { ...opts, media: await MediaStore.open(mediaRoot(env)), log: (line) => console.log(line) });
  const issueImport = result.imports.issues;
  const total = (Date.now() - started) / 1000;
  console.log(`demo ready in ${total.toFixed(1)} s; issues imported at ${Math.round(issueImport.features / (issueImport.ms / 1000))}/s`);
} finally {
  await db.close();
}
