/**
 * A throwaway PostgreSQL + PostGIS for the comparison: Debian's packages (installed if missing),
 * a fresh cluster in a temp dir, listening on 127.0.0.1 on a free port only, removed afterwards.
 * Runs as the `postgres` user when we are root (initdb refuses root).
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { appendFile, chmod, chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { installPostgis } from './postgis-install.ts';

const exec = promisify(execFile);

/** A running cluster. */
export interface Postgres {
  port: number;
  dataDir: string;
  version: string;
  /** Settings we changed from the defaults, for the report. */
  settings: Record<string, string>;
  /** Runs a psql script (stdin) against the bench database; returns stdout. */
  psql(script: string, opts?: { db?: string; timeoutMs?: number }): Promise<string>;
  stop(): Promise<void>;
}

/** PostgreSQL major versions with PostGIS installed, newest first. */
function postgisVersions(): string[] {
  const base = '/usr/share/postgresql';
  if (!existsSync(base)) return [];
  return readdirSync(base)
    .filter((v) => /^\d+$/.test(v) && existsSync(join(base, v, 'extension', 'postgis.control')) && existsSync(`/usr/lib/postgresql/${v}/bin/postgres`))
    .sort((a, b) => Number(b) - Number(a));
}

/**
 * Installs Debian's PostgreSQL and the PostGIS extension package for its major version when no
 * PostGIS-enabled server is present (see postgis-install.ts); resolves to the major version to run.
 */
export async function ensurePostgis(log: (line: string) => void): Promise<string> {
  let versions = postgisVersions();
  if (versions.length) return versions[0];
  try {
    await installPostgis(log);
  } catch (err) {
    throw new Error(`could not install PostgreSQL/PostGIS (run as root with apt sources available): ${(err as Error).message}`);
  }
  versions = postgisVersions();
  if (!versions.length) throw new Error('PostGIS is still missing after apt-get install');
  return versions[0];
}

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => res(port));
    });
  });
}

/** Memory-related settings sized to the machine; durability off because the cluster is disposable. */
function tunedSettings(): Record<string, string> {
  const gb = totalmem() / 1024 ** 3;
  const mb = (n: number) => `${Math.round(n)}MB`;
  return {
    shared_buffers: mb(Math.min(4096, (gb * 1024) / 4)),
    effective_cache_size: mb((gb * 1024) / 2),
    work_mem: '256MB',
    maintenance_work_mem: '1GB',
    max_parallel_workers_per_gather: '2',
    random_page_cost: '1.1',
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    wal_level: 'minimal',
    max_wal_senders: '0',
    max_wal_size: '8GB',
  };
}

/** Starts a fresh cluster. Always `stop()` it (it deletes the data directory). */
export async function startPostgres(version: string, log: (line: string) => void): Promise<Postgres> {
  const bin = `/usr/lib/postgresql/${version}/bin`;
  const asRoot = process.getuid?.() === 0;
  const dataDir = await mkdtemp(join(tmpdir(), 'civgrid-pg-'));
  const as = (cmd: string, args: string[]): [string, string[]] => (asRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args]);
  const run = async (cmd: string, args: string[]) => {
    const [c, a] = as(cmd, args);
    return exec(c, a, { maxBuffer: 64 * 1024 * 1024 });
  };
  const port = await freePort();
  const settings = tunedSettings();
  let started = false;
  const stop = async () => {
    if (started) await run(`${bin}/pg_ctl`, ['-D', dataDir, '-m', 'fast', '-w', 'stop']).catch(() => undefined);
    started = false;
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    if (asRoot) {
      const uid = Number((await exec('id', ['-u', 'postgres'])).stdout.trim());
      const gid = Number((await exec('id', ['-g', 'postgres'])).stdout.trim());
      await chown(dataDir, uid, gid);
      await chmod(dataDir, 0o700);
    }
    await run(`${bin}/initdb`, ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C']);
    const conf = Object.entries({ ...settings, listen_addresses: "'127.0.0.1'", port: String(port), unix_socket_directories: `'${dataDir}'` })
      .map(([k, v]) => `${k} = ${/^[\d.]+[A-Za-z]*$|^(on|off|minimal)$/.test(v) || v.startsWith("'") ? v : `'${v}'`}`)
      .join('\n');
    await appendFile(join(dataDir, 'postgresql.conf'), `\n# civgrid bench\n${conf}\n`);
    await run(`${bin}/pg_ctl`, ['-D', dataDir, '-l', join(dataDir, 'server.log'), '-w', '-t', '120', 'start']);
    started = true;
    log(`postgis: PostgreSQL ${version} on 127.0.0.1:${port}, data in ${dataDir}`);
    const psql = (script: string, opts: { db?: string; timeoutMs?: number } = {}) =>
      runPsql(['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', opts.db ?? 'bench'], script, opts.timeoutMs);
    await psql('CREATE DATABASE bench;', { db: 'postgres' });
    await psql('CREATE EXTENSION postgis;');
    const full = (await psql('\\pset tuples_only on\nSELECT version();')).trim();
    return { port, dataDir, version: full, settings, psql, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Runs psql with the script on stdin; rejects with its stderr when it fails. */
function runPsql(args: string[], script: string, timeoutMs = 24 * 3_600_000): Promise<string> {
  return new Promise((res, rej) => {
    const child = spawn('psql', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString('utf8')));
    child.stderr.on('data', (b: Buffer) => (err += b.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', rej);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) res(out);
      else rej(new Error(`psql exited with ${code}: ${err.slice(-2000)}`));
    });
    child.stdin.end(script);
  });
}

/** The `Time: 12.345 ms` lines psql's \timing prints, in order, as ms. */
export function parsePsqlTimings(output: string): number[] {
  const out: number[] = [];
  for (const m of output.matchAll(/^Time: ([\d.]+) ms/gm)) out.push(Number(m[1]));
  return out;
}
