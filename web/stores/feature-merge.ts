/**
 * Re-using geometries across filter changes: a filter changes the KPIs of grids and sites, never
 * their shapes, so after the first load the workspace asks with `geometry=0` (a third of the
 * bytes) and puts the known shapes back. Pure.
 */
import type { Feature, FeatureCollection, Geometry } from 'geojson';

/**
 * `fresh` (no geometries) with the geometries of `known`, matched by `key`. Null when a feature of
 * `fresh` has no known shape (a new plan, other site types): the caller then loads with geometry.
 */
export function withKnownGeometry<P>(
  known: FeatureCollection<Geometry | null, P> | null,
  fresh: FeatureCollection<Geometry | null, P>,
  key: (p: P) => string,
): FeatureCollection<Geometry | null, P> | null {
  if (!known) return null;
  const shapes = new Map<string, Geometry | null>();
  for (const f of known.features) shapes.set(key(f.properties), f.geometry);
  const features: Feature<Geometry | null, P>[] = [];
  for (const f of fresh.features) {
    const geometry = shapes.get(key(f.properties));
    if (geometry === undefined) return null;
    features.push({ ...f, geometry });
  }
  return { ...fresh, features };
}
