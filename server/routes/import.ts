import { zValidator } from '@hono/zod-validator';
import { Hono, type Context } from 'hono';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import type { AppDeps } from '../app.ts';
import { actorOf } from '../auth/middleware.ts';
import type { Database, Writer } from '../db/database.ts';
import { REFERENCE_LAYERS, type ReferenceLayer } from '../domain/reference-layers.ts';
import { InvalidInputError, invalidParameter, RuleError } from '../domain/errors.ts';
import { MINUTE } from '../domain/time.ts';
import { DEFAULT_CLOCK_SKEW_MINUTES } from '../domain/workflow.ts';
import { ApiError } from '../errors.ts';
import { IMPORT_KINDS, type ImportKind } from '../import/kind.ts';
import { PHOTO_IMPORT_KIND, runPhotoImport, type PhotoImportReport } from '../import/photos/run.ts';
import { controlCharacterProblem } from '../domain/text.ts';
import { runImport, type ImportClock, type ImportReport } from '../import/pipeline.ts';
import { parseMapPairs } from '../import/properties.ts';
import type { RouteDoc } from '../openapi/build.ts';
import { queryError } from './validation.ts';

const ALLOWED_EXTENSIONS = new Set(['.geojson', '.json', '.ndjson', '.geojsonl', '.jsonl', '.csv', '.zip']);

/** Query of an upload: the file's name and how to read it. */
export const uploadQuery = z.object({
  filename: z.string().min(1).max(255)
    .superRefine((name, ctx) => {
      const reason = controlCharacterProblem('filename', name);
      if (reason) ctx.addIssue({ code: 'custom', message: reason });
    })
    .describe('original file name; its extension picks the format'),
  crs: z.string().max(64).optional().describe('wgs84 | cgcs2000 | gcj02 | bd09 | EPSG:<code> (default: from the file, else WGS84)'),
  format: z.enum(['geojson', 'ndjson', 'csv', 'json', 'shapefile']).optional(),
  encoding: z.enum(['utf8', 'gbk']).optional().describe('text encoding of CSV/DBF (default: detected)'),
  map: z.union([z.string(), z.array(z.string())]).optional().describe('target=source property mapping, repeatable'),
  repair: z.enum(['0', '1']).optional().describe('1: repair repeated vertices, spikes, self-touching rings and ring orientation; every fix is listed in the report'),
  allowOutside: z.enum(['0', '1']).optional().describe('1: accept a file whose every feature lies outside the imported regions'),
  createDepartments: z.enum(['0', '1']).optional()
    .describe('issues, categories: 1 creates the departments the file names that do not exist (each listed in the warnings) instead of refusing the file'),
});
const query = uploadQuery.extend({
  plan: z.coerce.number().int().positive().optional().describe('grid plan to import grids into (default: the published plan)'),
  asDraft: z.enum(['0', '1', 'false', 'true']).optional()
    .describe('grids: 1 imports into a new draft copying the published plan (no 不重不漏 check; fix and publish it in the planner) '
      + 'instead of into the published plan, where the file must pass the checks of publishing'),
  layer: z.enum(REFERENCE_LAYERS).optional().describe('the reference layer a `reference` import replaces (required for that kind)'),
});

const params = z.object({ kind: z.enum([...IMPORT_KINDS, PHOTO_IMPORT_KIND]) });

export const importDocs: RouteDoc[] = [
  {
    method: 'post', path: '/api/import/{kind}', tag: 'import', params, query, rawBody: 'application/octet-stream',
    summary: 'Import a file (GeoJSON, NDJSON, CSV, JSON, zipped Shapefile) through the validating, all-or-nothing pipeline, or a zip of evidence photos (kind photos).',
    description: 'Send the file as the request body; repeat `map=target=source` to map property names. Needs an admin token (Authorization: Bearer). '
      + 'Photos: a zip with a CSV manifest `issue,file,kind` (事件编号,文件,类型: 整改前/整改后/其他), or files named ISSUEID_before_1.jpg; '
      + 'every photo is checked as an upload is before any is attached. '
      + 'Grids going into the published plan must pass the checks of publishing (不重不漏), else the file is rejected with `plan_not_publishable` and each finding; '
      + '`asDraft=1` puts them into a new draft instead (the report\'s `plan` names it).',
    responses: { 200: 'the import report', 400: 'invalid parameter', 403: 'caller not allowed', 413: 'file over the size limit', 422: 'rejected: the report lists each problem; nothing was written' },
  },
];

/**
 * `POST /api/import/:kind?filename=grids.zip[&crs=…&map=target=source…]` with the file as the raw
 * request body. The body streams to a temp file under a size cap, then goes through the same
 * pipeline as the CLI. 200 with the report, or 422 `import_rejected` with the report as details.
 */
