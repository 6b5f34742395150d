/**
 * `npm run import -- FILE --kind regions|grids|sites|issues|categories|reference [--layer roads|water|poi] [--crs …] [--map target=source …] [--as-draft]`
 * `npm run import -- photos.zip|FOLDER --kind photos`
 *
 * Imports into CIVGRID_DB. When a running server holds the database (DuckDB allows one writing
 * process), the file is handed to that server's import endpoint instead, with the token from
 * CIVGRID_TOKEN or the admin token file beside the database (data/admin-token).
 */
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { cliToken } from '../server/auth/bootstrap.ts';
import { serverClock } from '../server/clock.ts';
import { Database, isLockError } from '../server/db/database.ts';
import { migrate } from '../server/db/migrations.ts';
import { MINUTE } from '../server/domain/time.ts';
import { readEnv } from '../server/env.ts';
import { REFERENCE_LAYERS, type ReferenceLayer } from '../server/domain/reference-layers.ts';
import { IMPORT_KINDS, type ImportKind } from '../server/import/kind.ts';
import { PHOTO_IMPORT_KIND, runPhotoImport, type PhotoImportProgress, type PhotoImportReport } from '../server/import/photos/run.ts';
import { mediaRoot, photoSettings } from '../server/media/photo-service.ts';
import { MediaStore } from '../server/media/store.ts';
import { runImport, type ImportReport } from '../server/import/pipeline.ts';
import { formatProblem } from '../server/import/problems.ts';
import { parseMapPairs } from '../server/import/properties.ts';
import { serverFileFor } from '../server/server-file.ts';
import { restrictNewFiles } from '../server/file-modes.ts';

// The files it writes (database, WAL, backups, generated data) are private: 0600 in 0700 folders.
restrictNewFiles();

const USAGE = `usage: npm run import -- FILE --kind ${IMPORT_KINDS.join('|')} [--layer ${REFERENCE_LAYERS.join('|')}] [--crs wgs84|cgcs2000|gcj02|bd09|EPSG:<code>]
                      [--map target=source ...] [--format geojson|ndjson|csv|json|shapefile] [--encoding utf8|gbk] [--plan ID | --as-draft]
                      [--repair] [--allow-outside] [--create-departments]
       npm run import -- photos.zip|FOLDER --kind ${PHOTO_IMPORT_KIND}`;

function fail(message: string, code = 2): never {
  console.error(message);
  process.exit(code);
}

const { values, positionals } = (() => {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        kind: { type: 'string' }, crs: { type: 'string' }, map: { type: 'string', multiple: true },
        format: { type: 'string' }, encoding: { type: 'string' }, plan: { type: 'string' }, 'as-draft': { type: 'boolean' }, help: { type: 'boolean' },
        repair: { type: 'boolean' }, 'allow-outside': { type: 'boolean' }, 'create-departments': { type: 'boolean' }, layer: { type: 'string' },
      },
    });
  } catch (err) {
    return fail(`${(err as Error).message}\n${USAGE}`);
  }
})();
if (values.help) fail(USAGE, 0);
const file = positionals[0];
if (!file || positionals.length > 1) fail(USAGE);
if (values.kind === PHOTO_IMPORT_KIND) await importPhotos(file);
if (!existsSync(file) || !statSync(file).isFile()) fail(`${file}: no such file`);
const kind = values.kind as ImportKind;
if (!IMPORT_KINDS.includes(kind)) fail(`--kind must be one of ${[...IMPORT_KINDS, PHOTO_IMPORT_KIND].join(', ')}\n${USAGE}`);
const layer = values.layer as ReferenceLayer | undefined;
if (kind === 'reference' && !REFERENCE_LAYERS.includes(layer!)) fail(`--kind reference needs --layer ${REFERENCE_LAYERS.join('|')}\n${USAGE}`);
if (kind !== 'reference' && layer !== undefined) fail('--layer goes with --kind reference');
let map: Record<string, string> = {};
try {
  map = parseMapPairs(values.map ?? []);
} catch (err) {
  fail((err as Error).message);
}
const planId = values.plan === undefined ? undefined : Number(values.plan);
if (planId !== undefined && !Number.isInteger(planId)) fail('--plan must be a plan id');
const asDraft = values['as-draft'] === true;
if (asDraft && (kind !== 'grids' || planId !== undefined)) fail('--as-draft imports grids into a new draft plan; it takes no --plan');

