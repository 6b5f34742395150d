import type { Readable } from 'node:stream';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { ReaderError } from './types.ts';

/** An open zip archive and its file entries (directories and macOS metadata left out). */
export type ZipListing = { zip: ZipFile; files: Entry[] };

// yauzl refuses these names itself (zip-slip); we only reword its message. Entries are streamed,
// never written to disk under their own names, so a hostile name could not escape anyway.
const UNSAFE_NAME = /^(invalid relative path|absolute path|invalid characters in fileName): /;

/**
 * Opens a zip file and lists its files. Throws a ReaderError for a file that is not a zip, for
 * an entry whose name climbs out of the archive (`../evil.shp`) or is absolute, and for more
 * than `maxEntries` entries (counted from the central directory, before any is listed).
 */
export async function listZip(path: string, maxEntries = Infinity): Promise<ZipListing> {
  let zip: ZipFile | undefined;
  try {
    // autoClose off: the entries are opened after the listing is complete.
    zip = await yauzl.openPromise(path, { lazyEntries: true, autoClose: false });
    if (zip.entryCount > maxEntries) throw new TooManyEntries(`the zip holds ${zip.entryCount} entries, more than the ${maxEntries} allowed`);
    const files: Entry[] = [];
    for await (const entry of zip.eachEntry()) {
      if (!entry.fileName.endsWith('/') && !isMacMetadata(entry.fileName)) files.push(entry);
    }
    return { zip, files };
  } catch (err) {
    zip?.close();
    const message = (err as Error).message;
    if (err instanceof TooManyEntries) throw new ReaderError(path, message, { code: 'too_many_files' });
    if (UNSAFE_NAME.test(message)) throw new ReaderError(path, `unsafe path in the zip: ${message}`);
    throw new ReaderError(path, `not a readable zip file: ${message}`);
  }
}

class TooManyEntries extends Error {}

// Finder adds __MACOSX/._name.shp resource forks, which would otherwise count as a second layer.
function isMacMetadata(name: string): boolean {
  return name.startsWith('__MACOSX/') || /(^|\/)\._/.test(name);
}

/** Streams one entry's inflated bytes; yauzl fails the stream if they differ from the declared size. */
export function entryStream(zip: ZipFile, entry: Entry): Promise<Readable> {
  return zip.openReadStreamPromise(entry);
}

/** Reads a small entry whole (a .prj or .cpg), refusing one larger than `maxBytes`. */
export async function readSmallEntry(path: string, zip: ZipFile, entry: Entry, maxBytes = 64 * 1024): Promise<Buffer> {
  if (entry.uncompressedSize > maxBytes) {
    throw new ReaderError(path, `${entry.fileName} is ${entry.uncompressedSize} bytes, too large for its kind`);
  }
  const chunks: Buffer[] = [];
  for await (const chunk of await entryStream(zip, entry)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
