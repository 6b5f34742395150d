/** Where to put a marker or label on a geometry of any type. Pure; lon/lat treated as planar. */
import type { Geometry, Position } from 'geojson';
import { labelAnchor } from '../geo';

/** The middle of a line by length (not by vertex count, which bunches on curved streets). */
function lineMiddle(line: Position[]): [number, number] | null {
  if (line.length === 0) return null;
  const lengths: number[] = [];
  let total = 0;
  for (let i = 1; i < line.length; i++) {
    const d = Math.hypot(line[i][0] - line[i - 1][0], line[i][1] - line[i - 1][1]);
    lengths.push(d);
    total += d;
  }
  let remaining = total / 2;
  for (let i = 0; i < lengths.length; i++) {
    if (remaining <= lengths[i] && lengths[i] > 0) {
      const t = remaining / lengths[i];
      return [line[i][0] + t * (line[i + 1][0] - line[i][0]), line[i][1] + t * (line[i + 1][1] - line[i][1])];
    }
    remaining -= lengths[i];
  }
  return [line[0][0], line[0][1]];
}

/**
 * A representative point: the point itself, the middle of the (longest) line, or a point inside
 * the (largest) polygon. Null for an empty or missing geometry.
 */
export function anchorOf(geometry: Geometry | null | undefined): [number, number] | null {
  if (!geometry) return null;
  switch (geometry.type) {
    case 'Point':
      return [geometry.coordinates[0], geometry.coordinates[1]];
    case 'MultiPoint':
      return geometry.coordinates[0] ? [geometry.coordinates[0][0], geometry.coordinates[0][1]] : null;
    case 'LineString':
      return lineMiddle(geometry.coordinates);
    case 'MultiLineString': {
      const longest = [...geometry.coordinates].sort((a, b) => b.length - a.length)[0];
      return longest ? lineMiddle(longest) : null;
    }
    case 'Polygon':
    case 'MultiPolygon':
      return labelAnchor(geometry);
    case 'GeometryCollection':
      for (const g of geometry.geometries) {
        const a = anchorOf(g);
        if (a) return a;
      }
      return null;
  }
}
