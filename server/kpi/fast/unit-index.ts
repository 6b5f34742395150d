/**
 * Row slots by unit (street, community, grid, site), in slot order: a drill-down into one street
 * reads its own rows of the period instead of testing every row of the district's (13× fewer at
 * the 10 M benchmark, ~500× fewer for a grid). Rows appended after the build are a tail the caller
 * scans; a change of a held row's place, or a long tail, makes the owner build it again. Built in
 * shared memory: the counting workers read the main thread's index (UnitIndex.of).
 */
import type { CodeColumn } from './columns.ts';
import { sharedArray } from './shared-array.ts';

/** What a worker needs to rebuild an index over the same shared memory. */
export type UnitIndexParts = { starts: Int32Array; slots: Int32Array; builtLength: number; version: number };

export class UnitIndex {
  private constructor(
    /** Slots of unit u: slots[starts[u] .. starts[u + 1]). */
    private readonly starts: Int32Array,
    private readonly slots: Int32Array,
    /** Rows [0, builtLength) are indexed; later ones are the tail. */
    readonly builtLength: number,
    /** The owner's place version at build time. */
    readonly version: number,
  ) {}

  /** Counting sort of the rows by their code in `column` (rows with no unit, code -1, are left out). */
  static ofColumn(column: CodeColumn, length: number, units: number, version: number): UnitIndex {
    const starts = sharedArray(Int32Array, units + 1);
    for (let r = 0; r < length; r++) if (column[r] >= 0) starts[column[r] + 1]++;
    for (let u = 0; u < units; u++) starts[u + 1] += starts[u];
    const fill = starts.slice(0, units);
    const slots = sharedArray(Int32Array, starts[units]);
    for (let r = 0; r < length; r++) if (column[r] >= 0) slots[fill[column[r]]++] = r;
    return new UnitIndex(starts, slots, length, version);
  }

  /** The same for lists of codes per row (sites: row r holds pool[start[r] .. start[r] + count[r])). */
  static ofLists(start: Int32Array, count: Uint8Array, pool: CodeColumn, length: number, units: number, version: number): UnitIndex {
    const starts = sharedArray(Int32Array, units + 1);
    for (let r = 0; r < length; r++) for (let k = start[r], last = k + count[r]; k < last; k++) starts[pool[k] + 1]++;
    for (let u = 0; u < units; u++) starts[u + 1] += starts[u];
    const fill = starts.slice(0, units);
    const slots = sharedArray(Int32Array, starts[units]);
    for (let r = 0; r < length; r++) for (let k = start[r], last = k + count[r]; k < last; k++) slots[fill[pool[k]]++] = r;
    return new UnitIndex(starts, slots, length, version);
  }

  /** The index over the memory of `parts` (a worker's view of one built on the main thread). */
  static of(parts: UnitIndexParts): UnitIndex {
    return new UnitIndex(parts.starts, parts.slots, parts.builtLength, parts.version);
  }

  get parts(): UnitIndexParts {
    return { starts: this.starts, slots: this.slots, builtLength: this.builtLength, version: this.version };
  }

  /** The indexed slots of a unit within [from, to), ascending. */
  slotsOf(code: number, from: number, to: number): Int32Array {
    if (code < 0 || code + 1 >= this.starts.length) return new Int32Array(0);
    const lo = this.lowerBound(this.starts[code], this.starts[code + 1], from);
    const hi = this.lowerBound(lo, this.starts[code + 1], to);
    return this.slots.subarray(lo, hi);
  }

  private lowerBound(lo: number, hi: number, slot: number): number {
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.slots[mid] < slot) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
