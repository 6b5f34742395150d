/**
 * The rows a count looks at, as a selection vector narrowed step by step. Each step is its own
 * tight loop over typed arrays: a row-at-a-time predicate built from closures ran 5× slower,
 * because V8 cannot inline calls whose target changes from query to query.
 */
import { BLOCK, type CodeColumn, type ColumnView, type UnitKind } from './columns.ts';
import type { CodeFilter } from './codes.ts';
import { Scratch } from './scratch.ts';

/** Row slots; `rows` may be longer than `length` (a reused buffer). */
export type Selection = { rows: Int32Array; length: number };

/**
 * Row slots [from, to) a count looks at: all of them, or one part of a count split across the
 * counting workers (pool.ts). Any bounds work, not only block edges.
 */
export type RowRange = { from: number; to: number };

/** The selection's buffer, reused by every count of this thread (scratch.ts). */
const selection = new Scratch((n) => new Int32Array(n));
const selectionBuffer = (capacity: number): Int32Array => selection.get(capacity);

/** Blocks (of those holding rows of `range`) whose bounds allow a row passing PERIOD_PRUNE (reported before the end, and reported or due after the start). */
export function candidateBlocks(cols: ColumnView, start: number, end: number, range: RowRange = { from: 0, to: cols.length }): number[] {
  const blocks: number[] = [];
  const last = Math.min(cols.blocks, Math.ceil(range.to / BLOCK));
  for (let b = Math.floor(range.from / BLOCK); b < last; b++) {
    if (cols.minReported[b] < end && (cols.maxReported[b] >= start || cols.maxDeadline[b] >= start)) blocks.push(b);
  }
  return blocks;
}

/** Rows passing PERIOD_PRUNE, all of them or those whose `column` code is in `mask`, in one pass over the candidate blocks. */
function prunedWhere(cols: ColumnView, start: number, end: number, where: { column: CodeColumn; mask: Uint8Array } | null, range: RowRange): Selection {
  const blocks = candidateBlocks(cols, start, end, range);
  const rows = selectionBuffer(blocks.length * BLOCK);
  const { reported, deadline } = cols;
  const from = range.from, to = Math.min(range.to, cols.length);
  let n = 0;
  if (where === null) {
    for (const b of blocks) {
      for (let r = Math.max(b * BLOCK, from), last = Math.min(b * BLOCK + BLOCK, to); r < last; r++) {
        const rep = reported[r];
        if (rep < end && (rep >= start || deadline[r] >= start)) rows[n++] = r;
      }
    }
    return { rows, length: n };
  }
  const { column, mask } = where;
  for (const b of blocks) {
    for (let r = Math.max(b * BLOCK, from), last = Math.min(b * BLOCK + BLOCK, to); r < last; r++) {
      const rep = reported[r];
      if (rep < end && (rep >= start || deadline[r] >= start) && mask[column[r]] === 1) rows[n++] = r;
    }
  }
  return { rows, length: n };
}

function keepCode(sel: Selection, column: CodeColumn, mask: Uint8Array): void {
  const rows = sel.rows;
  let n = 0;
  for (let i = 0; i < sel.length; i++) if (mask[column[rows[i]]] === 1) rows[n++] = rows[i];
  sel.length = n;
}

function keepUint8(sel: Selection, column: Uint8Array, mask: Uint8Array): void {
  const rows = sel.rows;
  let n = 0;
  for (let i = 0; i < sel.length; i++) if (mask[column[rows[i]]] === 1) rows[n++] = rows[i];
  sel.length = n;
}

/** Rows with at least one site in the mask. */
function keepAtSites(sel: Selection, cols: ColumnView, mask: Uint8Array): void {
  const { rows } = sel;
  const { siteStart, siteCount, sitePool } = cols;
  let n = 0;
  for (let i = 0; i < sel.length; i++) {
    const r = rows[i];
    for (let k = siteStart[r], last = k + siteCount[r]; k < last; k++) {
      if (mask[sitePool[k]] === 1) {
        rows[n++] = r;
        break;
      }
    }
  }
  sel.length = n;
}

/** The slots [from, to) of the blocks of `range` whose bounds allow a row of the period (empty: from = to). */
function spanOf(cols: ColumnView, start: number, end: number, range: RowRange): RowRange {
  const blocks = candidateBlocks(cols, start, end, range);
  if (!blocks.length) return { from: 0, to: 0 };
  return { from: Math.max(range.from, blocks[0] * BLOCK), to: Math.min(range.to, cols.length, (blocks[blocks.length - 1] + 1) * BLOCK) };
}

