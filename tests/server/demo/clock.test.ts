import { describe, expect, it } from 'vitest';
import { addLimit, formatLocal, toLocal } from '../../../server/demo/clock.ts';

/** Local ms for a Beijing wall-clock time. */
const at = (iso: string) => toLocal(Date.parse(`${iso}+08:00`));
const show = (localMs: number) => formatLocal(localMs).slice(0, 16);

describe('addLimit', () => {
  it('counts work_hours only Mon–Fri 9–18 h, across the weekend', () => {
    // 2026-11-27 is a Friday.
    expect(show(addLimit(at('2026-11-27T17:00:00'), 2, 'work_hours'))).toBe('2026-11-30T10:00');
  });

  it('starts work_hours at 9:00 when dispatched before office hours', () => {
    expect(show(addLimit(at('2026-11-25T06:30:00'), 4, 'work_hours'))).toBe('2026-11-25T13:00');
  });

  it('advances work_days over weekends keeping the time of day', () => {
    // Thursday + 3 working days = Tuesday.
    expect(show(addLimit(at('2026-11-26T10:15:00'), 3, 'work_days'))).toBe('2026-12-01T10:15');
  });

  it('adds calendar hours and days as they are', () => {
    expect(show(addLimit(at('2026-11-28T23:00:00'), 2, 'hours'))).toBe('2026-11-29T01:00');
    expect(show(addLimit(at('2026-11-28T23:00:00'), 1, 'days'))).toBe('2026-11-29T23:00');
  });
});

it('formats local ms as ISO 8601 with the +08:00 offset', () => {
  expect(formatLocal(toLocal(Date.parse('2026-11-24T16:00:05Z')))).toBe('2026-11-25T00:00:05+08:00');
});
