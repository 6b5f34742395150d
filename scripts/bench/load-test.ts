/**
 * The load test: `sse` live-feed clients held open, `readsPerS` mixed dashboard reads
 * and `ingestsPerS` issue reports per second, open-loop (requests leave on schedule whether or
 * not earlier ones answered, so a slow server shows as latency, not as a politely lower rate).
 * Pass: zero errors and p99 ≤ the target over reads and ingests together.
 */
import { request as httpRequest, type ClientRequest } from 'node:http';
import { plan, type Target } from './load-plan.ts';

/** What to run; the defaults are the agreed load: 60 s, 200 live-feed clients, 100 reads/s, 10 ingests/s, p99 ≤ 300 ms. */
export type LoadOptions = {
  url: string;
  /** An admin token: the test issues itself an operator token for the ingests. */
  adminToken: string;
  durationS?: number;
  sseClients?: number;
  readsPerS?: number;
  ingestsPerS?: number;
  p99TargetMs?: number;
  log?: (line: string) => void;
};

/** Latency figures of one kind of request, in ms. */
export type LatencyStats = { count: number; errors: number; p50: number; p95: number; p99: number; max: number };

/** Everything a run measured; printed as JSON by scripts/load.ts. */
export type LoadReport = {
  url: string;
  durationS: number;
  sse: { target: number; connected: number; dropped: number; events: number; ingestEventsPerClient: number };
  reads: LatencyStats;
  ingests: LatencyStats;
  overall: LatencyStats;
  /** The slowest read paths by p99, for finding what to fix. */
  slowest: { path: string; p99: number; count: number }[];
  errors: string[];
  p99TargetMs: number;
  pass: boolean;
};

const TIMEOUT_MS = 10_000;

/** Runs the load test against a running server and returns its figures. */
export async function runLoad(o: LoadOptions): Promise<LoadReport> {
  const opts = { durationS: 60, sseClients: 200, readsPerS: 100, ingestsPerS: 10, p99TargetMs: 300, log: () => undefined, ...o };
  const target = await plan(opts.url, opts.adminToken);
  const errors: string[] = [];
  const fail = (what: string) => {
    if (errors.length < 50) errors.push(what);
  };

  const sse = await openStreams(opts.url, opts.sseClients, fail);
  opts.log(`load: ${sse.connected()} of ${opts.sseClients} live-feed clients connected; ${opts.readsPerS} reads/s and ${opts.ingestsPerS} ingests/s for ${opts.durationS} s`);

  const reads: Sample[] = [];
  const ingests: Sample[] = [];
  const started = performance.now();
  const inflight = new Set<Promise<void>>();
  let sentReads = 0;
  let sentIngests = 0;
  await new Promise<void>((done) => {
    const timer = setInterval(() => {
      const elapsed = Math.min((performance.now() - started) / 1000, opts.durationS);
      // Catch up to the schedule: a late timer tick sends the requests it missed.
      while (sentReads < elapsed * opts.readsPerS) track(inflight, timed(target.read(sentReads++), reads, fail));
      while (sentIngests < elapsed * opts.ingestsPerS) track(inflight, timed(target.ingest(sentIngests++), ingests, fail));
      if (elapsed >= opts.durationS) {
        clearInterval(timer);
        done();
      }
    }, 5);
    const progress = setInterval(() => opts.log(`load: ${Math.round((performance.now() - started) / 1000)} s, ${reads.length} reads, ${ingests.length} ingests, ${errors.length} errors`), 10_000);
    void new Promise((r) => setTimeout(r, opts.durationS * 1000 + 50)).then(() => clearInterval(progress));
  });
  await Promise.all(inflight);
  // Events leave after their answers; give the last ones a moment to arrive before counting.
  const expected = ingests.filter((i) => i.ok).length;
  for (let waited = 0; sse.created() < expected * sse.connected() && waited < 3000; waited += 50) await new Promise((r) => setTimeout(r, 50));
  const events = sse.close();

  const overall = stats([...reads, ...ingests]);
  const byPath = new Map<string, Sample[]>();
  for (const s of reads) byPath.set(s.label, [...(byPath.get(s.label) ?? []), s]);
  const report: LoadReport = {
    url: opts.url, durationS: opts.durationS,
    sse: { target: opts.sseClients, connected: sse.maxConnected(), dropped: sse.dropped(), events: events.total, ingestEventsPerClient: events.created / Math.max(1, opts.sseClients) },
    reads: stats(reads), ingests: stats(ingests), overall,
    slowest: [...byPath].map(([path, s]) => ({ path, p99: stats(s).p99, count: s.length })).sort((a, b) => b.p99 - a.p99).slice(0, 5),
    errors, p99TargetMs: opts.p99TargetMs,
    pass: false,
  };
  report.pass = errors.length === 0 && overall.errors === 0 && sse.dropped() === 0 && sse.maxConnected() === opts.sseClients && overall.p99 <= opts.p99TargetMs;
  return report;
}

