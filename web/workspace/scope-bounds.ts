/** The bbox the map flies to for a scope. Pure over the loaded geometries. */
import type { Feature, Geometry } from 'geojson';
import { geometryBox } from '../../server/domain/geometry';
import type { Scope } from '../../server/domain/scope';
import type { RegionLayers } from '../api/types';
import { boundsOf } from '../map/geo';

export type Bbox = [number, number, number, number];

/** Degrees of padding around a point site (~300 m), so its surroundings are in view. */
const POINT_PAD = 0.003;

/**
 * The bbox of a scope: the top's (null, or a city: every loaded district together; also for a
 * department, whose cases lie anywhere in it), a district's, street's or community's polygon, a
 * grid's, or a site's zone (its geometry when no zone). Null when the geometry is not loaded (yet).
 */
export function scopeBounds(
  scope: Scope | null,
  regions: RegionLayers | null,
  grids: readonly Feature<Geometry | null, { code: string }>[],
  site: { geometry: Geometry | null; zone?: Geometry | null } | null,
): Bbox | null {
  if (!scope || scope.level === 'city' || scope.level === 'department') {
    const b = regions ? boundsOf(regions.district) : null;
    return b ? [b[0][0], b[0][1], b[1][0], b[1][1]] : null;
  }
  if (scope.level === 'district' || scope.level === 'street' || scope.level === 'community') {
    const f = regions?.[scope.level].features.find((x) => x.properties.code === scope.id);
    return f ? geometryBox(f.geometry) : null;
  }
  if (scope.level === 'grid') return geometryBox(grids.find((g) => g.properties.code === scope.id)?.geometry);
  const b = geometryBox(site?.zone ?? site?.geometry);
  if (!b) return null;
  return b[2] - b[0] < POINT_PAD && b[3] - b[1] < POINT_PAD ? [b[0] - POINT_PAD, b[1] - POINT_PAD, b[2] + POINT_PAD, b[3] + POINT_PAD] : b;
}
