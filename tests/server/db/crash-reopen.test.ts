/**
 * A server killed right after its first start (SIGKILL: no final checkpoint) must reopen: DuckDB
 * replays the WAL, and an ALTER on a table with a function default cannot be replayed, so the
 * migrations are checkpointed as they are applied. When a WAL still cannot be replayed, opening
 * says which file and what to do instead of DuckDB's internal error.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Database, WalReplayError } from '../../../server/db/database.ts';
import { SCHEMA_VERSION } from '../../../server/db/migrations.ts';

const dir = mkdtempSync(join(tmpdir(), 'civgrid-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs tests/helpers/hold-db.ts on a fresh file until it has written, then kills it with SIGKILL. */
async function crashAfterWrites(name: string, mode: 'migrated' | 'unreplayable'): Promise<string> {
  const path = join(dir, `${name}.duckdb`);
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/helpers/hold-db.ts', path, mode], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((res) => child.once('exit', res));
  await new Promise<void>((res, rej) => {
    child.stdout!.on('data', (chunk) => String(chunk).includes('READY') && res());
    child.once('exit', (code) => rej(new Error(`hold-db exited with ${code} before writing`)));
  });
  child.kill('SIGKILL');
  await exited;
  return path;
}

describe('reopening after a SIGKILL', () => {
  it('replays the WAL left right after the first migrations and writes', async () => {
    const path = await crashAfterWrites('fresh', 'migrated');
    expect(existsSync(`${path}.wal`)).toBe(true);
    const db = await Database.open(path);
    try {
      expect((await db.one<{ v: number }>('SELECT max(version) AS v FROM schema_migrations'))?.v).toBe(SCHEMA_VERSION);
      expect(await db.all(`SELECT name FROM categories WHERE code = '99'`)).toEqual([{ name: '崩溃前写入' }]);
    } finally {
      await db.close();
    }
  }, 20_000);

  it('a WAL that cannot be replayed fails to open with the file named and the way out', async () => {
    const path = await crashAfterWrites('broken', 'unreplayable');
    const err = await Database.open(path).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(WalReplayError);
    const message = (err as Error).message;
    expect(message).toContain(`${path}.wal`);
    expect(message).toContain('npm run restore');
    expect(message).not.toContain('Stack Trace');
  }, 20_000);
});
