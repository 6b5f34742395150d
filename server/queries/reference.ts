/**
 * Reference layers for the maps: each layer is read and parsed once per version of the reference
 * data, then every answer is cut from memory — the features meeting the map's box that its zoom
 * draws, simplified to about a pixel and bounded in size — so a 10 MB road network pans without
 * re-reading DuckDB. Simplified shapes are kept per zoom, as maps ask the same few zooms.
 */
import { simplify } from '@turf/turf';
import type { Feature, Geometry } from 'geojson';
import type { Database } from '../db/database.ts';
import { boxesMeet, positionCount, type Bbox } from '../domain/geometry.ts';
import { transformGeometry } from '../domain/map-geometry.ts';
import { referenceMinZoom, type ReferenceLayer } from '../domain/reference-layers.ts';

/** One stored feature, parsed. */
export type ReferenceFeature = {
  name: string | null;
  class: string;
  rank: number;
  geometry: Geometry;
  bbox: Bbox;
  vertices: number;
};

/** Most vertices in one answer: ~2 MB of JSON, what a browser draws without a stutter. */
export const MAX_ANSWER_VERTICES = 150_000;

/** From this zoom on shapes are sent as stored: a pixel is under a metre. */
const FULL_DETAIL_ZOOM = 17;

/** Metres per 256-px-tile pixel at zoom 0 on the equator. */
const EQUATOR_M_PER_PX = 156_543.03;
const M_PER_DEGREE = 111_320;

type Layer = { features: ReferenceFeature[]; simplified: Map<number, (Geometry | null)[]> };
const stores = new WeakMap<Database, { since: number; layers: Map<ReferenceLayer, Promise<Layer>> }>();

/** The layer's features, read once per version of the reference data. */
async function layerOf(db: Database, layer: ReferenceLayer): Promise<Layer> {
  const since = db.version.of('reference');
  let store = stores.get(db);
  if (store?.since !== since) stores.set(db, (store = { since, layers: new Map() }));
  let pending = store.layers.get(layer);
  if (!pending) {
    pending = readLayer(db, layer);
    store.layers.set(layer, pending);
    // A failed read is not remembered: the next request tries again.
    pending.catch(() => store.layers.delete(layer));
  }
  return pending;
}

async function readLayer(db: Database, layer: ReferenceLayer): Promise<Layer> {
  const rows = await db.all<{ name: string | null; class: string; rank: number; geometry: string; vertices: number; xmin: number; ymin: number; xmax: number; ymax: number }>(
    'SELECT name, class, rank, geometry, vertices, xmin, ymin, xmax, ymax FROM reference_features WHERE layer = $layer ORDER BY rank, seq',
    { layer },
  );
  const features = rows.map((r) => ({
    name: r.name, class: r.class, rank: r.rank, geometry: JSON.parse(r.geometry) as Geometry, bbox: [r.xmin, r.ymin, r.xmax, r.ymax] as Bbox, vertices: r.vertices,
  }));
  return { features, simplified: new Map() };
}

/** The answer of `GET /api/reference/{layer}`. */
export type ReferenceAnswer = {
  type: 'FeatureCollection';
  features: Feature<Geometry, { name: string | null; class: string }>[];
  /** True when features were left out to bound the answer (least important first). */
  truncated: boolean;
};

/** The layer's features in `bbox` drawn at `zoom` (see {@link referenceAnswer}). */
export async function referenceFeatures(db: Database, layer: ReferenceLayer, bbox: Bbox | null, zoom: number): Promise<ReferenceAnswer> {
  const stored = await layerOf(db, layer);
  let cache = stored.simplified.get(zoom);
  if (!cache) stored.simplified.set(zoom, (cache = []));
  return referenceAnswer(layer, stored.features, bbox, zoom, { cache });
}

/**
 * Cuts an answer from a layer's features (in rank order): those meeting `bbox` that the zoom
 * draws, simplified to about a pixel (shapes smaller than that dropped) and rounded to 0.1 m,
 * until {@link MAX_ANSWER_VERTICES}; the rest are left out and `truncated` says so. Pure, but for
 * `cache`, which keeps each feature's simplified shape at this zoom by its index.
 */
export function referenceAnswer(
  layer: ReferenceLayer,
  features: readonly ReferenceFeature[],
  bbox: Bbox | null,
  zoom: number,
  o: { cache?: (Geometry | null)[]; maxVertices?: number } = {},
): ReferenceAnswer {
  const maxVertices = o.maxVertices ?? MAX_ANSWER_VERTICES;
  const out: ReferenceAnswer['features'] = [];
  let total = 0;
  let truncated = false;
  for (let i = 0; i < features.length; i++) {
    const f = features[i];
    if (referenceMinZoom(layer, f.rank) > zoom) continue;
    if (bbox && !boxesMeet(bbox, f.bbox, 0)) continue;
    let geometry = o.cache?.[i];
    if (geometry === undefined) {
      geometry = atZoom(f, zoom);
      if (o.cache) o.cache[i] = geometry;
    }
    if (!geometry) continue;
    const n = positionCount(geometry);
    if (total + n > maxVertices) {
      truncated = true;
      break;
    }
    total += n;
    out.push({ type: 'Feature', geometry, properties: { name: f.name, class: f.class } });
  }
  return { type: 'FeatureCollection', features: out, truncated };
}

/** The feature as drawn at `zoom`: simplified to ~0.7 px, or null when all of it fits in one pixel. */
function atZoom(f: ReferenceFeature, zoom: number): Geometry | null {
  const lat = (f.bbox[1] + f.bbox[3]) / 2;
  const pxDeg = (EQUATOR_M_PER_PX * Math.cos((lat * Math.PI) / 180)) / 2 ** zoom / M_PER_DEGREE;
  const g = f.geometry;
  if (g.type !== 'Point' && g.type !== 'MultiPoint' && Math.max(f.bbox[2] - f.bbox[0], f.bbox[3] - f.bbox[1]) < pxDeg) return null;
  const simplified = zoom >= FULL_DETAIL_ZOOM || g.type === 'Point' || g.type === 'MultiPoint' ? g : simplify(g, { tolerance: 0.7 * pxDeg, highQuality: false });
  return transformGeometry(simplified, (x, y) => [Math.round(x * 1e6) / 1e6, Math.round(y * 1e6) / 1e6]);
}
