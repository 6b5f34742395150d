import type { Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { bboxOf } from '../../../server/domain/geometry.ts';
import { neighbourFindings, type NeighbourGrid } from '../../../server/plan/neighbours.ts';
import { PlanState } from '../../../server/plan/state.ts';

const square = (x0: number, y0: number, size: number): Polygon => ({
  type: 'Polygon', coordinates: [[[x0, y0], [x0 + size, y0], [x0 + size, y0 + size], [x0, y0 + size], [x0, y0]]],
});
const neighbour = (code: string, geometry: Polygon): NeighbourGrid => ({ code, district: '530112', geometry, bbox: bboxOf(geometry) });

/** One grid of 官渡区 at 102.70–102.71°E. */
const state = PlanState.build([{
  type: 'Feature', id: 'G1',
  properties: { code: 'G1', name: 'G1', community: 'C1', inspector: '张伟', households: null },
  geometry: square(102.7, 24.9, 0.01),
}], new Map());

describe('the border with the neighbouring districts', () => {
  it('refuses a code another district has published', () => {
    const { errors } = neighbourFindings(state, [neighbour('g1', square(103, 24.9, 0.01))], 1);
    expect(errors).toEqual([expect.objectContaining({ code: 'duplicate_code', grids: ['G1'], message: expect.stringMatching(/district 530112/) })]);
  });

  it('warns of an overlap with a neighbour\'s published grid, and not of one that only touches', () => {
    const overlapping = neighbourFindings(state, [neighbour('N1', square(102.705, 24.9, 0.01))], 1);
    expect(overlapping.errors).toEqual([]);
    expect(overlapping.warnings).toEqual([expect.objectContaining({ code: 'neighbour_overlap', grids: ['G1'], message: expect.stringMatching(/grid N1 of district 530112/) })]);
    expect(neighbourFindings(state, [neighbour('N2', square(102.71, 24.9, 0.01))], 1)).toEqual({ errors: [], warnings: [] });
  });
});
