/**
 * Evidence photos (整改前 / 整改后): what an attachment is, the checks that say whether it can be
 * trusted, and the workflow rule that a closure needs one. Pure: the server reads the image and its
 * EXIF, this module judges them.
 */
import { groundDistanceM, type Pt } from './geometry.ts';
import { DAY } from './time.ts';
import type { WorkflowEvent } from './workflow.ts';

/** What a photo shows: the problem as reported, the spot after the fix, or anything else. */
export const PHOTO_KINDS = ['before', 'after', 'other'] as const;
export type PhotoKind = (typeof PHOTO_KINDS)[number];

/** The Chinese names of the kinds, as an office writes them in a manifest or a file name. */
const KIND_NAMES: Record<string, PhotoKind> = { 整改前: 'before', 整改后: 'after', 其他: 'other' };

/** The kind a text names (`before`, `After`, `整改前` …), or null when it names none. */
export function parsePhotoKind(text: string): PhotoKind | null {
  const t = text.trim();
  const lower = t.toLowerCase();
  return (PHOTO_KINDS as readonly string[]).includes(lower) ? (lower as PhotoKind) : (KIND_NAMES[t] ?? null);
}

/**
 * Why a photo may not prove what it claims; shown wherever the photo is shown:
 * - `stale`: taken more than the configured days before the report;
 * - `before_report`: an `after` photo taken before the problem was reported;
 * - `far`: its GPS position is farther from the issue than the configured distance;
 * - `no_exif`: no capture time nor position at all (many apps strip them: a hint, not an error);
 * - `reused`: the same picture is attached to another issue.
 */
export const PHOTO_FLAGS = ['stale', 'before_report', 'far', 'no_exif', 'reused'] as const;
export type PhotoFlag = (typeof PHOTO_FLAGS)[number];

/** The thresholds of the checks (server/env.ts). */
export type PhotoCheckConfig = { staleDays: number; farMetres: number };

/** What the checks know of a photo: its kind and what its EXIF said (times epoch ms, position WGS84 degrees). */
export type PhotoFacts = {
  kind: PhotoKind;
  hasExif: boolean;
  takenAt: number | null;
  position: Pt | null;
  /** Whether another issue already holds the same picture (by content hash). */
  attachedElsewhere: boolean;
};

/** What the checks know of the issue: when it was reported and where (WGS84, as stored). */
export type PhotoIssue = { reportedAt: number; position: Pt };

/** The photo's distance from the issue in metres (rounded), or null without a GPS position. */
export function photoDistanceM(photo: Pick<PhotoFacts, 'position'>, issue: PhotoIssue): number | null {
  return photo.position ? Math.round(groundDistanceM(photo.position, issue.position)) : null;
}

/** The flags of one photo, in {@link PHOTO_FLAGS} order. */
export function photoFlags(photo: PhotoFacts, issue: PhotoIssue, config: PhotoCheckConfig): PhotoFlag[] {
  const flags = new Set<PhotoFlag>();
  if (photo.takenAt !== null) {
    if (photo.takenAt < issue.reportedAt - config.staleDays * DAY) flags.add('stale');
    if (photo.kind === 'after' && photo.takenAt < issue.reportedAt) flags.add('before_report');
  }
  const distance = photoDistanceM(photo, issue);
  if (distance !== null && distance > config.farMetres) flags.add('far');
  if (!photo.hasExif) flags.add('no_exif');
  if (photo.attachedElsewhere) flags.add('reused');
  return PHOTO_FLAGS.filter((f) => flags.has(f));
}

/**
 * The closure rule: reaching 核查 (verified) or 结案 (closed) needs at least one 整改后 photo, so a
 * case cannot be closed on words alone. Null when the event may proceed, else the refusal.
 */
export function closurePhotoRefusal(event: WorkflowEvent, afterPhotos: number): { code: 'after_photo_required'; reason: string } | null {
  if ((event === 'verified' || event === 'closed') && afterPhotos === 0) {
    return { code: 'after_photo_required', reason: `${event} needs at least one 整改后 (after) photo of the fixed spot; upload it first` };
  }
  return null;
}
