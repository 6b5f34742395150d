import { describe, expect, it } from 'vitest';
import { daysOf, headlinePeriods, windowPeriod } from '../../server/domain/periods.ts';
import { addDays, shanghaiClock, shanghaiDate } from '../../server/domain/time.ts';

describe('screen periods (Asia/Shanghai)', () => {
  it('takes the day in Shanghai, not UTC', () => {
    expect(shanghaiDate(new Date('2026-11-25T15:59:59Z'))).toBe('2026-11-25');
    expect(shanghaiDate(new Date('2026-11-25T16:00:00Z'))).toBe('2026-11-26');
  });

  it('moves days across month and leap-year ends', () => {
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });

  it('gives today, the month and the year so far', () => {
    expect(headlinePeriods('2026-11-25')).toEqual({
      today: { from: '2026-11-25', to: '2026-11-25' },
      month: { from: '2026-11-01', to: '2026-11-25' },
      year: { from: '2026-01-01', to: '2026-11-25' },
    });
  });

  it('counts today in the last 30 days', () => {
    expect(windowPeriod('30d', '2026-11-25')).toEqual({ from: '2026-10-27', to: '2026-11-25' });
    expect(daysOf(windowPeriod('30d', '2026-11-25'))).toHaveLength(30);
    expect(windowPeriod('7d', '2026-01-03')).toEqual({ from: '2025-12-28', to: '2026-01-03' });
  });

  it('shows the Shanghai clock with its weekday', () => {
    expect(shanghaiClock(new Date('2026-11-25T13:05:09Z'))).toEqual({ date: '2026-11-25', time: '21:05:09', weekday: 3 });
  });
});
