/**
 * `npm run bench -- --load` runs this through scripts/bench.ts; on its own:
 * `tsx scripts/load.ts [--url URL --token ADMIN_TOKEN | --db PATH | --issues N] [--duration 60]
 *  [--sse 200] [--reads 100] [--ingests 10] [--json FILE]`
 *
 * Holds `--sse` live-feed clients and sends `--reads` mixed reads and `--ingests` issue reports
 * per second for `--duration` seconds; passes with zero errors and p99 ≤ 300 ms. Without --url
 * it starts a server on --db, or on a new demo city of --issues issues (default 200 000) in a
 * temporary directory. Prints the figures, then the report as JSON. Exits 1 on FAIL.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { renderLoadReport, runLoad } from '../server/security/load-test.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const USAGE = 'usage: tsx scripts/load.ts [--url URL --token TOKEN | --db PATH | --issues N] [--duration S] [--sse N] [--reads N] [--ingests N] [--json FILE]';

const { values } = (() => {
  try {
    return parseArgs({
      options: {
        url: { type: 'string' }, token: { type: 'string' }, db: { type: 'string' }, issues: { type: 'string' }, duration: { type: 'string' },
        sse: { type: 'string' }, reads: { type: 'string' }, ingests: { type: 'string' }, json: { type: 'string' }, help: { type: 'boolean' },
      },
    });
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    process.exit(2);
  }
})();
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const num = (v: string | undefined, fallback: number) => (v === undefined ? fallback : Number(v));
const log = (line: string) => console.error(line);

/** Starts `server/index.ts` on `dbPath` (demo city generated if empty) and waits for it to listen. */
async function startServer(dbPath: string, issues: number): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'server/index.ts')], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CIVGRID_DB: dbPath, HOST: '127.0.0.1', PORT: '0', CIVGRID_DEMO: '1', CIVGRID_DEMO_ISSUES: String(issues) },
  });
  process.once('exit', () => child.kill('SIGKILL'));
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (b: Buffer) => {
      out += b.toString('utf8');
      const m = /civgrid listening on (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (b: Buffer) => (out += b.toString('utf8')));
    child.once('exit', (code) => reject(new Error(`the server exited (${code}) before listening:\n${out.slice(-2000)}`)));
  });
  return {
    url,
    stop: () => new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}

let url = values.url;
let token = values.token ?? process.env.CIVGRID_TOKEN;
let stop = async () => undefined as void;
let temp: string | null = null;
if (!url) {
  temp = values.db ? null : mkdtempSync(join(tmpdir(), 'civgrid-load-'));
  const dbPath = values.db ?? join(temp!, 'civgrid.duckdb');
  log(`load: starting a server on ${dbPath}${existsSync(dbPath) ? '' : ' (generating the demo city first)'}`);
  const server = await startServer(dbPath, num(values.issues, 200_000));
  url = server.url;
  stop = server.stop;
  token ??= readFileSync(join(dirname(dbPath), 'admin-token'), 'utf8').trim();
}
if (!token) {
  console.error(`--url needs --token (or CIVGRID_TOKEN): an admin token, to issue the load test its operator token\n${USAGE}`);
  process.exit(2);
}

try {
  const report = await runLoad({
    url, adminToken: token, log,
    durationS: num(values.duration, 60), sseClients: num(values.sse, 200), readsPerS: num(values.reads, 100), ingestsPerS: num(values.ingests, 10),
  });
  console.log(renderLoadReport(report));
  console.log(JSON.stringify(report, null, 2));
  if (values.json) writeFileSync(values.json, `${JSON.stringify(report, null, 2)}\n`);
  process.exitCode = report.pass ? 0 : 1;
} finally {
  await stop();
  if (temp) rmSync(temp, { recursive: true, force: true });
}
