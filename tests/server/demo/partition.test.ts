import { describe, expect, it } from 'vitest';
import type { Polygon } from 'geojson';
import { partition } from '../../../server/demo/partition.ts';
import { Rng } from '../../../server/demo/rng.ts';
import { tiling, tilesWell } from './tiling.ts';

/** A C-shaped parent: concave, so naive Voronoi cells would break into pieces. */
const C_SHAPE: Polygon = {
  type: 'Polygon',
  coordinates: [[[102.7, 25.0], [102.76, 25.0], [102.76, 25.012], [102.712, 25.012], [102.712, 25.038], [102.76, 25.038], [102.76, 25.05], [102.7, 25.05], [102.7, 25.0]]],
};

describe('partition', () => {
  it('tiles a concave parent with non-empty cells', () => {
    const { cells } = partition(C_SHAPE, { n: 9, rng: new Rng(5), weight: () => 1 });
    expect(cells).toHaveLength(9);
    const report = tiling(C_SHAPE, cells);
    expect(report, JSON.stringify(report)).toSatisfy(tilesWell);
  });

  it('makes cells smaller where the weight is higher', () => {
    const dense = (lon: number) => (lon < 102.72 ? 10 : 1);
    const { cells } = partition(C_SHAPE, { n: 12, rng: new Rng(5), weight: dense, iterations: 6 });
    const west = cells.filter((c) => (c.type === 'Polygon' ? c.coordinates[0] : c.coordinates[0][0]).every(([x]) => x <= 102.722)).length;
    // The west strip is a third of the area but gets well over a third of the cells.
    expect(west).toBeGreaterThan(4);
  });

  it('merges the fragments a convex cell leaves across the C’s gap into a neighbour', () => {
    // Without relaxation, seeds 2–4 give a cell that spans both arms of the C (checked when written).
    for (const seed of [2, 3, 4]) {
      const { cells } = partition(C_SHAPE, { n: 2, rng: new Rng(seed), weight: () => 1, iterations: 0 });
      expect(cells.map((c) => c.type)).toEqual(['Polygon', 'Polygon']);
      expect(tiling(C_SHAPE, cells)).toSatisfy(tilesWell);
    }
  });

  it('returns the parent itself for one cell', () => {
    expect(partition(C_SHAPE, { n: 1, rng: new Rng(5), weight: () => 1 }).cells).toEqual([C_SHAPE]);
  });

  it('is deterministic for the same generator state', () => {
    const a = partition(C_SHAPE, { n: 7, rng: new Rng(9), weight: () => 1 });
    const b = partition(C_SHAPE, { n: 7, rng: new Rng(9), weight: () => 1 });
    expect(a).toEqual(b);
  });
});
