/**
 * The playback counts (frame-kernels.ts) of one row range: what a counting worker counts for a
 * playback (pool.ts, count-worker.ts), or the main thread for the whole table. Each part's counts
 * are sums over its rows — a report per frame, a backlog run of frames per row — so the parts of
 * consecutive ranges add up to the whole. Pure.
 */
import type { FrameCounts } from '../frames.ts';
import type { CodeFilter, CodeGrouping, StatusCodes } from './codes.ts';
import type { ColumnView } from './columns.ts';
import { FRAME_KERNELS, type UnitColumn } from './frame-kernels.ts';
import { filtered, type RowRange } from './rows.ts';
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
  const open = filtered(cols, q.backlog, range);
  FRAME_KERNELS.overdue(cols, open.rows, open.length, q.unit, q.backlog.start, q.ends, q.codes, overdue);
  return { reported, overdue };
}

/** The counts of a playback from the parts of its row ranges. */
export function addFrameParts(parts: readonly FrameCounts[]): FrameCounts {
  if (parts.length === 1) return parts[0];
  const [first, ...rest] = parts;
  const reported = Int32Array.from(first.reported);
  const overdue = Int32Array.from(first.overdue);
  for (const part of rest) {
    for (let k = 0; k < reported.length; k++) reported[k] += part.reported[k];
    for (let k = 0; k < overdue.length; k++) overdue[k] += part.overdue[k];
  }
  return { reported, overdue };
}

/** A playback part for a counting worker: the query over the lent columns' rows of `range`. */
export type FrameTask = { loan: ColumnsLoan; query: FrameQuery; range: RowRange };

/** A worker's count of a playback part (count-worker.ts). */
export function answerFrameTask(task: FrameTask): FrameCounts {
  return framePart(viewOf(task.loan), task.query, task.range);
}
