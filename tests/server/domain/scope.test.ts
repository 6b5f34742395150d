import { describe, expect, it } from 'vitest';
import { levelBelow, parseScope, sameScope, SCOPE_LEVELS, scopeText } from '../../../server/domain/scope.ts';
import { filterQuery } from '../../../server/kpi/filters.ts';

describe('the scope grammar', () => {
  it('round-trips every level', () => {
    for (const level of SCOPE_LEVELS) expect(parseScope(scopeText({ level, id: 'G-01.a_2' }))).toEqual({ level, id: 'G-01.a_2' });
  });

  it('refuses what the API refuses', () => {
    for (const text of ['province:1', 'street:', 'street', 'street:a b', `grid:${'x'.repeat(65)}`, null, undefined]) {
      expect(parseScope(text)).toBeNull();
      if (typeof text === 'string') expect(filterQuery.safeParse({ scope: text }).success).toBe(false);
    }
    expect(filterQuery.safeParse({ scope: 'site:S42' }).success).toBe(true);
  });

  it('names a city, and the level below each level of the hierarchy', () => {
    expect(parseScope('city:530100')).toEqual({ level: 'city', id: '530100' });
    expect(filterQuery.safeParse({ scope: 'city:530100' }).success).toBe(true);
    expect(SCOPE_LEVELS.map((level) => [level, levelBelow(level)])).toEqual([
      ['city', 'district'], ['district', 'street'], ['street', 'community'], ['community', 'grid'], ['grid', null], ['site', null], ['department', null],
    ]);
  });

  it('compares units, not objects', () => {
    expect(sameScope({ level: 'grid', id: 'G1' }, parseScope('grid:G1'))).toBe(true);
    expect(sameScope({ level: 'grid', id: 'G1' }, { level: 'community', id: 'G1' })).toBe(false);
    expect(sameScope(null, null)).toBe(true);
  });
});
