/**
 * Evidence photo routes: uploading to an issue, taking a photo off (admin), the latest photos and
 * 整改前后 pairs of a scope, and the images themselves by hash (immutable, cached for a year).
 */
import { zValidator } from '@hono/zod-validator';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import type { AppDeps } from '../app.ts';
import { actorOf } from '../auth/middleware.ts';
import { NotFoundError } from '../domain/errors.ts';
import { PHOTO_KINDS } from '../domain/photos.ts';
import { ApiError } from '../errors.ts';
import { filterQuery } from '../kpi/filters.ts';
import { resolveFilters } from '../kpi/resolve.ts';
import { PhotoRejected } from '../media/images.ts';
import { attachPhoto, photoRuleError, preparePhoto, type PhotoSettings, type PreparedPhoto } from '../media/photo-service.ts';
import { isPhotoHash } from '../media/store.ts';
import type { RouteDoc } from '../openapi/build.ts';
import { deletePhoto, issuePhoto, latestPhotos } from '../queries/photos.ts';
import { queryError } from './validation.ts';

const idParam = z.object({ id: z.string().min(1).max(64) });
const photoParam = idParam.extend({ hash: z.string().refine(isPhotoHash, 'a photo hash: 64 lowercase hex digits') });
const fileParam = z.object({
  hash: z.string().refine(isPhotoHash, 'a photo hash: 64 lowercase hex digits'),
  file: z.enum(['thumb', 'view', 'original']),
});

/** A file name as the uploader's device called it: shown, never used as a path. */
const filename = z.string().trim().min(1).max(200).regex(/^[^\u0000-\u001f\u007f/\\]+$/, 'no control characters or slashes');

const uploadQuery = z.object({
  kind: z.enum(PHOTO_KINDS).describe('before 整改前 | after 整改后 | other'),
  filename: filename.optional().describe('the file name on the uploading device'),
});

const listQuery = filterQuery.extend({
  pairs: z.enum(['0', '1']).default('0').describe('1: the latest closures with both a 整改前 and a 整改后 photo'),
  limit: z.coerce.number().int().min(1).max(100).default(12),
});

const PHOTO_SHAPE = '{issueId, hash, kind, filename, width, height, bytes, takenAt, lon, lat, distanceM, flags, uploader, uploadedAt, urls: {thumb, view, original}}';

export const photoDocs: RouteDoc[] = [
  {
    method: 'post', path: '/api/issues/{id}/photos', tag: 'photos', params: idParam, query: uploadQuery, rawBody: 'image/jpeg',
    summary: 'Attach a photo (JPEG, PNG or WebP) to an issue: the image as the body, or multipart with a `photo` file field.',
    description: 'Checked by content, not name. Flags: stale (taken long before the report), before_report (an after photo older '
      + 'than the report), far (GPS far from the issue), no_exif, reused (the same picture on another issue). The same picture '
      + `sent again to the same issue answers 200 with the existing attachment. Answer: ${PHOTO_SHAPE}.`,
    responses: {
      200: 'already attached', 201: 'attached', 400: 'invalid parameter', 403: 'role below operator', 404: 'no such issue',
      413: 'over the byte limit', 415: 'not a JPEG, PNG or WebP image', 422: 'over the pixel limit, or undecodable',
    },
  },
  {
    method: 'delete', path: '/api/issues/{id}/photos/{hash}', tag: 'photos', params: photoParam,
    summary: 'Take a photo off an issue (admin; audited). The files go when no issue holds the picture any more.',
    responses: { 204: 'removed', 404: 'not attached to this issue' },
  },
  {
    method: 'get', path: '/api/photos', tag: 'photos', query: listQuery,
    summary: 'The latest photos of the issues matching the filters (the period filters reports), or with pairs=1 the latest closures '
      + 'with a 整改前 and a 整改后 photo, newest closure first (the period filters closures): the wall\'s 整改前后对比.',
    responses: { 200: '{photos: [photo]} or {pairs: [{issueId, category, categoryName, address, street, community, site: {id, name, unit}, closedAt, before, after}]}' },
  },
  {
    method: 'get', path: '/api/photos/{hash}/{file}', tag: 'photos', params: fileParam, produces: 'image/webp',
    summary: 'A photo image: thumb (≤ 320 px) and view (≤ 1600 px) are WebP without any metadata; original (admin only) is the upload as sent.',
    responses: { 200: 'the image (cached as immutable)', 404: 'no such photo' },
  },
];

