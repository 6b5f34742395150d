/**
 * Heat bins counted from the engine's columns (columns.ts): the issues of a selection (rows.ts,
 * which visits only the blocks the period can touch) reported in the period, binned by the heat's
 * one rule (server/kpi/heat.ts `binIndex`, through `binnerOf`), per bin; a playback's, per bin and
 * frame, is heat-frames.ts's. The answers equal the SQL's (server/queries/geo-heat.ts;
 * tests/server/geo/heat-memory.test.ts). Pure.
 */
import type { Bbox } from '../../domain/geometry.ts';
import { worldSize } from '../../domain/mercator.ts';
import { binnerOf, type BinGrid, type HeatColumns } from '../heat.ts';
import type { Selection } from './rows.ts';

/** What the heat reads of the columns. */
export type HeatView = { reported: Float64Array; lon: Int32Array; lat: Int32Array };

/** Counts the rows of `sel` reported in [start, end) per bin of `grid` within `bbox`. */
export function heatCounts(cols: HeatView, sel: Selection, start: number, end: number, bbox: Bbox, grid: BinGrid): HeatColumns {
  const { reported, lon, lat } = cols;
  const { rows, length } = sel;
  const size = worldSize(grid.zoom);
  // One counter per bin the bbox spans (at most MAX_BINS): the bins come out in row, column order.
  const perBin = new Int32Array(grid.cols * grid.rows);
  const binOf = binnerOf(bbox, grid, size, length);
  for (let i = 0; i < length; i++) {
    const r = rows[i];
    const rep = reported[r];
    const bin = rep >= start && rep < end ? binOf(lon[r], lat[r]) : -1;
    if (bin >= 0) perBin[bin]++;
  }
  const x: number[] = [];
  const y: number[] = [];
  const count: number[] = [];
  for (let b = 0; b < perBin.length; b++) {
    if (perBin[b] === 0) continue;
    x.push(b % grid.cols);
    y.push((b / grid.cols) | 0);
    count.push(perBin[b]);
  }
  return { x, y, count };
}
