/**
 * The issues as typed columns in memory, for the KPI engine (server/kpi/fast): one slot per issue
 * row, text values replaced by dictionary codes, times as epoch milliseconds. Pure data structure:
 * the SQL that fills it is load.ts, the counting is count.ts.
 *
 * Why: at city scale (10 M issues) every dashboard answer is a scan of a million rows or more;
 * DuckDB spends most of that on string keys and repeated filter expressions, where a loop over
 * typed arrays on the same two cores is ~10× faster (figures in README "Performance").
 */

import { sharedArray, type SharedArrayType } from './shared-array.ts';
import { DepartmentMoves } from './departments.ts';
import { UnitIndex } from './unit-index.ts';
import type { IndexTask } from './pool.ts';
import { backlogUntil } from './frame-kernels.ts';
import { NO_SECONDS, RULE_STATUSES } from './kernels.ts';
import { MEASURE_SECONDS } from '../rules-sql.ts';
import { DAY, type StatusCodes } from './codes.ts';

/**
 * Positions are held as integer 1e-7 degrees (WGS84, as stored): 8 bytes an issue where Float64
 * pairs took 16. Float32 would be as small but, at longitude ~100°, steps 2^-17° ≈ 0.8 m — a
 * 4-pixel heat bin at zoom 18 is ~2 m, so many points would change bins. 1e-7° is ~1 cm, and a
 * coordinate of up to 7 decimals (every import and the demo's 6) comes back as the very double stored.
 */
export const COORD_SCALE = 1e7;

/** Close times in whole seconds count from here (2000-01-01Z; 32 bits reach 1931–2068). */
export const CLOSED_BASE = Date.UTC(2000, 0, 1);

/** Rows per block; each block keeps min/max report and deadline times so a period skips blocks. */
export const BLOCK = 4096;

/**
 * A row whose backlog bound (`backlogUntil`) is this long after its report (an issue still open,
 * one closed late) is marked by itself, not in its block's bound: most issues close within a
 * month, and one that closed a year late would otherwise make every playback since read its block.
 */
export const LATE_MS = 30 * DAY;

/**
 * A column of dictionary codes, -1 for none: 16-bit while the dictionary has at most
 * {@link INT16_CODES} values (every coded column of a city: 10 k grids, ~700 communities), else
 * 32-bit. The five coded columns and the site lists take half the memory (−110 MB at 10 M issues).
 * The width is chosen at a full load; a value no dictionary knows makes the engine load again.
 */
export type CodeColumn = Int16Array | Int32Array;

/** The most codes a 16-bit code column holds (codes 0 … 32766, and -1). */
export const INT16_CODES = 0x7fff;

/** A code column of `length` rows (empty by default) wide enough for the codes of a dictionary of `size` values. */
export const codeColumn = (size: number, length = 0): CodeColumn => (size <= INT16_CODES ? new Int16Array(length) : new Int32Array(length));

/** Text values ↔ dense integer codes. */
export class Dictionary {
  readonly values: string[] = [];
  private readonly codes = new Map<string, number>();

  constructor(values: Iterable<string> = []) {
    for (const v of values) this.add(v);
  }

  add(value: string): number {
    let code = this.codes.get(value);
    if (code === undefined) {
      code = this.values.push(value) - 1;
      this.codes.set(value, code);
    }
    return code;
  }

  code(value: string): number | undefined {
    return this.codes.get(value);
  }

  get size(): number {
    return this.values.length;
  }

  /** A mask over the codes with the given values set (values not in the dictionary are ignored). */
  mask(values: Iterable<string>): Uint8Array {
    const m = new Uint8Array(this.size);
    for (const v of values) {
      const c = this.codes.get(v);
      if (c !== undefined) m[c] = 1;
    }
    return m;
  }
}

/** The dictionaries of the coded columns. */
export type Dictionaries = {
  status: Dictionary; source: Dictionary; category: Dictionary;
  grid: Dictionary; community: Dictionary; street: Dictionary; site: Dictionary; department: Dictionary;
};

