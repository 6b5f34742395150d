/**
 * Worker-thread entry of the KPI engine's counting (pool.ts): counts one row range of a query over
 * the lent shared columns with the very functions the main thread uses (count.ts), and answers
 * with the counters and the hours it collected, handed over without a copy.
 */
import { parentPort } from 'node:worker_threads';
import { countPart } from './count.ts';
import type { CountTask } from './pool.ts';
import { viewOf } from './shared-view.ts';

/** A task posted to a worker. */
export type CountRequest = { task: CountTask };

/** A worker's answer: the part's counters and hours (hours trimmed to their length), or why it failed. */
export type CountReply =
  | { counters: Int32Array; values: Float64Array; groups: Int32Array | null; error?: undefined }
  | { error: string };

parentPort!.on('message', ({ task }: CountRequest) => {
  let reply: CountReply;
  try {
    const { counters, hours } = countPart(viewOf(task.loan), task.filter, task.grouping, task.codes, task.withHours, task.range);
    // The hours lie in this thread's reused buffers: copy out this part's own, then hand the copies over.
    const values = hours.values.slice(0, hours.length);
    const groups = hours.groups && hours.groups.slice(0, hours.length);
    reply = { counters, values, groups };
  } catch (err) {
    reply = { error: (err as Error).message };
  }
  const transfer = 'counters' in reply ? [reply.counters.buffer, reply.values.buffer, ...(reply.groups ? [reply.groups.buffer] : [])] : [];
  parentPort!.postMessage(reply, transfer as ArrayBuffer[]);
});
parentPort!.postMessage({ ready: true });
