import { describe, expect, it } from 'vitest';
import { placeLabels, type LabelBox } from '../../web/map/label-placement';

const box = (id: string, x: number, y: number, priority: number): LabelBox => ({ id, x, y, width: 60, height: 20, priority });

describe('placeLabels', () => {
  it('keeps labels that do not touch', () => {
    expect(placeLabels([box('a', 0, 0, 1), box('b', 200, 0, 1)])).toEqual(new Set(['a', 'b']));
  });

  it('drops the lower-priority label of an overlapping pair', () => {
    expect(placeLabels([box('small', 0, 0, 1), box('big', 30, 5, 9)])).toEqual(new Set(['big']));
  });

  it('counts the gap as part of the box', () => {
    // 62 px apart: clear at gap 0, too close at gap 4 (60 + 8 > 62).
    const pair = [box('a', 0, 0, 2), box('b', 62, 0, 1)];
    expect(placeLabels(pair, 0).size).toBe(2);
    expect(placeLabels(pair, 4)).toEqual(new Set(['a']));
  });

  it('breaks priority ties by id so the choice does not flicker between frames', () => {
    expect(placeLabels([box('b', 0, 0, 1), box('a', 10, 0, 1)])).toEqual(new Set(['a']));
  });

  it('lets a label hidden by a dropped one show', () => {
    // c overlaps b but not a; b overlaps a and loses, so c is free.
    const boxes = [box('a', 0, 0, 3), box('b', 50, 0, 2), box('c', 100, 0, 1)];
    expect(placeLabels(boxes)).toEqual(new Set(['a', 'c']));
  });
});
