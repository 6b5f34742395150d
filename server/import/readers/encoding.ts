import { open } from 'node:fs/promises';

/** The text encodings the readers decode: Chinese data is either UTF-8 or GBK (CP936). */
export type TextEncoding = 'utf8' | 'gbk';

/** Bytes sampled to tell UTF-8 from GBK. */
const SNIFF_BYTES = 64 * 1024;

/**
 * True when `bytes` is valid UTF-8, allowing a sequence cut off at the end (a sample boundary).
 * GBK text with Chinese characters is practically never valid UTF-8, so this decides between them.
 */
export function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/** UTF-8 unless the first 64 KB of the file are not valid UTF-8, then GBK. */
export async function sniffFileEncoding(path: string): Promise<TextEncoding> {
  const file = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await file.read({ buffer: Buffer.alloc(SNIFF_BYTES), position: 0 });
    return isUtf8(buffer.subarray(0, bytesRead)) ? 'utf8' : 'gbk';
  } finally {
    await file.close();
  }
}

/** The encoding named by a Shapefile .cpg file, or undefined for one we do not decode. */
export function encodingFromCpg(cpg: string): TextEncoding | undefined {
  const label = cpg.trim().toUpperCase().replace(/[\s_-]/g, '');
  if (label === 'UTF8' || label === '65001') return 'utf8';
  if (['GBK', '936', 'CP936', 'GB2312', 'GB18030', 'ANSI936'].includes(label)) return 'gbk';
  return undefined;
}
