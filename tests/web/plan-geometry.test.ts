import { describe, expect, it } from 'vitest';
import type { Polygon } from 'geojson';
import { closeRing, containsPoint, gridAt, lineRingCrossings, segmentCrossing, splitCandidates } from '../../web/plan/geometry';
import { chooseSplitTarget, mergeClick } from '../../web/plan/interaction';

const square = (x: number, y: number, w = 1, h = 1): Polygon => ({ type: 'Polygon', coordinates: [[[x, y], [x + w, y], [x + w, y + h], [x, y + h], [x, y]]] });
/** Two unit squares side by side, like two grids of one community. */
const GRIDS = [{ code: 'A', geometry: square(0, 0) }, { code: 'B', geometry: square(1, 0) }];

describe('segmentCrossing', () => {
  it('gives the parameter along the first segment where the two cross', () => {
    expect(segmentCrossing([0, 0], [2, 0], [1, -1], [1, 1])).toBeCloseTo(0.5);
  });

  it('is null for parallel or separate segments', () => {
    expect(segmentCrossing([0, 0], [1, 0], [0, 1], [1, 1])).toBeNull();
    expect(segmentCrossing([0, 0], [1, 0], [2, -1], [2, 1])).toBeNull();
  });
});

describe('lineRingCrossings', () => {
  it('finds both crossings of a line drawn through a square, in line order', () => {
    const ring = square(0, 0).coordinates[0];
    const s = lineRingCrossings([[0.5, -1], [0.5, 2]], ring);
    expect(s).toHaveLength(2);
    expect(s[0]).toBeLessThan(s[1]);
  });

  it('counts a crossing through a corner once, not once per edge meeting there', () => {
    const ring = square(0, 0).coordinates[0];
    expect(lineRingCrossings([[-1, -1], [2, 2]], ring)).toHaveLength(2);
  });
});

describe('splitCandidates', () => {
  it('names the one grid a line crosses from outside to outside', () => {
    expect(splitCandidates([[0.5, -0.5], [0.5, 1.5]], GRIDS)).toEqual(['A']);
  });

  it('skips a grid the line only enters (it would cross its boundary once)', () => {
    expect(splitCandidates([[0.5, -0.5], [0.5, 0.5]], GRIDS)).toEqual([]);
  });

  it('names both grids for a line across two neighbours', () => {
    expect(splitCandidates([[-0.5, 0.5], [2.5, 0.5]], GRIDS).sort()).toEqual(['A', 'B']);
  });

  it('skips a grid the line crosses twice but only outside it (a notch)', () => {
    const u: Polygon = { type: 'Polygon', coordinates: [[[0, 0], [3, 0], [3, 3], [2, 3], [2, 1], [1, 1], [1, 3], [0, 3], [0, 0]]] };
    expect(splitCandidates([[1.5, 4], [1.5, 2]], [{ code: 'U', geometry: u }])).toEqual([]);
  });
});

describe('chooseSplitTarget', () => {
  it('takes the only grid the line splits', () => {
    expect(chooseSplitTarget([[0.5, -0.5], [0.5, 1.5]], GRIDS, null)).toEqual({ grid: 'A' });
  });

  it('takes the selected grid when the line splits several', () => {
    expect(chooseSplitTarget([[-0.5, 0.5], [2.5, 0.5]], GRIDS, 'B')).toEqual({ grid: 'B' });
  });

  it('asks for a selection when the line splits several and none of them is selected', () => {
    expect(chooseSplitTarget([[-0.5, 0.5], [2.5, 0.5]], GRIDS, null)).toEqual({ problem: 'ambiguousSplit' });
  });

  it('says so when the line splits nothing', () => {
    expect(chooseSplitTarget([[0.2, 0.2], [0.8, 0.8]], GRIDS, 'A')).toEqual({ problem: 'noSplitTarget' });
  });
});

describe('mergeClick', () => {
  it('collects a first pick and merges on the second', () => {
    const first = mergeClick([], 'A');
    expect(first).toEqual({ picked: ['A'], merge: null });
    expect(mergeClick(first.picked, 'B')).toEqual({ picked: [], merge: ['A', 'B'] });
  });

  it('drops a pick clicked again and ignores clicks beside the grids', () => {
    expect(mergeClick(['A'], 'A')).toEqual({ picked: [], merge: null });
    expect(mergeClick(['A'], null)).toEqual({ picked: ['A'], merge: null });
  });
});

describe('containsPoint and closeRing', () => {
  it('tests points against a polygon with a hole', () => {
    const holed: Polygon = { type: 'Polygon', coordinates: [square(0, 0, 4, 4).coordinates[0], square(1, 1, 2, 2).coordinates[0]] };
    expect(containsPoint(holed, [0.5, 0.5])).toBe(true);
    expect(containsPoint(holed, [2, 2])).toBe(false);
  });

  it('closes a drawn ring, dropping repeats, and refuses one with under three points', () => {
    expect(closeRing([[0, 0], [1, 0], [1, 0], [1, 1]])).toEqual([[0, 0], [1, 0], [1, 1], [0, 0]]);
    expect(closeRing([[0, 0], [1, 0], [1, 1], [0, 0]])).toEqual([[0, 0], [1, 0], [1, 1], [0, 0]]);
    expect(closeRing([[0, 0], [1, 0], [0, 0]])).toBeNull();
  });
});

describe('gridAt', () => {
  it('finds the grid under a click, and nothing beside the grids', () => {
    expect(gridAt(GRIDS, [1.5, 0.5])).toBe('B');
    expect(gridAt(GRIDS, [0.2, 0.9])).toBe('A');
    expect(gridAt(GRIDS, [3, 0.5])).toBeNull();
  });
});