/** One batch of rows as read from DuckDB, column by column; codes are -1 for NULL. */
export type RowBatch = {
  length: number;
  rowid: Float64Array; idHash: Int16Array;
  /** `hours`: the measure's seconds (rules-sql.ts `measureSecondsSql`), NaN when a time is missing. */
  reported: Float64Array; deadline: Float64Array; closed: Float64Array; hours: Float64Array;
  status: Int32Array; source: Int32Array; category: Int32Array;
  grid: Int32Array; community: Int32Array; street: Int32Array; department: Int32Array; flags: Int32Array;
  /** Position in {@link COORD_SCALE} units. */
  lon: Int32Array; lat: Int32Array;
};

/** A batch of `n` rows with every column zero, to be filled in code (the benchmark's and tests' synthetic rows). */
export function emptyRowBatch(n: number): RowBatch {
  const f64 = () => new Float64Array(n);
  const i32 = () => new Int32Array(n);
  return {
    length: n, rowid: f64(), idHash: new Int16Array(n), reported: f64(), deadline: f64(), closed: f64(), hours: f64(),
    status: i32(), source: i32(), category: i32(), grid: i32(), community: i32(), street: i32(), department: i32(), flags: i32(), lon: i32(), lat: i32(),
  };
}

/** Units a scope can name, each with a row index (unit-index.ts). */
export type UnitKind = 'street' | 'community' | 'grid' | 'site' | 'department';

/** Thrown when a batch does not fit what is held (an id changed under a rowid): reload everything. */
export class OutOfStep extends Error {}

/**
 * Rows a full load of `rows` leaves room for beyond them: reports arriving after the load are
 * written in place. Growing copies every column, and until the counting workers' and the
 * planner's last views of the old copy are collected both copies stay resident (+0.9 GB at 10 M
 * issues after the first report). The room costs address space only: pages never written stay
 * out of the resident set.
 */
export const loadMargin = (rows: number): number => Math.max(65_536, Math.ceil(rows / 32));

/**
 * The array with room for `size` values: itself, or a larger copy with a sixteenth to spare (at
 * least 1 024 values), a step for rows appended past a load's margin. Copies live in
 * SharedArrayBuffers, so the counting workers read the very same memory (pool.ts): one copy of
 * the columns in the process, not one per thread.
 */
const grow = <T extends Float64Array | Int32Array | Int16Array | Uint8Array>(a: T, size: number): T => {
  if (a.length >= size) return a;
  const next = sharedArray(a.constructor as SharedArrayType<T>, Math.max(size, a.length + Math.max(1024, Math.ceil(a.length / 16))));
  next.set(a);
  return next;
};

/**
 * What a count reads of the columns: the engine's IssueColumns on the main thread, or a view of
 * the same shared memory in a counting worker (shared-view.ts).
 */
export type ColumnView = Pick<IssueColumns,
  | 'length' | 'reported' | 'deadline' | 'closed' | 'closedScale' | 'closedBase' | 'hours' | 'hoursDivisor' | 'status' | 'source' | 'flags' | 'category' | 'grid' | 'community'
  | 'street' | 'department' | 'siteStart' | 'siteCount' | 'sitePool' | 'minReported' | 'maxReported' | 'minDeadline' | 'maxDeadline'
  | 'lon' | 'lat' | 'backlogUntil' | 'backlogLate' | 'rowsWithoutStreet' | 'blocks' | 'unitIndex'>;

