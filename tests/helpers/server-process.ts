/**
 * Runs the real server as a child process for e2e tests: a fresh DuckDB file in a temp dir,
 * fixture files loaded through the import CLI, then `server/index.ts` on a free port serving the
 * built web app. Both run as `node --import tsx …` (what `npx tsx` does, minus the wrapper
 * process) so signals reach the server itself.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FIXTURE_NOW } from './fixture-clock.ts';

/** Repository root (this file is tests/helpers/server-process.ts). */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const WEB_DIR = join(ROOT, 'web');
const WEB_INDEX = join(ROOT, 'dist', 'web', 'index.html');
const BUILD_LOCK = join(ROOT, 'dist', '.web-build.lock');
const LISTENING = /civgrid listening on (https?:\/\/\S+)/;
const OUTPUT_LIMIT = 200_000;

/** What `scripts/import.ts --kind` accepts. */
export type ImportKind = 'regions' | 'grids' | 'sites' | 'issues' | 'categories';

/** One file to import before the server starts; relative paths are from the repository root. */
export interface ImportSpec {
  file: string;
  kind: ImportKind;
}

/** The hand-made fixture city (tests/fixtures/city), in import order. */
/** The scoring of the fixture city: the project's weights, and a ranking for any unit with something due (`minDue` 1). */
export const FIXTURE_SCORING = resolve(ROOT, 'tests/fixtures/city/scoring.json');

export const FIXTURE_CITY: ImportSpec[] = (['categories', 'regions', 'grids', 'sites', 'issues'] as const).map((kind) => ({
  file: `tests/fixtures/city/${kind}.${kind === 'categories' ? 'json' : 'geojson'}`,
  kind,
}));

/** Options for `startServerProcess`. */
export interface ServerProcessOptions {
  /** DuckDB file to use; default a new file in a temp dir that `stop()` deletes. */
  dbPath?: string;
  /** Extra environment for both the import CLI and the server. */
  env?: Record<string, string>;
  /** Let the server generate the demo city on an empty DB. Default false: tests stay small and fast. */
  demo?: boolean;
  /** Files to import, in order, before the server starts. */
  imports?: ImportSpec[];
  /** How long to wait for the `listening on` line; default 60 s. */
  startTimeoutMs?: number;
  /**
   * Where the server's clock starts (`CIVGRID_TEST_NOW`; it runs on from there). Default
   * {@link FIXTURE_NOW}, the instant browser pages get too, so answers do not depend on the day
   * tests run; `null` leaves the server on the system time.
   */
  now?: Date | null;
}

/** How a child process ended. */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A running server. */
export interface ServerProcess {
  /** Base URL without trailing slash, e.g. `http://127.0.0.1:41234`. */
  url: string;
  dbPath: string;
  /**
   * The admin token the server keeps beside the database (`admin-token`, written on first start):
   * send it as `Authorization: Bearer …` for writes. Reads on loopback need no token.
   */
  adminToken: string;
  /** SIGTERM, wait for exit (SIGKILL after 10 s), then delete the temp dir if we made one. */
  stop(): Promise<ProcessExit>;
  /** Sends a signal and returns at once (for crash and shutdown tests). */
  kill(signal?: NodeJS.Signals): void;
  /** Resolves when the process has exited, however that happened (the current process after a restart). */
  readonly exited: Promise<ProcessExit>;
  /** Everything the server printed so far (stdout and stderr interleaved; the current process after a restart). */
  output(): string;
  /**
   * Stops the server (SIGTERM, as `stop()`), runs `whileDown` (e.g. to watch a page notice), then
   * starts it again on the same database and port, so open pages can reconnect. The temp dir is kept.
   */
  restart(whileDown?: () => Promise<void>): Promise<void>;
}

const running = new Set<ChildProcess>();
// A test run that dies mid-way must not leave servers holding ports and DB files.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

function tsxArgs(script: string, args: string[] = []): string[] {
  return ['--import', 'tsx', join(ROOT, script), ...args];
}

