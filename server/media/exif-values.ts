/**
 * EXIF values as sharp's `withExif` writes them, for the pictures civgrid makes itself (the demo's,
 * the tests'): capture times in Asia/Shanghai, as a phone in China writes them, and coordinates as
 * degree/minute/second rationals.
 */
import { shanghaiIsoLocal } from '../domain/time.ts';

/** EXIF `YYYY:MM:DD HH:MM:SS` of an instant, in Asia/Shanghai wall-clock time. */
export function exifDateTime(at: Date | number): string {
  const local = shanghaiIsoLocal(at);
  return `${local.slice(0, 10).replaceAll('-', ':')} ${local.slice(11, 19)}`;
}

/** Unsigned degrees as EXIF rationals `d/1 m/1 s/1000` (the hemisphere goes in the Ref tag). */
export function exifDegrees(deg: number): string {
  const a = Math.abs(deg);
  const d = Math.floor(a);
  const m = Math.floor((a - d) * 60);
  return `${d}/1 ${m}/1 ${Math.round(((a - d) * 60 - m) * 60 * 1000)}/1000`;
}
