/**
 * SQL of evidence photos: attaching one to an issue, listing an issue's photos and the latest of a
 * scope, taking one off. Flags are judged here from the stored EXIF facts with the kernel's rules
 * (server/domain/photos.ts), at read time: whether a picture is reused depends on later uploads.
 */
import { listValue, type DuckDBValue } from '@duckdb/node-api';
import type { Database, Session } from '../db/database.ts';
import { photoDistanceM, photoFlags, type PhotoCheckConfig, type PhotoFlag, type PhotoKind } from '../domain/photos.ts';
import { issueConditions, periodParams, type Filters } from '../kpi/filters.ts';
import type { ImageMime } from '../media/images.ts';

/** An attachment as stored. */
export type PhotoRow = {
  issueId: string; hash: string; kind: PhotoKind; filename: string | null; mime: ImageMime;
  width: number; height: number; bytes: number; hasExif: boolean; takenAt: number | null;
  lon: number | null; lat: number | null; uploader: string; uploadedAt: number;
};

/** An attachment as the API answers it: the stored facts, the checks and where its images are. */
export type Photo = {
  issueId: string; hash: string; kind: PhotoKind; filename: string | null; width: number; height: number; bytes: number;
  takenAt: string | null; lon: number | null; lat: number | null; distanceM: number | null;
  flags: PhotoFlag[]; uploader: string; uploadedAt: string;
  urls: { thumb: string; view: string; original: string };
};

/** Where the API serves a photo's images (the hash names them, so they never change). */
export const photoUrls = (hash: string) => ({ thumb: `/api/photos/${hash}/thumb`, view: `/api/photos/${hash}/view`, original: `/api/photos/${hash}/original` });

/**
 * Attaches a photo to an issue; attaching the same picture to the same issue again changes nothing
 * (a retried upload). Returns whether the row is new.
 */
export async function insertPhoto(tx: Session, p: PhotoRow): Promise<boolean> {
  const existing = await tx.one('SELECT 1 AS x FROM photos WHERE issue_id = $issue AND hash = $hash', { issue: p.issueId, hash: p.hash });
  if (existing) return false;
  await tx.run(
    `INSERT INTO photos (issue_id, hash, kind, filename, mime, width, height, bytes, has_exif, taken_at, lon, lat, uploader, uploaded_at)
     VALUES ($issue, $hash, $kind, $filename, $mime, $width, $height, $bytes, $hasExif,
             CASE WHEN $takenAt::BIGINT IS NULL THEN NULL ELSE epoch_ms($takenAt::BIGINT) END, $lon, $lat, $uploader, epoch_ms($uploadedAt::BIGINT))`,
    {
      issue: p.issueId, hash: p.hash, kind: p.kind, filename: p.filename, mime: p.mime, width: p.width, height: p.height,
      bytes: p.bytes, hasExif: p.hasExif, takenAt: p.takenAt, lon: p.lon, lat: p.lat, uploader: p.uploader, uploadedAt: p.uploadedAt,
    },
  );
  return true;
}

/** Takes a photo off an issue. Returns whether it was attached and whether any issue still holds the picture. */
export async function deletePhoto(tx: Session, issueId: string, hash: string): Promise<{ deleted: boolean; stillUsed: boolean }> {
  const found = await tx.one('SELECT 1 AS x FROM photos WHERE issue_id = $issue AND hash = $hash', { issue: issueId, hash });
  if (found) await tx.run('DELETE FROM photos WHERE issue_id = $issue AND hash = $hash', { issue: issueId, hash });
  const used = await tx.one('SELECT 1 AS x FROM photos WHERE hash = $hash LIMIT 1', { hash });
  return { deleted: Boolean(found), stillUsed: Boolean(used) };
}

/** Which of `ids` are issues (one lookup for a whole batch of photos). */
export async function knownIssueIds(db: Pick<Session, 'all'>, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.all<{ id: string }>(
    'SELECT DISTINCT i.id FROM issues i JOIN (SELECT unnest($ids::VARCHAR[]) AS id) w ON w.id = i.id', { ids: listValue([...ids]) },
  );
  return new Set(rows.map((r) => r.id));
}