/**
 * Rows of some units of one kind passing PERIOD_PRUNE: their indexed slots within the candidate
 * blocks' span, then the rows appended since the index was built (`inTail` tells whether one belongs).
 */
function unitRows(
  cols: ColumnView, kind: UnitKind, codes: readonly number[], start: number, end: number, inTail: (r: number) => boolean, range: RowRange,
): Selection {
  const { from, to } = spanOf(cols, start, end, range);
  if (from >= to) return { rows: new Int32Array(0), length: 0 };
  const index = cols.unitIndex(kind);
  const tail = Math.max(from, index.builtLength);
  const rows = selectionBuffer(codes.reduce((sum, code) => sum + index.count(code, from, to), 0) + Math.max(0, to - tail));
  const { reported, deadline } = cols;
  let n = 0;
  // Each unit's slots are written after the rows kept so far, then kept or dropped in place.
  for (const code of codes) {
    const written = index.copy(code, from, to, rows, n);
    for (let i = n; i < written; i++) {
      const r = rows[i];
      const rep = reported[r];
      if (rep < end && (rep >= start || deadline[r] >= start)) rows[n++] = r;
    }
  }
  for (let r = tail; r < to; r++) {
    const rep = reported[r];
    if (rep < end && (rep >= start || deadline[r] >= start) && inTail(r)) rows[n++] = r;
  }
  return { rows, length: n };
}

/**
 * A row read through a unit index costs about this many rows of a scan: the index's reads are
 * scattered over the columns, a scan's are consecutive. (At 10 M issues and a 90-day period, a
 * district's 310 k rows took 48 ms to count by its streets' index, 12 ms by testing each of the
 * period's 1.06 M rows; a street's 19 k rows, 1 ms by the index.)
 */
const SCATTERED_READ_COST = 12;

/** The indexed rows of some units among the slots of the period's blocks in `range`: how many, and the span a scan would read instead. */
function indexedRows(cols: ColumnView, kind: UnitKind, codes: readonly number[], start: number, end: number, range: RowRange) {
  const span = spanOf(cols, start, end, range);
  const index = cols.unitIndex(kind);
  let rows = Math.max(0, span.to - Math.max(span.from, index.builtLength));
  for (const code of codes) rows += index.count(code, span.from, span.to);
  return { rows, scan: span.to - span.from, byIndex: rows * SCATTERED_READ_COST <= span.to - span.from };
}

/**
 * Rows of some units (their codes in `where.column` marked in `where.mask`) passing PERIOD_PRUNE:
 * through the unit index when they are few among the period's rows (a street of a district), else
 * by a scan that tests each row (a district of a city, a ranking's listed streets).
 */
function someUnitsRows(
  cols: ColumnView, kind: UnitKind, codes: readonly number[], where: { column: CodeColumn; mask: Uint8Array }, f: CodeFilter, range: RowRange,
): Selection {
  if (!indexedRows(cols, kind, codes, f.start, f.end, range).byIndex) return prunedWhere(cols, f.start, f.end, where, range);
  return unitRows(cols, kind, codes, f.start, f.end, (r) => where.mask[where.column[r]] === 1, range);
}

const hasSite = (cols: ColumnView, r: number, site: number) => {
  for (let k = cols.siteStart[r], last = k + cols.siteCount[r]; k < last; k++) if (cols.sitePool[k] === site) return true;
  return false;
};

/** Whether row r lies in the scope (for rows found another way). */
function inScope(cols: ColumnView, scope: Exclude<CodeFilter['scope'], { kind: 'nothing' }>): (r: number) => boolean {
  switch (scope.kind) {
    case 'all':
      return (r) => cols.street[r] >= 0;
    case 'everything':
      return () => true;
    case 'streets':
      return (r) => scope.mask[cols.street[r]] === 1;
    case 'site':
      return (r) => hasSite(cols, r, scope.code);
    default: {
      const column = cols[scope.kind];
      return (r) => column[r] === scope.code;
    }
  }
}

function keepWhere(sel: Selection, keep: (r: number) => boolean): void {
  const rows = sel.rows;
  let n = 0;
  for (let i = 0; i < sel.length; i++) if (keep(rows[i])) rows[n++] = rows[i];
  sel.length = n;
}

/**
 * The unit index `filtered` reads for a filter, if any: a worker cannot build one, so the main
 * thread builds it before lending the columns (engine.ts).
 */
