import iconv from 'iconv-lite';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';

/** A temporary UTF-8 copy of a file; `remove` deletes it with its folder. */
export type Utf8Copy = { path: string; remove: () => Promise<void> };

/**
 * Streams a GBK (CP936) text file into a UTF-8 copy that DuckDB's readers can take: the copy is
 * 0600 in a fresh 0700 folder (it holds the import's data), and is removed by `remove` — also
 * when the conversion fails.
 */
export async function transcodeToUtf8(path: string): Promise<Utf8Copy> {
  // mkdtemp creates the folder 0700.
  const dir = await mkdtemp(join(tmpdir(), 'civgrid-import-'));
  const remove = () => rm(dir, { recursive: true, force: true });
  const copy = join(dir, 'utf8.csv');
  try {
    await pipeline(createReadStream(path), iconv.decodeStream('gbk'), iconv.encodeStream('utf8'), createWriteStream(copy, { mode: 0o600 }));
  } catch (err) {
    await remove();
    throw err;
  }
  return { path: copy, remove };
}
