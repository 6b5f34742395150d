import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runImport, startServerProcess, type ServerProcess } from '../../helpers/server-process.ts';

const run = promisify(execFile);

/** Runs one of the CLI scripts like `npm run <name> --` does; resolves with exit code and output. */
async function cli(script: string, args: string[], env: Record<string, string>) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', `scripts/${script}.ts`, ...args], { cwd: ROOT, env: { ...process.env, ...env } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

let dir: string;
let db: string;
const env = () => ({ CIVGRID_DB: db, CIVGRID_DEMO: '0', CIVGRID_TOKEN: '' });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'civgrid-ops-'));
  db = join(dir, 'city.duckdb');
  await runImport(db, { file: 'tests/fixtures/city/categories.json', kind: 'categories' });
  await runImport(db, { file: 'tests/fixtures/city/regions.geojson', kind: 'regions' });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run user, backup, restore on a stopped server', () => {
  let token: string;

  it('add prints the token once on stdout, the rest on stderr', async () => {
    const r = await cli('user', ['add', '--name', '张三', '--role', 'planner', '--expires', '90d'], env());
    expect(r.code, r.stderr).toBe(0);
    token = r.stdout.trim();
    expect(token).toMatch(/^cg_[\w-]{43}$/);
    expect(r.stderr).toMatch(/token 1 for 张三 \(planner\), expires \d{4}-\d{2}-\d{2}/);
  });

  it('list shows tokens by prefix only', async () => {
    const r = await cli('user', ['list'], env());
    expect(r.stdout).toMatch(/1\t张三\tplanner\tcg_\S{8}…\tactive/);
    expect(r.stdout).not.toContain(token);
  });

  it('refuses a bad role or expiry with a usage message', async () => {
    expect((await cli('user', ['add', '--name', 'x', '--role', 'root'], env())).code).toBe(2);
    expect((await cli('user', ['add', '--name', 'x', '--role', 'viewer', '--expires', 'yesterday'], env())).stderr).toMatch(/neither a duration/);
  });

  it('revoke by id', async () => {
    const r = await cli('user', ['revoke', '1'], env());
    expect(r.stdout).toMatch(/revoked token 1 \(张三, planner/);
    expect((await cli('user', ['list'], env())).stdout).toMatch(/\trevoked /);
    expect((await cli('user', ['revoke', '1'], env())).code).toBe(1);
  });

  it('backup then restore into a new file', async () => {
    const b = await cli('backup', [join(dir, 'bk')], env());
    expect(b.code, b.stderr).toBe(0);
    expect(b.stdout).toMatch(/backed up \d+ tables/);
    const r = await cli('restore', [join(dir, 'bk'), '--db', join(dir, 'copy.duckdb')], env());
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(dir, 'copy.duckdb'))).toBe(true);
    expect((await cli('restore', [join(dir, 'bk'), '--db', join(dir, 'copy.duckdb')], env())).stderr).toMatch(/exists/);
  });
});

describe('while a server holds the database', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServerProcess({ dbPath: db });
  });
  afterAll(async () => server?.stop());

  it('the first start created an admin token file readable by its owner only, and printed it', async () => {
    // Tokens exist already (张三, revoked), but no active admin: the server makes one.
    const file = join(dir, 'admin-token');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(server.output()).toMatch(/created an admin token, saved to .*admin-token:\n\s+cg_/);
  });

  it('user add and list go through the server with the admin token', async () => {
    const add = await cli('user', ['add', '--name', '李四', '--role', 'operator'], env());
    expect(add.code, add.stderr).toBe(0);
    const token = add.stdout.trim();
    const me = await fetch(`${server.url}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(await me.json()).toMatchObject({ name: '李四', role: 'operator' });
    expect((await cli('user', ['list'], env())).stdout).toMatch(/李四\toperator/);
    const revoke = await cli('user', ['revoke', '--name', '李四'], env());
    expect(revoke.stdout).toMatch(/revoked token \d+ \(李四/);
    expect((await fetch(`${server.url}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
  });

  it('backup goes through the server, under its backup root only', async () => {
    const ok = await cli('backup', [join(dir, 'backups', 'live')], env());
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/the server backed up/);
    expect(existsSync(join(dir, 'backups', 'live', 'manifest.json'))).toBe(true);
    const elsewhere = await cli('backup', [join(dir, 'elsewhere')], env());
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.stderr).toMatch(/writes backups only directly under/);
  });

  it('a wrong CIVGRID_TOKEN is refused', async () => {
    const r = await cli('user', ['list'], { ...env(), CIVGRID_TOKEN: `cg_${'x'.repeat(43)}` });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/refused: the token is not valid/);
  });
});
