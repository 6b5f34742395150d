/**
 * HTTP latency over loopback against the running server. An operation whose first answers are
 * errors or implausible (see answers.ts) is reported as n/a with the reason instead of a figure.
 */
import { implausibleAnswer } from './answers.ts';
import type { Operation, OperationName } from './operations.ts';
import { summarize, timeRuns, type LatencySummary } from './stats.ts';

/** One operation's HTTP figures, or why there are none. */
export type HttpResult =
  | { ok: true; latency: LatencySummary; bytes: number }
  | { ok: false; reason: string };

/** Requests the paths one after another, reading each body in full; throws on a non-2xx answer. */
async function requestAll(base: string, paths: readonly string[]): Promise<number> {
  let bytes = 0;
  for (const path of paths) {
    const res = await fetch(base + path);
    const body = await res.arrayBuffer();
    if (!res.ok) throw new HttpError(path, res.status, new TextDecoder().decode(body));
    bytes += body.byteLength;
  }
  return bytes;
}

class HttpError extends Error {
  constructor(readonly path: string, readonly status: number, readonly body: string) {
    super(`HTTP ${status} for ${path}`);
  }
}

/** The first run of an operation: like {@link requestAll}, and each body must be a plausible answer. */
async function probe(base: string, paths: readonly string[]): Promise<number> {
  let bytes = 0;
  for (const path of paths) {
    const res = await fetch(base + path);
    const body = await res.text();
    if (!res.ok) throw new HttpError(path, res.status, body);
    const wrong = implausibleAnswer(path, body);
    if (wrong) throw new ImplausibleAnswer(wrong);
    bytes += Buffer.byteLength(body);
  }
  return bytes;
}

class ImplausibleAnswer extends Error {}

/** Why a route answered an error, in a few words for the table. */
function explainHttpError(status: number, body: string, path: string): string {
  let message = '';
  try {
    const parsed = JSON.parse(body) as { error?: { code?: string; message?: string } };
    if (status === 404 && parsed.error?.code === 'not_found') return `route missing: ${path.split('?')[0]}`;
    message = parsed.error?.message ?? '';
  } catch {
    message = body.slice(0, 80);
  }
  return `HTTP ${status} ${path.split('?')[0]}${message ? `: ${message}` : ''}`.slice(0, 160);
}

/** Measures every operation: one probe, two warm-up runs, then `runs` timed runs. */
export async function measureHttp(base: string, ops: readonly Operation[], runs: number, log: (line: string) => void): Promise<Map<OperationName, HttpResult>> {
  const out = new Map<OperationName, HttpResult>();
  for (const op of ops) {
    let bytes: number;
    try {
      bytes = await probe(base, op.http);
    } catch (err) {
      if (!(err instanceof HttpError || err instanceof ImplausibleAnswer)) throw err;
      const reason = err instanceof HttpError ? explainHttpError(err.status, err.body, err.path) : `implausible answer: ${err.message}`;
      log(`http: ${op.name}: n/a (${reason})`);
      out.set(op.name, { ok: false, reason });
      continue;
    }
    const samples = await timeRuns(runs, () => requestAll(base, op.http), 1);
    const latency = summarize(samples);
    log(`http: ${op.name}: p50 ${latency.p50.toFixed(1)} ms, p95 ${latency.p95.toFixed(1)} ms, ${(bytes / 1024).toFixed(0)} KB`);
    out.set(op.name, { ok: true, latency, bytes });
  }
  return out;
}
