import type { Pt } from './planar.ts';

/** What an edit refusal points at, so the planner UI can highlight it. */
export type EditErrorDetails = { parameter?: string; grids?: string[]; location?: Pt; errors?: unknown[] };

/**
 * An edit the plan model refuses (unknown grid, a move that would fold the tiling, a line that
 * does not cross the grid, a plan that is not a draft …). The plan modules throw it; the routes
 * turn it into an API error with the same status, code and details.
 */
export class PlanEditError extends Error {
  constructor(
    readonly status: 404 | 409 | 422,
    readonly code: string,
    message: string,
    readonly details: EditErrorDetails = {},
  ) {
    super(message);
  }
}

/** Formats a position for messages. */
export function fmt(p: Pt): string {
  return `[${p[0].toFixed(7)}, ${p[1].toFixed(7)}]`;
}
