/** Test helper: measures how well a set of areas tiles a parent (不重不漏). */
import { area, bbox, difference, feature, featureCollection, intersect, union } from '@turf/turf';
import type { MultiPolygon, Polygon } from 'geojson';

type Area = Polygon | MultiPolygon;

/** Areas in m² of: the parent, the gap it leaves uncovered, the children's spill outside it, and the worst pairwise overlap. */
export interface TilingReport {
  parent: number;
  gap: number;
  spill: number;
  worstOverlap: number;
}

const boxesMeet = (a: number[], b: number[]) => a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];

/** Compares `children` against `parent` with polygon clipping (slow: use on one parent at a time). */
export function tiling(parent: Area, children: Area[]): TilingReport {
  const p = feature(parent);
  const fs = children.map((c) => feature(c));
  const whole = fs.length === 1 ? fs[0] : union(featureCollection(fs));
  if (!whole) throw new Error('children have no area');
  const gap = difference(featureCollection([p, whole]));
  const spill = difference(featureCollection([whole, p]));
  let worstOverlap = 0;
  const boxes = fs.map((f) => bbox(f));
  for (let i = 0; i < fs.length; i++)
    for (let j = i + 1; j < fs.length; j++) {
      if (!boxesMeet(boxes[i], boxes[j])) continue;
      const o = intersect(featureCollection([fs[i], fs[j]]));
      if (o) worstOverlap = Math.max(worstOverlap, area(o));
    }
  return { parent: area(p), gap: gap ? area(gap) : 0, spill: spill ? area(spill) : 0, worstOverlap };
}

/** True when gaps and spill are within 0.1 % of the parent and no pair overlaps by more than 1e-6 of it. */
export function tilesWell(r: TilingReport): boolean {
  return r.gap < 1e-3 * r.parent && r.spill < 1e-3 * r.parent && r.worstOverlap < 1e-6 * r.parent;
}
