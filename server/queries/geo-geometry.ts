/**
 * Parsed (and optionally simplified) geometries of regions, grids, sites and site zones, cached in
 * memory so map layers answer without re-reading and re-parsing GeoJSON text on every request.
 * An entry is keyed by source, plan, feature and tolerance; the cache holds the shapes of one
 * version of the reference data and starts over when a write changes it, so a stale shape is
 * never served. Draft edits leave it alone: map layers draw the published plan only.
 */
import { simplify } from '@turf/turf';
import type { Geometry } from 'geojson';
import { listValue } from '@duckdb/node-api';
import { z } from 'zod';
import type { Database } from '../db/database.ts';
import { PUBLISHED_GRIDS } from './published-grids.ts';

/** Geometry options shared by the GeoJSON routes. */
export const geometryQuery = z.object({
  geometry: z.enum(['0', '1', 'false', 'true']).optional().describe('0 answers features with geometry null, for lists and tables'),
  // Simplified outlines suit small zooms at a fraction of the bytes.
  simplify: z.coerce.number().positive().max(5000).optional().describe('Douglas–Peucker tolerance in metres (up to 5000)'),
});

/** The validated options: whether to include shapes, and the simplification tolerance. */
export type GeometryOptions = { include: boolean; toleranceM: number | null };

/** Reads {@link geometryQuery}'s parameters. */
export function geometryOptions(q: z.infer<typeof geometryQuery>): GeometryOptions {
  return { include: q.geometry !== '0' && q.geometry !== 'false', toleranceM: q.simplify ?? null };
}

/** Where a shape lives. Identifiers are fixed here, never taken from a request. */
const SOURCES = {
  region: { table: 'regions', key: 'code', column: 'geometry', planned: false },
  grid: { table: 'grids', key: 'code', column: 'geometry', planned: true },
  site: { table: 'sites', key: 'id', column: 'geometry', planned: false },
  zone: { table: 'sites', key: 'id', column: 'zone', planned: false },
} as const;
export type GeometrySource = keyof typeof SOURCES;

/** Enough for every shape of a 10 k-grid city at a few tolerances; past it the cache starts over. */
const MAX_ENTRIES = 100_000;
/**
 * One cache per database, so test apps over different files never share shapes: the shapes by
 * feature key in a map per source, plan and tolerance (a city's map asks for 10 k keys at a time:
 * one key string built per lookup cost more than the lookups).
 */
const caches = new WeakMap<Database, { since: number; entries: number; shapes: Map<string, Map<string, Geometry>> }>();

/** Metres per degree of latitude; tolerances are small enough that longitude shrink does not matter. */
const METRES_PER_DEGREE = 111_320;

/**
 * Shapes of the features `keys` from `source` (grids of `plan`, by default the published grids), parsed once per version of the
 * reference data and tolerance. Only shapes missing from the cache are read, in one query.
 */
export async function cachedGeometries(
  db: Database,
  source: GeometrySource,
  keys: readonly string[],
  opts: { plan?: number; toleranceM: number | null },
): Promise<Map<string, Geometry>> {
  const since = db.version.of('reference');
  let cache = caches.get(db);
  // Shapes read before a change are stored in the old maps, which are dropped here.
  if (cache?.since !== since) caches.set(db, (cache = { since, entries: 0, shapes: new Map() }));
  const kind = `${source}|${opts.plan ?? ''}|${opts.toleranceM ?? ''}`;
  let shapes = cache.shapes.get(kind);
  if (!shapes) cache.shapes.set(kind, (shapes = new Map()));
  const out = new Map<string, Geometry>();
  const missing: string[] = [];
  for (const key of keys) {
    const hit = shapes.get(key);
    if (hit) out.set(key, hit);
    else missing.push(key);
  }
  if (!missing.length) return out;

  const s = SOURCES[source];
  const named = s.planned && opts.plan !== undefined;
  const rows = await db.all<{ key: string; geometry: string }>(
    `SELECT ${s.key} AS key, ${s.column} AS geometry FROM ${s.planned && !named ? `${PUBLISHED_GRIDS} g` : s.table}
     WHERE list_contains($keys, ${s.key})${named ? ' AND plan_id = $plan' : ''}`,
    { keys: listValue(missing), ...(named ? { plan: opts.plan } : {}) },
  );
  if (cache.entries + rows.length > MAX_ENTRIES) {
    for (const m of cache.shapes.values()) m.clear();
    cache.entries = 0;
  }
  for (const row of rows) {
    const geometry = shape(row.geometry, opts.toleranceM);
    if (!shapes.has(row.key)) cache.entries++;
    shapes.set(row.key, geometry);
    out.set(row.key, geometry);
  }
  return out;
}

