/**
 * Scratch arrays of the KPI engine's counts (the selection, the (row, group) pairs, the hours), one
 * set per thread: counting is synchronous, so each count reuses the last one's instead of
 * allocating 10⁶ slots, which costs more than the scan. Only arrays up to {@link SCRATCH_KEEP}
 * values are kept: a count over every row of 10 M issues (a backlog as of a frame) needs one of
 * 12.5 M slots, and kept by the main thread and each counting worker, such arrays held ~150 MB
 * between requests. A larger one is used once and left to the garbage collector.
 */

/** Values a kept scratch array may hold: a city's 90-day period (~1.1 M rows at 10 M issues) fits with room. */
export const SCRATCH_KEEP = 1 << 21;

type ScratchArray = Int32Array | Float64Array;

/** One reusable scratch array of a thread. */
export class Scratch<T extends ScratchArray> {
  private held: T;

  constructor(private readonly make: (length: number) => T) {
    this.held = make(0);
  }

  /** The length of the array kept for the next count (tests). */
  get keptLength(): number {
    return this.held.length;
  }

  /** An array of at least `capacity` values (contents undefined): the kept one, or a new one with a quarter to spare. */
  get(capacity: number): T {
    if (this.held.length >= capacity) return this.held;
    const next = this.make(Math.ceil(capacity * 1.25));
    this.offer(next);
    return next;
  }

  /** Keeps `array` for the next count when it is larger than the kept one and small enough to keep. */
  offer(array: T): void {
    if (array.length > this.held.length && array.length <= SCRATCH_KEEP) this.held = array;
  }
}
