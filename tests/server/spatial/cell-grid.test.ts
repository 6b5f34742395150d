import { describe, expect, it } from 'vitest';
import { cellCol, cellRow, forEachSegmentCell, makeCellGrid } from '../../../server/spatial/cell-grid.js';
import { seeded } from './random.js';

describe('forEachSegmentCell', () => {
  const grid = makeCellGrid(102.7, 24.9, 102.8, 25.0, 10_000);

  it('visits every cell a segment passes through', () => {
    const rand = seeded(11);
    let missed = 0;
    let sampled = 0;
    for (let k = 0; k < 200; k++) {
      const [x0, y0, x1, y1] = [102.7 + rand() * 0.1, 24.9 + rand() * 0.1, 102.7 + rand() * 0.1, 24.9 + rand() * 0.1];
      const visited = new Set<number>();
      forEachSegmentCell(grid, x0, y0, x1, y1, (c) => visited.add(c));
      for (let i = 0; i <= 2000; i++) {
        const t = i / 2000;
        const cell = cellRow(grid, y0 + t * (y1 - y0)) * grid.nx + cellCol(grid, x0 + t * (x1 - x0));
        sampled++;
        if (!visited.has(cell)) missed++;
      }
    }
    expect(sampled).toBe(200 * 2001);
    expect(missed).toBe(0);
  });

  it('visits the cells along a long diagonal, not its whole bounding box', () => {
    let count = 0;
    forEachSegmentCell(grid, 102.7, 24.9, 102.8, 25.0, () => count++);
    expect(grid.nx * grid.ny).toBeGreaterThanOrEqual(10_000);
    expect(count).toBeLessThan(4 * grid.nx);
  });

  it('handles horizontal and vertical segments and degenerate grids', () => {
    const cells: number[] = [];
    forEachSegmentCell(grid, 102.705, 24.95, 102.715, 24.95, (c) => cells.push(c));
    expect(new Set(cells.map((c) => Math.floor(c / grid.nx))).size).toBe(1);
    const flat = makeCellGrid(0, 5, 10, 5, 100);
    expect(flat.nx * flat.ny).toBeGreaterThan(0);
    expect(Number.isFinite(flat.invH)).toBe(true);
  });
});
