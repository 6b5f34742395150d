/**
 * Parsed (and optionally simplified) geometries of regions, grids, sites and site zones, cached in
 * memory so map layers answer without re-reading and re-parsing GeoJSON text on every request.
 * An entry is keyed by source, plan, feature and tolerance and stamped with the row's
 * `updated_at`: imports replace rows (delete + insert), which gives them a new stamp, so a stale
 * shape is never served.
 */
import { simplify } from '@turf/turf';
import type { Geometry } from 'geojson';
import { listValue } from '@duckdb/node-api';
import { z } from 'zod';
import type { Database } from '../db/database.ts';

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

/** A feature whose shape is wanted: its key and the epoch-ms of its row's `updated_at`. */
export type Stamped = { key: string; stamp: number };

type Entry = { stamp: number; geometry: Geometry };

/** Enough for every shape of a 10 k-grid city at a few tolerances; past it the cache starts over. */
const MAX_ENTRIES = 100_000;
/** One cache per database, so test apps over different files never share shapes. */
const caches = new WeakMap<Database, Map<string, Entry>>();

/** Metres per degree of latitude; tolerances are small enough that longitude shrink does not matter. */
const METRES_PER_DEGREE = 111_320;

/**
 * Shapes of `items` from `source` (grids of `plan`), parsed once per row version and tolerance.
 * Only rows missing from the cache or changed since are read from the database, in one query.
 */
export async function cachedGeometries(
  db: Database,
  source: GeometrySource,
  items: Stamped[],
  opts: { plan?: number; toleranceM: number | null },
): Promise<Map<string, Geometry>> {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  const prefix = `${source}|${opts.plan ?? ''}|${opts.toleranceM ?? ''}|`;
  const out = new Map<string, Geometry>();
  const missing: Stamped[] = [];
  for (const item of items) {
    const hit = cache.get(prefix + item.key);
    if (hit && hit.stamp === item.stamp) out.set(item.key, hit.geometry);
    else missing.push(item);
  }
  if (!missing.length) return out;

  const s = SOURCES[source];
  const rows = await db.all<{ key: string; geometry: string }>(
    `SELECT ${s.key} AS key, ${s.column} AS geometry FROM ${s.table}
     WHERE list_contains($keys, ${s.key})${s.planned ? ' AND plan_id = $plan' : ''}`,
    { keys: listValue(missing.map((m) => m.key)), ...(s.planned ? { plan: opts.plan ?? 0 } : {}) },
  );
  const stamps = new Map(missing.map((m) => [m.key, m.stamp]));
  if (cache.size + rows.length > MAX_ENTRIES) cache.clear();
  for (const row of rows) {
    const geometry = shape(row.geometry, opts.toleranceM);
    cache.set(prefix + row.key, { stamp: stamps.get(row.key)!, geometry });
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

function shape(text: string, toleranceM: number | null): Geometry {
  const geometry = JSON.parse(text) as Geometry;
  if (toleranceM === null || geometry.type === 'Point' || geometry.type === 'MultiPoint') return geometry;
  return simplify(geometry, { tolerance: toleranceM / METRES_PER_DEGREE, highQuality: false, mutate: true });
}