const env = readEnv();
const options = {
  kind, path: file, crs: values.crs, map, planId, asDraft, layer, actor: 'cli',
  now: serverClock(env.CIVGRID_TEST_NOW), clockSkewMs: env.CIVGRID_CLOCK_SKEW_MINUTES * MINUTE,
  repair: values.repair, allowOutside: values['allow-outside'], createDepartments: values['create-departments'], maxVertices: env.CIVGRID_MAX_VERTICES,
  format: values.format as Parameters<typeof runImport>[1]['format'],
  encoding: values.encoding as 'utf8' | 'gbk' | undefined,
};

let report: ImportReport;
try {
  const db = await Database.open(env.dbPath, { importMemoryLimitMb: env.CIVGRID_IMPORT_MEMORY_MB });
  try {
    await migrate(db);
    report = await runImport(db, options);
  } finally {
    await db.close();
  }
} catch (err) {
  if (!isLockError(err)) throw err;
  report = (await handToServer(file, kind, featureParams())) as ImportReport;
}
print(report);
process.exit(report.ok ? 0 : 1);

/** The query of a feature import handed to the server. */
function featureParams(): URLSearchParams {
  const params = new URLSearchParams({ filename: basename(file) });
  for (const [k, v] of Object.entries({ crs: values.crs, format: values.format, encoding: values.encoding, plan: values.plan, layer })) {
    if (v !== undefined) params.set(k, v);
  }
  for (const pair of values.map ?? []) params.append('map', pair);
  if (asDraft) params.set('asDraft', '1');
  if (values.repair) params.set('repair', '1');
  if (values['allow-outside']) params.set('allowOutside', '1');
  if (values['create-departments']) params.set('createDepartments', '1');
  return params;
}

/** Sends the file to the server that holds the database. */
async function handToServer(file: string, kind: string, params: URLSearchParams): Promise<ImportReport | PhotoImportReport> {
  const env = readEnv();
  const serverFile = serverFileFor(env.dbPath);
  if (!existsSync(serverFile)) fail(`${env.dbPath} is locked by another process, and no civgrid server is announced in ${serverFile}`, 1);
  const { url } = JSON.parse(readFileSync(serverFile, 'utf8')) as { url: string };
  const token = cliToken(env.dbPath);
  if (!token) fail(`${env.dbPath} is held by the server at ${url}; set CIVGRID_TOKEN to an admin token to hand ${file} to it`, 1);
  console.error(`${env.dbPath} is held by the server at ${url}; handing ${file} to it`);
  const response = await fetch(`${url}/api/import/${kind}?${params}`, {
    method: 'POST',
    body: Readable.toWeb(createReadStream(file)) as ReadableStream,
    headers: { 'content-type': 'application/octet-stream', 'content-length': String(statSync(file).size), authorization: `Bearer ${token}` },
    duplex: 'half',
  } as RequestInit);
  const body = (await response.json()) as ImportReport | PhotoImportReport | { error: { code: string; message: string; details?: unknown } };
  if ('error' in body) {
    if (body.error.code === 'import_rejected') return body.error.details as ImportReport | PhotoImportReport;
    fail(`server refused the import: ${body.error.message}`, 1);
  }
  return body;
}

