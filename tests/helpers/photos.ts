/**
 * Real image files for photo tests, made with sharp (libvips) and zlib: a JPEG with EXIF capture
 * time, GPS and orientation, plain PNG and WebP, and a PNG decompression bomb. Generated, so no
 * binary fixtures live in the repository.
 */
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { exifDateTime, exifDegrees } from '../../server/media/exif-values.ts';

export type JpegOptions = { width?: number; height?: number; colour?: string; takenAt?: Date; lon?: number; lat?: number; orientation?: number };

/** A JPEG with the EXIF asked for (capture time in Asia/Shanghai, GPS in WGS84, orientation). */
export async function jpeg(o: JpegOptions = {}): Promise<Buffer> {
  const img = sharp({ create: { width: o.width ?? 120, height: o.height ?? 80, channels: 3, background: o.colour ?? '#7a5230' } }).jpeg({ quality: 85 });
  const ifd2 = o.takenAt ? { DateTimeOriginal: exifDateTime(o.takenAt) } : undefined;
  const ifd3 = o.lon !== undefined && o.lat !== undefined
    ? { GPSLatitudeRef: o.lat >= 0 ? 'N' : 'S', GPSLatitude: exifDegrees(o.lat), GPSLongitudeRef: o.lon >= 0 ? 'E' : 'W', GPSLongitude: exifDegrees(o.lon) }
    : undefined;
  const withOrientation = o.orientation ? img.withMetadata({ orientation: o.orientation }) : img;
  return ifd2 || ifd3 ? withOrientation.withExif({ IFD0: { Software: 'civgrid-test' }, ...(ifd2 && { IFD2: ifd2 }), ...(ifd3 && { IFD3: ifd3 }) }).toBuffer() : withOrientation.toBuffer();
}

/** A PNG without any EXIF. */
export const png = (colour = '#2f6f4f') => sharp({ create: { width: 64, height: 48, channels: 3, background: colour } }).png().toBuffer();

/** A WebP without any EXIF. */
export const webp = (colour = '#35608f') => sharp({ create: { width: 64, height: 48, channels: 3, background: colour } }).webp().toBuffer();

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([Buffer.from(type, 'ascii'), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/**
 * A 1-bit grey PNG of `side` × `side` zeros: a few tens of KB on disk, `side²` pixels decoded — a
 * decompression bomb at 20,000 × 20,000.
 */
export function pngBomb(side = 20_000): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr.set([1, 0, 0, 0, 0], 8); // bit depth 1, greyscale, deflate, filter 0, no interlace
  const raw = Buffer.alloc((Math.ceil(side / 8) + 1) * side); // each row: filter byte + packed bits, all zero
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}
