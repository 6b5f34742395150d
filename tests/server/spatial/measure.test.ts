import type { LineString, MultiPolygon, Polygon } from 'geojson';
import { booleanPointInPolygon } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { bboxOf } from '../../../server/domain/geometry.ts';
import { areaKm2, centroidOf, lengthKm, representativePoint } from '../../../server/spatial/measure.js';

const square: Polygon = { type: 'Polygon', coordinates: [[[102.7, 24.9], [102.71, 24.9], [102.71, 24.91], [102.7, 24.91], [102.7, 24.9]]] };

/** A U shape opening north: its centroid lies in the notch, outside the polygon. */
const uShape: Polygon = {
  type: 'Polygon',
  coordinates: [[[0, 0], [3, 0], [3, 3], [2, 3], [2, 1], [1, 1], [1, 3], [0, 3], [0, 0]]],
};

describe('bboxOf', () => {
  it('spans every position of a MultiPolygon', () => {
    const multi: MultiPolygon = { type: 'MultiPolygon', coordinates: [square.coordinates, [[[103, 25], [103.1, 25], [103.1, 25.2], [103, 25]]]] };
    expect(bboxOf(multi)).toEqual([102.7, 24.9, 103.1, 25.2]);
  });

  it('is a degenerate box for a point', () => {
    expect(bboxOf({ type: 'Point', coordinates: [102.7, 24.9] })).toEqual([102.7, 24.9, 102.7, 24.9]);
  });

  it('throws for an empty geometry', () => {
    expect(() => bboxOf({ type: 'MultiPoint', coordinates: [] })).toThrow(/empty/);
  });
});

describe('areaKm2', () => {
  it('matches the spherical area of a 0.01° cell at 24.9°N', () => {
    // R² · Δλ · (sin φ2 − sin φ1) on the sphere turf uses (mean radius 6371008.8 m).
    const r = 6371008.8;
    const rad = Math.PI / 180;
    const expected = (r * r * 0.01 * rad * (Math.sin(24.91 * rad) - Math.sin(24.9 * rad))) / 1e6;
    expect(areaKm2(square)).toBeCloseTo(expected, 6);
  });

  it('is within 0.5% of the ellipsoidal (GRS80) area', () => {
    // Area element M·N·cos φ dφ dλ at the cell's mid-latitude.
    const a = 6378137;
    const e2 = 0.00669438002290;
    const rad = Math.PI / 180;
    const phi = 24.905 * rad;
    const w = Math.sqrt(1 - e2 * Math.sin(phi) ** 2);
    const n = a / w;
    const m = (a * (1 - e2)) / w ** 3;
    const ellipsoidal = (m * n * Math.cos(phi) * (0.01 * rad) ** 2) / 1e6;
    expect(Math.abs(areaKm2(square) / ellipsoidal - 1)).toBeLessThan(0.005);
  });

  it('is 0 for lines', () => {
    expect(areaKm2({ type: 'LineString', coordinates: [[102.7, 24.9], [102.8, 24.9]] })).toBe(0);
  });
});

describe('lengthKm', () => {
  it('measures one degree of meridian as ~111.2 km', () => {
    const line: LineString = { type: 'LineString', coordinates: [[102.7, 24], [102.7, 25]] };
    expect(lengthKm(line)).toBeCloseTo(111.19, 1);
  });

  it('sums the parts of a MultiLineString', () => {
    const part = [[102.7, 24], [102.7, 24.5]];
    expect(lengthKm({ type: 'MultiLineString', coordinates: [part, part] })).toBeCloseTo(111.19, 1);
  });
});

describe('centroidOf', () => {
  it('is the centre of a square', () => {
    const [lon, lat] = centroidOf(square);
    expect(lon).toBeCloseTo(102.705, 9);
    expect(lat).toBeCloseTo(24.905, 9);
  });

  it('is area-weighted, so a densely sampled side does not pull it', () => {
    const ring = [[0, 0], [0.5, 0], [0.6, 0], [0.7, 0], [0.8, 0], [0.9, 0], [1, 0], [1, 1], [0, 1], [0, 0]];
    const [lon, lat] = centroidOf({ type: 'Polygon', coordinates: [ring] });
    expect(lon).toBeCloseTo(0.5, 6);
    expect(lat).toBeCloseTo(0.5, 6);
  });
});

describe('representativePoint', () => {
  it('lies inside a U-shaped polygon whose centroid does not', () => {
    expect(booleanPointInPolygon(centroidOf(uShape), uShape)).toBe(false);
    expect(booleanPointInPolygon(representativePoint(uShape), uShape)).toBe(true);
  });

  it('avoids holes', () => {
    const donut: Polygon = {
      type: 'Polygon',
      coordinates: [[[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]], [[1, 1], [1, 3], [3, 3], [3, 1], [1, 1]]],
    };
    expect(booleanPointInPolygon(representativePoint(donut), donut)).toBe(true);
  });

  it('uses the largest part of a MultiPolygon', () => {
    const [lon] = representativePoint({ type: 'MultiPolygon', coordinates: [[[[0, 0], [1, 0], [1, 1], [0, 0]]], [[[10, 0], [20, 0], [20, 10], [10, 10], [10, 0]]]] });
    expect(lon).toBeGreaterThan(10);
  });

  it('is the middle of a line by length', () => {
    const [lon, lat] = representativePoint({ type: 'LineString', coordinates: [[102.7, 24.9], [102.7, 24.91], [102.7, 24.95]] });
    expect(lon).toBeCloseTo(102.7, 9);
    expect(lat).toBeCloseTo(24.925, 4);
  });

  it('is the point itself for a point', () => {
    expect(representativePoint({ type: 'Point', coordinates: [102.7, 24.9] })).toEqual([102.7, 24.9]);
  });
});
