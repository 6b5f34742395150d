/**
 * The KPI engine's counting workers: a few worker threads that run the engine's own counting
 * (count.ts, through count-worker.ts) over the shared columns, so a heavy count uses the second
 * core and no longer holds the main thread's event loop (`/api/health`, cached reads, SSE).
 * Tasks queue in arrival order and go to the next idle worker: several queries count at once, and
 * the parts of one split query count side by side. Workers do not keep the process alive; `close`
 * ends them.
 */
import type { Worker } from 'node:worker_threads';
import { startTsWorker } from '../../ts-worker.ts';
import type { CodeFilter, CodeGrouping, StatusCodes } from './codes.ts';
import type { CountPart } from './count.ts';
import type { CountReply, CountRequest } from './count-worker.ts';
import type { RowRange } from './rows.ts';
import type { ColumnsLoan } from './shared-view.ts';

/** One part of a count: `countPart`'s arguments, with the columns lent. */
export type CountTask = {
  loan: ColumnsLoan; filter: CodeFilter; grouping: CodeGrouping; codes: StatusCodes; withHours: boolean; range: RowRange;
};

type Job = { task: CountTask; resolve: (part: CountPart) => void; reject: (err: Error) => void };
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
  run(task: CountTask): Promise<CountPart> {
    if (this.closed) return Promise.reject(new Error('the KPI counting workers were closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ task, resolve, reject });
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
        else job?.resolve({ counters: reply.counters, hours: { values: reply.values, groups: reply.groups, length: reply.values.length } });
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
      const request: CountRequest = { task: job.task };
      slot.worker.postMessage(request);
    }
  }
}
