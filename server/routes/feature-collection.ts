/**
 * A GeoJSON FeatureCollection response whose geometries are spliced in as their cached JSON text
 * (geometryText) instead of being serialised again on every request; the rest goes through
 * JSON.stringify as `c.json` would. Typed like `c.json`, so the web's RPC client keeps its types.
 */
import type { Context, TypedResponse } from 'hono';
import type { Geometry } from 'geojson';
import { featureCollectionText } from '../queries/geo-geometry.ts';

export type OutFeature<P> = { type: 'Feature'; id: string; geometry: Geometry | null; properties: P };
export type OutCollection<P, H> = { type: 'FeatureCollection' } & H & { features: OutFeature<P>[] };

export function featureCollection<P, H extends Record<string, unknown>>(
  c: Context,
  head: H,
  features: { id: string; geometry: Geometry | null; properties: P }[],
): Response & TypedResponse<OutCollection<P, H>, 200, 'json'> {
  // The body is the JSON text of that type; only the compiler's view of it changes here.
  return c.body(featureCollectionText(head, features), 200, { 'content-type': 'application/json' }) as unknown as Response & TypedResponse<OutCollection<P, H>, 200, 'json'>;
}
