/**
 * Geometry that parses and closes but is wrong: holes outside their shell or inside each other,
 * overlapping MultiPolygon parts, rings open in z, bad bbox and crs members, too many vertices.
 */
import type { Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { WGS84 } from '../../../server/spatial/crs.ts';
import { areaKm2 } from '../../../server/spatial/measure.ts';
import { validateGeometry, type ValidateOptions } from '../../../server/spatial/validate.ts';

const POLY: ValidateOptions = { allowed: ['Polygon', 'MultiPolygon'], crs: WGS84 };
const r = (v: number) => Math.round(v * 1e9) / 1e9;
/** A counter-clockwise square, its corners rounded as a file would write them. */
const square = (x: number, y: number, side: number): Position[] => [[x, y], [r(x + side), y], [r(x + side), r(y + side)], [x, r(y + side)], [x, y]];
const codes = (geom: unknown, opts: ValidateOptions = POLY) => validateGeometry(geom, opts).map((p) => p.code);

describe('holes', () => {
  it('refuses a hole outside its shell (its area would be subtracted from nothing)', () => {
    const geom = { type: 'Polygon', coordinates: [square(102.7, 24.9, 0.01), square(102.72, 24.9, 0.0099)] };
    // What storing it did: turf subtracts the stray hole, leaving 0.1 % of the real area.
    expect(areaKm2(geom as never) / areaKm2({ type: 'Polygon', coordinates: [square(102.7, 24.9, 0.01)] })).toBeLessThan(0.05);
    const [p] = validateGeometry(geom, POLY);
    expect(p!.code).toBe('hole_outside_shell');
    expect(p!.reason).toContain('hole 1 lies outside its outer ring');
  });

  it('refuses a hole inside another hole', () => {
    const geom = { type: 'Polygon', coordinates: [square(102.7, 24.9, 0.01), square(102.702, 24.902, 0.006), square(102.703, 24.903, 0.002)] };
    expect(codes(geom)).toEqual(['holes_overlap']);
  });

  it('accepts holes side by side, and a hole touching the shell at one point', () => {
    const touching: Position[] = [[102.7, 24.9], [102.705, 24.903], [102.703, 24.905], [102.7, 24.9]];
    expect(codes({ type: 'Polygon', coordinates: [square(102.7, 24.9, 0.01), square(102.702, 24.906, 0.001), square(102.706, 24.906, 0.001)] })).toEqual([]);
    expect(codes({ type: 'Polygon', coordinates: [square(102.7, 24.9, 0.01), touching] })).toEqual([]);
  });
});

describe('MultiPolygon parts', () => {
  it('refuses a part inside another part (its area would count twice)', () => {
    const geom = { type: 'MultiPolygon', coordinates: [[square(102.7, 24.9, 0.01)], [square(102.702, 24.902, 0.002)]] };
    const [p] = validateGeometry(geom, POLY);
    expect(p!.code).toBe('parts_overlap');
    expect(p!.reason).toContain('part 1 lies inside part 0');
  });

  it('refuses parts that cross or share an edge', () => {
    expect(codes({ type: 'MultiPolygon', coordinates: [[square(102.7, 24.9, 0.01)], [square(102.705, 24.905, 0.01)]] })).toEqual(['parts_overlap']);
    expect(codes({ type: 'MultiPolygon', coordinates: [[square(102.7, 24.9, 0.01)], [square(102.71, 24.9, 0.01)]] })).toEqual(['parts_overlap']);
  });

  it('accepts parts touching at a point, and an island inside a hole of another part', () => {
    expect(codes({ type: 'MultiPolygon', coordinates: [[square(102.7, 24.9, 0.01)], [square(102.71, 24.91, 0.01)]] })).toEqual([]);
    const lake = { type: 'MultiPolygon', coordinates: [[square(102.7, 24.9, 0.01), square(102.702, 24.902, 0.006)], [square(102.703, 24.903, 0.002)]] };
    expect(codes(lake)).toEqual([]);
  });
});

describe('ring closure', () => {
  it('compares every dimension: a ring closed in x/y but not in z is open', () => {
    const ring = [[102.7, 24.9, 10], [102.71, 24.9, 10], [102.71, 24.91, 10], [102.7, 24.9, 20]];
    const [p] = validateGeometry({ type: 'Polygon', coordinates: [ring] }, POLY);
    expect(p!.code).toBe('ring_not_closed');
    expect(p!.reason).toContain('[102.7,24.9,20]');
  });
});

describe('bbox and crs members', () => {
  const poly = { type: 'Polygon', coordinates: [square(102.7, 24.9, 0.01)] };

  it('accepts a bbox that contains the geometry, tight or loose', () => {
    expect(codes({ ...poly, bbox: [102.7, 24.9, 102.71, 24.91] })).toEqual([]);
    expect(codes({ ...poly, bbox: [102, 24, 103, 25] })).toEqual([]);
  });

  it('refuses a bbox that does not contain the geometry', () => {
    const [p] = validateGeometry({ ...poly, bbox: [102.7, 24.9, 102.705, 24.91] }, POLY);
    expect(p!.code).toBe('bad_bbox');
    expect(p!.reason).toContain('does not contain position [102.71, 24.9]');
  });

  it('refuses a malformed bbox', () => {
    expect(codes({ ...poly, bbox: [102.7, 24.9, 102.71] })).toEqual(['bad_bbox']);
    expect(codes({ ...poly, bbox: 'all of it' })).toEqual(['bad_bbox']);
    expect(codes({ ...poly, bbox: [102.71, 24.9, 102.7, 24.91] })).toEqual(['bad_bbox']);
    expect(codes({ ...poly, bbox: [102.7, 24.9, null, 24.91] })).toEqual(['bad_bbox']);
  });

  it('refuses a crs member on a geometry object', () => {
    const [p] = validateGeometry({ ...poly, crs: { type: 'name', properties: { name: 'EPSG:4490' } } }, POLY);
    expect(p!.code).toBe('crs_on_geometry');
  });
});

describe('vertex limit', () => {
  it('refuses a feature over the limit, naming its count and the limit', () => {
    const ring: Position[] = [];
    for (let i = 0; i < 30; i++) ring.push([102.7 + 0.01 * Math.cos((i / 30) * 2 * Math.PI), 24.9 + 0.01 * Math.sin((i / 30) * 2 * Math.PI)]);
    ring.push(ring[0]!);
    const geom = { type: 'Polygon', coordinates: [ring] };
    expect(codes(geom, { ...POLY, maxVertices: 31 })).toEqual([]);
    const [p] = validateGeometry(geom, { ...POLY, maxVertices: 30 });
    expect(p).toEqual({ field: 'geometry', code: 'too_many_vertices', reason: expect.stringContaining('31 positions, more than the limit of 30') });
  });
});
