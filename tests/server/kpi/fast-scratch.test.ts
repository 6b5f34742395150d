import { describe, expect, it } from 'vitest';
import { Scratch, SCRATCH_KEEP } from '../../../server/kpi/fast/scratch.ts';

describe('KPI engine scratch arrays', () => {
  it('reuses the kept array while it is large enough', () => {
    const s = new Scratch((n) => new Int32Array(n));
    const a = s.get(1000);
    expect(a.length).toBeGreaterThanOrEqual(1000);
    expect(s.get(800)).toBe(a);
    expect(s.get(a.length)).toBe(a);
  });

  it('uses an array larger than the keep limit once and keeps the smaller one', () => {
    const s = new Scratch((n) => new Float64Array(n));
    const small = s.get(1000);
    const huge = s.get(SCRATCH_KEEP);
    expect(huge.length).toBeGreaterThan(SCRATCH_KEEP);
    expect(s.keptLength).toBe(small.length);
    expect(s.get(1000)).toBe(small);
    expect(s.get(SCRATCH_KEEP)).not.toBe(huge);
  });

  it('keeps an array offered by a grown buffer only within the limit', () => {
    const s = new Scratch((n) => new Int32Array(n));
    s.offer(new Int32Array(4096));
    expect(s.keptLength).toBe(4096);
    s.offer(new Int32Array(SCRATCH_KEEP + 1));
    expect(s.keptLength).toBe(4096);
    s.offer(new Int32Array(16));
    expect(s.keptLength).toBe(4096);
  });
});
