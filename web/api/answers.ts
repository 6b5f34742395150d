/**
 * Reading answers where the typed client's inference stops short. Hono types a recursive answer
 * as loose JSON below its first level (the region and category trees) and a GeoJSON geometry
 * collection's members likewise; rather than casting, these readers check what the types cannot
 * say, so every answer reaches the app with the type the server's route gives it. Pure.
 */
import type { Geometry, GeometryCollection } from 'geojson';
import { ApiError } from './client';

/** A tree node as the server builds it: the node's own fields and its children, all the way down. */
export type TreeNode<N> = Omit<N, 'children'> & { children: TreeNode<N>[] };

/** The own fields of a node, read from one JSON object; null when they are not what the route sends. */
export type NodeFields<N> = (node: Record<string, unknown>) => Omit<N, 'children'> | null;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A tree answer with every level read by `fields`. Rejects with an `invalid` ApiError when some
 * node is malformed, as for any other answer that is not what the route promises.
 */
export function readTree<N>(nodes: unknown, fields: NodeFields<N>, what: string): TreeNode<N>[] {
  const malformed = () => new ApiError('invalid', `服务器返回的${what}格式不正确`);
  if (!Array.isArray(nodes)) throw malformed();
  return nodes.map((node) => {
    const own = isRecord(node) ? fields(node) : null;
    if (own === null || !isRecord(node)) throw malformed();
    return { ...own, children: readTree(node.children, fields, what) };
  });
}

/** A geometry as the server stores it: the import refuses GeometryCollections (server/spatial/validate.ts). */
export type StoredGeometry = Exclude<Geometry, GeometryCollection>;

/** A geometry as the typed client infers it from a GeoJSON answer. */
type AnswerGeometry = StoredGeometry | { type: 'GeometryCollection' };

/**
 * A feature's geometry as the layers take it. The server never sends a GeometryCollection (see
 * {@link StoredGeometry}), but the client's type allows one; it would be drawn as no shape.
 */
export function storedGeometry(geometry: AnswerGeometry | null): StoredGeometry | null {
  return geometry === null || geometry.type === 'GeometryCollection' ? null : geometry;
}

/**
 * A geometry file (`/api/geometry/…`, served as bytes, so the typed client knows nothing of it) as
 * a FeatureCollection whose properties `fields` reads; rejects with an `invalid` ApiError when the
 * body or a feature is not what the route sends.
 */
export function readGeometryFile<P>(body: unknown, fields: (properties: Record<string, unknown>) => P | null, what: string) {
  const malformed = () => new ApiError('invalid', `服务器返回的${what}边界数据格式不正确`);
  if (!isRecord(body) || body.type !== 'FeatureCollection' || !Array.isArray(body.features)) throw malformed();
  const features = body.features.map((f: unknown) => {
    const properties = isRecord(f) && isRecord(f.properties) ? fields(f.properties) : null;
    if (!isRecord(f) || properties === null || typeof f.id !== 'string') throw malformed();
    const geometry = isRecord(f.geometry) && typeof f.geometry.type === 'string' ? storedGeometry(f.geometry as AnswerGeometry) : null;
    return { type: 'Feature' as const, id: f.id, geometry, properties };
  });
  return { type: 'FeatureCollection' as const, features };
}
