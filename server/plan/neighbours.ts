/**
 * The border with the neighbouring districts. A plan covers one district, but issues carry only a
 * grid code and the dashboards draw every district's published grids together, so a draft must not
 * reuse a code another district has published (an error), and overlaps with a neighbour's published
 * grids are reported (a warning: each side's grids lie in their own communities, so an overlap means
 * the district outlines themselves overlap, which the planner cannot fix in one district's plan).
 */
import type { MultiPolygon, Polygon } from 'geojson';
import { bboxOf, boxesMeet, type Bbox } from '../domain/geometry.ts';
import { representativePoint } from '../spatial/measure.ts';
import { significantPieces } from './pieces.ts';
import type { PlanState } from './state.ts';
import { overlap, type Finding } from './validate.ts';

/** A grid of another district's published plan. */
export type NeighbourGrid = { code: string; district: string; geometry: Polygon | MultiPolygon; bbox: Bbox };

/** Code clashes (errors) and overlaps (warnings) of a plan with the other districts' published grids. */
export function neighbourFindings(state: PlanState, neighbours: readonly NeighbourGrid[], toleranceM: number): { errors: Finding[]; warnings: Finding[] } {
  const errors: Finding[] = [];
  const warnings: Finding[] = [];
  const byKey = new Map(neighbours.map((n) => [keyOf(n.code), n]));
  for (const code of state.codes()) {
    const g = state.geometry(code);
    if (!g) continue;
    const taken = byKey.get(keyOf(code));
    if (taken) {
      errors.push({
        code: 'duplicate_code', grids: [code], bbox: bboxOf(g), location: representativePoint(g),
        message: `grid code ${JSON.stringify(code)} is already used by grid ${JSON.stringify(taken.code)} of district ${taken.district}'s published plan`,
      });
    }
    const box = bboxOf(g);
    for (const n of neighbours) {
      if (!boxesMeet(box, n.bbox)) continue;
      const pieces = significantPieces(overlap(g, n.geometry), toleranceM);
      if (!pieces.length) continue;
      const km2 = pieces.reduce((s, p) => s + p.areaKm2, 0);
      warnings.push({
        code: 'neighbour_overlap', grids: [code], bbox: pieces[0].bbox, location: pieces[0].location, areaKm2: km2,
        message: `grid ${code} overlaps grid ${n.code} of district ${n.district} by ${Math.round(km2 * 1e6)} m²`,
      });
    }
  }
  return { errors, warnings };
}

/** Codes compared as the plan's own duplicate check compares them (case, width, spaces). */
function keyOf(code: string): string {
  return code.normalize('NFKC').trim().toLowerCase();
}
