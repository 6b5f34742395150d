/**
 * The planner's districts: a city holds one grid plan per district, so the planner works in one
 * district at a time. Pure: the district list with each district's published plan and drafts, the
 * plans of the chosen district, the other districts' published grids to draw as context, and where
 * the chosen district lies.
 */
import type { FeatureCollection, Geometry, MultiPolygon, Polygon } from 'geojson';
import { boxOf, polygonsOf } from '../../server/domain/geometry';

/** A plan row as far as these helpers read it. */
export interface DistrictPlan {
  id: number;
  name: string;
  status: 'draft' | 'published' | 'archived';
  district: string;
  grids: number;
}

/** A district in the chooser: its published plan (if any) and how many drafts it has. */
export interface DistrictSummary {
  code: string;
  name: string;
  published: { id: number; name: string; grids: number } | null;
  drafts: number;
}

/** Every district (by code) with its published plan and its number of drafts. */
export function districtSummaries(districts: readonly { code: string; name: string }[], plans: readonly DistrictPlan[]): DistrictSummary[] {
  return [...districts].sort((a, b) => a.code.localeCompare(b.code)).map((d) => {
    const own = plans.filter((p) => p.district === d.code);
    const published = own.find((p) => p.status === 'published');
    return {
      code: d.code, name: d.name, drafts: own.filter((p) => p.status === 'draft').length,
      published: published ? { id: published.id, name: published.name, grids: published.grids } : null,
    };
  });
}

/** The plans the list shows: the chosen district's, or every plan when there is no choice to make. */
export function plansOf<P extends DistrictPlan>(plans: readonly P[], district: string | null, districts: number): P[] {
  return districts <= 1 || district === null ? [...plans] : plans.filter((p) => p.district === district);
}

/** The published plan of a district (or of the only district), or null. */
export function publishedOf<P extends DistrictPlan>(plans: readonly P[], district: string | null): P | null {
  return plans.find((p) => p.status === 'published' && (district === null || p.district === district)) ?? null;
}

/**
 * The published grids of the other districts, drawn greyed around the chosen district's plan:
 * a grid belongs to the district of its street. Null when nothing is left to draw.
 */
export function contextGrids(
  grids: { features: readonly { type: 'Feature'; geometry: Geometry | null; properties: { street: string | null } }[] } | null,
  streetDistrict: ReadonlyMap<string, string>,
  district: string | null,
): FeatureCollection | null {
  if (!grids || district === null) return null;
  const features = grids.features.filter((f) => f.geometry !== null && f.properties.street !== null && streetDistrict.get(f.properties.street) !== district);
  return features.length ? ({ type: 'FeatureCollection', features } as FeatureCollection) : null;
}

/**
 * The bbox `[west, south, east, north]` of a district's outline, for the camera to show the chosen
 * district before any of its plans is open; null for a code with no outline.
 */
export function districtBox(
  districts: FeatureCollection<Polygon | MultiPolygon | null, { code: string }>,
  code: string,
): [number, number, number, number] | null {
  const outline = districts.features.find((f) => f.properties.code === code)?.geometry;
  if (!outline) return null;
  const [w, s, e, n] = boxOf(polygonsOf(outline).flatMap((p) => p[0] ?? []));
  return Number.isFinite(w) ? [w, s, e, n] : null;
}
