import { describe, expect, it } from 'vitest';
import { toLocal } from '../../../server/demo/clock.ts';
import { planLifecycle, type Lifecycle } from '../../../server/demo/lifecycle.ts';
import { Rng } from '../../../server/demo/rng.ts';
import type { Category } from '../../../server/demo/taxonomy.ts';
import { DAY, HOUR } from '../../../server/domain/time.ts';

const NOW = toLocal(Date.parse('2026-11-25T10:00:00+08:00'));
const ROAD: Category = { code: '1201', parent: '12', kind: 'component', name: '道路破损', name_en: 'Damaged road surface', limit: 3, limit_unit: 'work_days' };
const GARBAGE: Category = { code: '0101', parent: '01', kind: 'event', name: '暴露垃圾', name_en: 'Exposed rubbish', limit: 2, limit_unit: 'work_hours' };

/** Plans `n` issues reported `ageDays` before NOW (± half a day). */
function plan(n: number, ageDays: number, seed = 1): { reported: number; life: Lifecycle }[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, (_, i) => {
    const reported = NOW - ageDays * DAY + rng.range(-12, 12) * HOUR;
    const source = rng.pick(['patrol', 'inspection', 'camera', 'hotline', 'assigned'] as const);
    return { reported, life: planLifecycle(rng, Math.min(reported, NOW - 1000), source, i % 2 ? ROAD : GARBAGE, NOW) };
  });
}

describe('planLifecycle', () => {
  it('keeps reported ≤ dispatched ≤ closed ≤ now', () => {
    for (const age of [0.2, 3, 400]) {
      for (const { reported, life } of plan(3000, age)) {
        if (life.dispatched !== null) expect(life.dispatched).toBeGreaterThanOrEqual(Math.min(reported, NOW - 1000));
        if (life.closed !== null) expect(life.closed >= life.dispatched! && life.closed <= NOW).toBe(true);
        if (life.deadline !== null) expect(life.deadline).toBeGreaterThan(life.dispatched!);
      }
    }
  });

  it('sets closed_at exactly for closed issues and immediate only within 24 h of the report', () => {
    for (const { reported, life } of plan(5000, 30)) {
      expect(life.closed !== null).toBe(life.status === 'closed');
      if (life.immediate) expect(life.closed! - reported).toBeLessThanOrEqual(DAY);
    }
  });

  it('leaves issues before dispatch without dispatch time or deadline', () => {
    const early = plan(3000, 0.01).filter(({ life }) => life.status === 'reported' || life.status === 'opened');
    expect(early.length).toBeGreaterThan(0);
    expect(early.every(({ life }) => life.dispatched === null && life.deadline === null)).toBe(true);
  });

  it('has almost every old issue finished and many of today’s still open', () => {
    const open = (xs: { life: Lifecycle }[]) => xs.filter(({ life }) => !['closed', 'cancelled', 'deferred'].includes(life.status)).length / xs.length;
    expect(open(plan(5000, 700))).toBeLessThan(0.03);
    expect(open(plan(5000, 0.2))).toBeGreaterThan(0.3);
  });
});
