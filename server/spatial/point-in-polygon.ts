/**
 * Assigning points to polygons fast enough for millions of issues: a uniform cell grid over all
 * polygons, where each cell lists the polygons that touch it. A polygon that covers a whole cell
 * is marked so, and points there need no ring test at all; otherwise the cell keeps just the
 * polygon's edges that a ray cast east from inside the cell can hit.
 *
 * Edge rule (half-open crossing number): a point exactly on a boundary belongs to the polygon
 * on its east side, or north side for an east–west edge. A rectangle thus owns its west and south
 * edges and its south-west corner but not its east or north ones, so in a tiling every point is
 * in exactly one polygon, and points on the outer east/north boundary of the tiling in none.
 * Each edge is evaluated from its lower endpoint whichever ring it comes from, so two polygons
 * sharing an edge compute the same crossing bit for bit and can't both (or neither) claim a
 * point on it.
 */
import type { MultiPolygon, Polygon, Position } from 'geojson';
import { cellCol, cellRow, cellSlack, forEachSegmentCell, makeCellGrid } from './cell-grid.js';

/** One polygon to index; `id` is what lookups return. */
export interface PolygonItem<Id> {
  id: Id;
  geometry: Polygon | MultiPolygon;
}

/** Tuning knobs; the defaults suit grids of 20–50 vertices. */
export interface PolygonIndexOptions {
  /** Cells per polygon edge: more cells mean more cells wholly inside one polygon. */
  cellsPerEdge?: number;
  /** Upper bound on grid cells, to cap memory (4 M cells ≈ 16 MB of offsets). */
  maxCells?: number;
}

/** Growable Int32/Float64 storage for build-time lists, without per-element objects. */
class Growable<T extends Int32Array | Float64Array> {
  length = 0;
  constructor(public data: T) {}
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new (this.data.constructor as new (n: number) => T)(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  trimmed(): T {
    return this.data.slice(0, this.length) as T;
  }
}

/** Marks a candidate polygon that covers the whole cell. */
const FULL = -1;

/** Spatial index answering "which polygon(s) contain this lon/lat". */
export class PolygonIndex<Id> {
  /** Number of indexed polygons. */
  readonly size: number;
  private readonly ids: Id[];
  private readonly minX: number;
  private readonly minY: number;
  private readonly maxX: number;
  private readonly maxY: number;
  private readonly invW: number;
  private readonly invH: number;
  private readonly nx: number;
  private readonly ny: number;
  /** Candidates of cell c are entries cellStart[c] … cellStart[c+1]-1, in input order. */
  private readonly cellStart: Int32Array;
  private readonly candItem: Int32Array;
  /** Offset of the candidate's edges in the band arrays, or FULL. */
  private readonly candBand: Int32Array;
  private readonly candCount: Int32Array;
  /** Edges, canonical from the lower endpoint: y0 < y1, x at y0, dx/dy. */
  private readonly bandY0: Float64Array;
  private readonly bandY1: Float64Array;
  private readonly bandX0: Float64Array;
  private readonly bandDxDy: Float64Array;

