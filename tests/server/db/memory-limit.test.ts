import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Database } from '../../../server/db/database.ts';
import { migrate } from '../../../server/db/migrations.ts';
import { DEFAULT_DUCKDB_MEMORY_MB, DEFAULT_IMPORT_MEMORY_MB, readEnv } from '../../../server/env.ts';
import { runImport } from '../../../server/import/pipeline.ts';
import { FIXTURE_NOW } from '../../helpers/fixture-clock.ts';
import { importCity } from '../../helpers/db.ts';

/** A memory setting: its default, a value taken as given, and a tiny one refused by name. */
function expectBoundedSetting(name: 'CIVGRID_DUCKDB_MEMORY_MB' | 'CIVGRID_IMPORT_MEMORY_MB', fallback: number, values: { ok: number; tiny: number }): void {
  expect(readEnv({})[name]).toBe(fallback);
  expect(readEnv({ [name]: String(values.ok) })[name]).toBe(values.ok);
  expect(() => readEnv({ [name]: String(values.tiny) })).toThrow(new RegExp(name));
}

describe('DuckDB memory limit', () => {
  it('defaults to a bounded figure, is configurable, and refuses a tiny one', () => {
    expectBoundedSetting('CIVGRID_DUCKDB_MEMORY_MB', DEFAULT_DUCKDB_MEMORY_MB, { ok: 2048, tiny: 8 });
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

describe('without an import limit, an import lifts the serving cap while it runs', () => {
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

describe('an import runs under its own memory limit', () => {
  it('defaults to a bounded figure, is configurable, and refuses a tiny one', () => {
    expectBoundedSetting('CIVGRID_IMPORT_MEMORY_MB', DEFAULT_IMPORT_MEMORY_MB, { ok: 1024, tiny: 16 });
  });

  it('is what a bulk CSV import checks and merges under, and the serving cap returns after it, also after a rejected file', async () => {
    const db = await Database.open(':memory:', { memoryLimitMb: 300, importMemoryLimitMb: 200 });
    const limit = async () => (await db.one<{ v: string }>(`SELECT current_setting('memory_limit') AS v`))!.v;
    try {
      await migrate(db);
      await importCity(db, ['categories', 'regions', 'grids']);
      const dir = mkdtempSync(join(tmpdir(), 'civgrid-import-memory-'));
      try {
        const seen: Promise<string>[] = [];
        const onProgress = () => void seen.push(limit());
        const row = (id: string, category: string) => `${id},${category},2026-11-02T09:00:00+08:00,102.72,24.97`;
        for (const [name, category, ok] of [['good.csv', '0101', true], ['bad.csv', '9999', false]] as const) {
          const path = join(dir, name);
          writeFileSync(path, ['id,category,reported_at,lon,lat', row(`${name}-1`, '0101'), row(`${name}-2`, category)].join('\n'));
          seen.length = 0;
          const report = await runImport(db, { kind: 'issues', path, now: () => FIXTURE_NOW, onProgress });
          expect(report.ok).toBe(ok);
          expect(new Set(await Promise.all(seen))).toEqual(new Set(['190.7 MiB']));
          expect(await limit()).toBe('286.1 MiB');
        }
        await expect(db.duringImport(async () => { throw new Error('bad file'); })).rejects.toThrow('bad file');
        expect(await limit()).toBe('286.1 MiB');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    } finally {
      await db.close();
    }
  });
});
