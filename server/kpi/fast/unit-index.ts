/**
 * Row slots by unit (street, community, grid, site), in slot order: a drill-down into one street
 * reads its own rows of the period instead of testing every row of the district's (13× fewer at
 * the 10 M benchmark, ~500× fewer for a grid). Rows appended after the build are a tail the caller
 * scans; a change of a held row's place, or a long tail, makes the owner build it again. Built in
 * shared memory: the counting workers read the main thread's index (UnitIndex.of).
 *
 * A slot is held as its low 16 bits, and each unit's slots in a segment of 65 536 rows are found
 * by a table of offsets per unit and segment: half the memory of 32-bit slots (an index of 10 M
 * rows took 40 MB; now 20 MB, plus 4 bytes per unit and segment: 6 MB for 10 k grids).
 */
import type { CodeColumn } from './columns.ts';
import { sharedArray } from './shared-array.ts';

const SEGMENT_BITS = 16;
const LOW = (1 << SEGMENT_BITS) - 1;

/** What a worker needs to rebuild an index over the same shared memory. */
export type UnitIndexParts = { offsets: Int32Array; low: Uint16Array; segments: number; builtLength: number; version: number };

export class UnitIndex {
  /** Entries of the offset table per unit: one per segment, and the unit's end. */
  private readonly width: number;
  private readonly units: number;

  private constructor(
    /** Unit u's slots in segment s: low[offsets[u * width + s] .. offsets[u * width + s + 1]), the last entry of a unit its end. */
    private readonly offsets: Int32Array,
    private readonly low: Uint16Array,
    private readonly segments: number,
    /** Rows [0, builtLength) are indexed; later ones are the tail. */
    readonly builtLength: number,
    /** The owner's place version at build time. */
    readonly version: number,
  ) {
    this.width = segments + 1;
    this.units = offsets.length / this.width;
  }

  /** Counting sort of the rows by their code in `column` (rows with no unit, code -1, are left out). */
  static ofColumn(column: CodeColumn, length: number, units: number, version: number): UnitIndex {
    return UnitIndex.build(length, units, version, (visit) => {
      for (let r = 0; r < length; r++) if (column[r] >= 0) visit(column[r], r);
    });
  }

  /** The same for lists of codes per row (sites: row r holds pool[start[r] .. start[r] + count[r])). */
  static ofLists(start: Int32Array, count: Uint8Array, pool: CodeColumn, length: number, units: number, version: number): UnitIndex {
    return UnitIndex.build(length, units, version, (visit) => {
      for (let r = 0; r < length; r++) for (let k = start[r], last = k + count[r]; k < last; k++) visit(pool[k], r);
    });
  }

  /** Two passes over the (unit, row) pairs `each` visits in row order: count per unit and segment, then place. */
  private static build(length: number, units: number, version: number, each: (visit: (unit: number, r: number) => void) => void): UnitIndex {
    const segments = Math.ceil(length / (LOW + 1));
    const width = segments + 1;
    const offsets = sharedArray(Int32Array, units * width);
    each((u, r) => offsets[u * width + (r >>> SEGMENT_BITS)]++);
    let total = 0;
    for (let u = 0; u < units; u++) {
      for (let s = 0, k = u * width; s < segments; s++, k++) {
        const n = offsets[k];
        offsets[k] = total;
        total += n;
      }
      offsets[u * width + segments] = total;
    }
    const fill = offsets.slice();
    const low = sharedArray(Uint16Array, total);
    each((u, r) => {
      low[fill[u * width + (r >>> SEGMENT_BITS)]++] = r & LOW;
    });
    return new UnitIndex(offsets, low, segments, length, version);
  }

  /** The index over the memory of `parts` (a worker's view of one built on the main thread). */
  static of(parts: UnitIndexParts): UnitIndex {
    return new UnitIndex(parts.offsets, parts.low, parts.segments, parts.builtLength, parts.version);
  }

  get parts(): UnitIndexParts {
    return { offsets: this.offsets, low: this.low, segments: this.segments, builtLength: this.builtLength, version: this.version };
  }

  /** How many indexed slots of a unit lie within [from, to). */
  count(code: number, from: number, to: number): number {
    if (code < 0 || code >= this.units || from >= to) return 0;
    return this.position(code, to) - this.position(code, from);
  }

  /** Writes the indexed slots of a unit within [from, to), ascending, to `out` from `at`; returns the index after the last. */
  copy(code: number, from: number, to: number, out: Int32Array, at: number): number {
    if (code < 0 || code >= this.units || from >= to) return at;
    const base = code * this.width;
    const end = this.position(code, to);
    let s = from >>> SEGMENT_BITS;
    let segmentEnd = this.offsets[base + s + 1];
    for (let k = this.position(code, from); k < end; k++) {
      while (k >= segmentEnd) segmentEnd = this.offsets[base + ++s + 1];
      out[at++] = (s << SEGMENT_BITS) | this.low[k];
    }
    return at;
  }

  /** The indexed slots of a unit within [from, to), ascending, in a new array. */
  slotsOf(code: number, from: number, to: number): Int32Array {
    const out = new Int32Array(this.count(code, from, to));
    this.copy(code, from, to, out, 0);
    return out;
  }

  /** Where in `low` the unit's first slot at or after `slot` is (its end when none). */
  private position(code: number, slot: number): number {
    const base = code * this.width;
    const s = slot >>> SEGMENT_BITS;
    if (s >= this.segments) return this.offsets[base + this.segments];
    let lo = this.offsets[base + s];
    let hi = this.offsets[base + s + 1];
    const target = slot & LOW;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.low[mid] < target) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
