import { describe, expect, it } from 'vitest';
import { issueCategoryProblem } from '../../../server/domain/taxonomy.ts';
import { issueTimeProblems } from '../../../server/domain/workflow.ts';

const NOW = Date.parse('2026-11-25T12:00:00+08:00');
const SKEW = 10 * 60_000;
const at = (minutes: number) => NOW + minutes * 60_000;

describe('issueTimeProblems', () => {
  it('allows every event up to now plus the skew, and a deadline any time later', () => {
    expect(issueTimeProblems({ reportedAt: at(-60), openedAt: at(-30), dispatchedAt: at(0), closedAt: at(10), deadline: at(60 * 24 * 365) }, NOW, SKEW)).toEqual([]);
  });

  it('refuses each event time past now plus the skew', () => {
    const problems = issueTimeProblems({ reportedAt: at(-60), openedAt: at(11), dispatchedAt: at(12), closedAt: at(13) }, NOW, SKEW);
    expect(problems.map((p) => [p.field, p.code])).toEqual([['openedAt', 'in_future'], ['dispatchedAt', 'in_future'], ['closedAt', 'in_future']]);
  });

  it('refuses events out of workflow order, skipping the ones a record lacks', () => {
    expect(issueTimeProblems({ reportedAt: at(-60), openedAt: at(-10), closedAt: at(-20) }, NOW, SKEW)).toEqual([
      { field: 'closedAt', code: 'timestamps_out_of_order', reason: 'closedAt is earlier than openedAt' },
    ]);
    expect(issueTimeProblems({ reportedAt: at(-60), deadline: at(-61) }, NOW, SKEW, (f) => f.toUpperCase())).toEqual([
      { field: 'deadline', code: 'timestamps_out_of_order', reason: 'DEADLINE is earlier than REPORTEDAT' },
    ]);
  });
});

describe('issueCategoryProblem', () => {
  const major = { code: '01', name: '市容环境', parent: null };
  const minors = ['0101', '0102', '0103', '0104', '0105'].map((code) => ({ code, name: `小类${code}`, parent: '01' }));

  it('accepts a 小类', () => {
    expect(issueCategoryProblem(minors[0]!, [])).toBeNull();
  });

  it('refuses a 大类, naming a few of its 小类', () => {
    expect(issueCategoryProblem(major, minors)).toBe('category "01" (市容环境) is a 大类; an issue needs one of its 小类 codes, e.g. 0101 小类0101, 0102 小类0102, 0103 小类0103 and 2 more');
  });

  it('refuses a 大类 without 小类', () => {
    expect(issueCategoryProblem(major, [])).toMatch(/大类 without any 小类/);
  });
});
