/**
 * The backup manifest (`manifest.json`): which tables, how many rows, checksums of the contents
 * and of each Parquet file, the schema version and the sequences' positions. Written last, so a
 * directory without one is an unfinished backup.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { z } from 'zod';
import type { Database, Session } from '../db/database.ts';

/** The manifest's file name inside a backup directory. */
export const MANIFEST = 'manifest.json';

/** The folder of photo files inside a backup directory. */
export const MEDIA_DIR = 'media';
/** The folder of a backup holding the bulletin archive's files. */
export const BULLETIN_DIR = 'bulletins';

/** A photo file's name inside the backup's media folder. */
export const mediaFileName = (hash: string, file: 'original' | 'thumb' | 'view') => (file === 'original' ? hash : `${hash}.${file}.webp`);

const tableEntry = z.object({
  name: z.string().regex(/^[a-z_][a-z0-9_]*$/),
  file: z.string().regex(/^[a-z_][a-z0-9_]*\.parquet$/),
  rows: z.number().int().min(0),
  /** Order-independent sum of row hashes (DuckDB `hash`), as text: equal = same contents. */
  checksum: z.string(),
  /** SHA-256 of the Parquet file, hex. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

/** The manifest, validated when a backup is restored. */
export const manifestSchema = z.object({
  format: z.literal('civgrid-backup'),
  formatVersion: z.literal(1),
  createdAt: z.string(),
  schemaVersion: z.number().int().positive(),
  duckdbVersion: z.string(),
  tables: z.array(tableEntry),
  /**
   * The evidence photos' files, under `media/` in the backup: the original is named by its SHA-256
   * (`hash`), the derived WebP sizes carry theirs. Absent in backups made before photos existed.
   */
  media: z.array(z.object({
    hash: z.string().regex(/^[0-9a-f]{64}$/),
    thumbSha256: z.string().regex(/^[0-9a-f]{64}$/),
    viewSha256: z.string().regex(/^[0-9a-f]{64}$/),
  })).default([]),
  /**
   * The bulletin archive's files, under `bulletins/` in the backup, named as in the archive folder
   * (`<id>.<format>`) with their SHA-256 (the one the bulletins table records). Absent in backups
   * made before the archive existed.
   */
  bulletins: z.array(z.object({
    file: z.string().regex(/^\d+\.[a-z]+$/),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
  })).default([]),
  /** Last value handed out by each sequence (null: never used), so restored ids continue, not repeat. */
  sequences: z.array(z.object({ name: z.string().regex(/^[a-z_][a-z0-9_]*$/), lastValue: z.number().int().nullable() })),
});
/** A backup's manifest. */
export type Manifest = z.infer<typeof manifestSchema>;

type Reader = Pick<Database | Session, 'all' | 'one'>;

/** Base tables of the main schema, by name. */
export async function tableNames(db: Reader): Promise<string[]> {
  const rows = await db.all<{ table_name: string }>(
    `SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' AND NOT temporary ORDER BY table_name`,
  );
  return rows.map((r) => r.table_name);
}

/** Row count and content checksum of a table (the same measure tests/helpers/db.ts `fingerprint` uses). */
export async function tableChecksum(db: Reader, table: string): Promise<{ rows: number; checksum: string }> {
  const row = await db.one<{ rows: number; checksum: string }>(
    `SELECT count(*) AS rows, coalesce(sum(hash(t)::HUGEINT), 0)::VARCHAR AS checksum FROM ${ident(table)} t`,
  );
  return { rows: row!.rows, checksum: row!.checksum };
}

/** Sequences of the main schema and the last value each handed out. */
export async function sequencePositions(db: Reader): Promise<{ name: string; lastValue: number | null }[]> {
  const rows = await db.all<{ sequence_name: string; last_value: number | null }>(
    `SELECT sequence_name, last_value FROM duckdb_sequences() WHERE database_name = current_database() AND schema_name = 'main' ORDER BY sequence_name`,
  );
  return rows.map((r) => ({ name: r.sequence_name, lastValue: r.last_value }));
}

/** SHA-256 of a file, streamed. */
export function fileSha256(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

/** A quoted SQL identifier. Table names come from the catalogue or a validated manifest, never from users. */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A SQL string literal: COPY and read_parquet take file names as literals, not parameters. */
export function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
