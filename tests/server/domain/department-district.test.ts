import { describe, expect, it } from 'vitest';
import { districtOfDepartment } from '../../../server/domain/department-district.ts';
import { departmentAt } from '../../../server/domain/kpi-rules.ts';
import { departmentInstant } from '../../../server/kpi/filters.ts';

const DISTRICTS = [{ code: '530102', name: '五华区' }, { code: '530111', name: '官渡区' }, { code: '530126', name: '石林彝族自治县' }];

describe('districtOfDepartment', () => {
  it('places a department in the one district its full name names, without 区/县', () => {
    expect(districtOfDepartment('五华区城市管理局', DISTRICTS)).toBe('530102');
    expect(districtOfDepartment('昆明市公安局交通警察支队官渡大队', DISTRICTS)).toBe('530111');
    expect(districtOfDepartment('石林彝族自治县教育局', DISTRICTS)).toBe('530126');
  });

  it('places a city-level unit, or one naming two districts, in none', () => {
    expect(districtOfDepartment('昆明市生态环境局', DISTRICTS)).toBeNull();
    expect(districtOfDepartment('五华官渡联合执法队', DISTRICTS)).toBeNull();
  });
});

describe('departmentAt', () => {
  const changes = [{ at: 10, department: 'A' }, { at: 20, department: 'B' }, { at: 20, department: 'C' }, { at: 30, department: 'D' }];
  it('is the department of the latest change at or before the instant, the later of two at once', () => {
    expect([5, 10, 19, 20, 29, 30, 99].map((t) => departmentAt(changes, 'D', t))).toEqual(['A', 'A', 'A', 'C', 'C', 'D', 'D']);
  });
  it('is the issue’s own department in the present or without changes', () => {
    expect(departmentAt(changes, 'D', null)).toBe('D');
    expect(departmentAt([], 'X', 15)).toBe('X');
  });
});

describe('departmentInstant', () => {
  const end = new Date('2026-11-01T00:00:00Z');
  const asOf = new Date('2026-10-20T00:00:00Z');
  it('is the earlier of the period end and the as-of instant, while a case moved after it', () => {
    expect(departmentInstant({ end, asOf: null, departmentsMovedAt: new Date('2026-11-05T00:00:00Z') })).toEqual(end);
    expect(departmentInstant({ end, asOf, departmentsMovedAt: undefined })).toEqual(asOf);
  });
  it('is null (the present department) without an end, when no case ever moved, or none moved since', () => {
    expect(departmentInstant({ end: null, asOf: null, departmentsMovedAt: new Date() })).toBeNull();
    expect(departmentInstant({ end, asOf, departmentsMovedAt: null })).toBeNull();
    expect(departmentInstant({ end, asOf: null, departmentsMovedAt: new Date('2026-10-31T00:00:00Z') })).toBeNull();
  });
});
