import { describe, expect, it } from 'vitest';
import { columnsPerSide, partitionColumns, planLayout, sideColumns } from '../../web/screen/layout.ts';
import { PANEL_KINDS } from '../../web/screen/config.ts';

describe('screen layout', () => {
  it('adds side columns as the wall gets wider, not taller', () => {
    expect(columnsPerSide(1920, 1080)).toBe(1);
    expect(columnsPerSide(3840, 2160)).toBe(1);
    expect(columnsPerSide(5760, 2160)).toBe(2);
    expect(columnsPerSide(7680, 2160)).toBe(3);
  });

  it('keeps at least one column on narrow screens', () => {
    expect(columnsPerSide(1024, 1366)).toBe(1);
    expect(columnsPerSide(0, 0)).toBe(1);
  });

  it('balances the heaviest column while keeping the order', () => {
    const groups = partitionColumns([1, 1, 1, 1, 2, 2], 2, (w) => w);
    expect(groups).toEqual([[1, 1, 1, 1], [2, 2]]);
  });

  it('never returns an empty column', () => {
    expect(partitionColumns(['a', 'b'], 6, () => 1)).toEqual([['a'], ['b']]);
    expect(partitionColumns([], 3, () => 1)).toEqual([]);
  });

  it('puts the headline KPIs above the map and every other panel in a side column', () => {
    const layout = planLayout(PANEL_KINDS, 1920, 1080);
    expect(layout.center).toEqual(['kpis']);
    expect(layout.left).toHaveLength(1);
    expect(layout.right).toHaveLength(1);
    expect([...layout.left.flat(), ...layout.right.flat()]).toEqual(PANEL_KINDS.filter((p) => p !== 'kpis'));
  });

  it('gives a 32:9 wall two columns a side and the spare width to the map, not to giant panels', () => {
    // The committed panels (every kind but the optional department lists).
    const layout = planLayout(PANEL_KINDS.filter((p) => p !== 'departments'), 7680, 2160);
    expect(layout.left).toHaveLength(2);
    expect(layout.right).toHaveLength(2);
    const widthRem = (7680 / 2160) * 67.5;
    const sides = 4 * (layout.columnRem + 0.75) + 2;
    expect((widthRem - sides) / widthRem).toBeGreaterThan(0.45);
  });

  it('keeps the columns panels were designed for on 16:9 and 8:3', () => {
    expect(sideColumns(1920, 1080, 7)).toEqual({ perSide: 1, columnRem: expect.closeTo(27.25, 1) });
    expect(sideColumns(5760, 2160, 7).perSide).toBe(2);
    expect(sideColumns(5760, 2160, 7).columnRem).toBeLessThan(29);
  });

  it('uses more columns on a wide wall when there are panels enough to fill them', () => {
    expect(sideColumns(7680, 2160, 12).perSide).toBe(3);
  });
});