export function indexKindOf(f: CodeFilter): UnitKind | null {
  const { scope, units } = f;
  if (scope.kind === 'nothing') return null;
  if (units) return units.kind;
  if (scope.kind === 'all' || scope.kind === 'everything') return null;
  if (scope.kind === 'streets') return scopeByIndex(scope) ? 'street' : null;
  return scope.kind;
}

/**
 * About how many rows `filtered` reads for a filter, before its optional filters: the work of a
 * count, by which the engine decides where it runs. Builds the unit index it needs, like `filtered`.
 */
export function rowsToRead(cols: ColumnView, f: CodeFilter): number {
  const { scope, units } = f;
  const blocks = candidateBlocks(cols, f.start, f.end);
  if (scope.kind === 'nothing' || !blocks.length) return 0;
  const kind = indexKindOf(f);
  if (!kind) return blocks.length * BLOCK;
  const codes = units ? units.codes : scope.kind === 'streets' ? scope.codes : 'code' in scope ? [scope.code] : [];
  const read = indexedRows(cols, kind, codes, f.start, f.end, { from: 0, to: cols.length });
  // A single unit always reads its index; several read it only when they hold few of the period's rows.
  return units || scope.kind === 'streets' ? (read.byIndex ? read.rows : read.scan) : read.rows;
}

/**
 * A scope of some streets (a city's district) may read them from the street index, when they hold
 * few of the period's rows (someUnitsRows); one holding half the streets or more (a lone district
 * with issues outside every street) scans without building the index.
 */
const scopeByIndex = (scope: { mask: Uint8Array; codes: number[] }) => scope.codes.length * 2 <= scope.mask.length;

/** The rows of a filter among the slots of `range`: period pruning, scope, then the optional filters. */
export function filtered(cols: ColumnView, f: CodeFilter, range: RowRange = { from: 0, to: cols.length }): Selection {
  const { scope, units } = f;
  if (scope.kind === 'nothing') return { rows: new Int32Array(0), length: 0 };
  let sel: Selection;
  if (units) {
    // A few units of a ranking (a ranking's scope holds them, but it is checked).
    const column = cols[units.kind];
    const mask = new Uint8Array(units.codes.reduce((max, c) => Math.max(max, c), -1) + 1);
    for (const code of units.codes) mask[code] = 1;
    sel = someUnitsRows(cols, units.kind, units.codes, { column, mask }, f, range);
    keepWhere(sel, inScope(cols, scope));
  } else if (scope.kind === 'all' || scope.kind === 'everything') sel = prunedWhere(cols, f.start, f.end, null, range);
  else if (scope.kind === 'streets') {
    const where = { column: cols.street, mask: scope.mask };
    sel = scopeByIndex(scope) ? someUnitsRows(cols, 'street', scope.codes, where, f, range) : prunedWhere(cols, f.start, f.end, where, range);
  } else sel = unitRows(cols, scope.kind, [scope.code], f.start, f.end, inScope(cols, scope), range);
  return keepOptional(cols, f, sel);
}

/** The rows of `sel` passing the filter's optional filters (in place). */
function keepOptional(cols: ColumnView, f: CodeFilter, sel: Selection): Selection {
  if (f.categories) keepCode(sel, cols.category, f.categories);
  if (f.sources) keepUint8(sel, cols.source, f.sources);
  if (f.statuses) keepUint8(sel, cols.status, f.statuses);
  if (f.sitesAny) keepAtSites(sel, cols, f.sitesAny);
  if (f.departments) keepCode(sel, f.departmentColumn ?? cols.department, f.departments);
  return sel;
}

/**
 * The rows of `sel` that `filtered` selects (in place): for rows found another way (frame-part.ts,
 * the late rows of the blocks a playback skips), tested one by one. `inPeriod`: the caller knows
 * from their blocks' bounds that every row passes PERIOD_PRUNE.
 */
export function narrowed(cols: ColumnView, f: CodeFilter, sel: Selection, inPeriod = false): Selection {
  const { scope, units, start, end } = f;
  if (scope.kind === 'nothing') {
    sel.length = 0;
    return sel;
  }
  const { reported, deadline } = cols;
  if (!inPeriod) keepWhere(sel, (r) => reported[r] < end && (reported[r] >= start || deadline[r] >= start));
  if (units) {
    const column = cols[units.kind];
    const codes = new Set(units.codes);
    keepWhere(sel, (r) => codes.has(column[r]));
  }
  // Without units `filtered` tests no row for these two (a scope of all the streets is one only while no row lacks a street).
  if (units || (scope.kind !== 'all' && scope.kind !== 'everything')) keepWhere(sel, inScope(cols, scope));
  return keepOptional(cols, f, sel);
}
