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

export type { HeatColumns, HeatSlotColumns };

/** Counts the filtered issues in `bbox` per bin of `grid`. */
export async function heatBins(ctx: KpiContext, f: Filters, bbox: Bbox, grid: BinGrid): Promise<HeatColumns> {
  const fromMemory = ctx.engine && (await ctx.engine.heat(f, bbox, grid, null, ctx.now));
  if (fromMemory) return fromMemory;
  const [x = [], y = [], count = []] = await binColumns(ctx, f, bbox, grid, null);
  return { x: x as number[], y: y as number[], count: count as number[] };
}

/** {@link heatBins} per local hour or day of the report (`slotMs`: HOUR or DAY), in one pass; a playback groups the slots into its frames. */
export async function heatSlotBins(ctx: KpiContext, f: Filters, bbox: Bbox, grid: BinGrid, slotMs: number): Promise<HeatSlotColumns> {
  const fromMemory = ctx.engine && (await ctx.engine.heat(f, bbox, grid, slotMs, ctx.now));
  if (fromMemory) return fromMemory as HeatSlotColumns;
  // The slot is a number, where a bucket key string per row (strftime of date_trunc) cost DuckDB half of the statement.
  const slot = `floor((epoch_ms(i.reported_at) + ${SHANGHAI_OFFSET_MS}) / ${slotMs})::INTEGER`;
  const [x = [], y = [], count = [], slots = []] = await binColumns(ctx, f, bbox, grid, slot);
  return { x: x as number[], y: y as number[], count: count as number[], slot: slots as number[] };
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
