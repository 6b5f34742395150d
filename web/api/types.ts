/**
 * Shapes of the server's answers that the web app reads. Kept by hand until the typed Hono RPC
 * client (`hc<AppType>`) is wired in; the server's routes are the source of truth.
 */
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';

/** Row counts per table, as `GET /api/health` reports them. */
export interface HealthCounts {
  regions: number;
  grids: number;
  sites: number;
  issues: number;
}

/** `GET /api/health`. */
export interface Health {
  ok: boolean;
  counts: HealthCounts;
}

/** The administrative levels below a city that civgrid stores as regions. */
export type RegionLevel = 'district' | 'street' | 'community';

/** Properties of one region feature from `GET /api/regions`. */
export interface RegionProperties {
  code: string;
  name: string;
  level: RegionLevel;
  /** Parent region code; null for a district. */
  parent: string | null;
  areaKm2: number;
}

/** One region polygon. */
export type RegionFeature = Feature<Polygon | MultiPolygon, RegionProperties>;

/** `GET /api/regions?level=…`. */
export type RegionCollection = FeatureCollection<Polygon | MultiPolygon, RegionProperties>;

/** All three region levels, as the basemap needs them. */
export interface RegionLayers {
  district: RegionCollection;
  street: RegionCollection;
  community: RegionCollection;
}
