/**
 * A counting gate: at most `limit` holders at once, the rest wait in arrival order. Pure (no
 * timers, no I/O), so its order and bookkeeping are tested without a server.
 */
export class Admission {
  private holders = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`an admission limit is a whole number ≥ 1, got ${limit}`);
  }

  /** Holders now. */
  get running(): number {
    return this.holders;
  }

  /** Callers waiting for a place. */
  get queued(): number {
    return this.waiting.length;
  }

  /**
   * Resolves once the caller holds a place, to the function that gives it up (calling it again
   * does nothing). A place given up goes straight to the longest waiter, so a newcomer never
   * overtakes the queue.
   */
  async enter(): Promise<() => void> {
    if (this.holders < this.limit) this.holders++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    let left = false;
    return () => {
      if (left) return;
      left = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.holders--;
    };
  }

  /** Runs `task` holding a place, and gives it up however the task ends. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    const leave = await this.enter();
    try {
      return await task();
    } finally {
      leave();
    }
  }
}
