/**
 * The heat of a playback (`/api/heat/frames`) counted from the engine's columns, one row range at a
 * time: what a counting worker counts (pool.ts, count-worker.ts), or the main thread for the whole
 * table. Each row of the period is put in its bin by the heat's one rule (server/kpi/heat.ts
 * `binnerOf`) and in its frame by its report slot (the table `frameOf`, made by the frames' rule,
 * server/kpi/frames.ts `frameOfSlot`). A part answers its occupied bins and a frames × bins table;
 * the parts of consecutive ranges add up to the whole. Pure.
 */
import type { Bbox } from '../../domain/geometry.ts';
import { worldSize } from '../../domain/mercator.ts';
import { binnerOf, type BinGrid } from '../heat.ts';
import { SHANGHAI, type CodeFilter } from './codes.ts';
import type { ColumnView } from './columns.ts';
import { filtered, type RowRange } from './rows.ts';
import { viewOf, type ColumnsLoan } from './shared-view.ts';

/** A playback's heat in codes: the rows (reported in [filter.start, filter.end)), the bins, and each report slot's frame. */
export type HeatFrameQuery = {
  filter: CodeFilter;
  bbox: Bbox;
  grid: BinGrid;
  /** A slot is `floor((t + 8 h) / slotMs)`, a local hour or day. */
  slotMs: number;
  firstSlot: number;
  /** The frame of slot `firstSlot + i`, -1 for none. */
  frameOf: Int32Array;
  frames: number;
  /** Most bin × frame counts: past it only the bins are answered (the route refuses the request, naming their number). */
  maxCounts: number;
};

/**
 * Occupied bins (`y · grid.cols + x`, ascending: the bins' row, column order) and the count of each
 * in each frame, frame-major (`frames` rows of `bins.length`); counts null when over `maxCounts`.
 */
export type HeatFrameCounts = { bins: Int32Array; counts: Int32Array | null };

/** The heat of the rows of `range` reported in the period, per occupied bin and frame. */
export function heatFramePart(cols: ColumnView, q: HeatFrameQuery, range?: RowRange): HeatFrameCounts {
  const { reported, lon, lat } = cols;
  const { rows, length } = filtered(cols, q.filter, range);
  const { start, end } = q.filter;
  const perBin = new Int32Array(q.grid.cols * q.grid.rows);
  // Each row's bin, kept for the second pass (-1: outside the bbox or the period).
  const binOfRow = new Int32Array(length);
  const binOf = binnerOf(q.bbox, q.grid, worldSize(q.grid.zoom), length);
  for (let i = 0; i < length; i++) {
    const r = rows[i];
    const rep = reported[r];
    const bin = rep >= start && rep < end ? binOf(lon[r], lat[r]) : -1;
    binOfRow[i] = bin;
    if (bin >= 0) perBin[bin]++;
  }
  let occupied = 0;
  for (let b = 0; b < perBin.length; b++) if (perBin[b] > 0) occupied++;
  const bins = new Int32Array(occupied);
  // perBin becomes each occupied bin's place in `bins`.
  for (let b = 0, k = 0; b < perBin.length; b++) {
    if (perBin[b] === 0) continue;
    bins[k] = b;
    perBin[b] = k++;
  }
  if (occupied * q.frames > q.maxCounts) return { bins, counts: null };
  const counts = new Int32Array(q.frames * occupied);
  const { slotMs, firstSlot, frameOf } = q;
  for (let i = 0; i < length; i++) {
    const bin = binOfRow[i];
    if (bin < 0) continue;
    const slot = Math.floor((reported[rows[i]] + SHANGHAI) / slotMs);
    const k = slot >= firstSlot && slot - firstSlot < frameOf.length ? frameOf[slot - firstSlot] : -1;
    // Every report of the period falls in one of its frames; a slot outside them would be a bucketing bug.
    if (k < 0) throw new Error(`heat slot ${slot} is in no frame`);
    counts[k * occupied + perBin[bin]]++;
  }
  return { bins, counts };
}

/** The heat of a playback from the parts of its row ranges, over `frames` frames. */
export function addHeatFrameParts(parts: readonly HeatFrameCounts[], frames: number, maxCounts: number): HeatFrameCounts {
  if (parts.length === 1) return parts[0];
  // The union of the parts' bins, each list ascending.
  const all = new Set<number>();
  for (const p of parts) for (const b of p.bins) all.add(b);
  const bins = Int32Array.from(all).sort();
  if (parts.some((p) => p.counts === null) || bins.length * frames > maxCounts) return { bins, counts: null };
  const counts = new Int32Array(frames * bins.length);
  for (const p of parts) {
    // Where each of the part's bins lies in the union (both ascending).
    const at = new Int32Array(p.bins.length);
    for (let i = 0, j = 0; i < p.bins.length; i++) {
      while (bins[j] !== p.bins[i]) j++;
      at[i] = j;
    }
    const n = p.bins.length;
    for (let k = 0; k < frames; k++) {
      const from = k * n;
      const to = k * bins.length;
      for (let i = 0; i < n; i++) counts[to + at[i]] += p.counts![from + i];
    }
  }
  return { bins, counts };
}

/** A playback's heat part for a counting worker: the query over the lent columns' rows of `range`. */
export type HeatFrameTask = { loan: ColumnsLoan; query: HeatFrameQuery; range: RowRange };

/** A worker's count of a playback's heat part (count-worker.ts). */
export function answerHeatFrameTask(task: HeatFrameTask): HeatFrameCounts {
  return heatFramePart(viewOf(task.loan), task.query, task.range);
}
