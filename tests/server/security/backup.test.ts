import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../server/app.ts';
import { UserStore } from '../../../server/auth/users.ts';
import { backupDatabase } from '../../../server/backup/backup.ts';
import { readManifest, restoreDatabase } from '../../../server/backup/restore.ts';
import { Database } from '../../../server/db/database.ts';
import { migrate, SCHEMA_VERSION } from '../../../server/db/migrations.ts';
import { cityApp, testSecurity, type TestApp } from '../../helpers/app.ts';
import { fingerprint, importCity } from '../../helpers/db.ts';

let t: TestApp;
let dir: string;
let restored: Database;
let copy: ReturnType<typeof createApp>;

const json = (body: unknown, method = 'POST'): RequestInit => ({ method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

beforeAll(async () => {
  t = await cityApp();
  dir = mkdtempSync(join(tmpdir(), 'civgrid-backup-'));
  // Some of everything: users, audit entries, an ingest with events, a published plan with history.
  await t.tokenFor('planner', '王规划');
  expect((await t.app.request('/api/issues', json({ clientId: 'b-1', category: '0101', lon: 102.72, lat: 24.97, description: '备份测试' }))).status).toBe(201);
  expect((await t.app.request('/api/issues/API20261125000001/events', json({ type: 'opened', actor: '甲' }))).status).toBe(200);
  const plan = ((await (await t.app.request('/api/plans', json({ name: '备份方案' }))).json()) as { id: number }).id;
  const split = { grid: '530111002001001', line: { type: 'LineString', coordinates: [[102.76, 24.89], [102.76, 24.96]] } };
  expect((await t.app.request(`/api/plans/${plan}/split`, json(split))).status).toBe(200);
  expect((await t.app.request(`/api/plans/${plan}/publish`, json({}))).status).toBe(200);
  const discarded = ((await (await t.app.request('/api/plans', json({ name: '丢弃的草稿' }))).json()) as { id: number }).id;
  expect((await t.app.request(`/api/plans/${discarded}`, { method: 'DELETE' })).status).toBe(200);

  await backupDatabase(t.db, join(dir, 'b1'));
  await restoreDatabase(join(dir, 'b1'), join(dir, 'restored.duckdb'));
  restored = await Database.open(join(dir, 'restored.duckdb'));
  copy = createApp({ ...t.deps, db: restored, security: testSecurity(new UserStore(restored, t.deps.now)) });
});
afterAll(async () => {
  await restored?.close();
  await t.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe('backup and restore', () => {
  it('writes one Parquet file per table and a manifest with counts, checksums and the schema version', async () => {
    const m = await readManifest(join(dir, 'b1'));
    expect(m.schemaVersion).toBe(SCHEMA_VERSION);
    const tables = Object.fromEntries(m.tables.map((x) => [x.name, x]));
    for (const name of ['issues', 'grids', 'plan_changes', 'issue_grid_history', 'users', 'audit_log', 'schema_migrations']) {
      expect(tables[name], name).toBeDefined();
      expect(existsSync(join(dir, 'b1', tables[name]!.file))).toBe(true);
    }
    expect(tables.issues!.rows).toBe(9);
    expect(tables.issue_grid_history!.rows).toBeGreaterThan(0);
    expect(m.sequences.find((s) => s.name === 'grid_plan_ids')!.lastValue).toBe(3);
  });

  it('restores every table with the same contents', async () => {
    expect(await fingerprint(restored)).toEqual(await fingerprint(t.db));
  });

  const PATHS = [
    '/api/health', '/api/meta', '/api/regions?level=street', '/api/regions?level=community', '/api/grids', '/api/sites',
    '/api/stats/summary', '/api/stats/summary?scope=street:530111001&from=2026-11-01&to=2026-11-25',
    '/api/stats/ranking?level=community', '/api/stats/ranking?level=grid', '/api/stats/timeseries?from=2026-09-01&to=2026-11-25&interval=week',
    '/api/stats/breakdown?by=category', '/api/heat?zoom=12&bbox=102.6,24.8,102.9,25.1', '/api/issues', '/api/issues/API20261125000001',
    '/api/export/issues.csv', '/api/plans', '/api/plans/2', '/api/plans/2/changes', '/api/audit', '/api/users',
  ];
  for (const path of PATHS) {
    it(`answers ${path} byte for byte as the original`, async () => {
      const [a, b] = [await t.app.request(path), await copy.request(path)];
      expect(b.status).toBe(a.status);
      expect(a.status).toBe(200);
      expect(Buffer.from(await b.arrayBuffer()).equals(Buffer.from(await a.arrayBuffer()))).toBe(true);
    });
  }

  it('continues ids where the original left off (a discarded draft’s id is not reused)', async () => {
    const [a, b] = [await t.app.request('/api/plans', json({ name: 'next' })), await copy.request('/api/plans', json({ name: 'next' }))];
    expect(((await b.json()) as { id: number }).id).toBe(((await a.json()) as { id: number }).id);
  });

  it('refuses a damaged file and leaves no database behind', async () => {
    const damaged = join(dir, 'damaged');
    await backupDatabase(t.db, damaged);
    const file = join(damaged, 'issues.parquet');
    const bytes = readFileSync(file);
    bytes[bytes.length >> 1] ^= 0xff;
    writeFileSync(file, bytes);
    await expect(restoreDatabase(damaged, join(dir, 'never.duckdb'))).rejects.toThrow(/issues\.parquet is damaged/);
    expect(existsSync(join(dir, 'never.duckdb'))).toBe(false);
    expect(existsSync(join(dir, 'never.duckdb.restoring'))).toBe(false);
  });

  it('never overwrites: an existing target database or backup directory is refused', async () => {
    await expect(restoreDatabase(join(dir, 'b1'), join(dir, 'restored.duckdb'))).rejects.toThrow(/exists/);
    await expect(backupDatabase(t.db, join(dir, 'b1'))).rejects.toThrow(/already holds a backup/);
    await expect(restoreDatabase(join(dir, 'nothing-here'), join(dir, 'x.duckdb'))).rejects.toThrow(/manifest\.json is missing/);
  });

  it('restores a backup of an older schema and migrates it forward', async () => {
    const old = await Database.open(join(dir, 'v2.duckdb'));
    await migrate(old, 2);
    // Regions only: today's grid, category, site and issue imports write columns a v2 schema does not have yet.
    await importCity(old, ['regions']);
    await backupDatabase(old, join(dir, 'b-v2'));
    const before = await fingerprint(old);
    await old.close();
    expect((await readManifest(join(dir, 'b-v2'))).schemaVersion).toBe(2);
    await restoreDatabase(join(dir, 'b-v2'), join(dir, 'v2-restored.duckdb'));
    const db = await Database.open(join(dir, 'v2-restored.duckdb'));
    try {
      const after = await fingerprint(db);
      for (const table of Object.keys(before).filter((n) => n !== 'schema_migrations')) expect(after[table], table).toEqual(before[table]);
      expect(after.users).toEqual({ rows: 0, checksum: '0' });
      expect((await db.one<{ v: number }>('SELECT max(version) AS v FROM schema_migrations'))!.v).toBe(SCHEMA_VERSION);
    } finally {
      await db.close();
    }
  });

  it('POST /api/backups writes under the backup root only', async () => {
    const app = createApp({ ...t.deps, backupDir: join(dir, 'root') });
    const res = await app.request('/api/backups', json({ name: 'nightly' }));
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ dir: join(dir, 'root', 'nightly'), schemaVersion: SCHEMA_VERSION });
    expect(existsSync(join(dir, 'root', 'nightly', 'manifest.json'))).toBe(true);
    expect((await app.request('/api/backups', json({ name: 'nightly' }))).status).toBe(409);
  });
});
