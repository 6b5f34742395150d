/**
 * civgrid's files hold data and secrets: the database and its WAL (every issue, the token
 * hashes, the audit log with request bodies), backups of all of it, the admin token, the server
 * file. They are readable by their owner only: files 0600, folders 0700.
 */
import { chmod, lstat, readdir } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join } from 'node:path';

/** Mode of a data or secret file. */
export const PRIVATE_FILE = 0o600;
/** Mode of a folder holding them. */
export const PRIVATE_DIR = 0o700;

/**
 * Makes every file and folder this process creates from now on private, whoever creates it:
 * DuckDB makes the .wal again after each checkpoint, and its temporary files, Parquet backups and
 * uploads, with the process's umask. Call it first thing in every entry point (server and CLIs).
 */
export function restrictNewFiles(): void {
  process.umask(0o077);
}

/**
 * Makes existing files private, e.g. a database created by an earlier version or a backup copied
 * in: each path that exists gets 0600 (a file) or 0700 (a folder, and everything in it). Missing
 * paths are skipped; symbolic links are left alone (chmod would change what they point to).
 */
export async function makePrivate(paths: readonly string[]): Promise<void> {
  for (const path of paths) {
    const stat = await lstat(path).catch(() => null);
    if (!stat || stat.isSymbolicLink()) continue;
    if (stat.isDirectory()) {
      await chmod(path, PRIVATE_DIR);
      for (const entry of await readdir(path)) await makePrivate([join(path, entry)]);
    } else if (stat.isFile()) {
      await chmod(path, PRIVATE_FILE);
    }
  }
}

/**
 * Makes `folder` 0700 — and with `contents`, everything in it private too — unless it is not
 * civgrid's to close: a folder of another user, or a shared one like /tmp (sticky bit). Returns a
 * warning for a folder left open to others, or null.
 */
export async function closeFolder(folder: string, contents = false): Promise<string | null> {
  const stat = await lstat(folder).catch(() => null);
  if (!stat?.isDirectory()) return null;
  if ((stat.mode & 0o1000) !== 0 || stat.uid !== userInfo().uid) {
    return (stat.mode & 0o077) === 0 ? null : `${folder} is a shared folder (mode ${(stat.mode & 0o7777).toString(8)}): give civgrid a folder of its own (mode 700)`;
  }
  await (contents ? makePrivate([folder]) : chmod(folder, PRIVATE_DIR));
  return null;
}
