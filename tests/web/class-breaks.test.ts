import { describe, expect, it } from 'vitest';
import { classBreaks, classColourIndexes } from '../../web/map/layers/class-breaks';
import { ALARM_PALETTE, classedScale, classOf } from '../../web/map/layers/colours';

/** 600 grids of one day: almost all without an issue, a few with one, one with two. */
const QUIET_DAY = [...new Array<number>(470).fill(0), ...new Array<number>(129).fill(1), 2];

describe('class breaks for a period with very few issues', () => {
  it('gives zero its own class and never more classes than distinct counts', () => {
    expect(classBreaks(QUIET_DAY, 'count')).toEqual([1]);
    expect(classBreaks([0, 0, 1, 1, 2, 2, 3, 3], 'count')).toEqual([1, 2, 3]);
    expect(classBreaks([0, 0, 0, 1], 'count')).toEqual([1]);
    expect(classBreaks([0, 0, 0], 'count')).toEqual([]);
  });

  it('does not paint a grid with one issue in the alarming colours', () => {
    const scale = classedScale('overdue', [...new Array<number>(300).fill(0), ...new Array<number>(300).fill(1)]);
    expect(scale.breaks).toEqual([1]);
    // Before, two classes took both ends of the palette: "1+" was the deepest red.
    expect(scale.colours).toEqual([ALARM_PALETTE[0], ALARM_PALETTE[1]]);
    const quiet = classedScale('reported', QUIET_DAY);
    expect(quiet.colours[classOf(quiet, 1)]).toBe(ALARM_PALETTE[1]);
    expect(quiet.colours[classOf(quiet, 2)]).toBe(ALARM_PALETTE[1]);
  });

  it('still uses the whole palette when a busy period spreads grids over many counts', () => {
    const month = Array.from({ length: 600 }, (_, i) => i % 41);
    const scale = classedScale('overdue', month);
    expect(scale.breaks).toHaveLength(4);
    expect(scale.breaks[0]).toBe(1);
    expect(scale.colours).toEqual([...ALARM_PALETTE]);
  });

  it('adapts to the period: the same grids get higher breaks over a longer one', () => {
    const day = [0, 0, 0, 1, 1, 2, 3];
    const month = day.map((v) => v * 30);
    expect(classBreaks(month, 'count').at(-1)).toBeGreaterThan(classBreaks(day, 'count').at(-1)!);
  });

  it('climbs the palette one step per class for counts, keeps both ends for rates', () => {
    expect(classColourIndexes(2, 5, 'count')).toEqual([0, 1]);
    expect(classColourIndexes(2, 5, 'rate')).toEqual([0, 4]);
    expect(classColourIndexes(5, 5, 'count')).toEqual([0, 1, 2, 3, 4]);
  });
});
