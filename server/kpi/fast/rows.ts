/**
 * The rows a count looks at, as a selection vector narrowed step by step. Each step is its own
 * tight loop over typed arrays: a row-at-a-time predicate built from closures ran 5× slower,
 * because V8 cannot inline calls whose target changes from query to query.
 */
import { BLOCK, type IssueColumns, type UnitKind } from './columns.ts';
import type { CodeFilter } from './codes.ts';

/** Row slots; `rows` may be longer than `length` (a reused buffer). */
export type Selection = { rows: Int32Array; length: number };

/** One buffer reused by every count: counting is synchronous, and a fresh 10⁶-slot array per query costs more than the scan. */
let buffer = new Int32Array(0);
function selectionBuffer(capacity: number): Int32Array {
  if (buffer.length < capacity) buffer = new Int32Array(Math.ceil(capacity * 1.25));
  return buffer;
}

/** Blocks whose bounds allow a row passing PERIOD_PRUNE (reported before the end, and reported or due after the start). */
function candidateBlocks(cols: IssueColumns, start: number, end: number): number[] {
  const blocks: number[] = [];
  for (let b = 0; b < cols.blocks; b++) {
    if (cols.minReported[b] < end && (cols.maxReported[b] >= start || cols.maxDeadline[b] >= start)) blocks.push(b);
  }
  return blocks;
}

/** Rows passing PERIOD_PRUNE whose `column` code is in `mask`, in one pass over the candidate blocks. */
function prunedWhere(cols: IssueColumns, start: number, end: number, column: Int32Array, mask: Uint8Array): Selection {
  const blocks = candidateBlocks(cols, start, end);
  const rows = selectionBuffer(blocks.length * BLOCK);
  const { reported, deadline } = cols;
  let n = 0;
  for (const b of blocks) {
    for (let r = b * BLOCK, last = Math.min(r + BLOCK, cols.length); r < last; r++) {
      const rep = reported[r];
      if (rep < end && (rep >= start || deadline[r] >= start) && mask[column[r]] === 1) rows[n++] = r;
    }
  }
  return { rows, length: n };
}

function keepInt32(sel: Selection, column: Int32Array, mask: Uint8Array): void {
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
function keepAtSites(sel: Selection, cols: IssueColumns, mask: Uint8Array): void {
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

/**
 * Rows of one unit passing PERIOD_PRUNE: its indexed slots within the candidate blocks' span,
 * then the rows appended since the index was built (`inTail` tells whether one belongs).
 */
function unitRows(cols: IssueColumns, kind: UnitKind, code: number, start: number, end: number, inTail: (r: number) => boolean): Selection {
  const blocks = candidateBlocks(cols, start, end);
  if (!blocks.length) return { rows: new Int32Array(0), length: 0 };
  const index = cols.unitIndex(kind);
  const indexed = index.slotsOf(code, blocks[0] * BLOCK, (blocks[blocks.length - 1] + 1) * BLOCK);
  const rows = selectionBuffer(indexed.length + Math.max(0, cols.length - index.builtLength));
  const { reported, deadline } = cols;
  let n = 0;
  for (let i = 0; i < indexed.length; i++) {
    const r = indexed[i];
    const rep = reported[r];
    if (rep < end && (rep >= start || deadline[r] >= start)) rows[n++] = r;
  }
  for (let r = index.builtLength; r < cols.length; r++) {
    const rep = reported[r];
    if (rep < end && (rep >= start || deadline[r] >= start) && inTail(r)) rows[n++] = r;
  }
  return { rows, length: n };
}

/** The rows of a filter: period pruning, scope, then the optional filters. */
export function filtered(cols: IssueColumns, f: CodeFilter): Selection {
  const { scope } = f;
  if (scope.kind === 'nothing') return { rows: new Int32Array(0), length: 0 };
  let sel: Selection;
  if (scope.kind === 'streets') sel = prunedWhere(cols, f.start, f.end, cols.street, scope.mask);
  else if (scope.kind === 'site') {
    const { siteStart, siteCount, sitePool } = cols;
    sel = unitRows(cols, 'site', scope.code, f.start, f.end, (r) => {
      for (let k = siteStart[r], last = k + siteCount[r]; k < last; k++) if (sitePool[k] === scope.code) return true;
      return false;
    });
  } else {
    const column = cols[scope.kind];
    sel = unitRows(cols, scope.kind, scope.code, f.start, f.end, (r) => column[r] === scope.code);
  }
  if (f.categories) keepInt32(sel, cols.category, f.categories);
  if (f.sources) keepUint8(sel, cols.source, f.sources);
  if (f.statuses) keepUint8(sel, cols.status, f.statuses);
  if (f.sitesAny) keepAtSites(sel, cols, f.sitesAny);
  return sel;
}
