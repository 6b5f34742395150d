/**
 * Heat-map bins (docs/decisions.md): the filtered issues reported in the period and inside a bbox,
 * counted per Web-Mercator pixel bin — from the KPI engine's columns when it is loaded, else in
 * DuckDB, both by the one bin rule of server/kpi/heat.ts. The browser gets one row per occupied
 * bin, never the points.
 */
import type { Bbox } from '../domain/geometry.ts';
import { REPORTED_IN_PERIOD } from '../kpi/definitions.ts';
import { issueConditions, periodParams, type Filters } from '../kpi/filters.ts';
import { binSql, binSqlParams, type BinGrid, type HeatColumns, type HeatSlotColumns } from '../kpi/heat.ts';
import type { KpiContext } from '../kpi/query.ts';
import { SHANGHAI_OFFSET_MS } from '../domain/time.ts';
import { frameOfSlot, slotFrameTable, type Frame } from '../kpi/frames.ts';

export type { HeatColumns };

/** Counts the filtered issues in `bbox` per bin of `grid`. */
export async function heatBins(ctx: KpiContext, f: Filters, bbox: Bbox, grid: BinGrid): Promise<HeatColumns> {
  const fromMemory = ctx.engine && (await ctx.engine.heat(f, bbox, grid, ctx.now));
  if (fromMemory) return fromMemory;
  const [x = [], y = [], count = []] = await binColumns(ctx, f, bbox, grid, null);
  return { x: x as number[], y: y as number[], count: count as number[] };
}

/** {@link heatBins} per local hour or day of the report (`slotMs`: HOUR or DAY), in one pass of DuckDB; a playback groups the slots into its frames. */
async function slotBins(ctx: KpiContext, f: Filters, bbox: Bbox, grid: BinGrid, slotMs: number): Promise<HeatSlotColumns> {
  // The slot is a number, where a bucket key string per row (strftime of date_trunc) cost DuckDB half of the statement.
  const slot = `floor((epoch_ms(i.reported_at) + ${SHANGHAI_OFFSET_MS}) / ${slotMs})::INTEGER`;
  const [x = [], y = [], count = [], slots = []] = await binColumns(ctx, f, bbox, grid, slot);
  return { x: x as number[], y: y as number[], count: count as number[], slot: slots as number[] };
}

/** A playback's heat: the bins occupied in some frame (in y, x order) and their counts frame-major (`frames` rows of `x.length`); counts null past the limit. */
export type HeatFrames = { x: number[]; y: number[]; counts: Int32Array | null };

/**
 * The heat of each frame of a playback: the filtered issues reported in the period (`f`'s, which
 * the frames cover) per bin of `grid` and frame, by the report's local slot of `slotMs`; counts
 * null when the occupied bins × frames exceed `maxCounts`.
 */
export async function heatFrameBins(ctx: KpiContext, f: Filters, bbox: Bbox, grid: BinGrid, frames: readonly Frame[], slotMs: number, maxCounts: number): Promise<HeatFrames> {
  const fromMemory = ctx.engine && (await ctx.engine.heatFrames(f, { bbox, grid, slotMs, ...slotFrameTable(frames, slotMs), frames: frames.length, maxCounts }, ctx.now));
  if (fromMemory) {
    const x = Array.from(fromMemory.bins, (b) => b % grid.cols);
    const y = Array.from(fromMemory.bins, (b) => (b / grid.cols) | 0);
    return { x, y, counts: fromMemory.counts };
  }
  const binned = await slotBins(ctx, f, bbox, grid, slotMs);
  const { x, y, binOf } = occupiedBins(binned, grid);
  if (x.length * frames.length > maxCounts) return { x, y, counts: null };
  return { x, y, counts: countsByFrame(binned, binOf, frameOfSlot(frames, slotMs), frames.length, grid.cols, x.length) };
}

/** The bins of the occupied (bin, slot) rows, each once, in the rows' y, x order; `binOf[y · cols + x]` is its place, -1 for none. */
function occupiedBins(b: HeatSlotColumns, grid: BinGrid): { x: number[]; y: number[]; binOf: Int32Array } {
  const binOf = new Int32Array(grid.cols * grid.rows).fill(-1);
  const x: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < b.x.length; i++) {
    const id = b.y[i] * grid.cols + b.x[i];
    if (binOf[id] >= 0) continue;
    binOf[id] = x.length;
    x.push(b.x[i]);
    y.push(b.y[i]);
  }
  return { x, y, binOf };
}

/** A count per frame for each bin, zeros included, frame-major (`frames` rows of `bins`), so a frame is one array the map swaps in. */
function countsByFrame(b: HeatSlotColumns, binOf: Int32Array, frameOf: (slot: number) => number, frames: number, cols: number, bins: number): Int32Array {
  const counts = new Int32Array(frames * bins);
  for (let i = 0; i < b.x.length; i++) {
    const k = frameOf(b.slot[i]);
    // Every report of the range falls in one of its frames; a slot outside them would be a bucketing bug.
    if (k < 0) throw new Error(`heat slot ${b.slot[i]} is in no frame`);
    counts[k * bins + binOf[b.y[i] * cols + b.x[i]]] += b.count[i];
  }
  return counts;
}

/** The bins' columns x, y, count, and the bucket when `bucket` (a SQL expression over `i`, from code, never a request) is given. */
async function binColumns(ctx: KpiContext, f: Filters, bbox: Bbox, grid: BinGrid, bucket: string | null): Promise<unknown[][]> {
  const cond = issueConditions(f);
  const { start, end } = periodParams(f, ctx.now);
  const bin = binSql('i.lon', 'i.lat');
  const sql = `
    SELECT ${bin.x} AS x, ${bin.y} AS y, count(*)::INTEGER AS n${bucket ? `, ${bucket} AS bucket` : ''}
    FROM issues i
    WHERE ${bin.where} AND ${REPORTED_IN_PERIOD} AND ${cond.sql}
    GROUP BY ALL ORDER BY y, x`;
  const params = { ...cond.params, start, end, ...binSqlParams(bbox, grid) };
  // Columns straight from the result: no per-bin row objects for tens of thousands of bins.
  // An empty result has no columns at all, hence the callers' defaults.
  return ctx.db.read(async (conn) => (await conn.runAndReadAll(sql, params)).getColumnsJS());
}
