import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminTokenPath, cliToken, ensureFirstAdmin } from '../../../server/auth/bootstrap.ts';
import { parseExpiry } from '../../../server/auth/expiry.ts';
import { UserStore } from '../../../server/auth/users.ts';
import { freshDb } from '../../helpers/db.ts';

const NOW = new Date('2026-11-25T04:00:00Z');

describe('parseExpiry', () => {
  it('reads durations and dates (no offset = Asia/Shanghai)', () => {
    expect(parseExpiry('90d', NOW)).toEqual(new Date(NOW.getTime() + 90 * 86_400_000));
    expect(parseExpiry('12h', NOW)).toEqual(new Date(NOW.getTime() + 12 * 3_600_000));
    expect(parseExpiry('2w', NOW)).toEqual(new Date(NOW.getTime() + 14 * 86_400_000));
    expect(parseExpiry('2027-01-01', NOW).toISOString()).toBe('2026-12-31T16:00:00.000Z');
    expect(parseExpiry('2027-01-01T08:00', NOW).toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(parseExpiry('2027-01-01T08:00:00Z', NOW).toISOString()).toBe('2027-01-01T08:00:00.000Z');
  });

  it('refuses nonsense, zero and the past', () => {
    for (const bad of ['soon', '0d', '90', 'd90', '2026-02-30', '2020-01-01', '-5d']) expect(() => parseExpiry(bad, NOW), bad).toThrow();
  });
});

describe('the first admin token', () => {
  let dir: string;
  let store: UserStore;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    const db = await freshDb();
    cleanup = db.cleanup;
    dir = db.dir;
    store = new UserStore(db.db, () => NOW);
  });
  afterAll(async () => cleanup());

  it('lives beside the database unless configured', () => {
    expect(adminTokenPath('/srv/civgrid/data/civgrid.duckdb')).toBe('/srv/civgrid/data/admin-token');
    expect(adminTokenPath('/srv/x.duckdb', '/etc/civgrid/token')).toBe('/etc/civgrid/token');
  });

  it('is created on a database without an active admin, written with mode 0600, and works', async () => {
    const path = join(dir, 'admin-token');
    writeFileSync(path, 'stale\n', { mode: 0o644 });
    const token = await ensureFirstAdmin(store, path);
    expect(token).toMatch(/^cg_/);
    expect(readFileSync(path, 'utf8')).toBe(`${token}\n`);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(await store.verify(token!)).toMatchObject({ ok: true, principal: { name: 'admin', role: 'admin' } });
  });

  it('is not created again while an admin token is active, but is after every admin was revoked', async () => {
    const path = join(dir, 'admin-token');
    expect(await ensureFirstAdmin(store, path)).toBeNull();
    await store.revoke({ name: 'admin' }, 'test');
    const again = await ensureFirstAdmin(store, path);
    expect(again).toMatch(/^cg_/);
    expect(readFileSync(path, 'utf8').trim()).toBe(again);
  });
});

describe('cliToken', () => {
  const dir = mkdtempSync(join(tmpdir(), 'civgrid-cli-token-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prefers CIVGRID_TOKEN, then the admin token file, else null', () => {
    const db = join(dir, 'c.duckdb');
    expect(cliToken(db, {})).toBeNull();
    writeFileSync(join(dir, 'admin-token'), 'cg_fromfile\n');
    expect(cliToken(db, {})).toBe('cg_fromfile');
    expect(cliToken(db, { CIVGRID_TOKEN: ' cg_fromenv ' })).toBe('cg_fromenv');
  });
});