/** The hashes any attachment refers to (what the media store must keep). */
export async function referencedHashes(db: Pick<Database, 'all'>): Promise<Set<string>> {
  return new Set((await db.all<{ hash: string }>('SELECT DISTINCT hash FROM photos')).map((r) => r.hash));
}

type Record_ = {
  issue_id: string; hash: string; kind: PhotoKind; filename: string | null; width: number; height: number; bytes: number;
  has_exif: boolean; taken_at: Date | null; lon: number | null; lat: number | null; uploader: string; uploaded_at: Date;
  reported_at: Date; issue_lon: number; issue_lat: number; reused: boolean;
};

/**
 * The columns of a photo with its issue's report time and position, and whether the same picture
 * was attached to another issue before (the later attachment is the suspicious one).
 */
const PHOTO_COLUMNS = `p.issue_id, p.hash, p.kind, p.filename, p.width, p.height, p.bytes, p.has_exif, p.taken_at, p.lon, p.lat,
  p.uploader, p.uploaded_at, i.reported_at, i.lon AS issue_lon, i.lat AS issue_lat,
  EXISTS (SELECT 1 FROM photos q WHERE q.hash = p.hash AND q.issue_id <> p.issue_id AND q.seq < p.seq) AS reused`;

const KIND_ORDER = `CASE p.kind WHEN 'before' THEN 0 WHEN 'after' THEN 1 ELSE 2 END`;

function toPhoto(r: Record_, checks: PhotoCheckConfig): Photo {
  const facts = {
    kind: r.kind, hasExif: r.has_exif, takenAt: r.taken_at?.getTime() ?? null,
    position: r.lon !== null && r.lat !== null ? ([r.lon, r.lat] as const) : null, attachedElsewhere: r.reused,
  };
  const issue = { reportedAt: r.reported_at.getTime(), position: [r.issue_lon, r.issue_lat] as const };
  return {
    issueId: r.issue_id, hash: r.hash, kind: r.kind, filename: r.filename, width: r.width, height: r.height, bytes: Number(r.bytes),
    takenAt: r.taken_at?.toISOString() ?? null, lon: r.lon, lat: r.lat, distanceM: photoDistanceM(facts, issue),
    flags: photoFlags(facts, issue, checks), uploader: r.uploader, uploadedAt: r.uploaded_at.toISOString(), urls: photoUrls(r.hash),
  };
}

/** The photos of one issue: 整改前 first, then 整改后, then others, each in upload order. */
export async function issuePhotos(db: Pick<Database, 'all'>, issueId: string, checks: PhotoCheckConfig): Promise<Photo[]> {
  const rows = await db.all<Record_>(
    `SELECT ${PHOTO_COLUMNS} FROM photos p JOIN issues i ON i.id = p.issue_id WHERE p.issue_id = $issue
     ORDER BY ${KIND_ORDER}, p.seq`,
    { issue: issueId },
  );
  return rows.map((r) => toPhoto(r, checks));
}

/** One attachment, or undefined. */
export async function issuePhoto(db: Pick<Database, 'all'>, issueId: string, hash: string, checks: PhotoCheckConfig): Promise<Photo | undefined> {
  return (await issuePhotos(db, issueId, checks)).find((p) => p.hash === hash);
}

/** A closure with its evidence: an issue, where it was and who answers for the spot, and its 整改前 / 整改后 photos. */
export type PhotoPair = {
  issueId: string; category: string; categoryName: string | null; address: string | null;
  /** Names of the issue's street and community, when it lies in a grid. */
  street: string | null; community: string | null;
  /** The first key site whose zone holds the issue, with its accountable unit (责任单位). */
  site: { id: string; name: string; unit: string | null } | null;
  closedAt: string | null; before: Photo; after: Photo;
};

