/**
 * Closing the database while a read is still running (a request, the KPI engine loading) must still
 * leave every committed write in the database file itself, not only in the WAL: the crash tests copy
 * the file alone. (Once, in a full test run, a plan created just before a server stopped mid engine
 * load was missing from such a copy; closing now waits for reads in flight and stops the engine first.)
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Database } from '../../../server/db/database.ts';
import { KpiEngine } from '../../../server/kpi/fast/engine.ts';
import { importCity } from '../../helpers/db.ts';
import { migrate } from '../../../server/db/migrations.ts';

const dir = mkdtempSync(join(tmpdir(), 'civgrid-close-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Database.close', () => {
  it('waits for a read in flight, then checkpoints: no WAL is left', async () => {
    const path = join(dir, 'a.duckdb');
    const db = await Database.open(path);
    await migrate(db);
    await db.run(`CREATE TABLE t (x INTEGER)`);
    await db.run(`INSERT INTO t VALUES (1)`);
    const reading = db.snapshot(async (conn) => {
      await conn.run('SELECT 1');
      await new Promise((r) => setTimeout(r, 300));
    });
    await db.close();
    await reading;
    expect(existsSync(`${path}.wal`)).toBe(false);
  });

  it('after the KPI engine is closed mid-load, checkpoints too', async () => {
    const path = join(dir, 'b.duckdb');
    const db = await Database.open(path);
    await migrate(db);
    await importCity(db);
    await db.run(`CREATE TABLE marker (x INTEGER)`);
    const engine = new KpiEngine(db, () => undefined);
    engine.start();
    await engine.close();
    await db.close();
    expect(existsSync(`${path}.wal`)).toBe(false);
    expect(engine.state.state).not.toBe('ready');
  });
});
