/**
 * A GeoJSON FeatureCollection response whose geometries are spliced in as their cached JSON text
 * (geometryText) instead of being serialised again on every request; the rest goes through
 * JSON.stringify as `c.json` would. It is written in chunks of {@link FEATURES_PER_CHUNK} features. Typed like `c.json`, so the web's RPC client keeps its types.
 */
import type { Context, TypedResponse } from 'hono';
import type { Geometry } from 'geojson';
import { featureCollectionChunks } from '../queries/geo-geometry.ts';

/** Features serialised between two turns of the event loop (a few hundred kB of text, a few ms). */
export const FEATURES_PER_CHUNK = 500;

export type OutFeature<P> = { type: 'Feature'; id: string; geometry: Geometry | null; properties: P };
export type OutCollection<P, H> = { type: 'FeatureCollection' } & H & { features: OutFeature<P>[] };

export function featureCollection<P, H extends Record<string, unknown>>(
  c: Context,
  head: H,
  features: { id: string; geometry: Geometry | null; properties: P }[],
): Response & TypedResponse<OutCollection<P, H>, 200, 'json'> {
  const chunks = featureCollectionChunks(head, features, FEATURES_PER_CHUNK);
  // Streamed a chunk per turn of the event loop, so a big collection never holds the loop (health
  // checks, the live feed) for the whole of its serialisation.
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = chunks.next();
      if (next.done) return controller.close();
      controller.enqueue(next.value);
      await new Promise((resolve) => setImmediate(resolve));
    },
  });
  // The body is the JSON text of that type; only the compiler's view of it changes here.
  return c.body(body, 200, { 'content-type': 'application/json' }) as unknown as Response & TypedResponse<OutCollection<P, H>, 200, 'json'>;
}
