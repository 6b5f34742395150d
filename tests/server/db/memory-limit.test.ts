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

describe('an import lifts the memory limit while it runs', () => {
  it('runs with DuckDB\'s default and returns to the serving cap afterwards, also after a failure and with two at once', async () => {
    const db = await Database.open(':memory:', { memoryLimitMb: 300 });
    const limit = async () => (await db.one<{ v: string }>(`SELECT current_setting('memory_limit') AS v`))!.v;
    try {
      let inside = '';
      await db.duringImport(async () => {
        inside = await limit();
      });
      expect(inside).not.toBe('286.1 MiB');
      const mib = (text: string) => parseFloat(text) * ({ KiB: 1 / 1024, MiB: 1, GiB: 1024, TiB: 1024 * 1024 }[text.split(' ')[1]] ?? NaN);
      expect(mib(inside)).toBeGreaterThan(286.1);
      expect(await limit()).toBe('286.1 MiB');

      await expect(db.duringImport(async () => { throw new Error('bad file'); })).rejects.toThrow('bad file');
      expect(await limit()).toBe('286.1 MiB');

      let release!: () => void;
      const first = db.duringImport(() => new Promise<void>((r) => { release = r; }));
      await new Promise((r) => setTimeout(r, 20));
      await db.duringImport(async () => {});
      expect(await limit()).not.toBe('286.1 MiB');
      release();
      await first;
      expect(await limit()).toBe('286.1 MiB');
    } finally {
      await db.close();
    }
  });
});
