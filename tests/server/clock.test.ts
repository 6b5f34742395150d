import { describe, expect, it } from 'vitest';
import { serverClock } from '../../server/clock.ts';
import { readEnv } from '../../server/env.ts';

describe('the server clock', () => {
  it('is the system time unless CIVGRID_TEST_NOW is set', () => {
    let system = Date.parse('2027-01-01T00:00:00Z');
    const clock = serverClock(readEnv({}).CIVGRID_TEST_NOW, () => system);
    expect(clock().toISOString()).toBe('2027-01-01T00:00:00.000Z');
    system += 5_000;
    expect(clock().toISOString()).toBe('2027-01-01T00:00:05.000Z');
  });

  it('starts at CIVGRID_TEST_NOW and runs on with the system time', () => {
    let system = Date.parse('2027-01-01T00:00:00Z');
    const clock = serverClock(readEnv({ CIVGRID_TEST_NOW: '2026-11-25T12:00:00+08:00' }).CIVGRID_TEST_NOW, () => system);
    expect(clock().toISOString()).toBe('2026-11-25T04:00:00.000Z');
    system += 90_000;
    expect(clock().toISOString()).toBe('2026-11-25T04:01:30.000Z');
  });

  it('takes only a full ISO 8601 instant', () => {
    expect(() => readEnv({ CIVGRID_TEST_NOW: '2026-11-25' })).toThrow(/CIVGRID_TEST_NOW/);
  });
});
