/**
 * Worker-thread entry of the geometry step (see geometry-pool.ts): receives batches of raw
 * geometries with the step's options and answers with their outcomes, in order.
 */
import { parentPort } from 'node:worker_threads';
import { prepareGeometry, type GeometryStepOptions } from './geometry-step.ts';

/** A batch posted to the worker. */
export type GeometryBatch = { id: number; opts: GeometryStepOptions; raws: unknown[] };

parentPort!.on('message', ({ id, opts, raws }: GeometryBatch) => {
  parentPort!.postMessage({ id, outcomes: raws.map((raw) => prepareGeometry(raw, opts)) });
});
