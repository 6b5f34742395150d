/**
 * Mapping every position of a GeoJSON geometry through a function: CRS conversion on import
 * (server/spatial/crs.ts) and the display shift onto a GCJ-02 basemap in the browser
 * (web/map/geo.ts). Pure and dependency-free, so the web bundle can import it.
 */
import type { Geometry, Position } from 'geojson';

/** Maps one planar position to another (a CRS conversion, a display shift). */
export type PositionFn = (x: number, y: number) => [number, number];

function mapPosition(p: Position, fn: PositionFn): Position {
  const [x, y] = fn(p[0], p[1]);
  // Keep elevation and measures; only the horizontal CRS changes.
  return p.length > 2 ? [x, y, ...p.slice(2)] : [x, y];
}

/**
 * Returns a new geometry of the same type with every position mapped through `fn`. A `bbox`
 * member is dropped rather than copied, since it would describe the old coordinates.
 */
export function transformGeometry<G extends Geometry>(geom: G, fn: PositionFn): G {
  const g = geom as Geometry;
  const ring = (r: Position[]) => r.map((p) => mapPosition(p, fn));
  switch (g.type) {
    case 'Point':
      return { type: g.type, coordinates: mapPosition(g.coordinates, fn) } as G;
    case 'MultiPoint':
    case 'LineString':
      return { type: g.type, coordinates: ring(g.coordinates) } as G;
    case 'MultiLineString':
    case 'Polygon':
      return { type: g.type, coordinates: g.coordinates.map(ring) } as G;
    case 'MultiPolygon':
      return { type: g.type, coordinates: g.coordinates.map((poly) => poly.map(ring)) } as G;
    case 'GeometryCollection':
      return { type: g.type, geometries: g.geometries.map((m) => transformGeometry(m, fn)) } as G;
  }
}
