/** The issue list's report-time bound (server/kpi/fast/newest.ts) on hand-made columns. */
import { describe, expect, it } from 'vitest';
import type { IssueColumns } from '../../../server/kpi/fast/columns.ts';
import { kthNewestReported } from '../../../server/kpi/fast/newest.ts';

const columns = (reported: number[]) => ({ reported: Float64Array.from(reported) }) as unknown as IssueColumns;
const all = (n: number) => ({ rows: Int32Array.from({ length: n }, (_, i) => i), length: n });

describe('kthNewestReported', () => {
  const times = [5, 1, 9, 3, 7, 3, 8, 3, 2];
  const cols = columns(times);

  it('is the k-th largest report time in the period', () => {
    expect(kthNewestReported(cols, all(times.length), 0, 100, null, 1)).toBe(9);
    expect(kthNewestReported(cols, all(times.length), 0, 100, null, 3)).toBe(7);
    expect(kthNewestReported(cols, all(times.length), 0, 8, null, 3)).toBe(3);
    expect(kthNewestReported(cols, all(times.length), 3, 100, null, 6)).toBe(3);
  });

  it('is null when fewer rows qualify', () => {
    expect(kthNewestReported(cols, all(times.length), 3, 100, null, 7)).toBe(3);
    expect(kthNewestReported(cols, all(times.length), 3, 100, null, 8)).toBeNull();
    expect(kthNewestReported(cols, { rows: new Int32Array(0), length: 0 }, 0, 100, null, 1)).toBeNull();
  });

  it('counts the rows of the cursor’s millisecond as possibly after it', () => {
    // At or before 3: 3, 3, 3, 2, 1. The three 3s may all follow the cursor: the 2nd row of the page is then 1.
    expect(kthNewestReported(cols, all(times.length), 0, 100, 3, 2)).toBe(1);
    expect(kthNewestReported(cols, all(times.length), 0, 100, 3, 3)).toBeNull();
    expect(kthNewestReported(cols, all(times.length), 0, 100, 7, 2)).toBe(3);
  });

  it('only looks at the selected rows', () => {
    expect(kthNewestReported(cols, { rows: Int32Array.from([1, 3, 8, 0]), length: 3 }, 0, 100, null, 1)).toBe(3);
  });
});