export class IssueColumns {
  length = 0;
  reported = new Float64Array(0);
  /** NaN when the issue has no deadline. */
  deadline = new Float64Array(0);
  /**
   * When the issue was closed, read only to count as of an instant: whole seconds since
   * {@link CLOSED_BASE} ({@link NO_SECONDS}: none) while every close time is a whole second
   * within 32 bits of it — 40 MB less at 10 M issues — else epoch ms (NaN: none), from the first
   * that is not. The kernels read `closed[r] * closedScale + closedBase`: the very epoch ms.
   */
  closed: Int32Array | Float64Array = new Int32Array(0);
  closedScale = 1000;
  closedBase = CLOSED_BASE;
  /**
   * Dispatch → close: whole seconds ({@link NO_SECONDS} when a time is missing) while every value
   * is whole and fits 32 bits — 40 MB less at 10 M issues — else hours (NaN: none), from the first
   * value that is not. The kernels collect `hours[r] / hoursDivisor`: the very double the SQL's
   * seconds / 3600.0 gives, so medians and means stay equal to the SQL's.
   */
  hours: Int32Array | Float64Array = new Int32Array(0);
  hoursDivisor = MEASURE_SECONDS;
  status = new Uint8Array(0);
  source = new Uint8Array(0);
  /** One bit per fact of the KPI rules (kernels.ts `factBit`), computed by DuckDB so sub-millisecond times compare exactly. */
  flags = new Uint8Array(0);
  category: CodeColumn;
  grid: CodeColumn;
  community: CodeColumn;
  street: CodeColumn;
  /** The department the issue is dispatched to now; -1 for none. */
  department: CodeColumn;
  /** A 15-bit hash of the issue id: a rowid read again must still hold the same issue (`apply`). */
  idHash = new Int16Array(0);
  /** Position in {@link COORD_SCALE} units: the heat bins and the planner's grid of each issue read it. */
  lon = new Int32Array(0);
  lat = new Int32Array(0);
  /** Site codes of row r: sitePool[siteStart[r] .. siteStart[r] + siteCount[r]). */
  siteStart = new Int32Array(0);
  siteCount = new Uint8Array(0);
  sitePool: CodeColumn;
  sitePoolLength = 0;
  /**
   * Row slot of a DuckDB rowid, -1 when none; empty while every rowid up to maxRowid is its own
   * slot (a table read in rowid order with no row deleted: the usual case, 40 MB at 10 M issues).
   */
  private slotOfRowid = new Int32Array(0);
  private rowidIsSlot = true;
  maxRowid = -1;
  /** Per block: min/max of reported and deadline (deadline: ±Infinity when a block has none). */
  minReported = new Float64Array(0);
  maxReported = new Float64Array(0);
  minDeadline = new Float64Array(0);
  maxDeadline = new Float64Array(0);
  /**
   * Per block: the latest backlog bound (frame-kernels.ts `backlogUntil`) of its rows not marked
   * late; -Infinity for none. Widened as rows are written, like the times' bounds.
   */
  backlogUntil = new Float64Array(0);
  /** One bit per row (row r: bit r & 31 of word r >> 5): its backlog bound is more than LATE_MS after its report. */
  backlogLate = new Int32Array(0);

  /** Rows with no street (outside every street): a district scope that holds every street still leaves them out. */
  rowsWithoutStreet = 0;

  /** Bumped when a held row changes its department (a re-dispatch): a column as of an instant made before is stale. */
  departmentVersion = 0;

  /** The department changes of the cases re-dispatched since their import (the department as of an instant). */
  moves: DepartmentMoves = DepartmentMoves.NONE;

  /** Bumped when a held row changes its grid, community, street or sites: unit indexes are then stale. */
  private placeVersion = 0;
  private readonly indexes = new Map<UnitKind, UnitIndex>();

  constructor(readonly dict: Dictionaries) {
    this.category = codeColumn(dict.category.size);
    this.grid = codeColumn(dict.grid.size);
    this.community = codeColumn(dict.community.size);
    this.street = codeColumn(dict.street.size);
    this.department = codeColumn(dict.department.size);
    this.sitePool = codeColumn(dict.site.size);
  }

  /** The row slots by unit of a kind, built on first use and again when stale or when the unindexed tail has grown long. */
  unitIndex(kind: UnitKind): UnitIndex {
    let index = this.currentIndex(kind);
    if (!index) {
      const b = this.indexSource(kind);
      index = b.kind === 'lists' ? UnitIndex.ofLists(b.start, b.count, b.pool, b.length, b.units, b.version) : UnitIndex.ofColumn(b.column, b.length, b.units, b.version);
      this.indexes.set(kind, index);
    }
    return index;
  }