function collect(child: ChildProcess): () => string {
  let out = '';
  const append = (chunk: Buffer) => {
    out += chunk.toString('utf8');
    if (out.length > OUTPUT_LIMIT) out = out.slice(-OUTPUT_LIMIT);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  return () => out;
}

function exitOf(child: ChildProcess): Promise<ProcessExit> {
  return new Promise((res) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      res({ code: child.exitCode, signal: child.signalCode });
      return;
    }
    child.once('exit', (code, signal) => res({ code, signal }));
  });
}

async function newestMtime(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const mtime = entry.isDirectory() ? await newestMtime(path) : (await stat(path)).mtimeMs;
    if (mtime > newest) newest = mtime;
  }
  return newest;
}

async function webBuildIsFresh(): Promise<boolean> {
  const built = await stat(WEB_INDEX).catch(() => null);
  if (!built) return false;
  const sources = Math.max(await newestMtime(WEB_DIR), (await stat(join(ROOT, 'vite.config.ts'))).mtimeMs);
  return built.mtimeMs >= sources;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<void> {
  return new Promise((res, rej) => {
    const child = spawn(cmd, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    const output = collect(child);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', rej);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      if (code === 0) res();
      else rej(new Error(`${cmd} ${args.join(' ')} exited with ${code ?? signal}\n${output()}`));
    });
  });
}

/**
 * Builds the web app into dist/web unless a build newer than every file in web/ exists.
 * Test files run in parallel processes, so a lock directory (mkdir is atomic) makes one of them
 * build while the others wait.
 */
