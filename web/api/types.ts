/**
 * Shapes of the server's answers that the web app reads. Plain JSON answers are inferred from the
 * server's routes through the typed client; GeoJSON geometry is typed here because the server
 * passes it through as parsed JSON.
 */
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { InferResponseType } from 'hono/client';
import type { api } from './client';

/** `GET /api/health`, inferred from the server route. */
export type Health = InferResponseType<typeof api.api.health.$get>;

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