  /**
   * Indexes the polygons (holes honoured; a MultiPolygon's parts must not overlap). Rings need
   * not repeat their first position. Build cost is about linear in the total number of edges.
   */
  constructor(items: readonly PolygonItem<Id>[], opts: PolygonIndexOptions = {}) {
    this.size = items.length;
    this.ids = items.map((it) => it.id);
    const edges = collectEdges(items);
    const { bbox } = edges;
    const empty = !(bbox[0] <= bbox[2] && bbox[1] <= bbox[3]);
    const target = Math.min(opts.maxCells ?? 4_000_000, Math.max(64, (opts.cellsPerEdge ?? 1) * edges.count));
    const grid = empty ? makeCellGrid(0, 0, 1, 1, 1) : makeCellGrid(bbox[0], bbox[1], bbox[2], bbox[3], target);
    [this.minX, this.minY, this.maxX, this.maxY] = empty ? [1, 1, 0, 0] : bbox;
    this.invW = grid.invW;
    this.invH = grid.invH;
    this.nx = grid.nx;
    this.ny = grid.ny;

    const slack = cellSlack(grid);
    const ints = () => new Growable(new Int32Array(1024));
    const floats = () => new Growable(new Float64Array(1024));
    const cand = { cell: ints(), item: ints(), band: ints(), count: ints() };
    const band = { y0: floats(), y1: floats(), x0: floats(), dxdy: floats() };
    const addCandidate = (cell: number, item: number, start: number, count: number) => {
      cand.cell.push(cell);
      cand.item.push(item);
      cand.band.push(start);
      cand.count.push(count);
    };

    for (let item = 0; item < items.length && !empty; item++) {
      const e0 = edges.itemStart[item];
      const e1 = edges.itemStart[item + 1];
      if (e0 === e1) continue;
      const ib = edges.itemBbox.subarray(item * 4, item * 4 + 4);
      const c0 = cellCol(grid, ib[0] - slack.x);
      const c1 = cellCol(grid, ib[2] + slack.x);
      const r0 = cellRow(grid, ib[1] - slack.y);
      const r1 = cellRow(grid, ib[3] + slack.y);
      const w = c1 - c0 + 1;
      const h = r1 - r0 + 1;
      // Cells an edge passes through (or nearly) need ring tests; the rest are wholly in or out.
      const touched = new Uint8Array(w * h);
      const rows: number[][] = Array.from({ length: h }, () => []);
      for (let e = e0; e < e1; e++) {
        const y0 = edges.y0[e];
        const y1 = edges.y1[e];
        forEachSegmentCell(grid, edges.x0[e], y0, edges.x1[e], y1, (cell) => {
          touched[(Math.floor(cell / grid.nx) - r0) * w + (cell % grid.nx) - c0] = 1;
        });
        if (y0 === y1) continue; // a horizontal edge never crosses a horizontal ray
        for (let r = cellRow(grid, y0 - slack.y); r <= cellRow(grid, y1 + slack.y); r++) rows[r - r0].push(e);
      }
      for (let r = r0; r <= r1; r++) {
        // Sorted by east end, descending, so "edges reaching east of x" is a prefix.
        const list = rows[r - r0].sort((a, b) => edges.maxX(b) - edges.maxX(a));
        const start = band.y0.length;
        for (const e of list) {
          band.y0.push(edges.y0[e]);
          band.y1.push(edges.y1[e]);
          band.x0.push(edges.x0[e]);
          band.dxdy.push((edges.x1[e] - edges.x0[e]) / (edges.y1[e] - edges.y0[e]));
        }
        let reach = list.length;
        let runInside: boolean | null = null;
        for (let c = c0; c <= c1; c++) {
          const cell = r * grid.nx + c;
          if (touched[(r - r0) * w + c - c0]) {
            runInside = null;
            const west = grid.minX + c * grid.cellW - slack.x;
            while (reach > 0 && edges.maxX(list[reach - 1]) < west) reach--;
            if (reach > 0) addCandidate(cell, item, start, reach);
            continue;
          }
          // Untouched cells between two touched ones share one inside/outside state.
          if (runInside === null) {
            const cx = grid.minX + (c + 0.5) * grid.cellW;
            const cy = grid.minY + (r + 0.5) * grid.cellH;
            runInside = crossesOdd(band.y0.data, band.y1.data, band.x0.data, band.dxdy.data, start, start + list.length, cx, cy);
          }
          if (runInside) addCandidate(cell, item, FULL, 0);
        }
      }
    }

    // Counting sort by cell; stable, so each cell's candidates stay in input order.
    const cells = grid.nx * grid.ny;
    const n = cand.cell.length;
    const cellOf = cand.cell.data;
    this.cellStart = new Int32Array(cells + 1);
    for (let k = 0; k < n; k++) this.cellStart[cellOf[k] + 1]++;
    for (let c = 0; c < cells; c++) this.cellStart[c + 1] += this.cellStart[c];
    const fill = this.cellStart.slice(0, cells);
    this.candItem = new Int32Array(n);
    this.candBand = new Int32Array(n);
    this.candCount = new Int32Array(n);
    for (let k = 0; k < n; k++) {
      const at = fill[cellOf[k]]++;
      this.candItem[at] = cand.item.data[k];
      this.candBand[at] = cand.band.data[k];
      this.candCount[at] = cand.count.data[k];
    }
    this.bandY0 = band.y0.trimmed();
    this.bandY1 = band.y1.trimmed();
    this.bandX0 = band.x0.trimmed();
    this.bandDxDy = band.dxdy.trimmed();
  }

  /** Input position of the first polygon containing the point, or -1. */
  locateIndex(lon: number, lat: number): number {
    // Written as a negated range test so NaN falls out too.
    if (!(lon >= this.minX && lon <= this.maxX && lat >= this.minY && lat <= this.maxY)) return -1;
    let c = ((lon - this.minX) * this.invW) | 0;
    if (c >= this.nx) c = this.nx - 1;
    let r = ((lat - this.minY) * this.invH) | 0;
    if (r >= this.ny) r = this.ny - 1;
    const cell = r * this.nx + c;
    const end = this.cellStart[cell + 1];
    for (let k = this.cellStart[cell]; k < end; k++) {
      const start = this.candBand[k];
      if (start === FULL) return this.candItem[k];
      if (crossesOdd(this.bandY0, this.bandY1, this.bandX0, this.bandDxDy, start, start + this.candCount[k], lon, lat)) {
        return this.candItem[k];
      }
    }
    return -1;
  }