/** `--kind photos`: a zip or a folder of evidence photos, through the photo service; exits. */
async function importPhotos(path: string): Promise<never> {
  if (!existsSync(path)) fail(`${path}: no such file or folder`);
  const others = Object.entries(values).filter(([k, v]) => k !== 'kind' && v !== undefined);
  if (others.length) fail(`--kind ${PHOTO_IMPORT_KIND} takes no other option (${others.map(([k]) => `--${k}`).join(', ')})`);
  const env = readEnv();
  const progress = photoProgress();
  let report: PhotoImportReport;
  try {
    const db = await Database.open(env.dbPath);
    try {
      await migrate(db);
      const settings = photoSettings(env, await MediaStore.open(mediaRoot(env)));
      report = await runPhotoImport(db, settings, {
        path, actor: 'cli', now: serverClock(env.CIVGRID_TEST_NOW), maxTotalBytes: env.CIVGRID_IMPORT_MAX_MB * 1024 * 1024, onProgress: progress,
      });
    } finally {
      await db.close();
    }
  } catch (err) {
    if (!isLockError(err)) throw err;
    if (statSync(path).isDirectory()) fail(`${env.dbPath} is held by a running server, which takes photos as one zip file: zip the folder and import the zip`, 1);
    report = (await handToServer(path, PHOTO_IMPORT_KIND, new URLSearchParams({ filename: basename(path) }))) as PhotoImportReport;
  }
  if (report.ok) {
    console.log(`imported ${report.file} as photos: ${report.photos} photos (${report.attached} attached, ${report.unchanged} already attached) in ${(report.durationMs / 1000).toFixed(1)} s`);
    process.exit(0);
  }
  console.error(`rejected ${report.file}: ${report.errorCount} problem(s); nothing was imported`);
  for (const p of report.errors) console.error(`  ${[p.file, p.line !== undefined ? `line ${p.line}` : null].filter(Boolean).join(' ') || report.file}: ${p.reason} [${p.code}]`);
  if (report.moreErrors > 0) console.error(`  … and ${report.moreErrors} more`);
  process.exit(1);
}

/** Prints where a photo import is: a line every 50 photos checked, and when the write starts. */
function photoProgress() {
  return (p: PhotoImportProgress) => {
    if (p.stage === 'writing' && p.done === 0) console.error(`writing ${p.total} photos in one transaction…`);
    else if (p.stage === 'checking' && p.done > 0 && (p.done % 50 === 0 || p.done === p.total)) console.error(`checked ${p.done} / ${p.total} photos`);
  };
}

function print(r: ImportReport) {
  const seconds = (r.durationMs / 1000).toFixed(1);
  for (const fix of r.repairs ?? []) console.log(`repaired ${r.file}: feature #${fix.index}${fix.id !== undefined ? ` (id ${fix.id})` : ''}: ${fix.what} at ${fix.where}: ${fix.detail}`);
  if (r.moreRepairs > 0) console.log(`  … and ${r.moreRepairs} more repairs`);
  if (r.ok) {
    const outside = r.outsideGrid ? `, ${r.outsideGrid} outside every grid (kept, flagged)` : '';
    const what = layer ? `${r.kind} layer ${layer}` : r.kind;
    console.log(`imported ${r.file} as ${what}: ${r.features} features (${r.inserted} new, ${r.updated} updated${outside}) in ${seconds} s [${r.format}, ${r.crs}]`);
    const drafts = (r.plans ?? []).filter((p) => p.created && p.status === 'draft');
    for (const plan of drafts) {
      const where = drafts.length > 1 ? ` of district ${plan.district}; its` : '; the';
      console.log(`  into a new draft plan ${plan.id} (${plan.name})${where} published plan is unchanged: check and publish the draft in the planner (/plan)`);
    }
    for (const w of r.warnings) console.log(`  warning: ${formatProblem(r.file, w)}`);
    return;
  }
  console.error(`rejected ${r.file}: ${r.errorCount} problem(s); nothing was imported`);
  for (const p of r.errors) console.error(`  ${formatProblem(r.file, p)}`);
  if (r.moreErrors > 0) console.error(`  … and ${r.moreErrors} more`);
}
