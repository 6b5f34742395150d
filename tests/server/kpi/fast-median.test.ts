/** Medians of the KPI engine: DuckDB's quantile_cont(0.5), per group, whatever the order and ties. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { medianOf, summariseHours } from '../../../server/kpi/fast/median.ts';

/** The definition: sort, then the middle value or lo·½ + hi·½ of the two middle ones. */
function reference(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const k = (s.length - 1) >> 1;
  return s.length % 2 ? s[k] : s[k] * 0.5 + s[k + 1] * 0.5;
}

// Hours are differences of epochs, never -0; with -0 and 0 in one list, which zero is "the middle" is arbitrary.
const hour = fc.double({ min: -50, max: 5000, noNaN: true }).map((h) => h + 0);
const hours = fc.array(fc.oneof(hour, fc.constantFrom(0, 1.8, 2, 24)), { minLength: 1, maxLength: 3000 });

describe('medianOf', () => {
  it('is the sorted middle, for odd and even counts, ties and negative values', () => {
    fc.assert(fc.property(hours, (values) => void expect(medianOf(Float64Array.from(values), 0, values.length)).toBe(reference(values))), { numRuns: 300 });
  });

  it('works on a sub-range, large enough for the sampling step, in sorted and reversed orders', () => {
    const n = 20_001;
    const up = Float64Array.from({ length: n }, (_, i) => i / 10);
    expect(medianOf(up.slice(), 0, n)).toBe(1000);
    expect(medianOf(up.slice().reverse(), 0, n)).toBe(1000);
    const padded = Float64Array.from([99999, ...up.slice(0, 10), -99999]);
    expect(medianOf(padded, 1, 11)).toBe(reference([...up.slice(0, 10)]));
  });
});

describe('summariseHours', () => {
  it('keeps a group with one name apart from the NULL group (two groups are not "one")', () => {
    const { median } = summariseHours({ values: Float64Array.from([1, 2, 9]), groups: Int32Array.from([0, 0, 1]), length: 3 }, 2);
    expect([...median]).toEqual([1.5, 9]);
    const one = summariseHours({ values: Float64Array.from([1, 2, 9]), groups: null, length: 3 }, 2);
    expect([...one.median]).toEqual([2, NaN]);
  });

  it('gives each group its own median and mean, NaN for a group without hours', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.double({ min: 0, max: 500, noNaN: true }).map((h) => h + 0)), { maxLength: 500 }), (pairs) => {
        const { median, mean } = summariseHours(
          { values: Float64Array.from(pairs, ([, v]) => v), groups: Int32Array.from(pairs, ([g]) => g), length: pairs.length }, 7,
        );
        for (let g = 0; g < 7; g++) {
          const mine = pairs.filter(([x]) => x === g).map(([, v]) => v);
          if (!mine.length) {
            expect(median[g]).toBeNaN();
            continue;
          }
          expect(median[g]).toBe(reference(mine));
          expect(mean[g]).toBeCloseTo(mine.reduce((s, v) => s + v, 0) / mine.length, 6);
        }
      }),
      { numRuns: 200 },
    );
  });
});
