import type { Pt } from '../domain/geometry.ts';

/**
 * Edits the plan model refuses throw the domain errors of server/domain/errors.ts: NotFoundError
 * for an unknown plan or grid, ConflictError when the plan's state forbids the edit (not a draft,
 * a code in use, nothing to undo), RuleError when the edit would break the tiling. Their details
 * say what to highlight: `{ parameter?, grids?, location?, errors? }`.
 */

/** Formats a position for messages. */
export function fmt(p: Pt): string {
  return `[${p[0].toFixed(7)}, ${p[1].toFixed(7)}]`;
}