/** One request's latency. */
export type Sample = { label: string; ms: number; ok: boolean };

/** Keeps `p` in `set` until it settles (to await everything in flight at the end). */
export function track(set: Set<Promise<void>>, p: Promise<void>): void {
  set.add(p);
  void p.finally(() => set.delete(p));
}

/** Sends one request, reads the whole body, records its latency; non-2xx and timeouts are errors. */
export async function timed(t: Target, into: Sample[], fail: (what: string) => void): Promise<void> {
  const t0 = performance.now();
  let ok = false;
  try {
    const res = await fetch(t.url, { ...t.init, signal: AbortSignal.timeout(TIMEOUT_MS) });
    await res.arrayBuffer();
    ok = res.status >= 200 && res.status < 300;
    if (!ok) fail(`${t.init.method ?? 'GET'} ${t.label} → HTTP ${res.status}`);
  } catch (err) {
    fail(`${t.init.method ?? 'GET'} ${t.label} → ${(err as Error).name}: ${(err as Error).message}`);
  }
  into.push({ label: t.label, ms: performance.now() - t0, ok });
}

/** Percentiles (nearest rank) of the latencies, in ms. */
export function stats(samples: readonly { ms: number; ok: boolean }[]): LatencyStats {
  const ms = samples.map((s) => s.ms).sort((a, b) => a - b);
  const at = (q: number) => (ms.length ? ms[Math.min(ms.length - 1, Math.ceil(q * ms.length) - 1)]! : 0);
  const round = (v: number) => Math.round(v * 10) / 10;
  return { count: ms.length, errors: samples.filter((s) => !s.ok).length, p50: round(at(0.5)), p95: round(at(0.95)), p99: round(at(0.99)), max: round(ms.at(-1) ?? 0) };
}

/**
 * Opens `n` live-feed connections with node:http (the fetch pool would count them against the
 * request connections) and counts events; a stream that ends before close() is a drop.
 */
export async function openStreams(url: string, n: number, fail: (what: string) => void) {
  const requests: ClientRequest[] = [];
  let connected = 0;
  let maxConnected = 0;
  let dropped = 0;
  let closing = false;
  let total = 0;
  let created = 0;
  const opened = Array.from({ length: n }, (_, i) => new Promise<void>((resolve) => {
    const req = httpRequest(`${url}/api/events?tick=15`, { headers: { accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) {
        fail(`live feed client ${i} → HTTP ${res.statusCode}`);
        res.resume();
        resolve();
        return;
      }
      connected++;
      maxConnected = Math.max(maxConnected, connected);
      resolve();
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        for (const m of chunk.matchAll(/^event: (\S+)/gm)) {
          total++;
          if (m[1] === 'issue.created') created++;
        }
      });
      res.on('close', () => {
        connected--;
        if (!closing) {
          dropped++;
          fail(`live feed client ${i} was disconnected`);
        }
      });
    });
    req.on('error', (err) => {
      if (!closing) fail(`live feed client ${i}: ${err.message}`);
      resolve();
    });
    req.end();
    requests.push(req);
  }));
  await Promise.all(opened);
  return {
    connected: () => connected,
    created: () => created,
    maxConnected: () => maxConnected,
    dropped: () => dropped,
    close: () => {
      closing = true;
      for (const r of requests) r.destroy();
      return { total, created };
    },
  };
}

/** The figures as a few readable lines (the JSON is the report itself). */
export function renderLoadReport(r: LoadReport): string {
  const row = (name: string, s: LatencyStats) =>
    `  ${name.padEnd(8)} ${String(s.count).padStart(7)} requests  ${String(s.errors).padStart(4)} errors  p50 ${s.p50} ms  p95 ${s.p95} ms  p99 ${s.p99} ms  max ${s.max} ms`;
  return [
    `load test on ${r.url}: ${r.durationS} s — ${r.pass ? 'PASS' : 'FAIL'} (zero errors and p99 ≤ ${r.p99TargetMs} ms required)`,
    `  live feed: ${r.sse.connected}/${r.sse.target} clients held, ${r.sse.dropped} dropped, ${r.sse.events} events received (${r.sse.ingestEventsPerClient.toFixed(0)} issue.created per client)`,
    row('reads', r.reads),
    row('ingests', r.ingests),
    row('overall', r.overall),
    `  slowest reads (p99): ${r.slowest.map((s) => `${s.path} ${s.p99} ms`).join(', ')}`,
    ...(r.errors.length ? ['  errors:', ...r.errors.slice(0, 10).map((e) => `    ${e}`)] : []),
  ].join('\n');
}
