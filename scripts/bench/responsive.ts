/**
 * Does the server stay responsive? Two scenarios against a running server, each with `/api/health`
 * polled open-loop every 100 ms (a health check that waits shows as latency, not as fewer checks):
 *
 * - **heavy load**: 16 closed-loop readers sending aggregates the response cache cannot answer
 *   (each asks for a period of its own), 500 live-feed (SSE) clients and 10 issue ingests per second;
 * - **big import while serving**: the dataset's issues CSV, under new ids, uploaded to
 *   `POST /api/import/issues` while the health checks run.
 *
 * Target (the performance issue's): health p95 ≤ 100 ms in both.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { once } from 'node:events';
import { plan } from './load-plan.ts';
import { openStreams, stats, timed, track, type LatencyStats, type Sample } from './load-test.ts';

/** The health check target of both scenarios, p95 ms. */
export const HEALTH_P95_TARGET_MS = 100;
const HEALTH_EVERY_MS = 100;
const HEALTH_TIMEOUT_MS = 10_000;

/** The server's own view of its event loop, as /api/health reports it (recentMaxMs: its last 1–2 s; absent on older servers). */
type LoopDelay = { windowS: number; p50Ms: number; p99Ms: number; maxMs: number; recentMaxMs?: number } | null;

/** What the heavy-load scenario measured. */
export type HeavyLoadReport = {
  durationS: number;
  readers: number;
  sse: { target: number; connected: number; dropped: number };
  health: LatencyStats;
  heavyReads: LatencyStats;
  ingests: LatencyStats;
  /** Per heavy read, p95 ms: which aggregate is slow. */
  byRead: { path: string; p95: number; count: number }[];
  eventLoop: LoopDelay;
  /** The longest event-loop delay during the scenario, ms (from the health answers; null: the server does not say). */
  eventLoopMaxMs: number | null;
  errors: string[];
  pass: boolean;
};

/** What the import-while-serving scenario measured. */
export type ImportWhileServingReport = {
  rows: number;
  fileMb: number;
  importMs: number;
  imported: boolean;
  health: LatencyStats;
  eventLoop: LoopDelay;
  /** The longest event-loop delay during the import, ms (null: the server does not say). */
  eventLoopMaxMs: number | null;
  errors: string[];
  pass: boolean;
};

export type HeavyLoadOptions = { url: string; adminToken: string; durationS?: number; readers?: number; sseClients?: number; ingestsPerS?: number; log?: (line: string) => void };

/** Polls `/api/health` open-loop until `stop()`, which resolves to the samples once the last answer is in. */
export function healthProbe(url: string, fail: (what: string) => void, everyMs = HEALTH_EVERY_MS): { stop: () => Promise<Sample[]>; loopMaxMs: () => number | null } {
  const samples: Sample[] = [];
  const inflight = new Set<Promise<void>>();
  // The longest event-loop delay the server saw while polled: each answer names its last 1–2 s.
  let loopMaxMs: number | null = null;
  const check = async () => {
    const t0 = performance.now();
    let ok = false;
    try {
      const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS) });
      const body = (await res.json()) as { eventLoop?: LoopDelay };
      ok = res.ok;
      if (!ok) fail(`GET health → HTTP ${res.status}`);
      const recent = body.eventLoop?.recentMaxMs;
      if (typeof recent === 'number') loopMaxMs = Math.max(loopMaxMs ?? 0, recent);
    } catch (err) {
      fail(`GET health → ${(err as Error).name}: ${(err as Error).message}`);
    }
    samples.push({ label: 'health', ms: performance.now() - t0, ok });
  };
  const timer = setInterval(() => track(inflight, check()), everyMs);
  return {
    stop: async () => {
      clearInterval(timer);
      await Promise.all(inflight);
      return samples;
    },
    loopMaxMs: () => loopMaxMs,
  };
}

async function loopDelay(url: string): Promise<LoopDelay> {
  try {
    return ((await (await fetch(`${url}/api/health`)).json()) as { eventLoop?: LoopDelay }).eventLoop ?? null;
  } catch {
    return null;
  }
}

