/**
 * Polygon pieces from overlay results, and telling real ones from digitising noise: two outlines
 * traced separately never coincide exactly, and the thin slivers between them (centimetres wide,
 * kilometres long) are not gaps anyone can patrol.
 */
import { area, length, polygonToLine } from '@turf/turf';
import type { MultiPolygon, Polygon } from 'geojson';
import { bboxOf } from '../domain/geometry.ts';
import { representativePoint } from '../spatial/measure.ts';

/** The parts of a (multi)polygon, or of nothing. */
export function partsOf(geom: Polygon | MultiPolygon | null | undefined): Polygon[] {
  if (!geom) return [];
  return geom.type === 'Polygon' ? [geom] : geom.coordinates.map((coordinates) => ({ type: 'Polygon', coordinates }));
}

/** A piece worth reporting, with where to show it. */
export type Piece = { polygon: Polygon; areaKm2: number; widthM: number; bbox: [number, number, number, number]; location: [number, number] };

/**
 * The parts of `geom` at least `toleranceM` wide on average (2 × area / perimeter) and
 * `toleranceM`² in area; thinner slivers are boundary noise.
 */
export function significantPieces(geom: Polygon | MultiPolygon | null | undefined, toleranceM: number): Piece[] {
  const out: Piece[] = [];
  for (const polygon of partsOf(geom)) {
    const m2 = area(polygon);
    if (m2 < toleranceM * toleranceM) continue;
    const perimeterM = length(polygonToLine(polygon), { units: 'meters' });
    const widthM = perimeterM > 0 ? (2 * m2) / perimeterM : 0;
    if (widthM < toleranceM) continue;
    out.push({ polygon, areaKm2: m2 / 1e6, widthM, bbox: bboxOf(polygon), location: representativePoint(polygon) });
  }
  return out;
}
