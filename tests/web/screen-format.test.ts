import { describe, expect, it } from 'vitest';
import { redBlackLists } from '../../web/components/red-black.ts';
import { formatCount, formatCountsAlike, formatRate, formatScore, rankMove } from '../../web/screen/format.ts';

describe('screen number formats', () => {
  it('writes one row of counts in one format: 175,000 beside 60,529, never 17.5万 beside it', () => {
    expect(formatCountsAlike([175_000, 60_529, null])).toEqual(['175,000', '60,529', '—']);
    expect(formatCountsAlike([1_200_000, 95_454])).toEqual(['120.0万', '9.5万']);
    expect(formatCountsAlike([1_200_000, 95_454], 'en')).toEqual(['1.2M', '0.1M']);
  });

  it('groups counts below 100 000', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(99_999)).toBe('99,999');
  });

  it('switches to 万 and 亿 for large counts', () => {
    expect(formatCount(166_667)).toBe('16.7万');
    expect(formatCount(250_000_000)).toBe('2.5亿');
  });

  it('uses k and M in English', () => {
    expect(formatCount(166_667, 'en')).toBe('166.7k');
    expect(formatCount(2_500_000, 'en')).toBe('2.5M');
  });

  it('shows a dash for unknown values, never 0 or NaN', () => {
    expect(formatCount(null)).toBe('—');
    expect(formatRate(null)).toBe('—');
    expect(formatScore(undefined)).toBe('—');
    expect(formatCount(Number.NaN)).toBe('—');
  });

  it('shows rates as percentages with one decimal', () => {
    expect(formatRate(0.7848)).toBe('78.5%');
    expect(formatRate(1)).toBe('100.0%');
  });

  it('rounds half up as people do, despite binary floating point', () => {
    expect(formatRate(0.3485)).toBe('34.9%');
    expect(formatRate(0.0005)).toBe('0.1%');
  });

  it('reads the API rank change: positive moved up', () => {
    expect(rankMove(3)).toEqual({ move: 'up', places: 3 });
    expect(rankMove(-2)).toEqual({ move: 'down', places: 2 });
    expect(rankMove(0)).toEqual({ move: 'same', places: 0 });
    expect(rankMove(null)).toEqual({ move: 'new', places: 0 });
  });

  it('never shows a unit on both lists when there are fewer than two lists of units (the wall uses the workspace rule)', () => {
    const e = (code: string, rank: number) => ({ code, rank });
    const five = ['A', 'B', 'C', 'D', 'E'].map(e);
    const answer = (units: { code: string; rank: number }[]) => ({ ranked: units.length, red: units, black: [...units].reverse() });
    const lists = redBlackLists(answer(five), 3);
    expect(lists.red.map((x) => x.code)).toEqual(['A', 'B', 'C']);
    expect(lists.black.map((x) => x.code)).toEqual(['E', 'D']);
    // Room for five on each list: still shared out, not all five red and an empty black list.
    const roomy = redBlackLists(answer(five), 5);
    expect([roomy.red.length, roomy.black.length]).toEqual([3, 2]);
    // Enough units: two full lists, as before.
    const ten = 'ABCDEFGHIJ'.split('').map(e);
    expect(redBlackLists(answer(ten), 3).black.map((x) => x.code)).toEqual(['J', 'I', 'H']);
  });
});