/** 16 heavy readers + 500 SSE + 10 ingests/s for `durationS` (default 60), health polled throughout. */
export async function runHeavyLoad(o: HeavyLoadOptions): Promise<HeavyLoadReport> {
  const opts = { durationS: 60, readers: 16, sseClients: 500, ingestsPerS: 10, log: () => undefined, ...o };
  const target = await plan(opts.url, opts.adminToken);
  const errors: string[] = [];
  const fail = (what: string) => {
    if (errors.length < 50) errors.push(what);
  };
  const sse = await openStreams(opts.url, opts.sseClients, fail);
  opts.log(`heavy load: ${sse.connected()} of ${opts.sseClients} live-feed clients, ${opts.readers} uncached heavy readers, ${opts.ingestsPerS} ingests/s for ${opts.durationS} s`);

  const heavy: Sample[] = [];
  const ingests: Sample[] = [];
  const inflight = new Set<Promise<void>>();
  const started = performance.now();
  const until = started + opts.durationS * 1000;
  let next = 0;
  const reader = async () => {
    while (performance.now() < until) await timed(target.heavy(next++), heavy, fail);
  };
  const probe = healthProbe(opts.url, fail);
  let sentIngests = 0;
  const ingestTimer = setInterval(() => {
    const elapsed = Math.min((performance.now() - started) / 1000, opts.durationS);
    while (sentIngests < elapsed * opts.ingestsPerS) track(inflight, timed(target.ingest(sentIngests++), ingests, fail));
  }, 20);
  await Promise.all(Array.from({ length: opts.readers }, reader));
  clearInterval(ingestTimer);
  const health = await probe.stop();
  await Promise.all(inflight);
  const eventLoop = await loopDelay(opts.url);
  sse.close();

  const byPath = new Map<string, Sample[]>();
  for (const s of heavy) byPath.set(s.label, [...(byPath.get(s.label) ?? []), s]);
  const healthStats = stats(health);
  return {
    durationS: opts.durationS, readers: opts.readers,
    sse: { target: opts.sseClients, connected: sse.maxConnected(), dropped: sse.dropped() },
    health: healthStats, heavyReads: stats(heavy), ingests: stats(ingests),
    byRead: [...byPath].map(([path, s]) => ({ path, p95: stats(s).p95, count: s.length })).sort((a, b) => b.p95 - a.p95),
    eventLoop, eventLoopMaxMs: probe.loopMaxMs(), errors,
    pass: healthStats.errors === 0 && healthStats.p95 <= HEALTH_P95_TARGET_MS,
  };
}

/**
 * Writes the first `rows` issues of `csvPath` under new ids (`prefix` instead of the ids' first two
 * characters), so the import adds issues instead of colliding with those the database holds.
 */
export async function renamedIssuesCsv(csvPath: string, outPath: string, rows: number, prefix = 'LD'): Promise<number> {
  const out = createWriteStream(outPath);
  const lines = createInterface({ input: createReadStream(csvPath), crlfDelay: Infinity });
  let n = -1;
  for await (const line of lines) {
    const text = n < 0 ? line : prefix + line.slice(2);
    if (!out.write(`${text}\n`)) await once(out, 'drain');
    if (++n >= rows) break;
  }
  lines.close();
  out.end();
  await once(out, 'finish');
  return Math.max(0, n);
}

export type ImportWhileServingOptions = { url: string; adminToken: string; csvPath: string; rows: number; log?: (line: string) => void };

