/**
 * The KPI engine's counting workers: a few worker threads that run the engine's own counting
 * (count.ts, through count-worker.ts) over the shared columns, so a heavy count uses the second
 * core and no longer holds the main thread's event loop (`/api/health`, cached reads, SSE).
 * Tasks queue in arrival order and go to the next idle worker: several queries count at once, and
 * the parts of one split query count side by side. Finishing a count (merging its parts, taking
 * the medians) and building a unit index run here too, ahead of the queued counts: they are short,
 * and a count whose parts are in waits only for them. Workers do not keep the process alive;
 * `close` ends them.
 */
import type { Worker } from 'node:worker_threads';
import { startTsWorker } from '../../ts-worker.ts';
import type { CodeFilter, CodeGrouping, StatusCodes } from './codes.ts';
import type { CodeColumn } from './columns.ts';
import type { CountPart, CountSummary } from './count.ts';
import type { CountReply, CountRequest } from './count-worker.ts';
import type { FrameCounts } from '../frames.ts';
import type { FrameTask } from './frame-part.ts';
import type { HeatFrameCounts, HeatFrameTask } from './heat-frames.ts';
import type { RowRange } from './rows.ts';
import type { ColumnsLoan } from './shared-view.ts';
import { UnitIndex } from './unit-index.ts';

/** One part of a count: `countPart`'s arguments, with the columns lent. */
export type CountTask = {
  loan: ColumnsLoan; filter: CodeFilter; grouping: CodeGrouping; codes: StatusCodes; withHours: boolean; range: RowRange;
};

/** The finish of a count from its parts (handed over: the caller no longer reads them), over `groupCount` groups (groupCountOf). */
export type FinishTask = { parts: CountPart[]; groupCount: number; withTotal: boolean };

/** A unit index to build from a column of codes or from lists of codes per row (UnitIndex.ofColumn, ofLists), all in shared memory. */
export type IndexTask = { length: number; units: number; version: number } & (
  | { kind: 'column'; column: CodeColumn }
  | { kind: 'lists'; start: Int32Array; count: Uint8Array; pool: CodeColumn }
);

type Reply = Exclude<CountReply, { error: string }>;
type Job = { request: CountRequest; transfer: ArrayBuffer[]; resolve: (reply: Reply) => void; reject: (err: Error) => void };
type Slot = { worker: Worker; ready: boolean; job: Job | null };

/** Starts a counting worker. */
const spawn = (): Worker => startTsWorker(new URL('./count-worker.ts', import.meta.url));

export class CountPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private closed = false;

  constructor(readonly size: number, private readonly log: (message: string) => void = (m) => console.warn(m)) {
    for (let i = 0; i < size; i++) this.slots.push(this.start());
  }

  /** Counts one part on the next idle worker. */
  async run(task: CountTask): Promise<CountPart> {
    const reply = await this.send({ task }, [], false);
    if (!('counters' in reply)) throw new Error('a counting worker answered a count with something else');
    return { counters: reply.counters, hours: { values: reply.values, groups: reply.groups, length: reply.values.length } };
  }

  /** Counts one part of a playback (frame-part.ts) on the next idle worker. */
  async frames(task: FrameTask): Promise<FrameCounts> {
    const reply = await this.send({ frames: task }, [], false);
    if (!('frames' in reply)) throw new Error('a counting worker answered a playback part with something else');
    return reply.frames;
  }

  /** Counts one part of a playback's heat (heat-frames.ts) on the next idle worker. */
  async heatFrames(task: HeatFrameTask): Promise<HeatFrameCounts> {
    const reply = await this.send({ heatFrames: task }, [], false);
    if (!('heat' in reply)) throw new Error('a counting worker answered a playback heat part with something else');
    return reply.heat;
  }

  /** Merges a count's parts and takes its medians on a worker; the parts' buffers are handed over. */
  async finish(task: FinishTask): Promise<CountSummary> {
    const transfer = task.parts.flatMap((p) => [p.counters.buffer, p.hours.values.buffer, ...(p.hours.groups ? [p.hours.groups.buffer] : [])]) as ArrayBuffer[];
    const reply = await this.send({ finish: task }, [...new Set(transfer)], true);
    if (!('summary' in reply)) throw new Error('a counting worker answered a finish with something else');
    return reply.summary;
  }

  /** Builds a unit index on a worker, into shared memory the main thread then reads. */
  async index(task: IndexTask): Promise<UnitIndex> {
    const reply = await this.send({ index: task }, [], true);
    if (!('index' in reply)) throw new Error('a counting worker answered an index with something else');
    return UnitIndex.of(reply.index);
  }

  /** Queues a job (`urgent`: ahead of the queued counts) for the next idle worker. */
  private send(request: CountRequest, transfer: ArrayBuffer[], urgent: boolean): Promise<Reply> {
    if (this.closed) return Promise.reject(new Error('the KPI counting workers were closed'));
    return new Promise((resolve, reject) => {
      const job = { request, transfer, resolve, reject };
      if (urgent) this.queue.unshift(job);
      else this.queue.push(job);
      this.dispatch();
    });
  }

  /** Ends the workers; queued and running parts fail. */
  async close(): Promise<void> {
    this.closed = true;
    const stopped = new Error('the KPI counting workers were closed');
    for (const job of this.queue.splice(0)) job.reject(stopped);
    await Promise.all(this.slots.map(async (slot) => {
      slot.job?.reject(stopped);
      slot.job = null;
      await slot.worker.terminate();
    }));
  }

  private start(): Slot {
    const slot: Slot = { worker: spawn(), ready: false, job: null };
    slot.worker.on('message', (reply: CountReply | { ready: true }) => {
      if ('ready' in reply) slot.ready = true;
      else {
        const job = slot.job;
        slot.job = null;
        if (reply.error !== undefined) job?.reject(new Error(reply.error));
        else job?.resolve(reply);
      }
      this.dispatch();
    });
    const fail = (err: Error) => {
      const index = this.slots.indexOf(slot);
      if (index < 0) return;
      slot.job?.reject(err);
      slot.job = null;
      if (this.closed) return;
      this.log(`civgrid: a KPI counting worker stopped (${err.message}); starting another`);
      this.slots[index] = this.start();
    };
    slot.worker.on('error', fail);
    slot.worker.on('exit', (code) => fail(new Error(`exit code ${code}`)));
    return slot;
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (!this.queue.length) return;
      if (!slot.ready || slot.job) continue;
      const job = this.queue.shift()!;
      slot.job = job;
      slot.worker.postMessage(job.request, job.transfer);
    }
  }
}
