/**
 * The media store: photo files named by the SHA-256 of the original, so the same picture attached
 * twice is stored once. Every file is written to `tmp/` and renamed into place, so a reader never
 * sees half a file; a crash can leave a file no row refers to, which {@link MediaStore.sweep}
 * removes at the next start. Folders are 0700 and files 0600: photos can show people and places.
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { DerivedSize } from './images.ts';

/** A stored file of a photo: the original upload or one of its derived sizes. */
export type MediaFile = 'original' | DerivedSize;

/** A photo's files written under `tmp/`, not yet in place (see {@link MediaStore.stage}). */
export type StagedFiles = Record<MediaFile, string>;

const HASH = /^[0-9a-f]{64}$/;

/** SHA-256 of the bytes, hex: a photo's name in the store and in the database. */
export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** True for a well-formed photo hash (what URLs may name). */
export const isPhotoHash = (text: string): boolean => HASH.test(text);

export class MediaStore {
  private constructor(readonly root: string) {}

  /** Opens (creating) the store at `root` and clears what an interrupted write left in `tmp/`. */
  static async open(root: string): Promise<MediaStore> {
    for (const dir of [root, join(root, 'photos'), join(root, 'tmp')]) {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await chmod(dir, 0o700);
    }
    await rm(join(root, 'tmp'), { recursive: true, force: true });
    await mkdir(join(root, 'tmp'), { mode: 0o700 });
    return new MediaStore(root);
  }

  /** Where a file of the photo `hash` lives (`photos/ab/<hash>` for the original, `.thumb.webp` / `.view.webp` beside it). */
  path(hash: string, file: MediaFile): string {
    if (!isPhotoHash(hash)) throw new Error(`not a photo hash: ${hash}`);
    return join(this.root, 'photos', hash.slice(0, 2), file === 'original' ? hash : `${hash}.${file}.webp`);
  }

  /**
   * Stores a photo's files, each only when missing (content-addressed: an existing one is the same).
   * `sync: false` skips flushing each file to the disk, for bulk loads that can be redone (the demo).
   */
  async put(hash: string, files: Record<MediaFile, Uint8Array>, opts: { sync?: boolean } = {}): Promise<void> {
    await this.place(hash, await this.stage(files, opts));
  }

  /**
   * Writes a photo's files under `tmp/` without placing them: a bulk import stages every photo while
   * it validates the lot, outside the write queue, and places them only once all are good. What a
   * crash leaves staged is cleared at the next {@link MediaStore.open}.
   */
  async stage(files: Record<MediaFile, Uint8Array>, opts: { sync?: boolean } = {}): Promise<StagedFiles> {
    const staged: Partial<StagedFiles> = {};
    try {
      for (const file of ['thumb', 'view', 'original'] as const) staged[file] = await this.writeTemp(files[file], opts.sync !== false);
    } catch (err) {
      await this.discard(staged);
      throw err;
    }
    return staged as StagedFiles;
  }

  /**
   * Moves staged files into place as the photo `hash`, each only when missing (the staged copy is
   * then dropped). Returns whether the original is new: the caller that placed it may take it back.
   */
  async place(hash: string, staged: StagedFiles): Promise<boolean> {
    await mkdir(join(this.root, 'photos', hash.slice(0, 2)), { recursive: true, mode: 0o700 });
    let placedOriginal = false;
    // The original last: a photo is whole when its original exists.
    for (const file of ['thumb', 'view', 'original'] as const) {
      const target = this.path(hash, file);
      if (existsSync(target)) await rm(staged[file], { force: true });
      else {
        await rename(staged[file], target);
        placedOriginal = file === 'original';
      }
    }
    return placedOriginal;
  }

  /** Drops staged files that will not be placed. */
  async discard(staged: Partial<StagedFiles>): Promise<void> {
    for (const path of Object.values(staged)) if (path) await rm(path, { force: true });
  }

  /** The bytes of one file of a photo, or null when it is not stored. */
  async read(hash: string, file: MediaFile): Promise<Buffer | null> {
    try {
      return await readFile(this.path(hash, file));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  /** Removes every file of a photo. */
  async remove(hash: string): Promise<void> {
    for (const file of ['original', 'thumb', 'view'] as const) await rm(this.path(hash, file), { force: true });
  }

  /** The hashes of the photos whose original is stored. */
  async hashes(): Promise<string[]> {
    const out: string[] = [];
    const base = join(this.root, 'photos');
    for (const dir of await readdir(base)) {
      for (const name of await readdir(join(base, dir))) if (isPhotoHash(name)) out.push(name);
    }
    return out.sort();
  }

  /**
   * Removes the photos no attachment refers to (left by a crash between the files and the row, or
   * by a failed restore) and returns their hashes. Run at start, before anything is uploaded.
   */
  async sweep(referenced: ReadonlySet<string>): Promise<string[]> {
    const removed: string[] = [];
    const base = join(this.root, 'photos');
    for (const dir of await readdir(base)) {
      for (const name of await readdir(join(base, dir))) {
        const hash = name.slice(0, 64);
        if (!isPhotoHash(hash) || referenced.has(hash)) continue;
        await rm(join(base, dir, name), { force: true });
        if (name === hash) removed.push(hash);
      }
    }
    return removed;
  }


  private async writeTemp(bytes: Uint8Array, sync: boolean): Promise<string> {
    const tmp = join(this.root, 'tmp', randomUUID());
    const handle = await open(tmp, 'wx', 0o600);
    try {
      await handle.writeFile(bytes);
      if (sync) await handle.sync();
    } catch (err) {
      await handle.close();
      await rm(tmp, { force: true });
      throw err;
    }
    await handle.close();
    return tmp;
  }
}
