/**
 * Freehand redraw of a grid: the new outline takes land from its neighbours and gives land back,
 * and the community stays tiled. This is the one edit done by polygon overlay (turf) rather than
 * by moving shared vertices, so the result is re-noded into a fresh topology afterwards.
 */
import { area, difference, feature, featureCollection, intersect, union } from '@turf/turf';
import type { MultiPolygon, Polygon } from 'geojson';
import { bboxOf, boxesMeet, dist } from '../domain/geometry.ts';
import { findRingContact } from '../spatial/self-intersection.ts';
import { NotFoundError, RuleError } from '../domain/errors.ts';
import { mergeFaces, outlineOf } from './merge.ts';
import { partsOf } from './pieces.ts';
import { buildTopology, directedKey, forEachEdge, Topology, type FaceInput } from './topology.ts';

/** Leftover pieces get codes no grid can have while they look for a home. */
const LEFTOVER = '\u0000leftover:';

/**
 * Gives grid `code` the outline `shape`: the shape is clipped to the community (its grids'
 * outline plus, when known, the region polygon, so a redraw can also fill a gap), cut out of every
 * neighbour, and land the grid no longer covers goes to the neighbour it shares the longest
 * boundary with (to the grid itself when it touches nobody else).
 */
export function redrawFace(topo: Topology, code: string, shape: Polygon, region?: Polygon | MultiPolygon): Topology {
  const old = topo.geometry(code);
  if (!old) throw new NotFoundError('grid_not_found', `grid ${code} is not in community ${topo.community}`, { grids: [code] });
  assertSimple(shape, code);
  const clip = communityArea(topo, region);
  const clipped = partsOf(intersect(featureCollection([feature(shape), feature(clip)]))?.geometry);
  if (clipped.length === 0) throw new RuleError('outside_community', `the new outline of grid ${code} lies outside community ${topo.community}`, { parameter: 'geometry', grids: [code] });
  if (clipped.length > 1) {
    throw new RuleError('redraw_multipart', `inside community ${topo.community} the new outline of grid ${code} falls into ${clipped.length} pieces; draw one connected shape`, { parameter: 'geometry', grids: [code] });
  }
  const drawn = clipped[0];
  const drawnBox = bboxOf(drawn);
  const inputs: FaceInput[] = [{ code, geometry: drawn }];
  const leftovers: Polygon[] = [...partsOf(difference(featureCollection([feature(old), feature(drawn)]))?.geometry)];
  for (const other of topo.faces.keys()) {
    if (other === code) continue;
    const geometry = topo.geometry(other)!;
    if (!boxesMeet(bboxOf(geometry), drawnBox)) {
      inputs.push({ code: other, geometry });
      continue;
    }
    const parts = partsOf(difference(featureCollection([feature(geometry), feature(drawn)]))?.geometry).sort((a, b) => area(b) - area(a));
    // Untouched neighbours keep their exact vertices, so they don't show up as changed.
    if (parts.length === 1 && Math.abs(area(parts[0]) - area(geometry)) <= area(geometry) * 1e-12) {
      inputs.push({ code: other, geometry });
      continue;
    }
    if (parts.length === 0) {
      throw new RuleError('redraw_swallows_grid', `the new outline of grid ${code} covers all of grid ${other}; merge the two instead`, { parameter: 'geometry', grids: [code, other] });
    }
    inputs.push({ code: other, geometry: parts[0] });
    leftovers.push(...parts.slice(1));
  }
  leftovers.forEach((geometry, i) => inputs.push({ code: `${LEFTOVER}${i}`, geometry }));
  return rehome(buildTopology(topo.community, inputs), code);
}

/** Merges every leftover piece into the grid it shares the longest boundary with. */
function rehome(start: Topology, code: string): Topology {
  let topo = start;
  let pending = [...topo.faces.keys()].filter((c) => c.startsWith(LEFTOVER));
  while (pending.length) {
    const stuck: string[] = [];
    for (const piece of pending) {
      const shares = sharedLengths(topo, piece);
      const best = [...shares].filter(([c]) => c !== code && !c.startsWith(LEFTOVER)).sort((a, b) => b[1] - a[1])[0]?.[0]
        ?? (shares.has(code) ? code : undefined);
      if (best) topo = mergeFaces(topo, [best, piece], best);
      else stuck.push(piece);
    }
    // Pieces that touch only other pieces wait for those to find a home; isolated ones stay with the grid.
    if (stuck.length === pending.length) {
      for (const piece of stuck) topo = mergeFaces(topo, [code, piece], code, false);
      break;
    }
    pending = stuck;
  }
  return topo;
}

/** Length of boundary (degrees; only compared) that face `code` shares with each neighbour. */
function sharedLengths(topo: Topology, code: string): Map<string, number> {
  const owner = new Map<number, string>();
  forEachEdge(topo, (a, b, c) => owner.set(directedKey(a, b), c));
  const out = new Map<string, number>();
  forEachEdge(topo, (a, b, c) => {
    if (c !== code) return;
    const other = owner.get(directedKey(b, a));
    if (other && other !== code) out.set(other, (out.get(other) ?? 0) + dist(topo.points[a], topo.points[b]));
  });
  return out;
}

/** The land a grid of the community may cover: its grids' outline, plus the region polygon when known. */
function communityArea(topo: Topology, region?: Polygon | MultiPolygon): Polygon | MultiPolygon {
  const polys = outlineOf(topo).map((poly) => poly.map((ring) => {
    const coords = ring.map((v) => [topo.points[v][0], topo.points[v][1]]);
    return [...coords, coords[0]];
  }));
  const outline: Polygon | MultiPolygon = polys.length === 1 ? { type: 'Polygon', coordinates: polys[0] } : { type: 'MultiPolygon', coordinates: polys };
  if (!region) return outline;
  if (polys.length === 0) return region;
  return union(featureCollection([feature(outline), feature(region)]))?.geometry ?? outline;
}

/** A drawn outline must be a closed ring that does not cross itself. */
function assertSimple(shape: Polygon, code: string): void {
  const ring = shape.coordinates[0];
  const closed = ring && ring.length >= 4 && ring[0][0] === ring[ring.length - 1][0] && ring[0][1] === ring[ring.length - 1][1];
  if (!closed) throw new RuleError('invalid_geometry', `the new outline of grid ${code} must be a closed ring of at least 4 positions`, { parameter: 'geometry', grids: [code] });
  const contact = findRingContact(shape.coordinates);
  if (contact) {
    throw new RuleError('invalid_geometry', `the new outline of grid ${code} crosses itself`, { parameter: 'geometry', grids: [code], location: [contact.x, contact.y] });
  }
}