  /** The index of a kind if it needs no build now, else null. */
  currentIndex(kind: UnitKind): UnitIndex | null {
    const index = this.indexes.get(kind);
    if (!index || index.version !== this.placeVersion || this.length - index.builtLength > Math.max(65_536, this.length / 8)) return null;
    return index;
  }

  /** What an index of a kind is built from, now (a counting worker builds it from the same shared memory: pool.ts). */
  indexSource(kind: UnitKind): IndexTask {
    const at = { length: this.length, version: this.placeVersion };
    return kind === 'site'
      ? { kind: 'lists', start: this.siteStart, count: this.siteCount, pool: this.sitePool, units: this.dict.site.size, ...at }
      : { kind: 'column', column: this[kind], units: this.dict[kind].size, ...at };
  }

  /** Keeps an index built elsewhere from `indexSource`, unless a row moved since. */
  adoptIndex(kind: UnitKind, index: UnitIndex): void {
    if (index.version === this.placeVersion) this.indexes.set(kind, index);
  }

  get blocks(): number {
    return Math.ceil(this.length / BLOCK);
  }

  /** Adds the batch's rows; a rowid already held is overwritten in its slot (an updated issue). */
  apply(batch: RowBatch): void {
    this.reserve(this.length + batch.length);
    const codes = this.statusCodes();
    for (let i = 0; i < batch.length; i++) {
      const rowid = batch.rowid[i];
      let slot = this.slotOf(rowid);
      if (slot >= 0) {
        if (this.idHash[slot] !== batch.idHash[i]) throw new OutOfStep(`rowid ${rowid} now holds another issue`);
        if (this.department[slot] !== batch.department[i]) this.departmentVersion++;
        if (this.grid[slot] !== batch.grid[i] || this.community[slot] !== batch.community[i] || this.street[slot] !== batch.street[i]
          || this.department[slot] !== batch.department[i]) this.placeChanged(slot);
        if (this.street[slot] < 0) this.rowsWithoutStreet--;
      } else {
        slot = this.length++;
        this.noteRowid(rowid, slot);
        this.siteCount[slot] = 0;
      }
      this.write(slot, batch, i, codes);
    }
  }

  /**
   * A full load of `rows` issues whose rowids are 0 … rows − 1 (no row deleted): each row goes to
   * the slot of its rowid, whatever order DuckDB streams them in (its parallel scan interleaves
   * row groups). Slots then follow table order, which the block bounds prune by, and no rowid →
   * slot table is needed. `fill` streams the batches; a rowid out of range throws OutOfStep.
   */
  async loadInRowidOrder(rows: number, fill: (place: (batch: RowBatch) => void) => Promise<void>): Promise<void> {
    if (this.length !== 0) throw new Error('a load in rowid order starts from empty columns');
    this.reserve(rows);
    const codes = this.statusCodes();
    let placed = 0;
    await fill((batch) => {
      for (let i = 0; i < batch.length; i++) {
        const slot = batch.rowid[i];
        if (!(slot >= 0 && slot < rows)) throw new OutOfStep(`rowid ${slot} beyond the ${rows} issues counted`);
        this.write(slot, batch, i, codes);
      }
      placed += batch.length;
    });
    if (placed !== rows) throw new OutOfStep(`${placed} rows read of the ${rows} issues counted`);
    this.length = rows;
    this.maxRowid = rows - 1;
  }

  /** The codes of the statuses the rules name (-1 for one no issue has), as the kernels take them. */
  statusCodes(): StatusCodes {
    return Object.fromEntries(RULE_STATUSES.map((s) => [s, this.dict.status.code(s) ?? -1]));
  }

