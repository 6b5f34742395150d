import { describe, expect, it } from 'vitest';
import { daysOf, headlinePeriods, presetRange, trendWindow, windowPeriod } from '../../../server/domain/periods.ts';
import {
  addDays, bucketStart, daysBetween, endOfShanghaiDay, isDay, localDay, localParts, nextBucketStart, parseTimestamp,
  sameDayLastYear, sameMomentLastYear, shanghaiClock, shanghaiDate, shanghaiIso, shanghaiIsoLocal, shanghaiMidnight, startOfCalendar,
  startOfShanghaiDay, withShanghaiZone,
} from '../../../server/domain/time.ts';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

describe('the Asia/Shanghai calendar of an instant', () => {
  it('changes day at local midnight, 16:00 UTC', () => {
    expect(shanghaiDate(at('2026-11-25T15:59:59.999Z'))).toBe('2026-11-25');
    expect(shanghaiDate(new Date('2026-11-25T16:00:00Z'))).toBe('2026-11-26');
    expect(localDay(at('2026-11-25T15:59:59.999Z')) + 1).toBe(localDay(at('2026-11-25T16:00:00Z')));
    expect(localDay(at('1969-12-31T16:00:00Z'))).toBe(0);
  });

  it('crosses the year on New Year local midnight', () => {
    expect(shanghaiDate(at('2026-12-31T15:59:59Z'))).toBe('2026-12-31');
    expect(shanghaiDate(at('2026-12-31T16:00:00Z'))).toBe('2027-01-01');
  });

  it('reads local clock fields, weekday from Monday = 0', () => {
    // 2026-11-29 23:30 local is a Sunday; 30 minutes later a Monday.
    expect(localParts(at('2026-11-29T15:30:00Z'))).toEqual({ y: 2026, m: 10, d: 29, hour: 23, weekday: 6 });
    expect(localParts(at('2026-11-29T16:00:00Z'))).toMatchObject({ d: 30, hour: 0, weekday: 0 });
    expect(shanghaiClock(new Date('2026-11-29T16:00:00Z'))).toEqual({ date: '2026-11-30', time: '00:00:00', weekday: 1 });
  });

  it('writes local times with and without the offset', () => {
    expect(shanghaiIso(at('2026-11-25T13:05:09.700Z'))).toBe('2026-11-25T21:05:09+08:00');
    expect(shanghaiIsoLocal(at('2026-12-31T16:00:00Z'))).toBe('2027-01-01T00:00:00.000');
  });

  it('puts local midnight 8 h before UTC midnight', () => {
    expect(shanghaiMidnight('2026-11-25').toISOString()).toBe('2026-11-24T16:00:00.000Z');
    expect(shanghaiMidnight('2027-01-01').toISOString()).toBe('2026-12-31T16:00:00.000Z');
    expect(startOfShanghaiDay(new Date('2026-11-24T16:00:00Z')).toISOString()).toBe('2026-11-24T16:00:00.000Z');
    expect(startOfShanghaiDay(new Date('2026-11-24T15:59:59Z')).toISOString()).toBe('2026-11-23T16:00:00.000Z');
    expect(endOfShanghaiDay(new Date('2026-11-24T15:59:59Z')).toISOString()).toBe('2026-11-24T16:00:00.000Z');
  });
});

describe('buckets', () => {
  it('starts a month on the 1st and the next one after the month end', () => {
    expect(iso(bucketStart(at('2026-01-31T15:59:59Z'), 'month'))).toBe('2025-12-31T16:00:00.000Z');
    expect(iso(nextBucketStart(at('2025-12-31T16:00:00Z'), 'month'))).toBe('2026-01-31T16:00:00.000Z');
    // February of a leap year, and December → January.
    expect(iso(nextBucketStart(at('2028-01-31T16:00:00Z'), 'month'))).toBe('2028-02-29T16:00:00.000Z');
    expect(iso(nextBucketStart(at('2026-11-30T16:00:00Z'), 'month'))).toBe('2026-12-31T16:00:00.000Z');
  });

  it('starts an ISO week on Monday, also when it spans two years', () => {
    // 2027-01-01 is a Friday: its week began on Monday 2026-12-28.
    expect(shanghaiDate(bucketStart(at('2026-12-31T16:30:00Z'), 'week'))).toBe('2026-12-28');
    expect(shanghaiDate(nextBucketStart(bucketStart(at('2026-12-31T16:30:00Z'), 'week'), 'week'))).toBe('2027-01-04');
    // A Sunday just before local midnight is still in the week of the Monday before.
    expect(shanghaiDate(bucketStart(at('2026-11-29T15:59:59Z'), 'week'))).toBe('2026-11-23');
    expect(shanghaiDate(bucketStart(at('2026-11-29T16:00:00Z'), 'week'))).toBe('2026-11-30');
  });

  it('steps days across the month and year end', () => {
    expect(shanghaiDate(nextBucketStart(shanghaiMidnight('2026-12-31').getTime(), 'day'))).toBe('2027-01-01');
    expect(shanghaiDate(nextBucketStart(shanghaiMidnight('2028-02-28').getTime(), 'day'))).toBe('2028-02-29');
  });
});