/** Reads an upload body (raw, or a multipart `photo` field) under the byte limit. */
async function uploadBytes(c: Context, maxBytes: number): Promise<{ bytes: Buffer; filename: string | null }> {
  const type = c.req.header('content-type') ?? '';
  if (type.startsWith('multipart/form-data')) {
    const form = await c.req.parseBody();
    const file = form.photo;
    if (!(file instanceof File)) throw new ApiError(400, 'no_upload', 'multipart upload without a `photo` file field');
    if (file.size > maxBytes) throw tooLarge(maxBytes);
    return { bytes: Buffer.from(await file.arrayBuffer()), filename: file.name || null };
  }
  const bytes = Buffer.from(await c.req.arrayBuffer());
  if (bytes.length === 0) throw new ApiError(400, 'no_upload', 'the request has no body: send the image as the body');
  return { bytes, filename: null };
}

const tooLarge = (maxBytes: number) => new ApiError(413, 'too_large', `a photo may be at most ${maxBytes / 1024 / 1024} MB`);

/** Refuses a body over the photo byte limit while it streams in (multipart framing gets a little room). */
export function photoBodyLimit(maxBytes: number, photos = 1) {
  return bodyLimit({ maxSize: maxBytes * photos + 64 * 1024 * photos + 1024 * 1024, onError: () => { throw tooLarge(maxBytes); } });
}

/** Reads and checks an image, mapping refusals to their answers (415 not an image, 422 the rest). */
export async function preparedOrRefused(bytes: Buffer, s: PhotoSettings): Promise<PreparedPhoto> {
  if (bytes.length > s.maxBytes) throw tooLarge(s.maxBytes);
  try {
    return await preparePhoto(bytes, s);
  } catch (err) {
    if (!(err instanceof PhotoRejected)) throw err;
    if (err.kind === 'not_an_image') throw new ApiError(415, 'unsupported_media_type', err.message);
    throw photoRuleError(err);
  }
}

/** Upload and removal under `/api/issues/:id/photos`. */
export function issuePhotoRoutes(deps: AppDeps) {
  const s = deps.photos;
  return new Hono()
    .post('/:id/photos', photoBodyLimit(s.maxBytes), zValidator('param', idParam, queryError), zValidator('query', uploadQuery, queryError), async (c) => {
      const { id } = c.req.valid('param');
      const q = c.req.valid('query');
      const upload = await uploadBytes(c, s.maxBytes);
      const prepared = await preparedOrRefused(upload.bytes, s);
      const created = await deps.db.write(['photos'], (w) => attachPhoto(w, s.store, prepared, {
        issueId: id, kind: q.kind, filename: q.filename ?? upload.filename, uploader: actorOf(c), at: deps.now().getTime(),
      }));
      const photo = await issuePhoto(deps.db, id, prepared.hash, s.checks);
      return c.json(photo, created ? 201 : 200);
    })
    .delete('/:id/photos/:hash', zValidator('param', photoParam, queryError), async (c) => {
      const { id, hash } = c.req.valid('param');
      // One write job: no upload of the same picture can slip between the row and the files going.
      await deps.db.write(['photos'], async (w) => {
        const outcome = await w.transaction((tx) => deletePhoto(tx, id, hash));
        if (!outcome.deleted) throw new NotFoundError('not_found', `issue ${id} holds no photo ${hash}`);
        if (!outcome.stillUsed) await s.store.remove(hash);
      });
      return c.body(null, 204);
    });
}

const CONTENT_TYPES = { thumb: 'image/webp', view: 'image/webp' } as const;

/** `/api/photos`: the latest photos of a scope and the images by hash. */
export function photoRoutes(deps: AppDeps) {
  const s = deps.photos;
  return new Hono()
    .get('/', zValidator('query', listQuery, queryError), async (c) => {
      const q = c.req.valid('query');
      const f = await resolveFilters(deps.db, q);
      return c.json(await latestPhotos(deps.db, f, deps.now(), s.checks, { pairs: q.pairs === '1', limit: q.limit }));
    })
    .get('/:hash/:file', zValidator('param', fileParam, queryError), async (c) => {
      const { hash, file } = c.req.valid('param');
      const bytes = await s.store.read(hash, file);
      if (!bytes) throw new NotFoundError('not_found', `no photo ${hash}`);
      const type = file === 'original'
        ? ((await deps.db.one<{ mime: string }>('SELECT mime FROM photos WHERE hash = $hash LIMIT 1', { hash }))?.mime ?? 'application/octet-stream')
        : CONTENT_TYPES[file];
      // Named by their content: the same URL is the same bytes for ever.
      return c.body(new Uint8Array(bytes), 200, {
        'content-type': type,
        'cache-control': 'private, max-age=31536000, immutable',
        'x-content-type-options': 'nosniff',
      });
    });
}

