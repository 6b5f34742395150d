/**
 * Attaching a photo to an issue, the one path every upload takes (the photo route, a report sent
 * with its pictures, the bulk import): read and check the image first, outside the write queue
 * (decoding is the slow part), then store its files and its row in one write job, so an upload
 * either lands whole or not at all.
 */
import { dirname, join, resolve } from 'node:path';
import type { Writer } from '../db/database.ts';
import type { Env } from '../env.ts';
import { NotFoundError, RuleError } from '../domain/errors.ts';
import type { PhotoCheckConfig, PhotoKind } from '../domain/photos.ts';
import { insertPhoto } from '../queries/photos.ts';
import { PhotoRejected, readPhoto, type ReadPhoto } from './images.ts';
import { sha256, type MediaStore } from './store.ts';

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
    const issue = await tx.one('SELECT 1 AS x FROM issues WHERE id = $id LIMIT 1', { id: a.issueId });
    if (!issue) throw new NotFoundError('not_found', `no issue ${a.issueId}`);
    // Files first: a crash after them leaves files no row names, which the next start removes.
    await store.put(p.hash, { original: p.bytes, ...p.derived });
    return insertPhoto(tx, {
      issueId: a.issueId, hash: p.hash, kind: a.kind, filename: a.filename, mime: p.mime, width: p.width, height: p.height,
      bytes: p.bytes.length, hasExif: p.hasExif, takenAt: p.takenAt, lon: p.position?.[0] ?? null, lat: p.position?.[1] ?? null,
      uploader: a.uploader, uploadedAt: a.at,
    });
  });
}

/** A refused image as the domain error its kind maps to (not an image: the route answers 415 itself). */
export function photoRuleError(err: PhotoRejected): RuleError {
  return new RuleError(err.kind === 'too_many_pixels' ? 'too_many_pixels' : 'invalid_image', err.message);
}
