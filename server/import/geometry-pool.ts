/**
 * The geometry step off the main thread. Validating a 20,000-vertex outline (crossings, nesting),
 * converting its CRS and repairing it takes milliseconds to seconds of CPU per feature; on the
 * main thread that time is taken from every other request (`/api/health`, the dashboards). HTTP
 * imports therefore send features in batches to one worker thread, reading the next batch while
 * the worker checks the previous one, and take the outcomes back in file order.
 *
 * One worker for the process: the machine this runs on has few cores, and DuckDB and the server
 * need the others. It starts on first use and does not keep the process alive.
 */
import type { Worker } from 'node:worker_threads';
import { startTsWorker } from '../ts-worker.ts';
import type { RawFeature } from './readers/index.ts';
import type { GeometryBatch } from './geometry-worker.ts';
import { prepareGeometry, tooManyVertices, type GeometryOutcome, type GeometryStepOptions } from './geometry-step.ts';
import { countPositions } from '../spatial/validate.ts';

/** A batch closes at this many features or positions, whichever comes first. */
const BATCH_FEATURES = 256;
const BATCH_POSITIONS = 50_000;

type Pending = { resolve: (o: GeometryOutcome[]) => void; reject: (e: Error) => void };

let worker: Worker | null = null;
let nextId = 1;
const pending = new Map<number, Pending>();

/** Starts the worker. */
function start(): Worker {
  const w = startTsWorker(new URL('./geometry-worker.ts', import.meta.url));
  w.on('message', ({ id, outcomes }: { id: number; outcomes: GeometryOutcome[] }) => {
    pending.get(id)?.resolve(outcomes);
    pending.delete(id);
  });
  const fail = (err: Error) => {
    if (worker === w) worker = null;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  w.on('error', fail);
  w.on('exit', (code) => fail(new Error(`the geometry worker stopped (exit code ${code})`)));
  return w;
}

function check(opts: GeometryStepOptions, raws: unknown[]): Promise<GeometryOutcome[]> {
  worker ??= start();
  const id = nextId++;
  const message: GeometryBatch = { id, opts, raws };
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    worker!.postMessage(message);
  });
}

/** A raw feature with the outcome of its geometry step. */
export type CheckedFeature = { raw: RawFeature; outcome: GeometryOutcome };

/**
 * Runs the geometry step over `features`, on the worker when `offThread` is set, else inline, and
 * yields each feature with its outcome in file order. An oversized feature is refused here,
 * without being copied to the worker. When reading fails, the features read before are still
 * yielded, then the reading error is thrown.
 */
export async function* prepareFeatures(
  features: AsyncIterable<RawFeature> | Iterable<RawFeature>,
  opts: GeometryStepOptions,
  offThread: boolean,
): AsyncGenerator<CheckedFeature> {
  if (!offThread || opts.allowed === null) {
    for await (const raw of features) yield { raw, outcome: prepareGeometry(raw.geometry, opts) };
    return;
  }
  let inFlight: Promise<CheckedFeature[]> | null = null;
  let batch: RawFeature[] = [];
  let positions = 0;
  const send = (raws: RawFeature[]): Promise<CheckedFeature[]> => {
    const refused = raws.map((r) => tooManyVertices(r.geometry, opts.maxVertices));
    const toCheck = raws.filter((_, i) => !refused[i]);
    const result = check(opts, toCheck.map((r) => r.geometry)).then((outcomes) => {
      let k = 0;
      return raws.map((raw, i) => ({ raw, outcome: refused[i] ? { geometry: undefined, problems: [refused[i]!], fixes: [] } : outcomes[k++] }));
    });
    // Awaited in turn below; until then a failure must not count as unhandled.
    result.catch(() => {});
    return result;
  };
  let failure: unknown;
  try {
    for await (const raw of features) {
      batch.push(raw);
      positions += Math.min(countPositions((raw.geometry as { coordinates?: unknown } | null)?.coordinates), BATCH_POSITIONS);
      if (batch.length < BATCH_FEATURES && positions < BATCH_POSITIONS) continue;
      const sent = send(batch);
      batch = [];
      positions = 0;
      if (inFlight) yield* await inFlight;
      inFlight = sent;
    }
  } catch (err) {
    failure = err;
  }
  if (inFlight) yield* await inFlight;
  if (batch.length) yield* await send(batch);
  if (failure !== undefined) throw failure;
}