/** JSON text of cached shapes, written once per shape (it lives as long as the shape stays cached). */
const texts = new WeakMap<Geometry, string>();

/** A shape's JSON text: serialising 10 k grid polygons on every request cost more than counting their issues. */
export function geometryText(geometry: Geometry): string {
  let text = texts.get(geometry);
  if (text === undefined) texts.set(geometry, (text = JSON.stringify(geometry)));
  return text;
}

/** A shape's JSON text as UTF-8, encoded once per shape like its text. */
const encoded = new WeakMap<Geometry, Buffer>();
function geometryBytes(geometry: Geometry): Buffer {
  let bytes = encoded.get(geometry);
  if (bytes === undefined) encoded.set(geometry, (bytes = Buffer.from(geometryText(geometry))));
  return bytes;
}

/** A feature as the collection writes it: its shape is spliced in from its cached text. */
export type FeatureSource = { id: string; geometry: Geometry | null; properties: unknown };

/** The JSON text of a FeatureCollection with `head`'s members first, geometries spliced in from their cached text. */
export function featureCollectionText(head: Record<string, unknown>, features: readonly FeatureSource[]): string {
  return Buffer.concat([...featureCollectionChunks(head, features.length, (i) => features[i]!, features.length)]).toString('utf8');
}

/**
 * {@link featureCollectionText} of the `count` features `featureAt(0 … count - 1)` as UTF-8, in
 * consecutive chunks of `perChunk` features each, each feature made as its chunk is written (a
 * caller yielding between chunks spreads the making too). A city's 10 k grids are megabytes:
 * written in one go they held the event loop for most of a second, and building their text and
 * encoding it again on every request was most of that; the shapes' bytes are copied from their
 * cache instead.
 */
export function* featureCollectionChunks(
  head: Record<string, unknown>, count: number, featureAt: (i: number) => FeatureSource, perChunk: number,
): Generator<Buffer> {
  let opening = '{"type":"FeatureCollection"';
  for (const [key, value] of Object.entries(head)) opening += `,${JSON.stringify(key)}:${JSON.stringify(value)}`;
  opening += ',"features":[';
  const step = Math.max(1, perChunk);
  for (let from = 0; ; from += step) {
    // Text and cached shape bytes alternate: text, shape, text, shape … text.
    const texts: string[] = [from === 0 ? opening : ''];
    const shapes: Buffer[] = [];
    const to = Math.min(count, from + step);
    for (let i = from; i < to; i++) {
      const f = featureAt(i);
      texts[texts.length - 1] += `${i ? ',' : ''}{"type":"Feature","id":${JSON.stringify(f.id)},"geometry":`;
      if (f.geometry) {
        shapes.push(geometryBytes(f.geometry));
        texts.push('');
      } else texts[texts.length - 1] += 'null';
      texts[texts.length - 1] += `,"properties":${JSON.stringify(f.properties)}}`;
    }
    if (to === count) texts[texts.length - 1] += ']}';
    let size = 0;
    for (const t of texts) size += Buffer.byteLength(t);
    for (const b of shapes) size += b.length;
    const chunk = Buffer.allocUnsafe(size);
    let at = chunk.write(texts[0]!, 0);
    for (let k = 0; k < shapes.length; k++) {
      at += shapes[k]!.copy(chunk, at);
      at += chunk.write(texts[k + 1]!, at);
    }
    yield chunk;
    if (to === count) return;
  }
}

function shape(text: string, toleranceM: number | null): Geometry {
  const geometry = JSON.parse(text) as Geometry;
  if (toleranceM === null || geometry.type === 'Point' || geometry.type === 'MultiPoint') return geometry;
  return simplify(geometry, { tolerance: toleranceM / METRES_PER_DEGREE, highQuality: false, mutate: true });
}
