/**
 * Shapes of the server's answers that several parts of the web app share, each derived from the
 * server's routes through the typed client. Where the client's inference stops short (recursive
 * trees, GeoJSON geometry), answers.ts reads the answer back and these types say what it yields.
 */
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { InferRequestType, InferResponseType } from 'hono/client';
import type { TreeNode } from './answers';
import type { api } from './client';

/** `GET /api/health`. */
export type Health = InferResponseType<typeof api.api.health.$get>;

type MetaAnswer = InferResponseType<typeof api.api.meta.$get>;

/** A node of `/api/meta`'s region tree: district → streets → communities. */
export type RegionNode = TreeNode<MetaAnswer['regions'][number]>;

/** A node of `/api/meta`'s category tree (大类 with its 小类). */
export type CategoryNode = TreeNode<MetaAnswer['categories'][number]>;

/** The administrative levels below a city that civgrid stores as regions. */
export type RegionLevel = InferRequestType<typeof api.api.regions.$get>['query']['level'];

type RegionAnswer = InferResponseType<typeof api.api.regions.$get>['features'][number];

/** The properties of a `GET /api/regions` feature that the basemap reads. */
export type RegionProperties = Pick<RegionAnswer['properties'], 'code' | 'name' | 'level' | 'parent' | 'areaKm2'>;

/** `GET /api/regions?level=…`, every feature an area. */
export type RegionCollection = FeatureCollection<Polygon | MultiPolygon, RegionProperties>;

/** All three region levels, as the basemap needs them. */
export interface RegionLayers {
  district: RegionCollection;
  street: RegionCollection;
  community: RegionCollection;
}
