/**
 * The map's geometry served once per version: the published grids, and each level of regions, as
 * one GeoJSON file whose URL names its version, so a browser fetches it once and keeps it. A filter
 * change then asks only for the values (choropleth-values.ts), aligned to the file's feature order.
 * A file is built once per version of the reference data (kept in the database's memo), with its
 * gzip form ready, since the same bytes go to every client.
 */
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { Geometry } from 'geojson';
import type { Database } from '../db/database.ts';
import { NoDataError } from '../domain/errors.ts';
import { publishedPlanIds, topRegion } from '../kpi/resolve.ts';
import { cachedGeometries, featureCollectionText } from './geo-geometry.ts';
import { gridRows, regionRows } from './geo.ts';

/** The region levels with a file of their own (a city's outline is its districts'). */
export const REGION_FILE_LEVELS = ['district', 'street', 'community'] as const;
export type RegionFileLevel = (typeof REGION_FILE_LEVELS)[number];

/** The files there are: the published grids and each region level. */
export type GeometryLayer = 'grids' | RegionFileLevel;

/** Grid outlines are simplified by this many metres, as the map always drew them. */
export const GRID_TOLERANCE_M = 3;

/** One feature's unit: what its values need besides its counts (density, workload). */
export interface GeometryUnit {
  code: string;
  areaKm2: number;
  grids: number;
}

/** A built file: its version, the features' units in file order, and the body plain and gzipped. */
export interface GeometryFile {
  layer: GeometryLayer;
  version: string;
  /** The plan the grids belong to when one is published (one district); null for regions, or when the grids are several districts' plans. */
  plan: number | null;
  units: readonly GeometryUnit[];
  body: Uint8Array<ArrayBuffer>;
  gzip: Uint8Array<ArrayBuffer>;
}

const gzipAsync = promisify(gzip);

/**
 * The version token of a geometry file: a hash of its bytes. Named by content, one URL is one body
 * for ever — across restarts (the data version starts over), restores, and any change of what is
 * published or how it is drawn — and nothing else needs to tell when it changes.
 */
export function geometryVersion(body: Uint8Array): string {
  return createHash('sha256').update(body).digest('base64url').slice(0, 16);
}

/** The file of `layer` at the current reference data, built on first use of that version. */
export function geometryFile(db: Database, layer: GeometryLayer): Promise<GeometryFile> {
  return db.memo(`geometryFile:${layer}`, () => buildFile(db, layer));
}

type Feature = { id: string; geometry: Geometry | null; properties: Record<string, unknown> };

async function buildFile(db: Database, layer: GeometryLayer): Promise<GeometryFile> {
  const { features, units, plan } = layer === 'grids' ? await gridFeatures(db) : await regionFeatures(db, layer);
  const body = new TextEncoder().encode(featureCollectionText({ layer, plan }, features));
  // Compressed off the event loop (zlib's thread pool): several megabytes at 10 k grids.
  const packed = new Uint8Array(await gzipAsync(body, { level: 6 }));
  return { layer, version: geometryVersion(body), plan, units, body, gzip: packed };
}

/** The deployment's top scope, or null before any district is imported (the files are then empty). */
async function topScope(db: Database) {
  try {
    const top = await topRegion(db);
    return { level: top.level, id: top.code };
  } catch (err) {
    if (err instanceof NoDataError) return null;
    throw err;
  }
}

async function gridFeatures(db: Database) {
  const plans = await publishedPlanIds(db);
  const plan = plans.length === 1 ? plans[0]! : null;
  const scope = await topScope(db);
  const rows = scope ? await gridRows(db, { scope }) : [];
  const shapes = await cachedGeometries(db, 'grid', rows.map((r) => r.code), { toleranceM: GRID_TOLERANCE_M });
  const features: Feature[] = rows.map((r) => ({
    id: r.code,
    geometry: shapes.get(r.code) ?? null,
    properties: {
      code: r.code, name: r.name, community: r.community, street: r.street,
      inspector: r.inspector, households: r.households, areaKm2: round3(r.area_km2),
    },
  }));
  return { features, units: rows.map((r) => ({ code: r.code, areaKm2: r.area_km2, grids: 1 })), plan };
}

async function regionFeatures(db: Database, level: RegionFileLevel) {
  const scope = await topScope(db);
  const rows = scope ? await regionRows(db, { level, scope }) : [];
  const shapes = await cachedGeometries(db, 'region', rows.map((r) => r.code), { toleranceM: null });
  const features: Feature[] = rows.map((r) => ({
    id: r.code,
    geometry: shapes.get(r.code) ?? null,
    properties: { code: r.code, name: r.name, level: r.level, parent: r.parent, areaKm2: round3(r.area_km2), grids: r.grids },
  }));
  return { features, units: rows.map((r) => ({ code: r.code, areaKm2: r.area_km2, grids: r.grids })), plan: null };
}

const round3 = (v: number) => Math.round(v * 1000) / 1000;