describe('same day last year', () => {
  it('keeps the date and returns local midnight', () => {
    expect(iso(sameDayLastYear(at('2026-11-25T05:00:00Z')))).toBe('2025-11-24T16:00:00.000Z');
    expect(iso(sameDayLastYear(shanghaiMidnight('2027-01-01').getTime()))).toBe(shanghaiMidnight('2026-01-01').toISOString());
  });

  it('turns 29 February into 28 February, not 1 March', () => {
    expect(iso(sameDayLastYear(shanghaiMidnight('2028-02-29').getTime()))).toBe(shanghaiMidnight('2027-02-28').toISOString());
    expect(iso(sameDayLastYear(shanghaiMidnight('2028-03-01').getTime()))).toBe(shanghaiMidnight('2027-03-01').toISOString());
  });
});

describe('same moment last year', () => {
  it('keeps the Shanghai date and time of day', () => {
    // 2026-12-07 08:30 +08 (00:30 UTC) → 2025-12-07 08:30 +08.
    expect(iso(sameMomentLastYear(at('2026-12-07T00:30:00.250Z')))).toBe('2025-12-07T00:30:00.250Z');
    // Just after local midnight of 1 January (still 31 December in UTC).
    expect(iso(sameMomentLastYear(at('2026-12-31T16:05:00Z')))).toBe('2025-12-31T16:05:00.000Z');
  });

  it('turns 29 February into 28 February at the same time', () => {
    expect(iso(sameMomentLastYear(at('2028-02-29T04:00:00Z')))).toBe('2027-02-28T04:00:00.000Z');
  });
});

describe('calendar days', () => {
  it('validates real dates', () => {
    expect(isDay('2028-02-29')).toBe(true);
    expect(isDay('2026-02-29')).toBe(false);
    expect(isDay('2026-2-1')).toBe(false);
    expect(isDay(20261125)).toBe(false);
  });

  it('counts and moves days across month and year ends', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(daysBetween('2026-12-25', '2027-01-04')).toBe(10);
    expect(daysBetween('2027-01-04', '2026-12-25')).toBe(-10);
  });

  it('finds the start of the week, month, quarter and year', () => {
    expect(startOfCalendar('2027-01-01', 'week')).toBe('2026-12-28');
    expect(startOfCalendar('2026-11-30', 'week')).toBe('2026-11-30');
    expect(startOfCalendar('2026-12-31', 'month')).toBe('2026-12-01');
    expect(startOfCalendar('2026-12-31', 'quarter')).toBe('2026-10-01');
    expect(startOfCalendar('2026-03-31', 'quarter')).toBe('2026-01-01');
    expect(startOfCalendar('2026-12-31', 'year')).toBe('2026-01-01');
  });
});

describe('timestamps without an offset', () => {
  it('reads them as Asia/Shanghai', () => {
    expect(parseTimestamp('2026-11-25 08:00')).toEqual({ value: at('2026-11-25T00:00:00Z') });
    expect(parseTimestamp('2026/1/1')).toEqual({ value: at('2025-12-31T16:00:00Z') });
    expect(parseTimestamp('2026-11-25T08:00:00Z')).toEqual({ value: at('2026-11-25T08:00:00Z') });
    expect(parseTimestamp('2026-11-25T08:00:00+0100')).toEqual({ value: at('2026-11-25T07:00:00Z') });
  });

  it('refuses impossible dates and years far out', () => {
    expect(parseTimestamp('2026-02-29').error).toMatch(/not a valid/);
    expect(parseTimestamp('2026-11-25 24:00').error).toMatch(/not a valid/);
    expect(parseTimestamp('1900-01-01').error).toMatch(/1990/);
    expect(parseTimestamp(42).error).toMatch(/expected/);
  });

  it('adds the zone to text that has none, a bare date becoming its midnight', () => {
    expect(withShanghaiZone('2027-01-01')).toBe('2027-01-01T00:00:00+08:00');
    expect(withShanghaiZone('2027-01-01T09:30')).toBe('2027-01-01T09:30+08:00');
    expect(withShanghaiZone('2027-01-01T09:30Z')).toBe('2027-01-01T09:30Z');
    expect(withShanghaiZone('2027-01-01T09:30-0500')).toBe('2027-01-01T09:30-0500');
  });
});

describe('periods people pick', () => {
  it('runs calendar presets from their start to today, across a year end', () => {
    expect(presetRange('week', '2027-01-01')).toEqual({ from: '2026-12-28', to: '2027-01-01' });
    expect(presetRange('quarter', '2027-01-01')).toEqual({ from: '2027-01-01', to: '2027-01-01' });
    expect(presetRange('30d', '2026-03-01')).toEqual({ from: '2026-01-31', to: '2026-03-01' });
  });

  it('gives the big screen the same month and year as the workspace', () => {
    const today = '2028-02-29';
    expect(headlinePeriods(today).month).toEqual(presetRange('month', today));
    expect(headlinePeriods(today).year).toEqual(presetRange('year', today));
    expect(windowPeriod('30d', today)).toEqual(presetRange('30d', today));
    expect(daysOf(windowPeriod('7d', today))).toEqual(['2028-02-23', '2028-02-24', '2028-02-25', '2028-02-26', '2028-02-27', '2028-02-28', '2028-02-29']);
  });

  it('widens a short trend to 30 days ending with the period', () => {
    expect(trendWindow({ from: '2027-01-01', to: '2027-01-01' }).range).toEqual({ from: '2026-12-03', to: '2027-01-01' });
  });
});
