/**
 * The real server as a child process on the benchmark database: `node --import tsx
 * server/index.ts` (no npx wrapper, so the pid is the server's and signals reach it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KpiEngineFigures } from './report.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const LISTENING = /civgrid listening on (https?:\/\/\S+)/;

/** A running server. */
export interface BenchServer {
  url: string;
  pid: number;
  /** Spawn → "listening" line, ms: process start, migrations, table counts, web root. */
  coldStartMs: number;
  /** Peak resident set (VmHWM) so far, MB; null where /proc is missing. */
  rssPeakMb(): number | null;
  /** Waits until the KPI engine has loaded (or is off or failed) and returns its state from /api/health. */
  kpiEngine(timeoutMs?: number): Promise<KpiEngineFigures>;
  /** Last lines the server printed, for error messages. */
  output(): string;
  /** SIGTERM, and SIGKILL after 15 s. */
  stop(): Promise<void>;
}

/** VmHWM of a process in MB (the kernel keeps the peak, so no polling can miss it). */
function readVmHwmMb(pid: number): number | null {
  try {
    const m = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Polls /api/health until the KPI engine is no longer loading. */
async function engineSettled(url: string, timeoutMs: number): Promise<KpiEngineFigures> {
  const until = performance.now() + timeoutMs;
  for (;;) {
    const health = (await (await fetch(`${url}/api/health`)).json()) as { kpiEngine: KpiEngineFigures };
    if (health.kpiEngine.state !== 'loading' || performance.now() > until) return health.kpiEngine;
    await new Promise((res) => setTimeout(res, 250));
  }
}

/**
 * Starts the server on `dbPath` (port 0, no demo) and waits for it to listen. `cache: false`
 * turns the response cache off, so repeated requests measure the computation, not a memory read.
 */
export async function startServer(dbPath: string, opts: { cache?: boolean; timeoutMs?: number } = {}): Promise<BenchServer> {
  const { cache = true, timeoutMs = 600_000 } = opts;
  const t0 = performance.now();
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'server/index.ts')], {
    cwd: ROOT,
    // No monthly bulletin: the server's clock is today's, so a fresh copy would render last month's
    // (DOCX, XLSX, PDF in Chromium) in the middle of the figures.
    env: { ...process.env, CIVGRID_DB: dbPath, PORT: '0', HOST: '127.0.0.1', CIVGRID_DEMO: '0', CIVGRID_BULLETIN_SCHEDULE: '0', ...(cache ? {} : { CIVGRID_CACHE_MB: '0' }) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const append = (b: Buffer) => {
    out = (out + b.toString('utf8')).slice(-20_000);
  };
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  const exited = new Promise<void>((res) => child.once('exit', () => res()));
  // A benchmark that dies must not leave a server holding the database.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const url = await new Promise<string>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`server did not listen within ${timeoutMs / 1000} s\n${out}`)), timeoutMs);
    const onData = () => {
      const m = LISTENING.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      res(m[1].replace(/\/$/, ''));
    };
    child.stdout!.on('data', onData);
    void exited.then(() => {
      clearTimeout(timer);
      rej(new Error(`server exited before listening\n${out}`));
    });
  }).catch((err: unknown) => {
    child.kill('SIGKILL');
    throw err;
  });
  const coldStartMs = performance.now() - t0;
  const pid = child.pid!;
  return {
    url, pid, coldStartMs,
    rssPeakMb: () => readVmHwmMb(pid),
    kpiEngine: (wait = timeoutMs) => engineSettled(url, wait),
    output: () => out,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
      process.off('exit', killOnExit);
    },
  };
}
