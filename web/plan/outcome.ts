/**
 * Applying what the server says an edit did (`{added, removed, changed, grids, history}`) to the
 * grids the page holds, so an edit costs one answer with a handful of grids instead of reloading
 * the plan. Pure.
 */
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';

/** The grid properties the planner reads (README's *Properties* names). */
export interface GridProps {
  code: string;
  name: string;
  community: string;
  inspector: string | null;
  households: number | null;
}

export type Grid = Feature<Polygon | MultiPolygon, GridProps>;
export type Grids = FeatureCollection<Polygon | MultiPolygon, GridProps>;

/** The part of an edit answer that changes the grids. */
export interface Outcome {
  added: string[];
  removed: string[];
  changed: string[];
  /** Added and changed grids as they are now. */
  grids: Grid[];
}

/** The grids after an edit, in code order (the server's order), unchanged features kept as they were. */
export function applyOutcome(grids: Grids, o: Outcome): Grids {
  const gone = new Set([...o.removed, ...o.changed, ...o.added]);
  const kept = grids.features.filter((f) => !gone.has(f.properties.code));
  const features = [...kept, ...o.grids].sort((a, b) => (a.properties.code < b.properties.code ? -1 : a.properties.code > b.properties.code ? 1 : 0));
  return { type: 'FeatureCollection', features };
}

/**
 * What stays selected after an edit: the same grid if it still exists; else the grid that took its
 * place (a merge keeps one code, a split adds two: the first is chosen), else nothing.
 */
export function selectionAfter(selected: string | null, o: Outcome): string | null {
  if (selected === null) return null;
  if (!o.removed.includes(selected)) return selected;
  return o.added[0] ?? o.changed[0] ?? null;
}
