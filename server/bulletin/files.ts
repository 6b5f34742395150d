/**
 * Where the bulletin archive keeps its files, for the archive itself and for backups and restores,
 * which carry the files with the table that lists them.
 */
import { dirname, join } from 'node:path';

/** The archive folder: CIVGRID_BULLETIN_DIR, default `bulletins/` beside the database file. */
export function bulletinRoot(dbPath: string, configured?: string): string {
  return configured ?? join(dirname(dbPath), 'bulletins');
}

/** A stored bulletin file's name in the archive folder (and in a backup's `bulletins/`). */
export const bulletinFileName = (id: number, format: string) => `${id}.${format}`;
