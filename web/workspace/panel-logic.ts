/** Pure helpers behind the drill-down panel: what to list, in which order, and how to word durations. */
import type { ScopeLevel } from '../../server/domain/scope';
import { HOUR, shanghaiIsoLocal } from '../../server/domain/time';

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

/** How long ago a deadline passed: whole days when at least one, else whole hours (at least 1). */
export function overdueFor(deadline: string, now: number): { unit: 'days' | 'hours'; n: number } {
  const hours = Math.max(0, (now - Date.parse(deadline)) / HOUR);
  return hours >= 24 ? { unit: 'days', n: Math.floor(hours / 24) } : { unit: 'hours', n: Math.max(1, Math.floor(hours)) };
}

/** `2026-11-03T02:00:00Z` → `2026-11-03 10:00` in Asia/Shanghai (the office's clock). */
export function shanghaiMinute(iso: string | null | undefined): string {
  if (!iso) return '—';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '—';
  return shanghaiIsoLocal(t).slice(0, 16).replace('T', ' ');
}

/** Rows of a breakdown with something reported, most first, at most `n`. */
export function topRows<T extends { kpis: { reported: number } }>(rows: readonly T[], n: number): T[] {
  return rows.filter((r) => r.kpis.reported > 0).sort((a, b) => b.kpis.reported - a.kpis.reported).slice(0, n);
}
