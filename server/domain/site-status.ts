/**
 * The status of a key site (重点点位) — 红黄绿灯 — judged the way a 创文办 reads its sites: not "is
 * anything overdue" (a busy market always has one issue a few hours late) but whether the zone
 * carries an overdue backlog out of proportion to what is reported there, and how long it has
 * been left. README *Key-site status* states the rule; the thresholds are data (data/site-status.json).
 *
 * For a site's zone, under the filters and period of the question:
 * - `overdue`: 超期未结 (the KPI: due in the period, not closed now);
 * - `longOverdue`: of those, the ones whose deadline passed more than `longOverdueDays` days ago
 *   (the 督办 line: a week past the deadline is no longer a slip);
 * - share: overdue ÷ reported in the period (at least the overdue count, so it stays ≤ 1 when the
 *   overdue issues were reported before the period).
 *
 * 红 red: at least `red.longOverdue` long-overdue issues and a share of at least `red.share`.
 * 黄 amber: otherwise, at least `amber.overdue` overdue issues and a share of at least `amber.share`.
 * 绿 green: everything else — nothing overdue, or a few issues that are small against the site's load.
 * "At least": a count or share equal to its threshold reaches the grade.
 */

/** The grades from calm to alarming. */
export const SITE_GRADES = ['green', 'amber', 'red'] as const;
export type SiteGrade = (typeof SITE_GRADES)[number];

/** Thresholds of {@link siteStatus}. */
export interface SiteStatusRule {
  /** Days past the deadline from which an overdue issue counts as long overdue. */
  longOverdueDays: number;
  red: { longOverdue: number; share: number };
  amber: { overdue: number; share: number };
}

/** What the rule reads of one site's zone. */
export interface SiteFigures {
  reported: number;
  overdue: number;
  longOverdue: number;
}

/** Overdue issues against the reports of the period, 0–1 (0 when nothing is overdue). */
export function overdueShare(f: Pick<SiteFigures, 'reported' | 'overdue'>): number {
  return f.overdue === 0 ? 0 : f.overdue / Math.max(f.reported, f.overdue);
}

/** The grade of one site. */
export function siteStatus(f: SiteFigures, rule: SiteStatusRule): SiteGrade {
  const share = overdueShare(f);
  if (f.longOverdue >= rule.red.longOverdue && share >= rule.red.share) return 'red';
  if (f.overdue >= rule.amber.overdue && share >= rule.amber.share) return 'amber';
  return 'green';
}
