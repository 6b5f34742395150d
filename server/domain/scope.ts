/**
 * The scope grammar: which unit a query or a view is about, spelled `level:ID` in URLs and API
 * parameters (`city:530100`, `district:530111`, `street:530111001`, `grid:G-017`, `site:S42`). The
 * server validates and parses it, the web builds and parses it; both use this file.
 */

/**
 * Scope levels from the widest down; a key site sits beside the grid hierarchy, and a department
 * (责任单位: the cases dispatched to it, wherever they are) beside the map's units.
 */
export const SCOPE_LEVELS = ['city', 'district', 'street', 'community', 'grid', 'site', 'department'] as const;
export type ScopeLevel = (typeof SCOPE_LEVELS)[number];

/** The levels of the hierarchy proper (a key site sits beside it), from the widest down. */
export const HIERARCHY_LEVELS = ['city', 'district', 'street', 'community', 'grid'] as const;
export type HierarchyLevel = (typeof HIERARCHY_LEVELS)[number];

/** A unit as the API names it. */
export interface Scope {
  level: ScopeLevel;
  id: string;
}

/** `level:ID`; ids are 1–64 letters, digits, `_`, `.` or `-`. */
export const SCOPE_PATTERN = new RegExp(`^(${SCOPE_LEVELS.join('|')}):([\\w.\\-]{1,64})$`);

/** Parses `street:530111001`; null for anything the API refuses. */
export function parseScope(text: string | null | undefined): Scope | null {
  const m = typeof text === 'string' ? SCOPE_PATTERN.exec(text) : null;
  return m ? { level: m[1] as ScopeLevel, id: m[2] } : null;
}

/** `street:530111001`. */
export function scopeText(scope: Scope): string {
  return `${scope.level}:${scope.id}`;
}

/** Whether two scopes are the same unit. */
export function sameScope(a: Scope | null, b: Scope | null): boolean {
  return a === b || (a !== null && b !== null && a.level === b.level && a.id === b.id);
}

/** Depth in the hierarchy: the city 0 … a grid 4; null for a key site or a department, which sit beside it. */
export function levelDepth(level: ScopeLevel): number | null {
  const depth = (HIERARCHY_LEVELS as readonly string[]).indexOf(level);
  return depth < 0 ? null : depth;
}

/**
 * The level right below one of the hierarchy (city → district → street → community → grid); null
 * below a grid and for a key site or a department. What a map drills into and a 红黑榜 ranks under a scope.
 */
export function levelBelow(level: ScopeLevel): HierarchyLevel | null {
  const depth = levelDepth(level);
  return depth === null ? null : (HIERARCHY_LEVELS[depth + 1] ?? null);
}
