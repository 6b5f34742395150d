/**
 * Data and secrets on disk are private — files 0600, folders 0700 — after a real server starts
 * (loose files of an earlier version included), after it writes (DuckDB's WAL), after a backup
 * over the API and after a restore with the CLI.
 */
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_CITY, ROOT, runImport, startServerProcess, type ServerProcess } from '../../helpers/server-process.ts';

const run = promisify(execFile);

let dir: string;
let data: string;
let db: string;
let server: ServerProcess | undefined;

/** The permission bits of `path`, as octal text. */
const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);

/** Every file and folder under `path`, with its mode. */
function modesUnder(path: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(path, { recursive: true, encoding: 'utf8' })) out[entry] = mode(join(path, entry));
  return out;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'civgrid-modes-'));
  data = join(dir, 'data');
  mkdirSync(data);
  // What an earlier version left: an open folder, a readable database and backup.
  chmodSync(data, 0o755);
  db = join(data, 'civgrid.duckdb');
  for (const spec of FIXTURE_CITY) await runImport(db, spec);
  chmodSync(db, 0o644);
  mkdirSync(join(data, 'backups', 'old'), { recursive: true, mode: 0o755 });
  writeFileSync(join(data, 'backups', 'old', 'issues.parquet'), 'x', { mode: 0o644 });
  server = await startServerProcess({ dbPath: db });
}, 180_000);
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const post = (path: string, body: unknown) => fetch(`${server!.url}${path}`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: `Bearer ${server!.adminToken}` },
  body: JSON.stringify(body),
});

describe('file modes', () => {
  it('after start: the data folder 0700, the database, token and server file 0600, old backups closed', () => {
    expect(mode(data)).toBe('700');
    expect(mode(db)).toBe('600');
    expect(mode(join(data, 'admin-token'))).toBe('600');
    expect(mode(`${db}.server.json`)).toBe('600');
    expect(mode(join(data, 'backups'))).toBe('700');
    expect(modesUnder(join(data, 'backups'))).toEqual({ old: '700', 'old/issues.parquet': '600' });
  });

  it('the WAL DuckDB writes after a change is 0600', async () => {
    const res = await post('/api/issues', { clientId: 'modes-1', category: '0101', lon: 102.72, lat: 24.97 });
    expect(res.status).toBe(201);
    expect(mode(`${db}.wal`)).toBe('600');
  });

  it('a backup over the API: 0700 folder, every file 0600', async () => {
    const res = await post('/api/backups', { name: 'b1' });
    expect(res.status, await res.clone().text()).toBe(201);
    const modes = modesUnder(join(data, 'backups', 'b1'));
    expect(Object.keys(modes)).toContain('manifest.json');
    expect(Object.keys(modes).length).toBeGreaterThan(5);
    expect(new Set(Object.values(modes))).toEqual(new Set(['600']));
    expect(mode(join(data, 'backups', 'b1'))).toBe('700');
  });

  it('a restore writes a 0600 database into a 0700 folder', async () => {
    const target = join(dir, 'restored', 'civgrid.duckdb');
    await run(process.execPath, ['--import', 'tsx', 'scripts/restore.ts', join(data, 'backups', 'b1'), '--db', target], { cwd: ROOT, env: { ...process.env, CIVGRID_DEMO: '0' } });
    expect(mode(target)).toBe('600');
    expect(mode(join(dir, 'restored'))).toBe('700');
  });
});
