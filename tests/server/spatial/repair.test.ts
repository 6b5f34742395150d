/**
 * Repair of polygons that are invalid only in ways that lose nothing when fixed, and never a
 * moved vertex: neighbours repaired alike keep their shared boundary.
 */
import type { MultiPolygon, Polygon, Position } from 'geojson';
import * as clip from 'polyclip-ts';
import { describe, expect, it } from 'vitest';
import { WGS84 } from '../../../server/spatial/crs.ts';
import { repairGeometry } from '../../../server/spatial/repair.ts';
import { validateGeometry } from '../../../server/spatial/validate.ts';

const OPTS = { allowed: ['Polygon', 'MultiPolygon'], crs: WGS84 };
/** Grid steps of ~100 m around 官渡区: coordinates rounded the way the broken outlines were. */
const at = (i: number, j: number): Position => [Math.round((102.7 + i * 0.001) * 1e6) / 1e6, Math.round((24.9 + j * 0.001) * 1e6) / 1e6];
const ring = (...ij: [number, number][]): Position[] => [...ij.map(([i, j]) => at(i, j)), at(...ij[0]!)];
const valid = (g: unknown) => validateGeometry(g, OPTS).map((p) => p.code);

describe('repairGeometry', () => {
  it('leaves a valid counter-clockwise polygon untouched and lists nothing', () => {
    const geom = { type: 'Polygon', coordinates: [ring([0, 0], [2, 0], [2, 2], [0, 2])] };
    expect(repairGeometry(geom)).toEqual({ geometry: geom, fixes: [] });
  });

  it('removes repeated vertices', () => {
    const geom = { type: 'Polygon', coordinates: [ring([0, 0], [2, 0], [2, 0], [2, 2], [0, 2])] };
    const { geometry, fixes } = repairGeometry(geom);
    expect(fixes).toEqual([{ what: 'repeated_vertex', ring: 'outer ring', at: at(2, 0), detail: '1 repeated position(s) removed' }]);
    expect((geometry as Polygon).coordinates).toEqual([ring([0, 0], [2, 0], [2, 2], [0, 2])]);
  });

  it('removes a spike', () => {
    const geom = { type: 'Polygon', coordinates: [ring([0, 0], [2, 0], [2, 1], [4, 1], [2, 1], [2, 2], [0, 2])] };
    expect(valid(geom)).toEqual(['self_intersection']);
    const { geometry, fixes } = repairGeometry(geom);
    expect(fixes.map((f) => [f.what, f.at])).toEqual([['spike', at(4, 1)]]);
    expect(valid(geometry)).toEqual([]);
    // The spike's base (2, 1) stays: a neighbour may share it.
    expect((geometry as Polygon).coordinates[0]).toEqual(ring([0, 0], [2, 0], [2, 1], [2, 2], [0, 2]));
  });

  it('cuts a ring pinched at one vertex into two parts (a figure eight)', () => {
    const geom = { type: 'Polygon', coordinates: [ring([0, 0], [1, 0], [1, 1], [2, 1], [2, 2], [1, 2], [1, 1], [0, 1])] };
    expect(valid(geom)).toEqual(['self_intersection']);
    const { geometry, fixes } = repairGeometry(geom);
    expect(fixes).toEqual([{ what: 'self_touch', ring: 'outer ring', at: at(1, 1), detail: 'ring cut where it touches itself' }]);
    expect(geometry).toMatchObject({ type: 'MultiPolygon' });
    expect(valid(geometry)).toEqual([]);
  });

  it('turns a loop pinched inwards into a hole', () => {
    const geom = { type: 'Polygon', coordinates: [ring([0, 0], [2, 0], [3, 1], [2, 2], [1, 1], [2, 0], [4, 0], [4, 4], [0, 4])] };
    const { geometry } = repairGeometry(geom);
    expect(valid(geometry)).toEqual([]);
    const rings = (geometry as Polygon).coordinates;
    expect(rings).toHaveLength(2);
    expect(clip.intersection(rings as never, [ring([1, 1], [3, 1], [3, 2], [1, 2])] as never).length).toBeGreaterThan(0);
  });

  it('cuts a ring whose vertex touches one of its own edges', () => {
    // The vertex (2, 0) of the inward notch lies on the bottom edge from (0, 0) to (4, 0).
    const geom = { type: 'Polygon', coordinates: [ring([0, 0], [4, 0], [4, 4], [3, 4], [2, 0], [1, 4], [0, 4])] };
    expect(valid(geom)).toEqual(['self_intersection']);
    const { geometry, fixes } = repairGeometry(geom);
    expect(fixes.map((f) => f.what)).toEqual(['self_touch']);
    expect(valid(geometry)).toEqual([]);
    expect((geometry as MultiPolygon).coordinates).toHaveLength(2);
  });

  it('turns clockwise outer rings counter-clockwise and counter-clockwise holes clockwise', () => {
    const geom = { type: 'Polygon', coordinates: [ring([0, 0], [0, 4], [4, 4], [4, 0]), ring([1, 1], [2, 1], [2, 2], [1, 2])] };
    const { geometry, fixes } = repairGeometry(geom);
    expect(fixes.map((f) => [f.what, f.ring])).toEqual([['orientation', 'outer ring'], ['orientation', 'hole']]);
    expect((geometry as Polygon).coordinates[0]![1]).toEqual(at(4, 0));
  });

  it('leaves a bow tie alone: which side is inside would be a guess', () => {
    const geom = { type: 'Polygon', coordinates: [ring([0, 0], [2, 2], [2, 0], [0, 2])] };
    expect(repairGeometry(geom)).toEqual({ geometry: geom, fixes: [] });
  });

  it('keeps two neighbours that share a self-touching edge without gap or overlap', () => {
    // A 4×2 block split in two along a zigzag; both halves touch themselves at (2, 1) on the shared line.
    const a = { type: 'Polygon', coordinates: [ring([0, 0], [2, 0], [2, 1], [3, 1], [3, 2], [2, 2], [2, 1], [1, 1], [1, 2], [0, 2])] };
    const b = { type: 'Polygon', coordinates: [ring([2, 0], [4, 0], [4, 2], [3, 2], [3, 1], [2, 1], [2, 2], [1, 2], [1, 1], [2, 1])] };
    expect(valid(a)).toEqual(['self_intersection']);
    expect(valid(b)).toEqual(['self_intersection']);
    const ra = repairGeometry(a).geometry as Polygon | MultiPolygon;
    const rb = repairGeometry(b).geometry as Polygon | MultiPolygon;
    expect(valid(ra)).toEqual([]);
    expect(valid(rb)).toEqual([]);
    const coords = (g: Polygon | MultiPolygon) => (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as never;
    expect(clip.intersection(coords(ra), coords(rb))).toEqual([]);
    const union = clip.union(coords(ra), coords(rb));
    expect(union).toEqual([[ring([0, 0], [4, 0], [4, 2], [0, 2])]]);
    // Every vertex of either side is still a vertex: nothing moved.
    const vertices = (g: Polygon | MultiPolygon) => new Set((g.type === 'Polygon' ? [g.coordinates] : g.coordinates).flat(2).map((p) => p.join()));
    for (const g of [a, b] as Polygon[]) {
      const kept = vertices(g === a ? ra : rb);
      for (const p of g.coordinates[0]!) expect(kept.has(p.join())).toBe(true);
    }
  });
});
