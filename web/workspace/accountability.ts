/**
 * Pure helpers behind the workspace's accountable units: the side panel's two tabs (地理 | 责任单位),
 * what the map draws for a department, and the figures of an inspector's panel (the department
 * red/black list is components/red-black.ts, shared with the wall). No Vue, no fetching: the stores and components call these.
 */
import type { InspectorFigures } from '../../server/queries/inspectors';
import type { Scope } from '../../server/domain/scope';

/** The side panel's tabs: the geography (district → grid, key sites) or the accountable departments. */
export type PanelTab = 'geo' | 'departments';

/**
 * The tab a state shows: a department's panel and the department list belong to 责任单位; any
 * geographic unit to 地理. The list only opens at the top (no scope): a street has no departments.
 */
export function panelTab(scope: Scope | null, departmentList: boolean): PanelTab {
  if (scope?.level === 'department') return 'departments';
  return scope === null && departmentList ? 'departments' : 'geo';
}

/** The department a scope is, or null for a geographic unit (and the district). */
export function departmentOf(scope: Scope | null): string | null {
  return scope?.level === 'department' ? scope.id : null;
}

/**
 * The filters of what the map draws. The map keeps the whole district as context and ignores a
 * geographic scope, but a department's panel maps that department's issues: its grids' counts,
 * its heat and its points.
 */
export function mapFiltersOf<P extends { scope?: string; department?: string[] }>(params: P, department: string | null): Omit<P, 'scope'> {
  const { scope: _scope, ...rest } = params;
  return department ? { ...rest, department: [department] } : rest;
}

/** One inspector's figures as `/api/inspectors` gives them. */
export type InspectorRow = InspectorFigures;

/** A figure tile of the inspector's panel: what it counts is the i18n key. */
export interface InspectorFigure {
  key: 'found' | 'issues' | 'due' | 'onTimeRate';
  value: number | null;
  kind: 'count' | 'rate';
}

/** The row of `name` in an answer, or null when the inspector has no grid and no report in it. */
export function inspectorRow<R extends { name: string }>(rows: readonly R[], name: string): R | null {
  return rows.find((r) => r.name === name) ?? null;
}

/** The tiles of an inspector's panel, in reading order: what they found, then how their grids fare. */
export function inspectorFigures(row: InspectorRow): InspectorFigure[] {
  return [
    { key: 'found', value: row.found, kind: 'count' },
    { key: 'issues', value: row.issues, kind: 'count' },
    { key: 'due', value: row.due, kind: 'count' },
    { key: 'onTimeRate', value: row.onTimeRate, kind: 'rate' },
  ];
}

/** An inspector name the URL may carry: 1–32 characters, no control characters or separators. */
export function isInspectorName(text: string | null): text is string {
  return typeof text === 'string' && text.trim() === text && /^[^\p{C}&=#?/\\]{1,32}$/u.test(text);
}
