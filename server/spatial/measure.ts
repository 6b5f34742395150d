/**
 * Geodesic measurements of lon/lat GeoJSON geometries: areas, lengths and points that stand for a
 * whole geometry (for labels and for assigning a site to the grid it lies in). Bounding boxes are
 * planar: `bboxOf` in server/domain/geometry.ts.
 */
import type { Geometry, LineString, MultiLineString, Polygon } from 'geojson';
import { area, centerOfMass, centroid, feature, length, along } from '@turf/turf';
import { widestSpanMiddle } from '../domain/geometry.ts';

/** Geodesic area in km² (0 for points and lines). */
export function areaKm2(geom: Geometry): number {
  return area(geom) / 1e6;
}

/** Geodesic length in km of a line (per part, summed). */
export function lengthKm(geom: LineString | MultiLineString): number {
  return length(feature(geom), { units: 'kilometers' });
}

/**
 * The centroid [lon, lat]: area-weighted for polygons, the mean of the positions otherwise.
 * It may lie outside a concave polygon; use {@link representativePoint} when it must be inside.
 */
export function centroidOf(geom: Geometry): [number, number] {
  const c = geom.type === 'Polygon' || geom.type === 'MultiPolygon' ? centerOfMass(geom) : centroid(geom);
  const [lon, lat] = c.geometry.coordinates;
  return [lon, lat];
}

/**
 * A point [lon, lat] guaranteed to lie on the geometry: the point itself, the middle of a line
 * (by length), or inside a polygon (its largest part for a MultiPolygon). A site is assigned to
 * the grid containing this point, so a centroid that can fall outside a concave polygon won't do.
 * @throws Error for an empty geometry.
 */
export function representativePoint(geom: Geometry): [number, number] {
  switch (geom.type) {
    case 'Point':
    case 'MultiPoint': {
      const p = geom.type === 'Point' ? geom.coordinates : geom.coordinates[0];
      if (!p || p.length < 2) break;
      return [p[0], p[1]];
    }
    case 'LineString':
      if (geom.coordinates.length === 0) break;
      return midLine(geom);
    case 'MultiLineString': {
      const parts = geom.coordinates.filter((c) => c.length > 0);
      if (parts.length === 0) break;
      const lines = parts.map((coordinates): LineString => ({ type: 'LineString', coordinates }));
      return midLine(lines.reduce((a, b) => (lengthKm(b) > lengthKm(a) ? b : a)));
    }
    case 'Polygon':
      if (!geom.coordinates[0]?.length) break;
      return insidePoint(geom);
    case 'MultiPolygon': {
      const parts = geom.coordinates.filter((p) => p[0]?.length);
      if (parts.length === 0) break;
      const polys = parts.map((coordinates): Polygon => ({ type: 'Polygon', coordinates }));
      return insidePoint(polys.reduce((a, b) => (area(b) > area(a) ? b : a)));
    }
    case 'GeometryCollection':
      if (geom.geometries.length === 0) break;
      return representativePoint(geom.geometries[0]);
  }
  throw new Error(`empty ${geom.type} has no representative point`);
}

function midLine(line: LineString): [number, number] {
  const [lon, lat] = along(line, length(feature(line)) / 2).geometry.coordinates;
  return [lon, lat];
}

/**
 * The middle of the widest interior interval on a horizontal line through the centroid's
 * latitude: inside the polygon (holes respected) even when the centroid is not.
 */
function insidePoint(poly: Polygon): [number, number] {
  const [cx, cy] = centroidOf(poly);
  if (containsEvenOdd(poly, cx, cy)) return [cx, cy];
  const best = widestSpanMiddle(poly.coordinates, cy);
  const first = poly.coordinates[0][0];
  return best ? [best[0], best[1]] : [first[0], first[1]];
}

/** Strictly even–odd: a centroid on the outline is no good as a representative point. */
function containsEvenOdd(poly: Polygon, x: number, y: number): boolean {
  let inside = false;
  for (const ring of poly.coordinates) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i] as [number, number];
      const [xj, yj] = ring[j] as [number, number];
      if (yi > y !== yj > y && x < xi + ((y - yi) * (xj - xi)) / (yj - yi)) inside = !inside;
    }
  }
  return inside;
}
