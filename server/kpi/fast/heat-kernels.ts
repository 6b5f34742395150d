/**
 * Heat bins counted from the engine's columns (columns.ts): the issues of a selection (rows.ts,
 * which visits only the blocks the period can touch) reported in the period, binned by the heat's
 * one rule (server/kpi/heat.ts `binIndex`, through `binnerOf`), per bin or per bin and report
 * slot. The answers equal the SQL's (server/queries/geo-heat.ts; tests/server/geo/heat-memory.test.ts). Pure.
 */
import type { Bbox } from '../../domain/geometry.ts';
import { worldSize } from '../../domain/mercator.ts';
import { binnerOf, type BinGrid, type HeatColumns, type HeatSlotColumns } from '../heat.ts';
import { SHANGHAI } from './codes.ts';
import type { Selection } from './rows.ts';

/** What the heat reads of the columns. */
export type HeatView = { reported: Float64Array; lon: Int32Array; lat: Int32Array };

/** Where each bin's rows start in a list grouped by bin (a prefix sum of `perBin`, in place), and the total. */
function startsOf(perBin: Int32Array): number {
  let at = 0;
  for (let b = 0; b < perBin.length; b++) {
    const n = perBin[b];
    perBin[b] = at;
    at += n;
  }
  return at;
}

/**
 * Counts the rows of `sel` reported in [start, end) per bin of `grid` within `bbox`; with
 * `slotMs` (an hour or a day) per bin and local report slot too.
 */
export function heatCounts(cols: HeatView, sel: Selection, start: number, end: number, bbox: Bbox, grid: BinGrid, slotMs: number | null): HeatColumns | HeatSlotColumns {
  const { reported, lon, lat } = cols;
  const { rows, length } = sel;
  const size = worldSize(grid.zoom);
  // One counter per bin the bbox spans (at most MAX_BINS): the bins come out in row, column order.
  const perBin = new Int32Array(grid.cols * grid.rows);
  // Each row's bin is kept only for the slots' second pass.
  const binOfRow = slotMs === null ? null : new Int32Array(length);
  const binOf = binnerOf(bbox, grid, size, length);
  for (let i = 0; i < length; i++) {
    const r = rows[i];
    const rep = reported[r];
    const bin = rep >= start && rep < end ? binOf(lon[r], lat[r]) : -1;
    if (binOfRow) binOfRow[i] = bin;
    if (bin >= 0) perBin[bin]++;
  }
  const x: number[] = [];
  const y: number[] = [];
  const count: number[] = [];
  if (binOfRow === null || slotMs === null) {
    for (let b = 0; b < perBin.length; b++) {
      if (perBin[b] === 0) continue;
      x.push(b % grid.cols);
      y.push((b / grid.cols) | 0);
      count.push(perBin[b]);
    }
    return { x, y, count };
  }
  // The rows' slots grouped by bin (a counting sort), then each bin's slots tallied in a scratch array.
  const counts = Int32Array.from(perBin);
  const total = startsOf(perBin);
  const slots = new Int32Array(total);
  let first = Infinity;
  let last = -Infinity;
  for (let i = 0; i < length; i++) {
    const bin = binOfRow[i];
    if (bin < 0) continue;
    const slot = Math.floor((reported[rows[i]] + SHANGHAI) / slotMs);
    slots[perBin[bin]++] = slot;
    if (slot < first) first = slot;
    if (slot > last) last = slot;
  }
  const tally = new Int32Array(total ? last - first + 1 : 0);
  const slot: number[] = [];
  let from = 0;
  for (let b = 0; b < perBin.length; b++) {
    if (counts[b] === 0) continue;
    const to = perBin[b];
    for (let k = from; k < to; k++) tally[slots[k] - first]++;
    for (let k = from; k < to; k++) {
      const s = slots[k] - first;
      if (tally[s] === 0) continue;
      x.push(b % grid.cols);
      y.push((b / grid.cols) | 0);
      count.push(tally[s]);
      slot.push(slots[k]);
      tally[s] = 0;
    }
    from = to;
  }
  return { x, y, count, slot };
}
