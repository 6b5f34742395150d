import { describe, expect, it } from 'vitest';
import { apportion, Rng, WeightedTable } from '../../../server/demo/rng.ts';

const draws = (rng: Rng, n = 5) => Array.from({ length: n }, () => rng.next());

describe('Rng', () => {
  it('repeats the same stream for the same seed and label', () => {
    expect(draws(new Rng(42, 'a'))).toEqual(draws(new Rng(42, 'a')));
  });

  it('gives unrelated streams to different labels and seeds', () => {
    expect(draws(new Rng(42, 'a'))).not.toEqual(draws(new Rng(42, 'b')));
    expect(draws(new Rng(42, 'a'))).not.toEqual(draws(new Rng(43, 'a')));
  });

  it('forks streams that do not depend on how much the parent was used', () => {
    const used = new Rng(1);
    draws(used, 100);
    expect(draws(used.fork('x'))).toEqual(draws(new Rng(1).fork('x')));
  });
});

describe('WeightedTable', () => {
  it('never draws a zero weight', () => {
    const table = new WeightedTable(['a', 'b', 'c'], [1, 0, 3]);
    const rng = new Rng(3);
    const seen = new Set(Array.from({ length: 2000 }, () => table.draw(rng)));
    expect(seen).toEqual(new Set(['a', 'c']));
  });
});

describe('apportion', () => {
  it('splits the total exactly, proportionally', () => {
    expect(apportion(10, [1, 1, 2])).toEqual([3, 2, 5]);
  });

  it('gives everyone the minimum first', () => {
    const shares = apportion(20, [100, 1, 1, 1], 2);
    expect(shares.reduce((s, x) => s + x, 0)).toBe(20);
    expect(Math.min(...shares)).toBe(2);
  });
});
