/**
 * Heat-map bins aggregated in DuckDB (docs/decisions.md): the filtered issues reported in the period and
 * inside a bbox, counted per Web-Mercator pixel bin. The browser gets one row per occupied bin,
 * never the points.
 */
import type { Bbox } from '../domain/geometry.ts';
import { worldSize } from '../domain/mercator.ts';
import { REPORTED_IN_PERIOD } from '../kpi/definitions.ts';
import { issueConditions, periodParams, type Filters } from '../kpi/filters.ts';
import { pixelSql, type BinGrid } from '../kpi/heat.ts';
import type { KpiContext } from '../kpi/query.ts';
import { SHANGHAI_OFFSET_MS } from '../domain/time.ts';

/** Occupied bins as columns, (x, y) relative to the grid's north-west bin, ordered by row then column. */
export type HeatColumns = { x: number[]; y: number[]; count: number[] };

/** Counts the filtered issues in `bbox` per bin of `grid`. */
export async function heatBins(ctx: KpiContext, f: Filters, bbox: Bbox, grid: BinGrid): Promise<HeatColumns> {
  const [x = [], y = [], count = []] = await binColumns(ctx, f, bbox, grid, null);
  return { x: x as number[], y: y as number[], count: count as number[] };
}

/**
 * Occupied bins per slot of the report, as columns: `slot` is the report's local (Asia/Shanghai)
 * hour or day since the epoch, `floor((t + 8 h) / slotMs)` — a number, where a bucket key string
 * per row (strftime of date_trunc) cost DuckDB half of the statement.
 */
export type HeatSlotColumns = HeatColumns & { slot: number[] };

/** {@link heatBins} per local hour or day of the report (`slotMs`: HOUR or DAY), in one pass; a playback groups the slots into its frames. */
export async function heatSlotBins(ctx: KpiContext, f: Filters, bbox: Bbox, grid: BinGrid, slotMs: number): Promise<HeatSlotColumns> {
  const slot = `floor((epoch_ms(i.reported_at) + ${SHANGHAI_OFFSET_MS}) / ${slotMs})::INTEGER`;
  const [x = [], y = [], count = [], slots = []] = await binColumns(ctx, f, bbox, grid, slot);
  return { x: x as number[], y: y as number[], count: count as number[], slot: slots as number[] };
}

/** The bins' columns x, y, count, and the bucket when `bucket` (a SQL expression over `i`, from code, never a request) is given. */
async function binColumns(ctx: KpiContext, f: Filters, bbox: Bbox, grid: BinGrid, bucket: string | null): Promise<unknown[][]> {
  const cond = issueConditions(f);
  const { start, end } = periodParams(f, ctx.now);
  const px = pixelSql('i.lon', 'i.lat');
  // The bbox test is on the stored lon/lat, not the projected pixels, so min/max stats can skip row groups.
  const sql = `
    WITH p AS (
      SELECT ${px.x} AS px, ${px.y} AS py${bucket ? `, ${bucket} AS bucket` : ''} FROM issues i
      WHERE i.lon >= $minLon AND i.lon <= $maxLon AND i.lat >= $minLat AND i.lat <= $maxLat
        AND ${REPORTED_IN_PERIOD} AND ${cond.sql})
    SELECT (floor(px / $cell) - $col0)::INTEGER AS x, (floor(py / $cell) - $row0)::INTEGER AS y, count(*)::INTEGER AS n${bucket ? ', bucket' : ''}
    FROM p GROUP BY ALL ORDER BY y, x`;
  const params = {
    ...cond.params, start, end,
    minLon: bbox[0], minLat: bbox[1], maxLon: bbox[2], maxLat: bbox[3],
    size: worldSize(grid.zoom), cell: grid.cell, col0: grid.col0, row0: grid.row0,
  };
  // Columns straight from the result: no per-bin row objects for tens of thousands of bins.
  // An empty result has no columns at all, hence the callers' defaults.
  return ctx.db.read(async (conn) => (await conn.runAndReadAll(sql, params)).getColumnsJS());
}
