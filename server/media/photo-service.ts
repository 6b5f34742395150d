/**
 * Attaching a photo to an issue, the one path every upload takes (the photo route, a report sent
 * with its pictures, the bulk import): read and check the image first, outside the write queue
 * (decoding is the slow part), then store its files and its row in one write job, so an upload
 * either lands whole or not at all.
 */
import { dirname, join, resolve } from 'node:path';
import type { Session, Writer } from '../db/database.ts';
import type { Env } from '../env.ts';
import { NotFoundError, RuleError } from '../domain/errors.ts';
import type { PhotoCheckConfig, PhotoKind } from '../domain/photos.ts';
import { insertPhoto, knownIssueIds, type PhotoRow } from '../queries/photos.ts';
import { PhotoRejected, readPhoto, type ReadPhoto } from './images.ts';
import { sha256, type MediaStore, type StagedFiles } from './store.ts';

/** Where photos go and the limits and checks they meet (server/env.ts). */
export type PhotoSettings = {
  store: MediaStore;
  /** Largest upload in bytes (413 above). */
  maxBytes: number;
  /** Largest image in pixels (422 above). */
  maxPixels: number;
  checks: PhotoCheckConfig;
  /** 核查 and 结案 need an 整改后 photo. */
  closeNeedsAfterPhoto: boolean;
};

/** The photo settings of the environment, with the store opened at CIVGRID_MEDIA (default `media/` beside the database). */
export function photoSettings(env: Pick<Env, 'CIVGRID_PHOTO_MAX_MB' | 'CIVGRID_PHOTO_MAX_MP' | 'CIVGRID_PHOTO_STALE_DAYS' | 'CIVGRID_PHOTO_FAR_M' | 'CIVGRID_CLOSE_NEEDS_PHOTO'>, store: MediaStore): PhotoSettings {
  return {
    store,
    maxBytes: Math.round(env.CIVGRID_PHOTO_MAX_MB * 1024 * 1024),
    maxPixels: Math.round(env.CIVGRID_PHOTO_MAX_MP * 1_000_000),
    checks: { staleDays: env.CIVGRID_PHOTO_STALE_DAYS, farMetres: env.CIVGRID_PHOTO_FAR_M },
    closeNeedsAfterPhoto: env.CIVGRID_CLOSE_NEEDS_PHOTO === '1',
  };
}

/** Where the media store is: CIVGRID_MEDIA, or `media/` beside the database. */
export const mediaRoot = (env: Pick<Env, 'CIVGRID_MEDIA' | 'dbPath'>): string => resolve(env.CIVGRID_MEDIA ?? join(dirname(env.dbPath), 'media'));

/** A photo read and checked, ready to attach. */
export type PreparedPhoto = ReadPhoto & { hash: string; bytes: Buffer };

/** Reads an upload; an image that is not one, or too big in pixels, is refused before anything is written. */
export async function preparePhoto(bytes: Buffer, s: Pick<PhotoSettings, 'maxPixels'>): Promise<PreparedPhoto> {
  const read = await readPhoto(bytes, s.maxPixels);
  return { ...read, hash: sha256(bytes), bytes };
}

/** Who attaches a photo, as what, under which name. */
export type Attachment = { issueId: string; kind: PhotoKind; filename: string | null; uploader: string; at: number };

/**
 * Stores the files and the row of a prepared photo in one transaction of the caller's write job.
 * Returns whether the attachment is new (the same picture on the same issue again is not).
 */
export async function attachPhoto(w: Writer, store: MediaStore, p: PreparedPhoto, a: Attachment): Promise<boolean> {
  return w.transaction(async (tx) => {
    await requireIssues(tx, [a.issueId]);
    // Files first: a crash after them leaves files no row names, which the next start removes.
    await store.put(p.hash, { original: p.bytes, ...p.derived });
    return insertPhoto(tx, photoRow(p, p.bytes.length, a));
  });
}

/** A photo read, checked and written under the store's `tmp/`, waiting for its turn in a bulk import. */
export type StagedPhoto = Omit<PreparedPhoto, 'bytes' | 'derived'> & { bytes: number; files: StagedFiles };

/** Reads and checks an image like {@link preparePhoto}, then stages its files, so only facts stay in memory. */
export async function stagePhoto(bytes: Buffer, s: Pick<PhotoSettings, 'maxPixels' | 'store'>): Promise<StagedPhoto> {
  const { bytes: original, derived, ...facts } = await preparePhoto(bytes, s);
  const files = await s.store.stage({ original, ...derived });
  return { ...facts, bytes: original.length, files };
}

/**
 * Attaches many staged photos in one transaction of the caller's write job: every issue must
 * exist, and on any failure the photos this call placed are taken back out and the rest of the
 * staged files dropped, so a failed batch leaves neither rows nor files. `within` runs in the same
 * transaction after the rows (the import's job record). Returns how many attachments are new.
 */
export async function attachStagedPhotos(
  w: Writer, store: MediaStore, batch: readonly { photo: StagedPhoto; attachment: Attachment }[], within?: (tx: Session, inserted: number) => Promise<void>,
): Promise<number> {
  const placed: string[] = [];
  const pending = new Set(batch.map((b) => b.photo.files));
  try {
    return await w.transaction(async (tx) => {
      await requireIssues(tx, [...new Set(batch.map((b) => b.attachment.issueId))]);
      let inserted = 0;
      for (const { photo, attachment } of batch) {
        pending.delete(photo.files);
        if (await store.place(photo.hash, photo.files)) placed.push(photo.hash);
        if (await insertPhoto(tx, photoRow(photo, photo.bytes, attachment))) inserted++;
      }
      await within?.(tx, inserted);
      return inserted;
    });
  } catch (err) {
    // Placed inside this write job, so no other attachment can hold them yet.
    for (const hash of placed) await store.remove(hash);
    throw err;
  } finally {
    for (const files of pending) await store.discard(files);
  }
}

/** Refuses the transaction unless every issue exists. */
async function requireIssues(tx: Session, ids: readonly string[]): Promise<void> {
  const known = await knownIssueIds(tx, ids);
  const missing = ids.filter((id) => !known.has(id));
  if (missing.length) throw new NotFoundError('not_found', `no issue ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''}`);
}

/** The stored row of a photo as attached: the same facts whichever way it came in. */
function photoRow(p: Omit<PreparedPhoto, 'bytes' | 'derived'>, bytes: number, a: Attachment): PhotoRow {
  return {
    issueId: a.issueId, hash: p.hash, kind: a.kind, filename: a.filename, mime: p.mime, width: p.width, height: p.height,
    bytes, hasExif: p.hasExif, takenAt: p.takenAt, lon: p.position?.[0] ?? null, lat: p.position?.[1] ?? null,
    uploader: a.uploader, uploadedAt: a.at,
  };
}

/** A refused image as the domain error its kind maps to (not an image: the route answers 415 itself). */
export function photoRuleError(err: PhotoRejected): RuleError {
  return new RuleError(err.kind === 'too_many_pixels' ? 'too_many_pixels' : 'invalid_image', err.message);
}
