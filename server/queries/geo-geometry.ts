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
/** One cache per database, so test apps over different files never share shapes. */
const caches = new WeakMap<Database, { since: number; shapes: Map<string, Geometry> }>();

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
  // Shapes read before a change are stored in the old map, which is dropped here.
  if (cache?.since !== since) caches.set(db, (cache = { since, shapes: new Map() }));
  const { shapes } = cache;
  const prefix = `${source}|${opts.plan ?? ''}|${opts.toleranceM ?? ''}|`;
  const out = new Map<string, Geometry>();
  const missing: string[] = [];
  for (const key of keys) {
    const hit = shapes.get(prefix + key);
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
  if (shapes.size + rows.length > MAX_ENTRIES) shapes.clear();
  for (const row of rows) {
    const geometry = shape(row.geometry, opts.toleranceM);
    shapes.set(prefix + row.key, geometry);
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

/** The JSON text of a FeatureCollection with `head`'s members first, geometries spliced in from their cached text. */
export function featureCollectionText(head: Record<string, unknown>, features: readonly { id: string; geometry: Geometry | null; properties: unknown }[]): string {
  return [...featureCollectionParts(head, features, features.length)].join('');
}

/**
 * {@link featureCollectionText} in consecutive parts of `perPart` features each: a city's 10 k
 * grids are megabytes of text, and writing them in one go held the event loop for most of a second.
 */
export function* featureCollectionParts(
  head: Record<string, unknown>, features: readonly { id: string; geometry: Geometry | null; properties: unknown }[], perPart: number,
): Generator<string> {
  let parts: string[] = ['{"type":"FeatureCollection"'];
  for (const [key, value] of Object.entries(head)) parts.push(`,${JSON.stringify(key)}:${JSON.stringify(value)}`);
  parts.push(',"features":[');
  for (let i = 0; i < features.length; i++) {
    const f = features[i]!;
    const geometry = f.geometry ? geometryText(f.geometry) : 'null';
    parts.push(`${i ? ',' : ''}{"type":"Feature","id":${JSON.stringify(f.id)},"geometry":${geometry},"properties":${JSON.stringify(f.properties)}}`);
    if ((i + 1) % perPart === 0 && i + 1 < features.length) {
      yield parts.join('');
      parts = [];
    }
  }
  parts.push(']}');
  yield parts.join('');
}

function shape(text: string, toleranceM: number | null): Geometry {
  const geometry = JSON.parse(text) as Geometry;
  if (toleranceM === null || geometry.type === 'Point' || geometry.type === 'MultiPoint') return geometry;
  return simplify(geometry, { tolerance: toleranceM / METRES_PER_DEGREE, highQuality: false, mutate: true });
}
