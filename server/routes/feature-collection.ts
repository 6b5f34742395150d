/**
 * A GeoJSON FeatureCollection response whose geometries are spliced in as their cached JSON text
 * (geometryText) instead of being serialised again on every request; the rest goes through
 * JSON.stringify as `c.json` would. Typed like `c.json`, so the web's RPC client keeps its types.
 */
import type { Context, TypedResponse } from 'hono';
import type { Geometry } from 'geojson';
import { featureCollectionChunks, type FeatureSource } from '../queries/geo-geometry.ts';

/** Features serialised between two turns of the event loop (a few hundred kB of text, a few ms). */
export const FEATURES_PER_CHUNK = 500;

export type OutFeature<P> = { type: 'Feature'; id: string; geometry: Geometry | null; properties: P };
export type OutCollection<P, H> = { type: 'FeatureCollection' } & H & { features: OutFeature<P>[] };

const turn = () => new Promise((resolve) => setImmediate(resolve));

/**
 * The collection of a feature per row (`toFeature`), made and serialised a chunk of
 * {@link FEATURES_PER_CHUNK} rows per turn of the event loop, so a big one never holds the loop
 * (health checks, the live feed) for the whole of it; all of it before the handler returns, so the
 * work is done while the request holds its place among the aggregate reads
 * (server/live/heavy-reads.ts), not after it left. The chunks are then written as they are.
 */
export async function featureCollection<R, P, H extends Record<string, unknown>>(
  c: Context,
  head: H,
  rows: readonly R[],
  toFeature: (row: R) => FeatureSource & { properties: P },
): Promise<Response & TypedResponse<OutCollection<P, H>, 200, 'json'>> {
  const chunks: Uint8Array[] = [];
  for (const chunk of featureCollectionChunks(head, rows.length, (i) => toFeature(rows[i]!), FEATURES_PER_CHUNK)) {
    chunks.push(chunk);
    await turn();
  }
  let next = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (next < chunks.length) controller.enqueue(chunks[next++]!);
      else controller.close();
    },
  });
  // The body is the JSON text of that type; only the compiler's view of it changes here.
  return c.body(body, 200, { 'content-type': 'application/json' }) as unknown as Response & TypedResponse<OutCollection<P, H>, 200, 'json'>;
}
