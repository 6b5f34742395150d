/**
 * Bulk photo import (`npm run import -- photos.zip --kind photos`, a folder too, or
 * `POST /api/import/photos`): all or nothing, like every import. Every photo is placed, its issue
 * looked up and its image read and checked — through the same photo service as an upload — before
 * anything is written; the photos are staged under the media store's `tmp/` meanwhile. Then one
 * write job places the files and inserts every row in one transaction, and takes the files back
 * out if it fails. Flags are the upload's: they are judged from the stored facts when read.
 */
import { basename } from 'node:path';
import type { Database } from '../../db/database.ts';
import { PhotoRejected } from '../../media/images.ts';
import { attachStagedPhotos, preparePhoto, stagePhoto, type Attachment, type PhotoSettings, type StagedPhoto } from '../../media/photo-service.ts';
import { knownIssueIds } from '../../queries/photos.ts';
import { recordJob } from '../pipeline.ts';
import { ProblemList } from '../problems.ts';
import { ReaderError } from '../readers/types.ts';
import { BundleError, openBundle } from './bundle.ts';
import { planPhotos, readOrRefuse, type PhotoProblem } from './plan.ts';

/** The `--kind` of a photo import, beside the feature kinds of server/import/kind.ts. */
export const PHOTO_IMPORT_KIND = 'photos';

/** Most files a bundle may hold (a zip's entries, a folder's files). */
export const MAX_BUNDLE_FILES = 10_000;

export type PhotoImportOptions = {
  /** A zip file or a folder. */
  path: string;
  /** Name shown in the report (the uploaded file's); defaults to the path. */
  fileLabel?: string;
  /** Who imports: a token's name, or `cli`. */
  actor: string;
  now: () => Date;
  /** Most bytes the photos may add up to (CIVGRID_IMPORT_MAX_MB). */
  maxTotalBytes: number;
  maxFiles?: number;
  /** Told after each photo is checked, and when the write starts. */
  onProgress?: (p: PhotoImportProgress) => void;
};

export type PhotoImportProgress = { stage: 'checking' | 'writing'; done: number; total: number };

export type PhotoImportReport = {
  ok: boolean;
  kind: typeof PHOTO_IMPORT_KIND;
  file: string;
  jobId: number | null;
  /** Photos the bundle holds for issues. */
  photos: number;
  /** New attachments. */
  attached: number;
  /** Photos already attached to their issue (the same picture again): nothing changed. */
  unchanged: number;
  errorCount: number;
  /** The first 100 problems; `moreErrors` counts the rest. */
  errors: PhotoProblem[];
  moreErrors: number;
  durationMs: number;
};

/** Imports a bundle of photos; a rejected bundle writes no row and leaves no file. */
export async function runPhotoImport(db: Database, s: PhotoSettings, opts: PhotoImportOptions): Promise<PhotoImportReport> {
  const started = Date.now();
  const problems = new ProblemList<PhotoProblem>(100);
  const report = (extra: Partial<PhotoImportReport> = {}): PhotoImportReport => ({
    ok: false, kind: PHOTO_IMPORT_KIND, file: opts.fileLabel ?? opts.path, jobId: null, photos: 0, attached: 0, unchanged: 0,
    errorCount: problems.count, errors: problems.items, moreErrors: problems.more, durationMs: Date.now() - started, ...extra,
  });
  let bundle;
  try {
    bundle = await openBundle(opts.path, { maxFiles: opts.maxFiles ?? MAX_BUNDLE_FILES, maxTotalBytes: opts.maxTotalBytes });
  } catch (err) {
    if (!(err instanceof BundleError)) throw err;
    problems.add({ code: err.code, reason: err.message });
    return report();
  }
  let staged: { photo: StagedPhoto; attachment: Attachment }[] = [];
  try {
    const planned = await planPhotos(bundle.files, problems);
    if (planned.length === 0 && problems.count === 0) problems.add({ code: 'empty', reason: 'the bundle holds no photos' });
    const known = await knownIssueIds(db, [...new Set(planned.map((p) => p.issueId))]);
    const at = opts.now().getTime();
    let done = 0;
    for (const p of planned) {
      opts.onProgress?.({ stage: 'checking', done: done++, total: planned.length });
      const refuse = (code: string, reason: string) => problems.add({ file: p.file.name, code, reason });
      if (!known.has(p.issueId)) {
        refuse('unknown_issue', `no issue ${p.issueId}`);
        continue;
      }
      const tooLarge = (bytes: number) => refuse('too_large', `${bytes} bytes, more than the photo limit of ${s.maxBytes} bytes`);
      if (p.file.size > s.maxBytes) {
        tooLarge(p.file.size);
        continue;
      }
      try {
        const bytes = await readOrRefuse(p.file);
        if (bytes.length > s.maxBytes) {
          tooLarge(bytes.length);
          continue;
        }
        // Once anything is wrong nothing will be written: the rest is checked, not staged.
        if (problems.count > 0) await preparePhoto(bytes, s);
        else {
          const attachment = { issueId: p.issueId, kind: p.kind, filename: basename(p.file.name), uploader: opts.actor, at };
          staged.push({ photo: await stagePhoto(bytes, s), attachment });
        }
      } catch (err) {
        if (err instanceof PhotoRejected) refuse(err.kind, err.message);
        else if (err instanceof ReaderError) refuse('unreadable', err.reason);
        else throw err;
      }
    }
    opts.onProgress?.({ stage: 'checking', done, total: planned.length });
    if (problems.count > 0) return report({ photos: planned.length });

    opts.onProgress?.({ stage: 'writing', done: 0, total: staged.length });
    let jobId: number | null = null;
    const batch = staged;
    // attachStagedPhotos places or drops every staged file, whatever happens.
    staged = [];
    const attached = await db.write(['photos'], (w) => attachStagedPhotos(w, s.store, batch, async (tx, inserted) => {
      jobId = await recordJob(tx, {
        kind: PHOTO_IMPORT_KIND, file: report().file, format: 'photos', crs: null, features: planned.length, inserted, updated: 0, outsideGrid: 0,
      }, opts.actor, started);
    }));
    opts.onProgress?.({ stage: 'writing', done: batch.length, total: batch.length });
    return report({ ok: true, jobId, photos: planned.length, attached, unchanged: planned.length - attached });
  } finally {
    bundle.close();
    for (const { photo } of staged) await s.store.discard(photo.files);
  }
}
