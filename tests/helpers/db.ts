import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditSettled } from '../../server/audit/log.ts';
import { Database } from '../../server/db/database.ts';
import { migrate } from '../../server/db/migrations.ts';
import type { ImportKind } from '../../server/import/kind.ts';
import { runImport, type ImportOptions } from '../../server/import/pipeline.ts';
import { FIXTURE_CITY } from './server-process.ts';

export const CITY = 'tests/fixtures/city';
/** The fixture city's files, kind by kind, in the order they import. */
export const CITY_FILES: [ImportKind, string][] = FIXTURE_CITY.map((spec) => [spec.kind, spec.file]);

/** A migrated database in a fresh temp file; `cleanup` closes and deletes it. */
export async function freshDb(): Promise<{ db: Database; dir: string; cleanup: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'civgrid-test-'));
  const db = await Database.open(join(dir, 'test.duckdb'));
  await migrate(db);
  return { db, dir, cleanup: async () => { await db.close(); rmSync(dir, { recursive: true, force: true }); } };
}

/** Imports the tiny hand-made city of tests/fixtures/city, failing loudly if any file is rejected. */
export async function importCity(db: Database, only?: ImportKind[]): Promise<void> {
  for (const [kind, path] of CITY_FILES) {
    if (only && !only.includes(kind)) continue;
    await importOk(db, { kind, path });
  }
}

/** Runs an import that must succeed. */
export async function importOk(db: Database, opts: ImportOptions) {
  const report = await runImport(db, opts);
  if (!report.ok) throw new Error(`${opts.path} rejected: ${JSON.stringify(report.errors.slice(0, 5))}`);
  return report;
}

/**
 * Row count and an order-independent checksum of every table (all of them, read from the
 * catalogue, so tables added by later migrations are covered): equal fingerprints = same contents.
 * Taken once the audit entries of the writes answered so far are written (they follow their answers).
 */
export async function fingerprint(db: Database): Promise<Record<string, { rows: number; checksum: string }>> {
  await auditSettled(db);
  const tables = await db.all<{ name: string }>(
    `SELECT table_name AS name FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' AND NOT temporary ORDER BY table_name`,
  );
  const out: Record<string, { rows: number; checksum: string }> = {};
  for (const { name } of tables) {
    const row = await db.one<{ rows: number; checksum: unknown }>(`SELECT count(*) AS rows, coalesce(sum(hash(t)::HUGEINT), 0)::VARCHAR AS checksum FROM "${name}" t`);
    out[name] = { rows: row!.rows, checksum: String(row!.checksum) };
  }
  return out;
}
