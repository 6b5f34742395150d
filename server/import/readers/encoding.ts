import { open } from 'node:fs/promises';

/** The text encodings the readers decode: Chinese data is either UTF-8 or GBK (CP936). */
export type TextEncoding = 'utf8' | 'gbk';

/** Bytes sampled to tell UTF-8 from GBK. */
const SNIFF_BYTES = 64 * 1024;

/**
 * True when `bytes` is valid UTF-8, allowing a sequence cut off at the end (a sample boundary).
 * GBK text with Chinese characters is practically never valid UTF-8, so this decides between them.
 */
function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/**
 * UTF-8 unless the first 64 KB of the file are not valid UTF-8, then GBK — or `mixed` when some
 * lines are UTF-8 with non-ASCII text and others are not UTF-8 at all (two exports pasted
 * together), which no single decoding reads correctly.
 */
export async function sniffFileEncoding(path: string): Promise<TextEncoding | 'mixed'> {
  const file = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await file.read({ buffer: Buffer.alloc(SNIFF_BYTES), position: 0 });
    return classifySample(buffer.subarray(0, bytesRead));
  } finally {
    await file.close();
  }
}

/** The encoding of a sample, line by line (0x0A never occurs inside a UTF-8 or GBK character). */
function classifySample(bytes: Uint8Array): TextEncoding | 'mixed' {
  if (isUtf8(bytes)) return 'utf8';
  let utf8Text = false;
  let start = 0;
  while (start < bytes.length) {
    const nl = bytes.indexOf(0x0a, start);
    const line = bytes.subarray(start, nl === -1 ? bytes.length : nl);
    // Lines of GBK Chinese are practically never valid UTF-8, so a valid one with non-ASCII bytes is UTF-8.
    if (line.some((b) => b >= 0x80) && isUtf8(line)) utf8Text = true;
    start = nl === -1 ? bytes.length : nl + 1;
  }
  return utf8Text ? 'mixed' : 'gbk';
}

/** The encoding named by a Shapefile .cpg file, or undefined for one we do not decode. */
export function encodingFromCpg(cpg: string): TextEncoding | undefined {
  const label = cpg.trim().toUpperCase().replace(/[\s_-]/g, '');
  if (label === 'UTF8' || label === '65001') return 'utf8';
  if (['GBK', '936', 'CP936', 'GB2312', 'GB18030', 'ANSI936'].includes(label)) return 'gbk';
  return undefined;
}