  /** Id of the first polygon (in input order) containing the point, or null. */
  locate(lon: number, lat: number): Id | null {
    const i = this.locateIndex(lon, lat);
    return i < 0 ? null : this.ids[i];
  }

  /** Ids of every polygon containing the point, in input order (for overlapping site zones). */
  locateAll(lon: number, lat: number): Id[] {
    const out: Id[] = [];
    if (!(lon >= this.minX && lon <= this.maxX && lat >= this.minY && lat <= this.maxY)) return out;
    const c = Math.min(this.nx - 1, ((lon - this.minX) * this.invW) | 0);
    const r = Math.min(this.ny - 1, ((lat - this.minY) * this.invH) | 0);
    const cell = r * this.nx + c;
    for (let k = this.cellStart[cell]; k < this.cellStart[cell + 1]; k++) {
      const start = this.candBand[k];
      if (start === FULL || crossesOdd(this.bandY0, this.bandY1, this.bandX0, this.bandDxDy, start, start + this.candCount[k], lon, lat)) {
        out.push(this.ids[this.candItem[k]]);
      }
    }
    return out;
  }

  /**
   * {@link locateIndex} for many points at once (-1 where none), for bulk assignment where
   * allocating an id per point would dominate.
   */
  locateMany(lons: ArrayLike<number>, lats: ArrayLike<number>, out = new Int32Array(lons.length)): Int32Array {
    for (let i = 0; i < lons.length; i++) out[i] = this.locateIndex(lons[i], lats[i]);
    return out;
  }
}

/**
 * Half-open crossing test over edges [from, to): an edge counts when y0 ≤ y < y1 and it lies
 * strictly east of the point. The strict/half-open comparisons are the whole edge rule.
 */
function crossesOdd(
  y0: Float64Array,
  y1: Float64Array,
  x0: Float64Array,
  dxdy: Float64Array,
  from: number,
  to: number,
  x: number,
  y: number,
): boolean {
  let inside = false;
  for (let e = from; e < to; e++) {
    const lo = y0[e];
    if (y >= lo && y < y1[e] && x < x0[e] + (y - lo) * dxdy[e]) inside = !inside;
  }
  return inside;
}

interface EdgeTable {
  count: number;
  x0: Float64Array;
  y0: Float64Array;
  x1: Float64Array;
  y1: Float64Array;
  itemStart: Int32Array;
  itemBbox: Float64Array;
  bbox: [number, number, number, number];
  maxX(e: number): number;
}

/** Every ring edge of every item, oriented from its lower (then western) endpoint. */
function collectEdges(items: readonly PolygonItem<unknown>[]): EdgeTable {
  const x0 = new Growable(new Float64Array(1024));
  const y0 = new Growable(new Float64Array(1024));
  const x1 = new Growable(new Float64Array(1024));
  const y1 = new Growable(new Float64Array(1024));
  const itemStart = new Int32Array(items.length + 1);
  const itemBbox = new Float64Array(items.length * 4);
  const bbox: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  const addRing = (ring: Position[], ib: Float64Array) => {
    const n = ring.length;
    for (let i = 0; i < n; i++) {
      const a = ring[i];
      // Rings are closed by GeoJSON; an unclosed one is closed here rather than left open.
      const b = ring[(i + 1) % n];
      let ax = a[0], ay = a[1], bx = b[0], by = b[1];
      if (!(Number.isFinite(ax) && Number.isFinite(ay) && Number.isFinite(bx) && Number.isFinite(by))) continue;
      if (ax === bx && ay === by) continue;
      if (ay > by || (ay === by && ax > bx)) [ax, ay, bx, by] = [bx, by, ax, ay];
      x0.push(ax);
      y0.push(ay);
      x1.push(bx);
      y1.push(by);
      ib[0] = Math.min(ib[0], ax, bx);
      ib[1] = Math.min(ib[1], ay);
      ib[2] = Math.max(ib[2], ax, bx);
      ib[3] = Math.max(ib[3], by);
    }
  };
  items.forEach((item, i) => {
    const ib = itemBbox.subarray(i * 4, i * 4 + 4);
    ib.set([Infinity, Infinity, -Infinity, -Infinity]);
    const g = item.geometry;
    const polys = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
    for (const poly of polys) for (const ring of poly) addRing(ring, ib);
    itemStart[i + 1] = x0.length;
    if (ib[0] <= ib[2]) {
      bbox[0] = Math.min(bbox[0], ib[0]);
      bbox[1] = Math.min(bbox[1], ib[1]);
      bbox[2] = Math.max(bbox[2], ib[2]);
      bbox[3] = Math.max(bbox[3], ib[3]);
    }
  });
  const table = { count: x0.length, x0: x0.trimmed(), y0: y0.trimmed(), x1: x1.trimmed(), y1: y1.trimmed(), itemStart, itemBbox, bbox };
  return { ...table, maxX: (e: number) => Math.max(table.x0[e], table.x1[e]) };
}
