/** Pure helpers behind the drill-down panel: what to list, in which order, and how to word durations. */
import type { ScopeLevel } from '../stores/scope-path';

/** Statuses of an issue that is still being worked on (deferred is on hold by approval, so not "overdue"). */
export const OPEN_STATUSES = ['reported', 'opened', 'dispatched', 'handled', 'verified'] as const;

/** The ranking levels below a scope: a street ranks its communities and its grids. */
export function rankLevelsBelow(level: ScopeLevel): ('street' | 'community' | 'grid')[] {
  switch (level) {
    case 'district':
      return ['street', 'community'];
    case 'street':
      return ['community', 'grid'];
    case 'community':
      return ['grid'];
    default:
      return [];
  }
}

/**
 * The statuses to ask for when looking for overdue issues: the open ones, narrowed by the user's
 * status filter if set. Empty = the filter excludes every open status (nothing can be overdue).
 */
export function overdueStatuses(filter: readonly string[]): string[] {
  return filter.length ? OPEN_STATUSES.filter((s) => filter.includes(s)) : [...OPEN_STATUSES];
}

/** What the overdue list reads of an issue. */
export interface OverdueCandidate {
  id: string;
  overdue: boolean;
  deadline: string | null;
}

/** The overdue issues among `items`, earliest deadline first (the longest overdue), at most `n`. */
export function oldestOverdue<T extends OverdueCandidate>(items: readonly T[], n: number): T[] {
  return items
    .filter((i) => i.overdue && i.deadline)
    .sort((a, b) => (a.deadline! < b.deadline! ? -1 : a.deadline! > b.deadline! ? 1 : a.id < b.id ? -1 : 1))
    .slice(0, n);
}

/** How long ago a deadline passed: whole days when at least one, else whole hours (at least 1). */
export function overdueFor(deadline: string, now: number): { unit: 'days' | 'hours'; n: number } {
  const hours = Math.max(0, (now - Date.parse(deadline)) / 3_600_000);
  return hours >= 24 ? { unit: 'days', n: Math.floor(hours / 24) } : { unit: 'hours', n: Math.max(1, Math.floor(hours)) };
}

/** `2026-11-03T02:00:00Z` → `2026-11-03 10:00` in Asia/Shanghai (the office's clock). */
export function shanghaiMinute(iso: string | null | undefined): string {
  if (!iso) return '—';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '—';
  return new Date(t + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/** Rows of a breakdown with something reported, most first, at most `n`. */
export function topRows<T extends { kpis: { reported: number } }>(rows: readonly T[], n: number): T[] {
  return rows.filter((r) => r.kpis.reported > 0).sort((a, b) => b.kpis.reported - a.kpis.reported).slice(0, n);
}
