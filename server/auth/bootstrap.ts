/**
 * The first admin token, and where command-line tools find a token to hand work to a running
 * server: `CIVGRID_TOKEN`, else the admin token file beside the database.
 */
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { readEnv, type Env } from '../env.ts';
import { PRIVATE_DIR } from '../file-modes.ts';
import type { UserStore } from './users.ts';

/** `data/admin-token` for `data/civgrid.duckdb`, unless CIVGRID_ADMIN_TOKEN_FILE says otherwise. */
export function adminTokenPath(dbPath: string, configured?: string): string {
  return configured ? resolve(configured) : join(dirname(resolve(dbPath)), 'admin-token');
}

/** Writes a token file readable by its owner only (mode 0600), replacing it atomically. */
async function writeTokenFile(path: string, token: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: PRIVATE_DIR });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, `${token}\n`, { mode: 0o600 });
  // `mode` only applies to new files; chmod covers a leftover temp file with looser bits.
  await chmod(tmp, 0o600);
  await rename(tmp, path);
}

/**
 * When no active admin token exists (first start, or every admin token revoked or expired),
 * issues one, writes it to `path` and returns it (the caller prints it); otherwise null. Whoever
 * can start the server can open its database anyway, so this recovery path gives nothing away.
 * The file is written before the row, so a crash in between leaves no admin nobody can reach.
 */
export async function ensureFirstAdmin(users: UserStore, path: string): Promise<string | null> {
  if ((await users.list()).some((u) => u.role === 'admin' && u.active)) return null;
  const { token } = await users.add({ name: 'admin', role: 'admin', createdBy: 'first start' }, (t) => writeTokenFile(path, t));
  return token;
}

/** The token a CLI sends to a running server: CIVGRID_TOKEN, else the admin token file, else null. */
export function cliToken(dbPath: string, env: Pick<Env, 'CIVGRID_TOKEN' | 'CIVGRID_ADMIN_TOKEN_FILE'> = readEnv()): string | null {
  const fromEnv = env.CIVGRID_TOKEN?.trim();
  if (fromEnv) return fromEnv;
  const path = adminTokenPath(dbPath, env.CIVGRID_ADMIN_TOKEN_FILE);
  return existsSync(path) ? readFileSync(path, 'utf8').trim() || null : null;
}
