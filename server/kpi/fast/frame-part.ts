/**
 * The playback counts (frame-kernels.ts) of one row range: what a counting worker counts for a
 * playback (pool.ts, count-worker.ts), or the main thread for the whole table. Each part's counts
 * are sums over its rows — a report per frame, a backlog run of frames per row — so the parts of
 * consecutive ranges add up to the whole. Pure.
 */
import type { FrameCounts } from '../frames.ts';
import type { CodeFilter, CodeGrouping, StatusCodes } from './codes.ts';
import { BLOCK, type ColumnView } from './columns.ts';
import { FRAME_KERNELS, type UnitColumn } from './frame-kernels.ts';
import { filtered, narrowed, type RowRange, type Selection } from './rows.ts';
import { Scratch } from './scratch.ts';
import { viewOf, type ColumnsLoan } from './shared-view.ts';

/** A playback count in codes: the reports' filter and frames, the backlog's filter and frame ends, and the units. */
export type FrameQuery = {
  reports: CodeFilter;
  buckets: Extract<CodeGrouping, { kind: 'bucket' }>;
  backlog: CodeFilter;
  /** The instants each frame's backlog is judged as of. */
  ends: Float64Array;
  unit: UnitColumn;
  codes: StatusCodes;
};

/** The buffer of the backlog's rows, reused by every count of this thread (scratch.ts; counting is synchronous). */
const backlogBuffer = new Scratch((n) => new Int32Array(n));

/** `rows` with room for `more` rows after its first `length`: itself, or a larger buffer holding them. */
function backlogRoom(rows: Int32Array, length: number, more: number): Int32Array {
  if (rows.length >= length + more) return rows;
  const next = backlogBuffer.get(length + more);
  next.set(rows.subarray(0, length));
  return next;
}

/**
 * The rows of the backlog filter among the slots of `range` that can be in the backlog at a frame
 * ending at or after `first`: every row of a block whose bound (columns.ts `backlogUntil`) is not
 * before it, and of the other blocks only the rows marked late (`backlogLate`: still open, closed
 * late), which are few. Which of them count, and when, the backlog loop decides.
 */
export function backlogRows(cols: ColumnView, f: CodeFilter, first: number, range: RowRange = { from: 0, to: cols.length }): Selection {
  const { backlogUntil, backlogLate, minReported, maxReported } = cols;
  const from = range.from;
  const to = Math.min(range.to, cols.length);
  let rows: Int32Array = backlogBuffer.get(0);
  let n = 0;
  // Whole blocks, a run at a time; the late rows of the skipped ones, gathered after them.
  const late: number[] = [];
  // Whether every skipped block lies in the filter's period whole (then its rows need no test of it).
  let inPeriod = true;
  let run = -1;
  const readRun = (end: number) => {
    if (run < 0) return;
    const sel = filtered(cols, f, { from: Math.max(from, run), to: Math.min(to, end) });
    rows = backlogRoom(rows, n, sel.length);
    rows.set(sel.rows.subarray(0, sel.length), n);
    n += sel.length;
    run = -1;
  };
  for (let b = Math.floor(from / BLOCK), last = Math.ceil(to / BLOCK); b < last; b++) {
    if (!(backlogUntil[b] < first)) {
      if (run < 0) run = b * BLOCK;
      continue;
    }
    readRun(b * BLOCK);
    inPeriod &&= minReported[b] >= f.start && maxReported[b] < f.end;
    for (let w = (b * BLOCK) >> 5, end = ((b + 1) * BLOCK) >> 5; w < end; w++) {
      for (let bits = backlogLate[w]; bits !== 0; bits &= bits - 1) {
        const r = (w << 5) + 31 - Math.clz32(bits & -bits);
        if (r >= from && r < to) late.push(r);
      }
    }
  }
  readRun(to);
  const lateSel = narrowed(cols, f, { rows: Int32Array.from(late), length: late.length }, inPeriod);
  rows = backlogRoom(rows, n, lateSel.length);
  rows.set(lateSel.rows.subarray(0, lateSel.length), n);
  return { rows, length: n + lateSel.length };
}

/** A late row, read by itself, costs about this many rows of a scan (measured at 10 M issues). */
const LATE_READ_COST = 4;

/**
 * The work of a playback per block, in rows of a scan, for cutting it into parts of equal work
 * (engine.ts `rangesByCost`): a block the backlog reads whole costs its rows, a skipped one its
 * late rows read one by one; a block of the period's reports, its rows again.
 */
export function frameCosts(cols: ColumnView, q: FrameQuery): Float64Array {
  const { backlogUntil, backlogLate, minReported, maxReported } = cols;
  const first = q.ends[0];
  const cost = new Float64Array(cols.blocks);
  for (let b = 0; b < cost.length; b++) {
    let late = 0;
    if (backlogUntil[b] < first) {
      for (let w = (b * BLOCK) >> 5, end = ((b + 1) * BLOCK) >> 5; w < end; w++) {
        for (let bits = backlogLate[w]; bits !== 0; bits &= bits - 1) late++;
      }
    }
    const reports = minReported[b] < q.reports.end && maxReported[b] >= q.reports.start ? BLOCK : 0;
    cost[b] = (backlogUntil[b] < first ? late * LATE_READ_COST : BLOCK) + reports;
  }
  return cost;
}

/** The reports per frame and the backlog at each frame's end of the rows of `range`, per unit (row-major, `nullGroup + 1` rows). */
export function framePart(cols: ColumnView, q: FrameQuery, range?: RowRange): FrameCounts {
  const n = q.ends.length;
  const size = (q.unit.nullGroup + 1) * n;
  const reported = new Int32Array(size);
  const overdue = new Int32Array(size);
  if (!n) return { reported, overdue };
  // Each selection is read before the next one reuses its buffer (rows.ts).
  const reports = filtered(cols, q.reports, range);
  FRAME_KERNELS.reported(cols, reports.rows, reports.length, q.unit, q.buckets, q.codes, reported);
  const open = backlogRows(cols, q.backlog, q.ends[0], range);
  FRAME_KERNELS.overdue(cols, open.rows, open.length, q.unit, q.backlog.start, q.ends, q.codes, overdue);
  return { reported, overdue };
}

/** The counts of a playback from the parts of its row ranges, added into the first part's arrays (the parts are the caller's). */
export function addFrameParts(parts: readonly FrameCounts[]): FrameCounts {
  const [first, ...rest] = parts;
  const { reported, overdue } = first;
  for (const part of rest) {
    for (let k = 0; k < reported.length; k++) reported[k] += part.reported[k];
    for (let k = 0; k < overdue.length; k++) overdue[k] += part.overdue[k];
  }
  return first;
}

/** A playback part for a counting worker: the query over the lent columns' rows of `range`. */
export type FrameTask = { loan: ColumnsLoan; query: FrameQuery; range: RowRange };

/** A worker's count of a playback part (count-worker.ts). */
export function answerFrameTask(task: FrameTask): FrameCounts {
  return framePart(viewOf(task.loan), task.query, task.range);
}
