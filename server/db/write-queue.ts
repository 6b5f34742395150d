/**
 * One lane for every write job of a database, in call order. DuckDB resolves concurrent writers
 * optimistically: two transactions touching the same rows make the second fail with a conflict.
 * Running write jobs one at a time means no transaction ever conflicts, and a job may read, decide
 * and write (ingest's duplicate check, a workflow step, a plan edit) without anyone writing between.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export class WriteQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private queued = 0;
  private startedAt: number | null = null;
  /** Set inside a running job: a job queueing another would wait for itself forever. */
  private readonly inside = new AsyncLocalStorage<true>();

  constructor(private readonly clock: () => number = Date.now) {}

  /** Runs `job` once every job queued before it has settled; a failing job does not stop the next. */
  run<T>(job: () => Promise<T>): Promise<T> {
    if (this.inside.getStore()) {
      return Promise.reject(new Error('a write job cannot queue another write job; use the Writer it was given'));
    }
    this.queued++;
    const start = () => {
      this.startedAt = this.clock();
      return this.inside.run(true, job);
    };
    const result = this.tail.then(start);
    this.tail = result.then(
      () => this.settled(),
      () => this.settled(),
    );
    return result;
  }

  /** When the running job began (epoch ms), or null when none runs. */
  get runningSince(): number | null {
    return this.startedAt;
  }

  /** Jobs queued or running. */
  get length(): number {
    return this.queued;
  }

  /** Resolves once every job queued so far has settled. */
  async drained(): Promise<void> {
    while (this.queued > 0) await this.tail;
  }

  private settled(): void {
    this.queued--;
    this.startedAt = null;
  }
}
