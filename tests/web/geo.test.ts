import type { MultiPolygon, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { boundsOf, labelAnchor } from '../../web/map/geo';
import { smallRegionLayers } from './region-fixture';

const square = (x0: number, y0: number, x1: number, y1: number): Polygon => ({
  type: 'Polygon',
  coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]],
});

describe('boundsOf', () => {
  it('spans every coordinate of every collection', () => {
    const r = smallRegionLayers();
    expect(boundsOf(r.district, r.street, r.community)).toEqual([[102.7, 24.9], [102.8, 25]]);
  });

  it('is null for empty collections', () => {
    expect(boundsOf({ type: 'FeatureCollection', features: [] })).toBeNull();
  });
});

describe('labelAnchor', () => {
  it('is the centre of a square', () => {
    const [x, y] = labelAnchor(square(0, 0, 2, 2))!;
    expect(x).toBeCloseTo(1);
    expect(y).toBeCloseTo(1);
  });

  it('stays inside a U shape whose centroid is in the gap', () => {
    // U opening upwards: arms at x 0–1 and 3–4, base y 0–1, arms up to y 4.
    const u: Polygon = {
      type: 'Polygon',
      coordinates: [[[0, 0], [4, 0], [4, 4], [3, 4], [3, 1], [1, 1], [1, 4], [0, 4], [0, 0]]],
    };
    const [x, y] = labelAnchor(u)!;
    const inArm = (x > 0 && x < 1) || (x > 3 && x < 4);
    expect(inArm || (y > 0 && y < 1)).toBe(true);
    expect(x > 1 && x < 3 && y > 1).toBe(false);
  });

  it('avoids a hole in the middle', () => {
    const ring: Polygon = {
      type: 'Polygon',
      coordinates: [
        [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]],
        [[2, 2], [8, 2], [8, 8], [2, 8], [2, 2]],
      ],
    };
    const [x] = labelAnchor(ring)!;
    expect(x < 2 || x > 8).toBe(true);
  });

  it('uses the largest part of a multipolygon', () => {
    const multi: MultiPolygon = {
      type: 'MultiPolygon',
      coordinates: [square(0, 0, 1, 1).coordinates, square(10, 10, 14, 14).coordinates],
    };
    const [x, y] = labelAnchor(multi)!;
    expect(x).toBeCloseTo(12);
    expect(y).toBeCloseTo(12);
  });

  it('is null for an empty geometry', () => {
    expect(labelAnchor({ type: 'MultiPolygon', coordinates: [] })).toBeNull();
  });
});
