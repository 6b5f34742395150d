import { describe, expect, it } from 'vitest';
import { eventAge, LIVE_EVENT_MAX_AGE_MS, liveBadge } from '../../web/screen/live-badge';

const NOW = Date.parse('2026-11-20T04:00:00Z');
const MIN = 60_000;

describe('the live badge', () => {
  it('says live only while the newest event is recent', () => {
    expect(liveBadge('live', NOW - 3 * MIN, NOW)).toEqual({ state: 'live', age: { unit: 'minutes', n: 3 } });
    expect(liveBadge('live', NOW - LIVE_EVENT_MAX_AGE_MS - MIN, NOW).state).toBe('quiet');
    expect(liveBadge('live', NOW - 60 * MIN, NOW)).toEqual({ state: 'quiet', age: { unit: 'hours', n: 1 } });
  });

  it('is not live before any event is known, and reports a lost connection as such', () => {
    expect(liveBadge('live', null, NOW)).toEqual({ state: 'quiet', age: null });
    expect(liveBadge('reconnecting', NOW, NOW).state).toBe('reconnecting');
  });

  it('states ages in the largest whole unit', () => {
    expect(eventAge(NOW - 20_000, NOW)).toEqual({ unit: 'now', n: 0 });
    expect(eventAge(NOW - 59 * MIN, NOW)).toEqual({ unit: 'minutes', n: 59 });
    expect(eventAge(NOW - 47 * 60 * MIN, NOW)).toEqual({ unit: 'hours', n: 47 });
    expect(eventAge(NOW - 3 * 24 * 60 * MIN, NOW)).toEqual({ unit: 'days', n: 3 });
  });
});
