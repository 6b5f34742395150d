import { describe, expect, it } from 'vitest';
import { overdueShare, siteStatus, type SiteStatusRule } from '../../../server/domain/site-status.ts';
import { loadSiteStatusRule } from '../../../server/kpi/site-status-config.ts';

const RULE: SiteStatusRule = { longOverdueDays: 7, red: { longOverdue: 5, share: 0.1 }, amber: { overdue: 3, share: 0.05 } };
const grade = (reported: number, overdue: number, longOverdue: number) => siteStatus({ reported, overdue, longOverdue }, RULE);

describe('site status (红黄绿灯)', () => {
  it('is green with nothing overdue', () => {
    expect(grade(0, 0, 0)).toBe('green');
    expect(grade(40, 0, 0)).toBe('green');
  });

  it('turns red at the long-overdue count: just below, at, above', () => {
    // 20 reported, 6 overdue (30 %): only the long-overdue count decides.
    expect(grade(20, 6, 4)).toBe('amber');
    expect(grade(20, 6, 5)).toBe('red');
    expect(grade(20, 6, 6)).toBe('red');
  });

  it('turns red at the share: just below, at, above', () => {
    // 5 long-overdue issues of 5 overdue; the reports set the share.
    expect(grade(51, 5, 5)).toBe('amber'); // 9.8 %
    expect(grade(50, 5, 5)).toBe('red'); // 10 %
    expect(grade(49, 5, 5)).toBe('red'); // 10.2 %
  });

  it('turns amber at the overdue count: just below, at, above', () => {
    expect(grade(20, 2, 0)).toBe('green');
    expect(grade(20, 3, 0)).toBe('amber');
    expect(grade(20, 4, 0)).toBe('amber');
  });

  it('turns amber at the share: just below, at, above', () => {
    expect(grade(61, 3, 0)).toBe('green'); // 4.9 %
    expect(grade(60, 3, 0)).toBe('amber'); // 5 %
    expect(grade(59, 3, 0)).toBe('amber'); // 5.1 %
  });

  it('keeps a busy site with a few overdue issues green', () => {
    // A market with 400 reports and 10 issues overdue for weeks: 2.5 %, a slip, not a backlog.
    expect(grade(400, 10, 10)).toBe('green');
  });

  it('measures the share against the reports, at least the overdue count', () => {
    expect(overdueShare({ reported: 40, overdue: 4 })).toBe(0.1);
    // Overdue issues reported before the period: the share is whole, not above 1.
    expect(overdueShare({ reported: 1, overdue: 5 })).toBe(1);
    expect(overdueShare({ reported: 0, overdue: 0 })).toBe(0);
  });

  it('ships defaults in data/site-status.json', () => {
    // Tuned on the demo (README *Key-site status*): most sites green, a few amber, a handful red.
    expect(loadSiteStatusRule()).toEqual({ ...RULE, red: { longOverdue: 4, share: 0.1 } });
  });
});
