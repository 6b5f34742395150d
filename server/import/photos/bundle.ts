/**
 * A bundle of photos to import: a zip file or a folder, listed as files with their paths inside
 * (forward slashes) and sizes, each read on demand. Bounded before anything is read: at most so
 * many files and so many bytes in all — for a zip, as its central directory declares them, which
 * yauzl then holds every entry to while it inflates, so a zip bomb is refused unopened.
 */
import type { Dirent } from 'node:fs';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import { entryStream, listZip } from '../readers/zip.ts';
import { ReaderError } from '../readers/types.ts';

/** One file of a bundle. */
export type BundleFile = { name: string; size: number; read(): Promise<Buffer> };

export type PhotoBundle = { files: BundleFile[]; close(): void };

/** How much a bundle may hold. */
export type BundleLimits = { maxFiles: number; maxTotalBytes: number };

/** Why a bundle cannot be read at all (not a zip, too many files, too large, a link in a folder). */
export class BundleError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

// Files that systems drop into folders by themselves; a bundle is not refused for them.
const SYSTEM_FILES = new Set(['thumbs.db', 'desktop.ini']);

/** Whether a file is the system's, not the user's (hidden files, Thumbs.db, desktop.ini). */
export function isSystemFile(name: string): boolean {
  const base = basename(name);
  return base.startsWith('.') || SYSTEM_FILES.has(base.toLowerCase());
}

/** Opens a zip file or a folder of photos within the limits. */
export async function openBundle(path: string, limits: BundleLimits): Promise<PhotoBundle> {
  const stat = await lstat(path);
  const bundle = stat.isDirectory() ? await openFolder(path, limits) : await openZip(path, limits);
  const total = bundle.files.reduce((sum, f) => sum + f.size, 0);
  if (total > limits.maxTotalBytes) {
    bundle.close();
    throw new BundleError('too_large', `the photos add up to ${total} bytes, more than the import limit of ${limits.maxTotalBytes} bytes`);
  }
  return bundle;
}

async function openZip(path: string, limits: BundleLimits): Promise<PhotoBundle> {
  let listing;
  try {
    listing = await listZip(path, limits.maxFiles);
  } catch (err) {
    if (err instanceof ReaderError) throw new BundleError(err.code ?? 'unreadable', err.reason);
    throw err;
  }
  const { zip, files } = listing;
  return {
    files: files.filter((e) => !isSystemFile(e.fileName)).map((entry) => ({
      name: entry.fileName,
      size: entry.uncompressedSize,
      read: async () => {
        const chunks: Buffer[] = [];
        for await (const chunk of await entryStream(zip, entry)) chunks.push(chunk as Buffer);
        return Buffer.concat(chunks);
      },
    })),
    close: () => zip.close(),
  };
}

async function openFolder(root: string, limits: BundleLimits): Promise<PhotoBundle> {
  const files: BundleFile[] = [];
  const walk = async (dir: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      throw new BundleError('unreadable', `cannot read the folder ${dir}: ${(err as Error).message}`);
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = join(dir, e.name);
      const name = relative(root, full).split(sep).join('/');
      if (isSystemFile(name)) continue;
      // A link could point anywhere on the machine: a bundle holds its own files only.
      if (e.isSymbolicLink()) throw new BundleError('symlink', `${name} is a symbolic link; copy the photo into the folder instead`);
      if (e.isDirectory()) await walk(full);
      else if (e.isFile()) {
        if (files.length >= limits.maxFiles) throw new BundleError('too_many_files', `the folder holds more than the ${limits.maxFiles} files allowed`);
        files.push({ name, size: (await lstat(full)).size, read: () => readFile(full) });
      }
    }
  };
  await walk(root);
  return { files, close: () => undefined };
}
