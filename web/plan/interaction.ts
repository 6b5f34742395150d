/**
 * What the planner's clicks and sketches mean, decided without the map: which grid a split line
 * is for, when merge picks are complete, and what the tools need before they can act. Pure.
 */
import type { Position } from 'geojson';
import { splitCandidates, type GridShape } from './geometry';

/** The tabs of the side panel. */
export type SidebarTab = 'metrics' | 'validation' | 'diff' | 'attrs' | 'changes';

/** The grid a split line is for, or why there is none. */
export type SplitChoice = { grid: string } | { problem: 'noSplitTarget' | 'ambiguousSplit' };

/**
 * The grid to split: the selected grid when the line qualifies for it, else the only grid it
 * qualifies for. A line across two neighbours qualifies for both; then the planner must select.
 */
export function chooseSplitTarget(line: readonly Position[], grids: readonly GridShape[], selected: string | null): SplitChoice {
  const candidates = splitCandidates(line, grids);
  if (selected !== null && candidates.includes(selected)) return { grid: selected };
  if (candidates.length === 1) return { grid: candidates[0] };
  return { problem: candidates.length ? 'ambiguousSplit' : 'noSplitTarget' };
}

/**
 * A click with the merge tool: the grid is added to the picks (clicking a picked grid again
 * drops it); with two picks the merge is ready and the picks start over.
 */
export function mergeClick(picked: readonly string[], code: string | null): { picked: string[]; merge: [string, string] | null } {
  if (code === null) return { picked: [...picked], merge: null };
  if (picked.includes(code)) return { picked: picked.filter((c) => c !== code), merge: null };
  const next = [...picked, code];
  return next.length >= 2 ? { picked: [], merge: [next[0], next[1]] } : { picked: next, merge: null };
}
