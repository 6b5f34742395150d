/**
 * Waiters let through a few per turn of the event loop. A report reaches every live-feed client at
 * once; woken together, 500 clients' socket writes ran in one turn (100–140 ms of blocked loop at
 * 10 M issues, several times a second under load). Let through `perTurn` at a time, the writes
 * spread over turns and health checks and reads are served in between.
 */
export class Turns {
  private readonly waiting: (() => void)[] = [];
  private scheduled = false;

  /** `schedule` runs a callback on a later turn (setImmediate; tests step it by hand). */
  constructor(
    readonly perTurn: number,
    private readonly schedule: (run: () => void) => void = (run) => void setImmediate(run),
  ) {
    if (!Number.isInteger(perTurn) || perTurn < 1) throw new Error(`waiters per turn is a whole number ≥ 1, got ${perTurn}`);
  }

  /** Waiters not let through yet. */
  get queued(): number {
    return this.waiting.length;
  }

  /** Resolves on a later turn, with at most `perTurn - 1` other waiters, in the order they came. */
  wait(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      if (!this.scheduled) {
        this.scheduled = true;
        this.schedule(this.release);
      }
    });
  }

  private readonly release = (): void => {
    for (const resolve of this.waiting.splice(0, this.perTurn)) resolve();
    if (this.waiting.length) this.schedule(this.release);
    else this.scheduled = false;
  };
}
