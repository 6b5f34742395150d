/**
 * Key-site zones: the area in which an issue counts as belonging to a site.
 */
import type { Geometry, MultiPolygon, Polygon } from 'geojson';
import { buffer } from '@turf/turf';

/**
 * 16 segments per quarter circle: the chord error of a 200 m zone is ~0.25 m while a zone stays
 * at ~65 vertices, which keeps the site-zone index small.
 */
const BUFFER_STEPS = 16;

/**
 * The zone of a key site. Points and lines are buffered by `bufferM` metres (required, > 0).
 * Polygons are returned unchanged when `bufferM` is 0 or undefined, and grown outward otherwise.
 * @throws Error for a negative or non-finite buffer, a point/line without a buffer, a
 *   GeometryCollection, or a buffer that produces nothing (an empty input).
 */
export function siteZone(geom: Geometry, bufferM?: number): Polygon | MultiPolygon {
  const radius = bufferM ?? 0;
  if (!Number.isFinite(radius) || radius < 0) {
    throw new Error(`site buffer must be a non-negative number of metres, got ${bufferM}`);
  }
  if (geom.type === 'GeometryCollection') throw new Error('a site geometry cannot be a GeometryCollection');
  const polygonal = geom.type === 'Polygon' || geom.type === 'MultiPolygon';
  if (polygonal && radius === 0) return geom;
  if (radius === 0) throw new Error(`a ${geom.type} site needs a buffer greater than 0 m to have a zone`);
  const zone = buffer(geom, radius, { units: 'meters', steps: BUFFER_STEPS });
  if (!zone) throw new Error(`buffering the ${geom.type} produced no zone`);
  return zone.geometry;
}