export async function ensureWebBuild(): Promise<void> {
  const deadline = Date.now() + 180_000;
  while (!(await webBuildIsFresh())) {
    await mkdir(join(ROOT, 'dist'), { recursive: true });
    const locked = await mkdir(BUILD_LOCK).then(
      () => true,
      () => false,
    );
    if (locked) {
      try {
        // Vite keeps a NODE_ENV it finds, and Vitest sets it to "test": without this, the tests and
        // the benchmark (which reuses a fresh build) would serve and measure Vue's development build.
        if (!(await webBuildIsFresh())) await run('npx', ['--no-install', 'vite', 'build'], { ...process.env, NODE_ENV: 'production' }, 170_000);
      } finally {
        await rm(BUILD_LOCK, { recursive: true, force: true });
      }
      return;
    }
    const lockAge = Date.now() - ((await stat(BUILD_LOCK).catch(() => null))?.mtimeMs ?? Date.now());
    // A lock this old belongs to a run that was killed mid-build.
    if (lockAge > 180_000) await rm(BUILD_LOCK, { recursive: true, force: true });
    if (Date.now() > deadline) throw new Error(`timed out waiting for another web build (${BUILD_LOCK})`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Imports one file into `dbPath` through the real CLI; rejects with its output on failure. */
export async function runImport(dbPath: string, spec: ImportSpec, env: Record<string, string> = {}): Promise<void> {
  const file = isAbsolute(spec.file) ? spec.file : resolve(ROOT, spec.file);
  await run(
    process.execPath,
    tsxArgs('scripts/import.ts', [file, '--kind', spec.kind]),
    { ...process.env, ...env, CIVGRID_DB: dbPath },
    120_000,
  );
}

/** Starts the server on a free port; see `ServerProcessOptions`. Always `stop()` it in `afterAll`. */
export async function startServerProcess(options: ServerProcessOptions = {}): Promise<ServerProcess> {
  await ensureWebBuild();
  const tempDir = options.dbPath ? null : await mkdtemp(join(tmpdir(), 'civgrid-e2e-'));
  const dbPath = options.dbPath ?? join(tempDir!, 'civgrid.duckdb');
  const cleanup = () => (tempDir ? rm(tempDir, { recursive: true, force: true }) : Promise.resolve());
  const now = options.now === undefined ? FIXTURE_NOW : options.now;
  const env: Record<string, string> = {
    ...(now ? { CIVGRID_TEST_NOW: now.toISOString() } : {}),
    // The fixture city's units have a handful of cases: its rankings take any unit with something due.
    ...(options.demo ? {} : { CIVGRID_SCORING: FIXTURE_SCORING }),
    ...options.env,
    ...(options.demo ? {} : { CIVGRID_DEMO: '0' }),
  };

  try {
    for (const spec of options.imports ?? []) await runImport(dbPath, spec, env);
  } catch (err) {
    await cleanup();
    throw err;
  }

  let current: Spawned;
  // Taken before the spawn, so a restarted clock never runs behind the first one.
  const startedAt = Date.now();
  try {
    current = await spawnServer(dbPath, env, 0, options.startTimeoutMs ?? 60_000);
  } catch (err) {
    await cleanup();
    throw err;
  }
  const url = current.url;
  const port = new URL(url).port;
  const adminToken = (await readFile(env.CIVGRID_ADMIN_TOKEN_FILE ?? join(dirname(dbPath), 'admin-token'), 'utf8')).trim();

  return {
    url,
    dbPath,
    adminToken,
    get exited() {
      return current.exited;
    },
    output: () => current.output(),
    kill: (signal = 'SIGTERM') => {
      current.child.kill(signal);
    },
    stop: async () => {
      const exit = await halt(current);
      await cleanup();
      return exit;
    },
    restart: async (whileDown) => {
      await halt(current);
      await whileDown?.();
      // Same database and port: clients that were connected must find the server where it was.
      // A pinned clock goes on from where it is, as the system time would, not back to its start.
      const clock: Record<string, string> = now ? { CIVGRID_TEST_NOW: new Date(now.getTime() + Date.now() - startedAt).toISOString() } : {};
      current = await spawnServer(dbPath, { ...env, ...clock }, Number(port), options.startTimeoutMs ?? 60_000);
    },
  };
}

/** A server child process that has printed its URL. */
interface Spawned {
  child: ChildProcess;
  url: string;
  exited: Promise<ProcessExit>;
  output: () => string;
}

/** SIGTERM, then SIGKILL after 10 s; resolves with how the process ended. */
async function halt(s: Spawned): Promise<ProcessExit> {
  if (s.child.exitCode === null && s.child.signalCode === null) {
    s.child.kill('SIGTERM');
    const timer = setTimeout(() => s.child.kill('SIGKILL'), 10_000);
    await s.exited;
    clearTimeout(timer);
  }
  return s.exited;
}

/** Starts `server/index.ts` on `port` (0 = any free port) and waits for its `listening on` line. */
async function spawnServer(dbPath: string, env: Record<string, string>, port: number, timeoutMs: number): Promise<Spawned> {
  const child = spawn(process.execPath, tsxArgs('server/index.ts'), {
    cwd: ROOT,
    env: { ...process.env, ...env, HOST: '127.0.0.1', PORT: String(port), CIVGRID_DB: dbPath },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const output = collect(child);
  const exited = exitOf(child).then(async (exit) => {
    running.delete(child);
    return exit;
  });

  const url = await new Promise<string>((res, rej) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      rej(new Error(`server did not print "civgrid listening on" within ${timeoutMs} ms\n${output()}`));
    }, timeoutMs);
    const onData = () => {
      const match = LISTENING.exec(output());
      if (!match) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      res(match[1].replace(/\/$/, ''));
    };
    child.stdout?.on('data', onData);
    child.once('error', (err) => {
      clearTimeout(timer);
      rej(err);
    });
    void exited.then((exit) => {
      clearTimeout(timer);
      rej(new Error(`server exited before listening (${exit.code ?? exit.signal})\n${output()}`));
    });
  }).catch(async (err: unknown) => {
    // After a spawn error Node may never emit 'exit', so do not wait for it forever.
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
    throw err;
  });
  return { child, url, exited, output };
}
