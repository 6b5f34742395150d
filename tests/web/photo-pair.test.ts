import { describe, expect, it } from 'vitest';
import { comparedPair } from '../../web/components/photos/photo-pair';

const p = (kind: string, n: number) => ({ kind, n });

describe('comparedPair', () => {
  it('compares the first before photo with the latest after photo; the rest are others', () => {
    const photos = [p('before', 1), p('before', 2), p('after', 3), p('other', 4), p('after', 5)];
    const pair = comparedPair(photos);
    expect([pair.before?.n, pair.after?.n, pair.others.map((o) => o.n)]).toEqual([1, 5, [2, 3, 4]]);
  });

  it('leaves a side empty when the issue has no such photo', () => {
    expect(comparedPair([p('before', 1)])).toEqual({ before: p('before', 1), after: null, others: [] });
    expect(comparedPair([])).toEqual({ before: null, after: null, others: [] });
  });
});
