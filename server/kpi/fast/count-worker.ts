/**
 * Worker-thread entry of the KPI engine's counting (pool.ts), with the very functions the main
 * thread uses: counts one row range of a query over the lent shared columns (count.ts), finishes a
 * count from its parts (merge, medians), or builds a unit index into shared memory (unit-index.ts).
 * Answers are handed over without a copy.
 */
import { parentPort } from 'node:worker_threads';
import { countPart, mergeParts, summarise, type CountSummary } from './count.ts';
import type { FrameCounts } from '../frames.ts';
import { answerFrameTask, type FrameTask } from './frame-part.ts';
import { answerHeatFrameTask, type HeatFrameCounts, type HeatFrameTask } from './heat-frames.ts';
import type { CountTask, FinishTask, IndexTask } from './pool.ts';
import { viewOf } from './shared-view.ts';
import { UnitIndex, type UnitIndexParts } from './unit-index.ts';

/** A job posted to a worker: one of a count's parts, the finish of a count, a unit index to build, or a playback's part (counts or heat). */
export type CountRequest = { task: CountTask } | { finish: FinishTask } | { index: IndexTask } | { frames: FrameTask } | { heatFrames: HeatFrameTask };

/** A worker's answer: the part's counters and hours (hours trimmed to their length), a count's summary, an index, a playback part's counts, or why it failed. */
export type CountReply =
  | { counters: Int32Array; values: Float64Array; groups: Int32Array | null; error?: undefined }
  | { summary: CountSummary; error?: undefined }
  | { index: UnitIndexParts; error?: undefined }
  | { frames: FrameCounts; error?: undefined }
  | { heat: HeatFrameCounts; error?: undefined }
  | { error: string };

function answer(request: CountRequest): CountReply {
  if ('finish' in request) {
    const { parts, groupCount, withTotal } = request.finish;
    return { summary: summarise(groupCount, mergeParts(parts), withTotal) };
  }
  if ('frames' in request) return { frames: answerFrameTask(request.frames) };
  if ('heatFrames' in request) return { heat: answerHeatFrameTask(request.heatFrames) };
  if ('index' in request) {
    const b = request.index;
    const index = b.kind === 'lists'
      ? UnitIndex.ofLists(b.start, b.count, b.pool, b.length, b.units, b.version)
      : UnitIndex.ofColumn(b.column, b.length, b.units, b.version);
    return { index: index.parts };
  }
  const { task } = request;
  const { counters, hours } = countPart(viewOf(task.loan), task.filter, task.grouping, task.codes, task.withHours, task.range);
  // The hours lie in this thread's reused buffers: copy out this part's own, then hand the copies over.
  return { counters, values: hours.values.slice(0, hours.length), groups: hours.groups && hours.groups.slice(0, hours.length) };
}

/** The buffers a reply hands over (its own, never shared memory). */
function transferOf(reply: CountReply): ArrayBuffer[] {
  if ('counters' in reply && reply.counters) return [reply.counters.buffer, reply.values.buffer, ...(reply.groups ? [reply.groups.buffer] : [])] as ArrayBuffer[];
  if ('frames' in reply && reply.frames) return [reply.frames.reported.buffer, reply.frames.overdue.buffer] as ArrayBuffer[];
  if ('heat' in reply && reply.heat) return [reply.heat.bins.buffer, ...(reply.heat.counts ? [reply.heat.counts.buffer] : [])] as ArrayBuffer[];
  if ('summary' in reply && reply.summary) return [reply.summary.counters.buffer, reply.summary.median.buffer, reply.summary.mean.buffer] as ArrayBuffer[];
  return [];
}

parentPort!.on('message', (request: CountRequest) => {
  let reply: CountReply;
  try {
    reply = answer(request);
  } catch (err) {
    reply = { error: (err as Error).message };
  }
  parentPort!.postMessage(reply, transferOf(reply));
});
parentPort!.postMessage({ ready: true });
