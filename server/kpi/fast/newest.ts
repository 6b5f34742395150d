/**
 * A lower bound on the report times of the newest issues of a filter, for the issue list: DuckDB
 * finds a page's 51 newest rows by scanning every row of the period (~50 ms at 10 M issues), and
 * `reported_at >= bound` lets its zone maps skip all but the last row groups. Pure: columns in, time out.
 */
import type { IssueColumns } from './columns.ts';
import type { Selection } from './rows.ts';

/**
 * The k-th largest report time among the selected rows reported in [start, end) and, with a
 * cursor, at or before `through` (whole ms: rows of that ms may lie after the cursor and are
 * counted as possibly excluded, so the bound stays below the page's own k-th row). Null when
 * fewer rows qualify (no bound needed). A min-heap of k over the rows newest-first: rows are
 * near report order, so after the first k almost every row fails one comparison.
 */
export function kthNewestReported(cols: IssueColumns, sel: Selection, start: number, end: number, through: number | null, k: number): number | null {
  const { reported } = cols;
  const last = through ?? Infinity;
  // Rows in the cursor's own millisecond may be before or after it: each may push the page's k-th row one further down.
  let ties = 0;
  if (through !== null) for (let i = 0; i < sel.length; i++) if (reported[sel.rows[i]] === through) ties++;
  const size = k + ties;
  const heap = new Float64Array(size);
  let n = 0;
  for (let i = sel.length - 1; i >= 0; i--) {
    const t = reported[sel.rows[i]];
    if (t < start || t >= end || t > last) continue;
    if (n < size) {
      heap[n++] = t;
      if (n === size) for (let j = (size >> 1) - 1; j >= 0; j--) siftDown(heap, j, size);
    } else if (t > heap[0]) {
      heap[0] = t;
      siftDown(heap, 0, size);
    }
  }
  return n === size ? heap[0] : null;
}

function siftDown(heap: Float64Array, at: number, size: number): void {
  const value = heap[at];
  let i = at;
  for (;;) {
    let child = 2 * i + 1;
    if (child >= size) break;
    if (child + 1 < size && heap[child + 1] < heap[child]) child++;
    if (heap[child] >= value) break;
    heap[i] = heap[child];
    i = child;
  }
  heap[i] = value;
}