  /** Writes row i of a batch into a slot (`codes`: statusCodes()). */
  private write(slot: number, batch: RowBatch, i: number, codes: StatusCodes): void {
    if (batch.street[i] < 0) this.rowsWithoutStreet++;
    this.reported[slot] = batch.reported[i];
    this.deadline[slot] = batch.deadline[i];
    this.writeClosed(slot, batch.closed[i]);
    this.writeHours(slot, batch.hours[i]);
    this.status[slot] = batch.status[i];
    this.source[slot] = batch.source[i];
    this.flags[slot] = batch.flags[i];
    this.category[slot] = batch.category[i];
    this.grid[slot] = batch.grid[i];
    this.community[slot] = batch.community[i];
    this.street[slot] = batch.street[i];
    this.department[slot] = batch.department[i];
    this.idHash[slot] = batch.idHash[i];
    this.lon[slot] = batch.lon[i];
    this.lat[slot] = batch.lat[i];
    this.widenBlock(slot);
    this.noteBacklog(slot, backlogUntil(this, slot, codes));
  }

  private writeClosed(slot: number, ms: number): void {
    if (this.closed instanceof Int32Array) {
      if (ms !== ms) {
        this.closed[slot] = NO_SECONDS;
        return;
      }
      const seconds = (ms - CLOSED_BASE) / 1000;
      if (Number.isInteger(seconds) && seconds > NO_SECONDS && seconds <= 0x7fffffff) {
        this.closed[slot] = seconds;
        return;
      }
      // A close time with a fraction of a second, or beyond 32 bits: epoch ms from now on.
      const held = this.closed;
      const closed = sharedArray(Float64Array, held.length);
      for (let r = 0; r < held.length; r++) closed[r] = held[r] === NO_SECONDS ? NaN : held[r] * 1000 + CLOSED_BASE;
      this.closed = closed;
      this.closedScale = 1;
      this.closedBase = 0;
    }
    this.closed[slot] = ms;
  }

  private writeHours(slot: number, seconds: number): void {
    if (this.hours instanceof Int32Array) {
      if (seconds !== seconds) {
        this.hours[slot] = NO_SECONDS;
        return;
      }
      if (Number.isInteger(seconds) && seconds > NO_SECONDS && seconds <= 0x7fffffff) {
        this.hours[slot] = seconds;
        return;
      }
      this.fractionalHours();
    }
    this.hours[slot] = seconds / MEASURE_SECONDS;
  }

  /** Turns the column of whole seconds into one of hours (a time with a fraction of a second arrived). */
  private fractionalHours(): void {
    const seconds = this.hours;
    const hours = sharedArray(Float64Array, seconds.length);
    for (let r = 0; r < seconds.length; r++) hours[r] = seconds[r] === NO_SECONDS ? NaN : seconds[r] / MEASURE_SECONDS;
    this.hours = hours;
    this.hoursDivisor = 1;
  }

  /** Sets the site list of each listed rowid (pairs sorted by rowid); rows not listed keep theirs. */
  applySites(rowids: Float64Array, sites: Int32Array, length: number): void {
    for (let i = 0; i < length; ) {
      const rowid = rowids[i];
      let j = i;
      while (j < length && rowids[j] === rowid) j++;
      const slot = this.slotOf(rowid);
      if (slot < 0) throw new OutOfStep(`site list for unknown rowid ${rowid}`);
      this.setSites(slot, sites.subarray(i, j));
      i = j;
    }
  }

  /** Sets the site list of one rowid (empty: in no site). */
  setSitesOf(rowid: number, codes: Int32Array): void {
    const slot = this.slotOf(rowid);
    if (slot < 0) throw new OutOfStep(`site list for unknown rowid ${rowid}`);
    this.setSites(slot, codes);
  }

  /** A row moved: indexes that hold it are stale (rows of the unindexed tail do not matter). */
  private placeChanged(slot: number): void {
    for (const index of this.indexes.values()) {
      if (slot < index.builtLength) {
        this.placeVersion++;
        return;
      }
    }
  }

  private setSites(slot: number, codes: Int32Array): void {
    if (codes.length > 255) throw new OutOfStep('an issue lies in more than 255 site zones');
    const count = this.siteCount[slot];
    const same = count === codes.length && codes.every((c, k) => this.sitePool[this.siteStart[slot] + k] === c);
    if (same) return;
    this.placeChanged(slot);
    this.sitePool = grow(this.sitePool, this.sitePoolLength + codes.length);
    this.sitePool.set(codes, this.sitePoolLength);
    this.siteStart[slot] = this.sitePoolLength;
    this.siteCount[slot] = codes.length;
    this.sitePoolLength += codes.length;
  }

