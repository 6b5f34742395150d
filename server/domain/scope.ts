/**
 * The scope grammar: which unit a query or a view is about, spelled `level:ID` in URLs and API
 * parameters (`district:530111`, `street:530111001`, `grid:G-017`, `site:S42`). The server
 * validates and parses it, the web builds and parses it; both use this file.
 */

/** Scope levels from the widest down; a key site sits beside the grid hierarchy. */
export const SCOPE_LEVELS = ['district', 'street', 'community', 'grid', 'site'] as const;
export type ScopeLevel = (typeof SCOPE_LEVELS)[number];

/** A unit as the API names it. */
export interface Scope {
  level: ScopeLevel;
  id: string;
}

/** `level:ID`; ids are 1–64 letters, digits, `_`, `.` or `-`. */
export const SCOPE_PATTERN = /^(district|street|community|grid|site):([\w.\-]{1,64})$/;

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
