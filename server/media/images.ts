/**
 * Reading an uploaded photo: what it is (by its magic bytes, never its name), its size, its EXIF
 * capture time and position, and the two sizes every screen is served — decoded by libvips (sharp)
 * and exifr, never by hand. What is served has its orientation applied and no metadata at all.
 */
import exifr from 'exifr';
import sharp, { type Metadata } from 'sharp';
import type { Pt } from '../domain/geometry.ts';
import { parseTimestamp } from '../domain/time.ts';

/** The image types accepted; anything else (SVG, HEIC, GIF, PDF, text) is refused. */
export type ImageMime = 'image/jpeg' | 'image/png' | 'image/webp';

/** The type the first bytes say, or null when they are not one of {@link ImageMime}. */
export function sniffImage(head: Uint8Array): ImageMime | null {
  const at = (offset: number, bytes: number[]) => bytes.every((b, k) => head[offset + k] === b);
  if (at(0, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (at(0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (at(0, [0x52, 0x49, 0x46, 0x46]) && at(8, [0x57, 0x45, 0x42, 0x50])) return 'image/webp';
  return null;
}

/** What the photo's EXIF says, if it has any (times epoch ms, position WGS84 degrees). */
export type ExifFacts = { hasExif: boolean; takenAt: number | null; position: Pt | null };

/** The derived sizes: longest side in pixels. */
export const DERIVED_SIZES = { thumb: 320, view: 1600 } as const;
export type DerivedSize = keyof typeof DERIVED_SIZES;

/** A decoded photo: its type, oriented size, EXIF facts and the derived WebP images. */
export type ReadPhoto = ExifFacts & { mime: ImageMime; width: number; height: number; derived: Record<DerivedSize, Buffer> };

/** Why a photo was refused; the route maps the kind to 415 or 422. */
export class PhotoRejected extends Error {
  constructor(readonly kind: 'not_an_image' | 'too_many_pixels' | 'undecodable', message: string) {
    super(message);
  }
}

/**
 * Reads a photo. The pixel limit is checked on the header before anything is decoded and again by
 * libvips (`limitInputPixels`), which also stops decompression bombs.
 */
export async function readPhoto(bytes: Buffer, maxPixels: number): Promise<ReadPhoto> {
  const mime = sniffImage(bytes.subarray(0, 16));
  if (!mime) throw new PhotoRejected('not_an_image', 'not a JPEG, PNG or WebP image (checked by its content, not its name)');
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (err) {
    throw new PhotoRejected('undecodable', `the image cannot be read: ${(err as Error).message}`);
  }
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  if (width * height > maxPixels) {
    throw new PhotoRejected('too_many_pixels', `${width} × ${height} pixels is more than the limit of ${maxPixels.toLocaleString('en-US')}`);
  }
  // EXIF orientations 5–8 turn the picture a quarter: width and height swap once it is upright.
  const turned = (meta.orientation ?? 1) >= 5;
  const derive = async (side: number) => {
    try {
      return await sharp(bytes, { limitInputPixels: maxPixels, failOn: 'error' })
        .rotate()
        .resize({ width: side, height: side, fit: 'inside', withoutEnlargement: true })
        .webp({ quality: 80 })
        .toBuffer();
    } catch (err) {
      throw new PhotoRejected('undecodable', `the image cannot be decoded: ${(err as Error).message}`);
    }
  };
  const [exif, thumb, view] = await Promise.all([readExif(bytes), derive(DERIVED_SIZES.thumb), derive(DERIVED_SIZES.view)]);
  return { mime, width: turned ? height : width, height: turned ? width : height, ...exif, derived: { thumb, view } };
}

/**
 * The capture time and GPS position of the EXIF, when present. EXIF times carry no zone unless
 * OffsetTimeOriginal says one; without it they are read as Asia/Shanghai, the phone's local time.
 */
export async function readExif(bytes: Buffer): Promise<ExifFacts> {
  let tags: Record<string, unknown> | undefined;
  try {
    tags = await exifr.parse(bytes, {
      tiff: true, ifd0: {}, exif: true, gps: true, interop: false, ifd1: false,
      xmp: false, icc: false, iptc: false, jfif: false, ihdr: false, reviveValues: false,
    });
  } catch {
    tags = undefined; // A broken EXIF block is the same as none: the photo is still evidence.
  }
  if (!tags || Object.keys(tags).length === 0) return { hasExif: false, takenAt: null, position: null };
  return { hasExif: true, takenAt: exifTime(tags), position: exifPosition(tags) };
}

function exifTime(tags: Record<string, unknown>): number | null {
  const raw = tags.DateTimeOriginal ?? tags.CreateDate;
  if (typeof raw !== 'string') return null;
  const m = /^(\d{4}):(\d{2}):(\d{2}) (\d{2}):(\d{2}):(\d{2})/.exec(raw);
  if (!m) return null;
  const offset = typeof tags.OffsetTimeOriginal === 'string' && /^[+-]\d{2}:\d{2}$/.test(tags.OffsetTimeOriginal) ? tags.OffsetTimeOriginal : '';
  const t = parseTimestamp(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${offset}`);
  return t.error === undefined ? t.value : null;
}

function exifPosition(tags: Record<string, unknown>): Pt | null {
  const { latitude, longitude } = tags as { latitude?: unknown; longitude?: unknown };
  if (typeof latitude !== 'number' || typeof longitude !== 'number' || !Number.isFinite(latitude) || !Number.isFinite(longitude)) return null;
  // 0,0 is what many cameras write when they had no fix.
  if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180 || (latitude === 0 && longitude === 0)) return null;
  return [longitude, latitude];
}
