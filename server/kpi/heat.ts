/**
 * Heat-map binning in Web-Mercator world-pixel space (docs/decisions.md): at zoom z the world is
 * 256·2^z pixels square and a bin is `cell`×`cell` pixels, aligned to the world origin so a bin
 * keeps its place while the map pans. Pure: the SQL twin of the projection lives here too, so the
 * two formulas cannot drift apart.
 */
import type { Bbox } from '../domain/geometry.ts';
import { lonLatToWorldPixel, MAX_MERCATOR_LAT, worldPixelToLonLat, worldPixelX, worldPixelY, worldSize } from '../domain/mercator.ts';
import { COORD_SCALE } from './fast/columns.ts';

/** Bin edge in pixels: 4 px is finer than any heat kernel, 64 px is a quarter tile. */
export const CELL_MIN = 4;
export const CELL_MAX = 64;
/** 8 px: well below a heat kernel's 20–30 px radius, so bins render like raw points. */
export const CELL_DEFAULT = 8;
/** Bins a bbox may span (occupied or not); past this a request is a raw-point dump in disguise. */
export const MAX_BINS = 1 << 22;

/** Parses `minLon,minLat,maxLon,maxLat`; the error says what is wrong, for a 400. */
export function parseBbox(text: string): { bbox: Bbox } | { error: string } {
  const parts = text.split(',');
  if (parts.length !== 4) return { error: 'expected minLon,minLat,maxLon,maxLat' };
  // Number('') is 0, so blanks are rejected before converting.
  if (parts.some((p) => p.trim() === '')) return { error: 'expected four numbers' };
  const [minLon, minLat, maxLon, maxLat] = parts.map(Number);
  if (![minLon, minLat, maxLon, maxLat].every(Number.isFinite)) return { error: 'expected four finite numbers' };
  if (minLon < -180 || maxLon > 180) return { error: 'longitudes must lie within ±180' };
  if (minLat < -MAX_MERCATOR_LAT || maxLat > MAX_MERCATOR_LAT) return { error: `latitudes must lie within ±${MAX_MERCATOR_LAT.toFixed(4)} (Web Mercator)` };
  if (!(minLon < maxLon) || !(minLat < maxLat)) return { error: 'min must be less than max' };
  return { bbox: [minLon, minLat, maxLon, maxLat] };
}

/** The bins a bbox spans at a zoom: absolute column/row of its north-west bin and the extent. */
export type BinGrid = { zoom: number; cell: number; col0: number; row0: number; cols: number; rows: number };

/** The absolute bin (column, row) holding a point: floor of its world pixel over the cell. */
export function binOf(lon: number, lat: number, zoom: number, cell: number): [number, number] {
  const [x, y] = lonLatToWorldPixel(lon, lat, zoom);
  return [Math.floor(x / cell), Math.floor(y / cell)];
}

/** The bins covering a bbox; y grows southward, so the north edge gives the first row. */
export function binGrid(bbox: Bbox, zoom: number, cell: number): BinGrid {
  const [col0, row0] = binOf(bbox[0], bbox[3], zoom, cell);
  const [col1, row1] = binOf(bbox[2], bbox[1], zoom, cell);
  return { zoom, cell, col0, row0, cols: col1 - col0 + 1, rows: row1 - row0 + 1 };
}

/** Lon/lat of the centre of the bin at (x, y) relative to the grid's origin. */
export function binCenter(grid: BinGrid, x: number, y: number): [number, number] {
  return worldPixelToLonLat((grid.col0 + x + 0.5) * grid.cell, (grid.row0 + y + 0.5) * grid.cell, grid.zoom);
}

/**
 * SQL of the position a heat bins of a stored coordinate column: the degrees at the KPI engine's
 * resolution ({@link COORD_SCALE}), so the SQL and the in-memory counts put every issue in the same
 * bin and on the same side of a bbox edge. A coordinate of up to 7 decimals is its own binned position.
 */
const positionSql = (column: string) => `(round(${column} * ${COORD_SCALE}) / ${COORD_SCALE})`;

/**
 * The bin of a binned position as `y · grid.cols + x` (x, y relative to the grid's north-west
 * bin), or -1 when it lies outside the bbox: the heat's one bin rule, the JS twin of {@link binSql}.
 * `size` is `worldSize(grid.zoom)`; |lat| stays ≤ 85.05° (parseBbox), where no clamp is needed.
 */
export function binIndex(lon: number, lat: number, bbox: Bbox, grid: BinGrid, size: number): number {
  if (!inBbox(lon, lat, bbox)) return -1;
  return binRow(lat, grid, size) * grid.cols + binColumn(lon, grid, size);
}

const inBbox = (lon: number, lat: number, bbox: Bbox) => lon >= bbox[0] && lon <= bbox[2] && lat >= bbox[1] && lat <= bbox[3];

const binColumn = (lon: number, grid: BinGrid, size: number) => Math.floor(worldPixelX(lon, size) / grid.cell) - grid.col0;

/** The bin row of a latitude, relative to the grid's north-west bin (part of {@link binIndex}). */
export function binRow(lat: number, grid: BinGrid, size: number): number {
  return Math.floor(worldPixelY(lat, size) / grid.cell) - grid.row0;
}

/**
 * {@link binRow} of the latitudes a bbox holds at the engine's resolution (integers of
 * 1/{@link COORD_SCALE}°), by lookup instead of a sine and a logarithm each: `edge[k]` is the
 * least such latitude whose row is above row k (the row falls as the latitude grows, one
 * integer step moving y by far more than the rounding of the projection), found by bisection
 * with binRow itself, so every latitude keeps its bin. `top[b]` is the row at the start of the
 * b-th run of 2^`shift` latitudes from `base`; {@link rowAt} steps up from it.
 */