  /** The row slot of a DuckDB rowid, -1 when none is held. */
  slotOf(rowid: number): number {
    if (rowid > this.maxRowid) return -1;
    return this.rowidIsSlot ? rowid : this.slotOfRowid[rowid];
  }

  /** Whether the rowid → slot table is written out (a rowid was skipped or came out of order); for tests. */
  get rowidMapped(): boolean {
    return !this.rowidIsSlot;
  }

  private noteRowid(rowid: number, slot: number): void {
    if (this.rowidIsSlot) {
      if (rowid === slot) {
        this.maxRowid = rowid;
        return;
      }
      // The first rowid that is not its slot: write the table out, every rowid so far its own slot.
      this.slotOfRowid = new Int32Array(this.maxRowid + 1);
      for (let r = 0; r <= this.maxRowid; r++) this.slotOfRowid[r] = r;
      this.rowidIsSlot = false;
    }
    if (rowid > this.maxRowid) {
      const old = this.slotOfRowid.length;
      this.slotOfRowid = grow(this.slotOfRowid, rowid + 1);
      this.slotOfRowid.fill(-1, old);
      this.maxRowid = rowid;
    }
    this.slotOfRowid[rowid] = slot;
  }

  /** Makes room for `size` rows at once (a full load knows its count; growing by steps would copy 10 M rows several times). */
  reserve(size: number): void {
    this.reported = grow(this.reported, size);
    this.deadline = grow(this.deadline, size);
    this.closed = grow(this.closed, size);
    this.hours = grow(this.hours, size);
    this.status = grow(this.status, size);
    this.source = grow(this.source, size);
    this.flags = grow(this.flags, size);
    this.category = grow(this.category, size);
    this.grid = grow(this.grid, size);
    this.community = grow(this.community, size);
    this.street = grow(this.street, size);
    this.department = grow(this.department, size);
    this.idHash = grow(this.idHash, size);
    this.lon = grow(this.lon, size);
    this.lat = grow(this.lat, size);
    this.siteStart = grow(this.siteStart, size);
    this.siteCount = grow(this.siteCount, size);
    this.backlogLate = grow(this.backlogLate, Math.ceil(size / 32));
    const blocks = Math.ceil(size / BLOCK);
    if (this.minReported.length < blocks) {
      const old = this.minReported.length;
      this.minReported = grow(this.minReported, blocks);
      this.maxReported = grow(this.maxReported, blocks);
      this.minDeadline = grow(this.minDeadline, blocks);
      this.maxDeadline = grow(this.maxDeadline, blocks);
      this.backlogUntil = grow(this.backlogUntil, blocks);
      this.backlogUntil.fill(-Infinity, old);
      this.minReported.fill(Infinity, old);
      this.minDeadline.fill(Infinity, old);
      this.maxReported.fill(-Infinity, old);
      this.maxDeadline.fill(-Infinity, old);
    }
  }

  /** Marks the slot late, or clears its mark and widens its block's backlog bound to `until`. */
  private noteBacklog(slot: number, until: number): void {
    const word = slot >> 5;
    const bit = 1 << (slot & 31);
    if (until > this.reported[slot] + LATE_MS) {
      this.backlogLate[word] |= bit;
      return;
    }
    this.backlogLate[word] &= ~bit;
    const b = (slot / BLOCK) | 0;
    if (until > this.backlogUntil[b]) this.backlogUntil[b] = until;
  }

  /** Widens the block's bounds to the slot's times (an overwritten row may leave them wider than needed). */
  private widenBlock(slot: number): void {
    const b = (slot / BLOCK) | 0;
    const r = this.reported[slot];
    if (r < this.minReported[b]) this.minReported[b] = r;
    if (r > this.maxReported[b]) this.maxReported[b] = r;
    const d = this.deadline[slot];
    if (d < this.minDeadline[b]) this.minDeadline[b] = d;
    if (d > this.maxDeadline[b]) this.maxDeadline[b] = d;
  }
}