/**
 * The latest photos of the issues matching the filters, or (`pairs`) the latest closures holding
 * both a 整改前 and a 整改后 photo — the wall's 整改前后对比 — newest closure first. For photos the
 * period filters reports; for pairs it filters closures, since a wall shows what was fixed lately
 * whenever it was reported. A pair is the first 整改前 and the latest 整改后, as the issue panel
 * compares them.
 */
export async function latestPhotos(
  db: Database, f: Filters, now: Date, checks: PhotoCheckConfig, opts: { pairs: boolean; limit: number },
): Promise<{ photos: Photo[] } | { pairs: PhotoPair[] }> {
  const cond = issueConditions(f);
  const { start, end } = periodParams(f, now);
  const params: Record<string, DuckDBValue> = { ...cond.params, start, end, limit: opts.limit };
  if (!opts.pairs) {
    const rows = await db.all<Record_>(
      `SELECT ${PHOTO_COLUMNS} FROM photos p JOIN issues i ON i.id = p.issue_id
       WHERE ${cond.sql} AND i.reported_at >= $start::TIMESTAMP AND i.reported_at < $end::TIMESTAMP ORDER BY p.seq DESC LIMIT $limit`,
      params,
    );
    return { photos: rows.map((r) => toPhoto(r, checks)) };
  }
  return { pairs: await closurePairs(db, cond.sql, params, checks) };
}

type ClosureRow = {
  id: string; category: string; category_name: string | null; address: string | null; street_name: string | null;
  community_name: string | null; site_id: string | null; site_name: string | null; site_unit: string | null; closed_at: Date | null;
};

async function closurePairs(db: Database, where: string, params: Record<string, DuckDBValue>, checks: PhotoCheckConfig): Promise<PhotoPair[]> {
  // From the photos side: a few thousand attachments, where the issues are millions.
  const closures = await db.all<ClosureRow>(
    `WITH paired AS (
       SELECT issue_id FROM photos GROUP BY issue_id HAVING bool_or(kind = 'before') AND bool_or(kind = 'after')
     )
     SELECT i.id, i.category, c.name AS category_name, i.address, s.name AS street_name, m.name AS community_name,
            t.id AS site_id, t.name AS site_name, t.unit AS site_unit, i.closed_at
     FROM issues i JOIN paired ON paired.issue_id = i.id
     LEFT JOIN categories c ON c.code = i.category
     LEFT JOIN regions s ON s.code = i.street
     LEFT JOIN regions m ON m.code = i.community
     LEFT JOIN sites t ON t.id = i.site_ids[1]
     WHERE ${where} AND i.status = 'closed' AND i.closed_at >= $start::TIMESTAMP AND i.closed_at < $end::TIMESTAMP
     ORDER BY i.closed_at DESC, i.id LIMIT $limit`,
    params,
  );
  if (closures.length === 0) return [];
  const rows = await db.all<Record_>(
    `SELECT ${PHOTO_COLUMNS} FROM photos p JOIN issues i ON i.id = p.issue_id
     WHERE list_contains($ids::VARCHAR[], p.issue_id) AND p.kind IN ('before', 'after') ORDER BY p.seq`,
    { ids: listValue(closures.map((c) => c.id)) },
  );
  const before = new Map<string, Photo>();
  const after = new Map<string, Photo>();
  for (const r of rows) {
    if (r.kind === 'after') after.set(r.issue_id, toPhoto(r, checks));
    else if (!before.has(r.issue_id)) before.set(r.issue_id, toPhoto(r, checks));
  }
  return closures.map((c) => ({
    issueId: c.id, category: c.category, categoryName: c.category_name, address: c.address,
    street: c.street_name, community: c.community_name,
    site: c.site_id && c.site_name ? { id: c.site_id, name: c.site_name, unit: c.site_unit } : null,
    closedAt: c.closed_at?.toISOString() ?? null, before: before.get(c.id)!, after: after.get(c.id)!,
  }));
}
