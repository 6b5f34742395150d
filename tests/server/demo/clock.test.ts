import { expect, it } from 'vitest';
import { formatLocal, toLocal } from '../../../server/demo/clock.ts';

it('formats local ms as ISO 8601 with the +08:00 offset', () => {
  expect(formatLocal(toLocal(Date.parse('2026-11-24T16:00:05Z')))).toBe('2026-11-25T00:00:05+08:00');
});