/** Uploads `rows` issues of the dataset's CSV (new ids) to the running server while health is polled. */
export async function runImportWhileServing(o: ImportWhileServingOptions): Promise<ImportWhileServingReport> {
  const log = o.log ?? (() => undefined);
  const dir = await mkdtemp(join(tmpdir(), 'civgrid-import-load-'));
  try {
    const file = join(dir, 'issues-while-serving.csv');
    const rows = await renamedIssuesCsv(o.csvPath, file, o.rows);
    const fileMb = (await stat(file)).size / 1024 / 1024;
    log(`import while serving: uploading ${rows.toLocaleString('en-US')} issues (${fileMb.toFixed(0)} MB of CSV) while polling /api/health`);
    const errors: string[] = [];
    const fail = (what: string) => {
      if (errors.length < 50) errors.push(what);
    };
    const probe = healthProbe(o.url, fail);
    // Let the probe see the idle server first: the import's own start is part of what is measured.
    await new Promise((r) => setTimeout(r, 500));
    const t0 = performance.now();
    let imported = false;
    try {
      const res = await fetch(`${o.url}/api/import/issues?filename=issues-while-serving.csv`, {
        method: 'POST', headers: { authorization: `Bearer ${o.adminToken}`, 'content-type': 'application/octet-stream' },
        body: Readable.toWeb(createReadStream(file)) as ReadableStream, duplex: 'half',
      } as RequestInit);
      const text = await res.text();
      imported = res.ok;
      if (!res.ok) fail(`import → HTTP ${res.status}: ${text.slice(0, 300)}`);
    } catch (err) {
      fail(`import → ${(err as Error).message}`);
    }
    const importMs = performance.now() - t0;
    await new Promise((r) => setTimeout(r, 500));
    const health = stats(await probe.stop());
    const eventLoop = await loopDelay(o.url);
    log(`import while serving: ${imported ? 'imported' : 'FAILED'} in ${(importMs / 1000).toFixed(1)} s; health p50 ${health.p50} ms, p95 ${health.p95} ms, max ${health.max} ms`);
    return { rows, fileMb, importMs, imported, health, eventLoop, eventLoopMaxMs: probe.loopMaxMs(), errors, pass: imported && health.errors === 0 && health.p95 <= HEALTH_P95_TARGET_MS };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Both scenarios' figures as a few readable lines. */
export function renderResponsiveness(heavy: HeavyLoadReport | null, imp: ImportWhileServingReport | null): string {
  const h = (s: LatencyStats) => `p50 ${s.p50} ms, p95 ${s.p95} ms, max ${s.max} ms (${s.count} checks, ${s.errors} failed)`;
  const loop = (l: LoopDelay, max: number | null) => (l ? `; event loop delay p99 ${l.p99Ms} ms, max ${max ?? l.maxMs} ms` : '');
  const lines: string[] = [];
  if (heavy) {
    lines.push(
      `heavy load (${heavy.readers} uncached heavy readers, ${heavy.sse.connected}/${heavy.sse.target} SSE, ${heavy.durationS} s) — ${heavy.pass ? 'PASS' : 'FAIL'} (health p95 ≤ ${HEALTH_P95_TARGET_MS} ms)`,
      `  /api/health ${h(heavy.health)}${loop(heavy.eventLoop, heavy.eventLoopMaxMs)}`,
      `  heavy reads ${heavy.heavyReads.count} (p50 ${heavy.heavyReads.p50} ms, p95 ${heavy.heavyReads.p95} ms); ingests ${heavy.ingests.count} (p95 ${heavy.ingests.p95} ms); SSE dropped ${heavy.sse.dropped}`,
      `  heavy reads by p95: ${heavy.byRead.map((r) => `${r.path} ${r.p95} ms`).join(', ')}`,
    );
  }
  if (imp) {
    lines.push(
      `big import while serving (${imp.rows.toLocaleString('en-US')} issues, ${imp.fileMb.toFixed(0)} MB CSV, ${(imp.importMs / 1000).toFixed(1)} s${imp.imported ? '' : ', FAILED'}) — ${imp.pass ? 'PASS' : 'FAIL'}`,
      `  /api/health ${h(imp.health)}${loop(imp.eventLoop, imp.eventLoopMaxMs)}`,
    );
  }
  const errors = [...(heavy?.errors ?? []), ...(imp?.errors ?? [])];
  if (errors.length) lines.push('  errors:', ...errors.slice(0, 10).map((e) => `    ${e}`));
  return lines.join('\n');
}
