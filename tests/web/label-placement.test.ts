import { describe, expect, it } from 'vitest';
import { arrangeLabels, placeLabels, type LabelBox } from '../../web/map/label-placement';

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

describe('arrangeLabels', () => {
  const wide = { width: 1000, height: 1000 };

  it('moves a required label that clashes beside its place', () => {
    const placed = arrangeLabels([box('a', 500, 500, 2), { ...box('b', 510, 500, 1), required: true }], { viewport: wide });
    expect(placed.get('a')).toEqual({ dx: 0, dy: 0, short: false });
    const b = placed.get('b')!;
    expect(b.dx !== 0 || b.dy !== 0).toBe(true);
    expect(b.short).toBe(false);
  });

  it('shortens a required label when no move of its full form fits', () => {
    // A tight corner: the viewport leaves room only for the short form next to the kept label.
    const placed = arrangeLabels([box('a', 30, 10, 2), { ...box('b', 30, 10, 1), width: 200, shortWidth: 40, required: true }], { viewport: { width: 100, height: 60 }, gap: 2 });
    expect(placed.get('b')?.short).toBe(true);
  });

  it('never puts a label on an obstacle', () => {
    const legend = { left: 0, top: 480, right: 400, bottom: 560 };
    expect(arrangeLabels([box('a', 100, 500, 1)], { obstacles: [legend] }).has('a')).toBe(false);
    const moved = arrangeLabels([{ ...box('b', 100, 500, 1), required: true }], { obstacles: [legend], viewport: wide }).get('b')!;
    expect(500 + moved.dy + 10 < 480 || 500 + moved.dy - 10 > 560).toBe(true);
  });
});
