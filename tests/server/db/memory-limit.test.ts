import { describe, expect, it } from 'vitest';
import { Database } from '../../../server/db/database.ts';
import { DEFAULT_DUCKDB_MEMORY_MB, readEnv } from '../../../server/env.ts';

describe('DuckDB memory limit', () => {
  it('defaults to a bounded figure, is configurable, and refuses a tiny one', () => {
    expect(readEnv({}).CIVGRID_DUCKDB_MEMORY_MB).toBe(DEFAULT_DUCKDB_MEMORY_MB);
    expect(readEnv({ CIVGRID_DUCKDB_MEMORY_MB: '2048' }).CIVGRID_DUCKDB_MEMORY_MB).toBe(2048);
    expect(() => readEnv({ CIVGRID_DUCKDB_MEMORY_MB: '8' })).toThrow(/CIVGRID_DUCKDB_MEMORY_MB/);
  });

  it('is what DuckDB runs with', async () => {
    const db = await Database.open(':memory:', { memoryLimitMb: 300 });
    try {
      const row = await db.one<{ v: string }>(`SELECT current_setting('memory_limit') AS v`);
      expect(row!.v).toBe('286.1 MiB');
    } finally {
      await db.close();
    }
  });
});