export function importRoutes(deps: AppDeps) {
  return new Hono().post(
    '/:kind',
    zValidator('param', params, queryError),
    zValidator('query', query, queryError),
    async (c) => {
      const q = c.req.valid('query');
      const kind = c.req.valid('param').kind;
      if (kind === PHOTO_IMPORT_KIND) return c.json(await importPhotoUpload(c, deps, q.filename));
      const asDraft = q.asDraft === '1' || q.asDraft === 'true';
      if (asDraft && kind !== 'grids') throw invalidParameter('asDraft', 'only grids go into a draft plan');
      if (asDraft && q.plan !== undefined) throw invalidParameter('asDraft', 'a new draft or the plan given by plan=, not both');
      if (kind === 'reference' && !q.layer) throw invalidParameter('layer', `a reference import names its layer: ${REFERENCE_LAYERS.join(', ')}`);
      const opts = { kind, planId: q.plan, asDraft, layer: q.layer, query: q, maxBytes: deps.importMaxBytes, maxVertices: deps.importMaxVertices, clock: importClock(deps) };
      return c.json(await importUpload(c, deps.db, opts, (importFile) => importFile()));
    },
  );
}

/** The server's clock and the clock skew it allows, as imports and live ingest take them. */
export function importClock(deps: Pick<AppDeps, 'now' | 'clockSkewMs'>): ImportClock {
  return { now: deps.now, clockSkewMs: deps.clockSkewMs ?? DEFAULT_CLOCK_SKEW_MINUTES * MINUTE };
}

/**
 * Receives the request body as a file of `query.filename` and runs it through the import
 * pipeline; shared by `/api/import` and the planner's draft import. A rejected file is a
 * RuleError `import_rejected` (422) with the report as details. `through` runs the import once the
 * file is on disk: as is, or inside a write job of the caller's, with its Writer (the draft import
 * logs its change in the same job).
 */
export async function importUpload<R extends ImportReport>(
  c: Context,
  db: Database,
  opts: { kind: ImportKind; planId?: number; asDraft?: boolean; layer?: ReferenceLayer; query: z.infer<typeof uploadQuery>; maxBytes: number; maxVertices?: number; clock: ImportClock },
  through: (importFile: (writer?: Writer) => Promise<ImportReport>) => Promise<R>,
): Promise<R> {
  const { query: q, maxBytes } = opts;
  // Only the base name is used, so "../../etc/passwd" can't steer where the upload lands.
  const name = basename(q.filename.replaceAll('\\', '/'));
  const ext = extname(name).toLowerCase();
  if (!ALLOWED_EXTENSIONS.has(ext)) {
    throw invalidParameter('filename', `must end in one of ${[...ALLOWED_EXTENSIONS].join(' ')}`);
  }
  let map: Record<string, string>;
  try {
    map = parseMapPairs(c.req.queries('map') ?? []);
  } catch (err) {
    throw invalidParameter('map', (err as Error).message);
  }
  const options = {
    kind: opts.kind, fileLabel: name, crs: q.crs, format: q.format, encoding: q.encoding, planId: opts.planId, asDraft: opts.asDraft, layer: opts.layer, map,
    actor: actorOf(c), ...opts.clock,
    repair: q.repair === '1', allowOutside: q.allowOutside === '1', createDepartments: q.createDepartments === '1', maxVertices: opts.maxVertices, offThread: true,
  };
  return withUploadedFile(c, ext, maxBytes, async (path) => {
    const report = await through((writer) => runImport(db, { ...options, path, writer }));
    if (!report.ok) throw new RuleError('import_rejected', `${name} was rejected: ${report.errorCount} problem(s); nothing was imported`, report);
    return report;
  });
}

/** `POST /api/import/photos?filename=photos.zip`: a zip of evidence photos through the photo import (server/import/photos). */
async function importPhotoUpload(c: Context, deps: AppDeps, filename: string): Promise<PhotoImportReport> {
  const name = basename(filename.replaceAll('\\', '/'));
  const ext = extname(name).toLowerCase();
  if (ext !== '.zip') throw invalidParameter('filename', 'photos come as one .zip file (a manifest CSV inside, or files named ISSUEID_before_1.jpg)');
  return withUploadedFile(c, ext, deps.importMaxBytes, async (path) => {
    const report = await runPhotoImport(deps.db, deps.photos, { path, fileLabel: name, actor: actorOf(c), now: deps.now, maxTotalBytes: deps.importMaxBytes });
    if (!report.ok) throw new RuleError('import_rejected', `${name} was rejected: ${report.errorCount} problem(s); nothing was imported`, report);
    return report;
  });
}

/** Saves the request body, at most `maxBytes`, as a temporary file for `use`, and removes it after. */
async function withUploadedFile<R>(c: Context, ext: string, maxBytes: number, use: (path: string) => Promise<R>): Promise<R> {
  const declared = Number(c.req.header('content-length') ?? '0');
  if (declared > maxBytes) throw new ApiError(413, 'too_large', `the file exceeds the import limit of ${maxBytes} bytes`);
  const body = c.req.raw.body;
  if (!body) throw new InvalidInputError('empty_body', 'send the file as the request body');
  const dir = await mkdtemp(join(tmpdir(), 'civgrid-upload-'));
  const path = join(dir, `upload${ext}`);
  try {
    await saveCapped(body, path, maxBytes);
    return await use(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function saveCapped(body: ReadableStream<Uint8Array>, path: string, maxBytes: number): Promise<void> {
  let seen = 0;
  const cap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      if (seen > maxBytes) done(new ApiError(413, 'too_large', `the file exceeds the import limit of ${maxBytes} bytes`));
      else done(null, chunk);
    },
  });
  await pipeline(Readable.fromWeb(body as import('node:stream/web').ReadableStream), cap, createWriteStream(path));
}
