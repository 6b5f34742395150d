/**
 * Shared by the crash tests: a prepared database (fixture city plus many issues) copied per
 * trial, timing of the operation on one copy, SIGKILL at a fraction of that time on another,
 * and the checks that follow a restart.
 */
import { copyFile, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database } from '../../server/db/database.ts';
import { fingerprint } from '../helpers/db.ts';
import { FIXTURE_CITY, runImport, startServerProcess, type ImportSpec, type ServerProcess } from '../helpers/server-process.ts';


/** Writes `n` valid issues spread over the fixture city's grids as NDJSON, ids `${prefix}000001`…. */
export async function writeIssues(path: string, n: number, prefix: string): Promise<void> {
  const lines: string[] = [];
  const cats = ['0101', '0102', '0201', '0202'];
  for (let i = 1; i <= n; i++) {
    // Low-discrepancy scatter inside 102.70–102.80°E, 24.90–25.00°N, away from the edges.
    const lon = 102.7005 + ((i * 0.6180339887) % 1) * 0.099;
    const lat = 24.9005 + ((i * 0.7548776662) % 1) * 0.099;
    const day = 1 + (i % 28);
    lines.push(JSON.stringify({
      type: 'Feature',
      properties: { id: `${prefix}${String(i).padStart(6, '0')}`, category: cats[i % 4], source: 'patrol', status: 'reported', reported_at: `2026-10-${String(day).padStart(2, '0')}T09:00:00+08:00` },
      geometry: { type: 'Point', coordinates: [Number(lon.toFixed(6)), Number(lat.toFixed(6))] },
    }));
  }
  await writeFile(path, `${lines.join('\n')}\n`);
}

/**
 * A database holding the fixture city (imported by the CLI) and an admin token file beside it
 * (written by one start of the server), in a new temp dir. `extra` files are imported last.
 */
export async function prepareCity(extra: ImportSpec[] = []): Promise<{ dir: string; dbPath: string; tokenFile: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'civgrid-crash-base-'));
  const dbPath = join(dir, 'civgrid.duckdb');
  try {
    for (const spec of [...FIXTURE_CITY, ...extra]) await runImport(dbPath, spec, { CIVGRID_DEMO: '0' });
    const server = await startServerProcess({ dbPath });
    await server.stop();
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  return { dir, dbPath, tokenFile: join(dir, 'admin-token') };
}

/**
 * A server on a fresh copy of the prepared database (and its admin token); the copy's directory
 * is added to `cleanups` for the test file's afterAll.
 */
export async function trial(base: { dbPath: string; tokenFile: string }, cleanups: string[]): Promise<{ server: ServerProcess; dbPath: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'civgrid-crash-'));
  cleanups.push(dir);
  const dbPath = join(dir, 'civgrid.duckdb');
  await copyFile(base.dbPath, dbPath);
  await copyFile(base.tokenFile, join(dir, 'admin-token'));
  return { server: await startServerProcess({ dbPath }), dbPath };
}

/**
 * `measure` run once, on first call, however many tests ask and in whatever order or subset they
 * run: each kill test times its kill from the undisturbed run, whichever test needed it first.
 */
export function once<T>(measure: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | undefined;
  return () => (result ??= measure());
}

/** Sends a request and resolves with how long it took and its status. */
export async function timed(url: string, init: RequestInit): Promise<{ ms: number; status: number }> {
  const t0 = performance.now();
  const res = await fetch(url, init);
  await res.arrayBuffer();
  return { ms: performance.now() - t0, status: res.status };
}

/**
 * Starts the request, SIGKILLs the server `afterMs` later, and returns whether an answer got out
 * first (then the operation certainly committed).
 */
export async function killDuring(server: ServerProcess, url: string, init: RequestInit, afterMs: number): Promise<{ answered: number | null }> {
  let answered: number | null = null;
  const request = fetch(url, init).then(async (r) => {
    await r.arrayBuffer();
    answered = r.status;
  }, () => undefined);
  await new Promise((r) => setTimeout(r, afterMs));
  server.kill('SIGKILL');
  await server.exited;
  await request;
  return { answered };
}

/** Size of the database file plus its WAL: it grows when a transaction starts writing rows. */
export async function dbBytes(dbPath: string): Promise<number> {
  const size = async (p: string) => (await stat(p).catch(() => null))?.size ?? 0;
  return (await size(dbPath)) + (await size(`${dbPath}.wal`));
}

/**
 * Starts the request and SIGKILLs the server `afterMs` after the database file (or its WAL)
 * starts to grow — the moment the operation's transaction is writing rows, which timing alone
 * rarely hits. Rejects if nothing was written within `timeoutMs`.
 */
export async function killWhenWriting(server: ServerProcess, dbPath: string, url: string, init: RequestInit, afterMs: number, timeoutMs = 120_000): Promise<{ answered: number | null }> {
  const baseline = await dbBytes(dbPath);
  let answered: number | null = null;
  const request = fetch(url, init).then(async (r) => {
    await r.arrayBuffer();
    answered = r.status;
  }, () => undefined);
  const deadline = Date.now() + timeoutMs;
  while ((await dbBytes(dbPath)) === baseline && answered === null) {
    if (Date.now() > deadline) throw new Error('the operation wrote nothing to the database file');
    await new Promise((r) => setTimeout(r, 2));
  }
  await new Promise((r) => setTimeout(r, afterMs));
  server.kill('SIGKILL');
  await server.exited;
  await request;
  return { answered };
}

/**
 * Opens the database the way a restarted server would (replaying its WAL) and reads every row of
 * every table: a corrupt file fails here. Returns per-table row counts.
 */
export async function readEverything(dbPath: string): Promise<Record<string, number>> {
  const db = await Database.open(dbPath);
  try {
    const fp = await fingerprint(db);
    return Object.fromEntries(Object.entries(fp).map(([t, v]) => [t, v.rows]));
  } finally {
    await db.close();
  }
}
