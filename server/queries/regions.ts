import type { Database } from '../db/database.ts';
import type { RegionLevel } from '../domain/vocabulary.ts';

export type RegionFeature = {
  type: 'Feature';
  id: string;
  geometry: unknown;
  properties: { code: string; name: string; level: RegionLevel; parent: string | null; areaKm2: number };
};

/** Regions of one level (optionally children of one parent) as GeoJSON features, ordered by code. */
export async function listRegions(db: Database, level: RegionLevel, parent?: string): Promise<RegionFeature[]> {
  const rows = await db.all<{ code: string; name: string; level: RegionLevel; parent: string | null; area_km2: number; geometry: string }>(
    `SELECT code, name, level, parent, area_km2, geometry FROM regions
     WHERE level = $level AND ($parent IS NULL OR parent = $parent) ORDER BY code`,
    { level, parent: parent ?? null },
  );
  return rows.map((r) => ({
    type: 'Feature',
    id: r.code,
    geometry: JSON.parse(r.geometry),
    properties: { code: r.code, name: r.name, level: r.level, parent: r.parent, areaKm2: Math.round(r.area_km2 * 1000) / 1000 },
  }));
}