export type LatRows = { base: number; shift: number; top: Int32Array; edge: Float64Array };

/** The lookup of the rows of `grid` for the latitudes within `bbox`. Costs ~25 projections a row of bins. */
export function latRows(bbox: Bbox, grid: BinGrid, size: number): LatRows {
  const rowOf = (units: number) => binRow(units / COORD_SCALE, grid, size);
  const base = Math.floor(bbox[1] * COORD_SCALE) - 1;
  const last = Math.ceil(bbox[3] * COORD_SCALE) + 1;
  const edge = new Float64Array(grid.rows);
  edge[0] = Infinity;
  for (let k = 1; k < grid.rows; k++) {
    // The least latitude in (lo, hi] whose row is above k: none at lo, at hi by then.
    let lo = base - 1;
    let hi = last + 1;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (rowOf(mid) < k) hi = mid;
      else lo = mid;
    }
    edge[k] = hi;
  }
  // About two runs a row of bins: a latitude is then at most a step or two above its run's start.
  const shift = Math.max(0, Math.floor(Math.log2((last - base + 1) / (2 * grid.rows))));
  const top = new Int32Array(((last - base) >> shift) + 1);
  for (let b = 0; b < top.length; b++) top[b] = Math.max(0, Math.min(grid.rows - 1, rowOf(base + b * 2 ** shift)));
  return { base, shift, top, edge };
}

/** The bin row of a latitude in 1/{@link COORD_SCALE}° within the bbox of `rows` (equal to {@link binRow} of it in degrees). */
export function rowAt(rows: LatRows, units: number): number {
  let k = rows.top[(units - rows.base) >> rows.shift];
  while (units >= rows.edge[k]) k--;
  return k;
}

/** Occupied bins as columns, (x, y) relative to the grid's north-west bin, ordered by row then column. */
export type HeatColumns = { x: number[]; y: number[]; count: number[] };

/**
 * Occupied bins per slot of the report, as columns: `slot` is the report's local (Asia/Shanghai)
 * hour or day since the epoch, `floor((t + 8 h) / slotMs)`. Ordered by row then column; a bin's
 * slots in no particular order.
 */
export type HeatSlotColumns = HeatColumns & { slot: number[] };

/**
 * {@link binIndex} in SQL over the stored `lon`/`lat` columns: the bbox condition and the bin's x
 * and y, with parameters $minLon … $maxLat, $size, $cell, $col0, $row0 ({@link binSqlParams}). The
 * bbox is also tested, a step wider, on the stored columns, so min/max stats can skip row groups.
 */
export function binSql(lon: string, lat: string): { where: string; x: string; y: string } {
  const [x, y] = [positionSql(lon), positionSql(lat)];
  const px = pixelSql(x, y);
  const step = 1 / COORD_SCALE;
  return {
    where: `${lon} >= $minLon - ${step} AND ${lon} <= $maxLon + ${step} AND ${lat} >= $minLat - ${step} AND ${lat} <= $maxLat + ${step}
      AND ${x} >= $minLon AND ${x} <= $maxLon AND ${y} >= $minLat AND ${y} <= $maxLat`,
    x: `(floor(${px.x} / $cell) - $col0)::INTEGER`,
    y: `(floor(${px.y} / $cell) - $row0)::INTEGER`,
  };
}

/** The parameters of {@link binSql}. */
export function binSqlParams(bbox: Bbox, grid: BinGrid): Record<string, number> {
  return { minLon: bbox[0], minLat: bbox[1], maxLon: bbox[2], maxLat: bbox[3], size: worldSize(grid.zoom), cell: grid.cell, col0: grid.col0, row0: grid.row0 };
}

/**
 * SQL expressions for the world pixel of `lon`/`lat` columns at the zoom whose world size is the
 * `$size` parameter (`worldSize(zoom)`) — {@link lonLatToWorldPixel} written in DuckDB (callers keep |lat| ≤ 85.05°,
 * where the projection needs no clamp).
 */
export function pixelSql(lon: string, lat: string): { x: string; y: string } {
  // lat · (π/180), as worldPixelY multiplies: radians() might round differently.
  const sin = `sin(${lat} * (pi() / 180))`;
  return {
    x: `((${lon} + 180.0) / 360.0 * $size)`,
    y: `((0.5 - ln((1 + ${sin}) / (1 - ${sin})) / (4 * pi())) * $size)`,
  };
}

/** Positions binned per bin row of the grid past which the rows are looked up ({@link latRows}), not projected one by one. */
const POSITIONS_PER_LOOKUP_ROW = 64;

/**
 * {@link binIndex} of positions in 1/{@link COORD_SCALE}° (the engine's columns), for about
 * `positions` of them: the row of bins looked up when they are enough to pay for the lookup.
 */
export function binnerOf(bbox: Bbox, grid: BinGrid, size: number, positions: number): (lon: number, lat: number) => number {
  if (grid.rows * POSITIONS_PER_LOOKUP_ROW > positions) return (lon, lat) => binIndex(lon / COORD_SCALE, lat / COORD_SCALE, bbox, grid, size);
  const rows = latRows(bbox, grid, size);
  const { cols } = grid;
  return (lon, lat) => {
    const x = lon / COORD_SCALE;
    if (!inBbox(x, lat / COORD_SCALE, bbox)) return -1;
    return rowAt(rows, lat) * cols + binColumn(x, grid, size);
  };
}
