import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { calendarWarning, loadWorkCalendar, workCalendar } from '../../../server/calendar.ts';
import { addTimeLimit } from '../../../server/domain/deadline.ts';
import { shanghaiIso } from '../../../server/domain/time.ts';
import type { LimitUnit } from '../../../server/domain/vocabulary.ts';
import type { WorkCalendar } from '../../../server/domain/work-calendar.ts';

const official = workCalendar();
const due = (at: string, limit: number, unit: LimitUnit, calendar: WorkCalendar = official) =>
  shanghaiIso(addTimeLimit(Date.parse(`${at}+08:00`), limit, unit, calendar)).slice(0, 16);

/** A calendar file in a fresh folder. */
function calendarFile(content: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'civgrid-cal-')), 'calendar.json');
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

describe('deadlines on the official calendar', () => {
  it('runs a 3-working-day case dispatched on 30 September past the National Day holiday', () => {
    // 2025-10-01…08 are days off; Saturday 10-11 is a 调休 working day.
    expect(due('2025-09-30T10:00', 3, 'work_days')).toBe('2025-10-11T10:00');
  });

  it('counts a 调休 Saturday as a working day', () => {
    // Friday 16:00 + 2 working hours: one hour on Friday, one on the 调休 Saturday 2025-10-11.
    expect(due('2025-10-10T16:00', 2, 'work_hours')).toBe('2025-10-11T10:00');
  });

  it('skips an ordinary weekend', () => {
    expect(due('2026-11-27T16:00', 2, 'work_hours')).toBe('2026-11-30T10:00');
  });

  it('counts calendar hours and days straight through holidays', () => {
    expect(due('2025-09-30T10:00', 24, 'hours')).toBe('2025-10-01T10:00');
    expect(due('2025-09-30T10:00', 3, 'days')).toBe('2025-10-03T10:00');
  });

  it('falls back to weekends only beyond the years the calendar knows', () => {
    // 2031-10-01 is a Wednesday; nothing is known of 2031's holidays.
    expect(official.lastYear).toBeLessThan(2031);
    expect(due('2031-09-30T16:00', 2, 'work_hours')).toBe('2031-10-01T10:00');
  });
});

describe('local days (data/calendar.json)', () => {
  it('skips a local day off', () => {
    const calendar = loadWorkCalendar(calendarFile({ daysOff: [{ date: '2026-11-25', name: '地方节日' }] }));
    // Tuesday 10:00 + 1 working day: 7 h on Tuesday, Wednesday off, 1 h on Thursday.
    expect(due('2026-11-24T10:00', 1, 'work_days', calendar)).toBe('2026-11-26T10:00');
    expect(due('2026-11-24T10:00', 1, 'work_days')).toBe('2026-11-25T10:00');
  });

  it('counts a local extra working day, even beyond the official years', () => {
    const calendar = loadWorkCalendar(calendarFile({ workdays: [{ date: '2031-10-04', name: '补班' }] }));
    // Friday 2031-10-03 16:00 + 2 working hours ends on the working Saturday.
    expect(due('2031-10-03T16:00', 2, 'work_hours', calendar)).toBe('2031-10-04T10:00');
  });

  it('names the variable, the file and the field of a bad entry', () => {
    const path = calendarFile({ daysOff: [{ date: '2026-02-30', name: 'x' }] });
    expect(() => loadWorkCalendar(path)).toThrow(`invalid CIVGRID_CALENDAR file ${path}`);
    expect(() => loadWorkCalendar(path)).toThrow('daysOff.0.date: not a date YYYY-MM-DD');
  });

  it('refuses a day listed both as a day off and as a working day', () => {
    const path = calendarFile({ daysOff: [{ date: '2026-11-25', name: 'a' }], workdays: [{ date: '2026-11-25', name: 'b' }] });
    expect(() => loadWorkCalendar(path)).toThrow('workdays.0.date: 2026-11-25 is also listed in daysOff');
  });

  it('refuses unknown fields and broken JSON, naming the file', () => {
    expect(() => loadWorkCalendar(calendarFile({ holidays: [] }))).toThrow(/CIVGRID_CALENDAR file .*\n.*holidays/);
    const broken = calendarFile('{');
    expect(() => loadWorkCalendar(broken)).toThrow(`cannot read CIVGRID_CALENDAR file ${broken}`);
  });

  it('loads the shipped data/calendar.json', () => {
    expect(loadWorkCalendar('data/calendar.json').lastYear).toBe(official.lastYear);
  });
});

describe('the warning at start', () => {
  it('warns when the official calendar ends within 90 days, naming the years covered', () => {
    const last = official.lastYear;
    expect(calendarWarning(official, new Date(`${last}-06-01T00:00:00Z`))).toBeNull();
    expect(calendarWarning(official, new Date(`${last}-12-07T00:00:00Z`))).toContain(`covers ${official.firstYear}–${last}`);
  });
});
