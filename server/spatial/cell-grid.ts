/**
 * A uniform grid of cells over a bounding box, and the cells a segment passes through. Shared by
 * the self-intersection check and the point-in-polygon index, which both need "which segments
 * are near here" without comparing everything with everything.
 */

/** Cells are numbered row-major: `row * nx + col`, row 0 at minY. */
export interface CellGrid {
  readonly minX: number;
  readonly minY: number;
  readonly cellW: number;
  readonly cellH: number;
  readonly invW: number;
  readonly invH: number;
  readonly nx: number;
  readonly ny: number;
}

/**
 * Slack, in cells, added around everything rasterised. Cell lookups round; the slack makes a
 * segment that passes within rounding distance of a cell count as touching it, so a cell that
 * looks untouched really is untouched for every point that can be looked up in it.
 */
const SLACK = 1e-7;

/**
 * Builds a grid of about `targetCells` cells over the box, each `aspect` times as tall as wide
 * (1 = square). Degenerate boxes (a point, a vertical or horizontal line) get a positive cell
 * size so lookups stay finite.
 */
export function makeCellGrid(
  minX: number,
  minY: number,
  maxX: number,
  maxY: number,
  targetCells: number,
  aspect = 1,
): CellGrid {
  const target = Math.max(1, Math.floor(targetCells));
  let w = maxX - minX;
  let h = maxY - minY;
  const span = Math.max(w, h, Math.abs(minX) * 1e-12, Math.abs(minY) * 1e-12, 1e-12);
  if (w <= 0) w = span / target;
  if (h <= 0) h = span / target;
  const side = Math.sqrt((w * h) / target / aspect);
  const nx = Math.max(1, Math.min(target, Math.ceil(w / side)));
  const ny = Math.max(1, Math.min(target, Math.ceil(h / (side * aspect))));
  const cellW = w / nx;
  const cellH = h / ny;
  return { minX, minY, cellW, cellH, invW: 1 / cellW, invH: 1 / cellH, nx, ny };
}

/** Column of x, clamped to the grid. */
export function cellCol(g: CellGrid, x: number): number {
  const c = Math.floor((x - g.minX) * g.invW);
  return c < 0 ? 0 : c >= g.nx ? g.nx - 1 : c;
}

/** Row of y, clamped to the grid. */
export function cellRow(g: CellGrid, y: number): number {
  const r = Math.floor((y - g.minY) * g.invH);
  return r < 0 ? 0 : r >= g.ny ? g.ny - 1 : r;
}

/**
 * Calls `visit(cell)` for every cell the segment (x0,y0)–(x1,y1) passes through or comes within
 * the slack of. Works row by row: within one row the segment covers one x interval, so a long
 * diagonal costs the cells it crosses, not the cells of its bounding box.
 */
export function forEachSegmentCell(
  g: CellGrid,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  visit: (cell: number) => void,
): void {
  const slackX = g.cellW * SLACK;
  const slackY = g.cellH * SLACK;
  const yLo = Math.min(y0, y1);
  const yHi = Math.max(y0, y1);
  const r0 = cellRow(g, yLo - slackY);
  const r1 = cellRow(g, yHi + slackY);
  const dy = y1 - y0;
  for (let r = r0; r <= r1; r++) {
    let xa: number;
    let xb: number;
    if (dy === 0 || r0 === r1) {
      xa = Math.min(x0, x1);
      xb = Math.max(x0, x1);
    } else {
      // The part of the segment inside this row's y-slab (clamped to the segment's own y range).
      const sLo = Math.max(yLo, g.minY + r * g.cellH - slackY);
      const sHi = Math.min(yHi, g.minY + (r + 1) * g.cellH + slackY);
      const ta = Math.min(1, Math.max(0, (Math.min(sLo, sHi) - y0) / dy));
      const tb = Math.min(1, Math.max(0, (Math.max(sLo, sHi) - y0) / dy));
      const xta = x0 + ta * (x1 - x0);
      const xtb = x0 + tb * (x1 - x0);
      xa = Math.min(xta, xtb);
      xb = Math.max(xta, xtb);
    }
    const c0 = cellCol(g, xa - slackX);
    const c1 = cellCol(g, xb + slackX);
    const base = r * g.nx;
    for (let c = c0; c <= c1; c++) visit(base + c);
  }
}

/** The slack (in coordinate units) to apply around a cell when deciding what touches it. */
export function cellSlack(g: CellGrid): { x: number; y: number } {
  return { x: g.cellW * SLACK, y: g.cellH * SLACK };
}
