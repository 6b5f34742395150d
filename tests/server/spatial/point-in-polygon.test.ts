import type { MultiPolygon, Polygon, Position } from 'geojson';
import { booleanPointInPolygon, featureCollection, point, voronoi } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { benchmarkPolygonIndex } from '../../../scripts/bench/pip-benchmark.ts';
import { PolygonIndex } from '../../../server/spatial/point-in-polygon.js';
import { seeded } from './random.js';

const rect = (x0: number, y0: number, x1: number, y1: number): Polygon => ({
  type: 'Polygon',
  coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]],
});

/** Planar distance from (x, y) to segment a–b, in degrees. */
function segmentDistance(x: number, y: number, a: Position, b: Position): number {
  const [ax, ay] = a as [number, number];
  const [bx, by] = b as [number, number];
  const dx = bx - ax;
  const dy = by - ay;
  const t = dx === 0 && dy === 0 ? 0 : Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(x - (ax + t * dx), y - (ay + t * dy));
}

describe('PolygonIndex on a Voronoi tiling', () => {
  const rand = seeded(42);
  const BBOX: [number, number, number, number] = [102.7, 24.9, 102.8, 25.0];
  const seeds = featureCollection(
    Array.from({ length: 50 }, () => point([102.7 + rand() * 0.1, 24.9 + rand() * 0.1])),
  );
  const cells = voronoi(seeds, { bbox: BBOX }).features.filter(Boolean).map((f) => f.geometry);
  const index = new PolygonIndex(cells.map((geometry, id) => ({ id, geometry })));
  const randomPoints = Array.from({ length: 20_000 }, () => [102.7 + rand() * 0.1, 24.9 + rand() * 0.1] as [number, number]);

  it('has a fixture of ~50 cells', () => {
    expect(cells.length).toBe(50);
  });

  it('agrees with turf.booleanPointInPolygon except within 1e-9° of an edge', () => {
    const disagreements: string[] = [];
    for (const [x, y] of randomPoints.slice(0, 5000)) {
      const expected = cells.findIndex((c) => booleanPointInPolygon([x, y], c));
      const got = index.locateIndex(x, y);
      if (got === expected) continue;
      const onEdge = cells.some((c) => c.coordinates[0]!.some((p, i, ring) => i > 0 && segmentDistance(x, y, ring[i - 1]!, p) < 1e-9));
      if (!onEdge) disagreements.push(`${x},${y}: ${got} vs turf ${expected}`);
    }
    expect(disagreements).toEqual([]);
  });

  it('puts every interior point, cell vertex and edge midpoint in exactly one cell (不重不漏)', () => {
    const probes: [number, number][] = [...randomPoints];
    for (const c of cells) {
      const ring = c.coordinates[0]!;
      for (let i = 1; i < ring.length; i++) {
        const [ax, ay] = ring[i - 1] as [number, number];
        const [bx, by] = ring[i] as [number, number];
        probes.push([ax, ay], [(ax + bx) / 2, (ay + by) / 2], [ax + (bx - ax) / 3, ay + (by - ay) / 3]);
      }
    }
    const interior = probes.filter(([x, y]) => x > BBOX[0] && x < BBOX[2] && y > BBOX[1] && y < BBOX[3]);
    expect(interior.length).toBeGreaterThan(20_500);
    const wrong = interior.filter(([x, y]) => index.locateAll(x, y).length !== 1);
    expect(wrong).toEqual([]);
  });
});

describe('PolygonIndex edge rule (half-open: a point on a boundary belongs to the polygon east or north of it)', () => {
  // Four squares meeting at (102.71, 24.91):  C D
  //                                           A B
  const A = rect(102.7, 24.9, 102.71, 24.91);
  const B = rect(102.71, 24.9, 102.72, 24.91);
  const C = rect(102.7, 24.91, 102.71, 24.92);
  const D = rect(102.71, 24.91, 102.72, 24.92);
  const index = new PolygonIndex([
    { id: 'A', geometry: A },
    { id: 'B', geometry: B },
    { id: 'C', geometry: C },
    { id: 'D', geometry: D },
  ]);

  it('gives a point on a shared north–south edge to the polygon east of it', () => {
    expect(index.locateAll(102.71, 24.905)).toEqual(['B']);
  });

  it('gives a point on a shared east–west edge to the polygon north of it', () => {
    expect(index.locateAll(102.705, 24.91)).toEqual(['C']);
  });

  it('gives the vertex shared by four squares to the north-east one', () => {
    expect(index.locateAll(102.71, 24.91)).toEqual(['D']);
  });

  it('keeps west and south outer boundaries but not east and north ones', () => {
    expect(index.locate(102.7, 24.905)).toBe('A');
    expect(index.locate(102.705, 24.9)).toBe('A');
    expect(index.locate(102.72, 24.905)).toBeNull();
    expect(index.locate(102.715, 24.92)).toBeNull();
  });

  it('gives each point of a shared slanted edge to exactly one side, whichever way the rings run', () => {
    const left: Polygon = { type: 'Polygon', coordinates: [[[0, 0], [1, 0.3], [0.2, 1], [0, 0]]] };
    const right: Polygon = { type: 'Polygon', coordinates: [[[1, 0.3], [1, 1], [0.2, 1], [1, 0.3]].reverse()] };
    const idx = new PolygonIndex([{ id: 'left', geometry: left }, { id: 'right', geometry: right }]);
    for (let i = 1; i < 1000; i++) {
      const t = i / 1000;
      const x = 1 + t * (0.2 - 1);
      const y = 0.3 + t * (1 - 0.3);
      expect(idx.locateAll(x, y), `${x},${y}`).toHaveLength(1);
    }
  });
});

describe('PolygonIndex holes, parts and overlaps', () => {
  const withHole: Polygon = {
    type: 'Polygon',
    coordinates: [rect(102.7, 24.9, 102.8, 25.0).coordinates[0]!, rect(102.74, 24.94, 102.76, 24.96).coordinates[0]!.slice().reverse()],
  };
  const plug = rect(102.74, 24.94, 102.76, 24.96);

  it('excludes points in a hole', () => {
    const index = new PolygonIndex([{ id: 'ring', geometry: withHole }]);
    expect(index.locate(102.75, 24.95)).toBeNull();
    expect(index.locate(102.72, 24.95)).toBe('ring');
  });

  it('lets a polygon filling the hole own the hole, and the two share its boundary without overlap', () => {
    const index = new PolygonIndex([
      { id: 'ring', geometry: withHole },
      { id: 'plug', geometry: plug },
    ]);
    expect(index.locate(102.75, 24.95)).toBe('plug');
    for (const [x, y] of [[102.74, 24.95], [102.76, 24.95], [102.75, 24.94], [102.75, 24.96], [102.74, 24.94], [102.76, 24.96]] as const) {
      expect(index.locateAll(x, y), `${x},${y}`).toHaveLength(1);
    }
    expect(index.locate(102.74, 24.95)).toBe('plug'); // west edge of the hole: the plug lies east
    expect(index.locate(102.76, 24.95)).toBe('ring'); // east edge of the hole: the ring lies east
  });

  it('finds points in every part of a MultiPolygon and none between the parts', () => {
    const multi: MultiPolygon = {
      type: 'MultiPolygon',
      coordinates: [rect(102.7, 24.9, 102.71, 24.91).coordinates, rect(102.75, 24.95, 102.76, 24.96).coordinates],
    };
    const index = new PolygonIndex([{ id: 7, geometry: multi }]);
    expect(index.locate(102.705, 24.905)).toBe(7);
    expect(index.locate(102.755, 24.955)).toBe(7);
    expect(index.locate(102.73, 24.93)).toBeNull();
  });

  it('returns the first polygon in input order from locate, and all of them from locateAll', () => {
    const index = new PolygonIndex([
      { id: 'school-zone', geometry: rect(102.7, 24.9, 102.72, 24.92) },
      { id: 'market-zone', geometry: rect(102.71, 24.91, 102.73, 24.93) },
    ]);
    expect(index.locate(102.715, 24.915)).toBe('school-zone');
    expect(index.locateAll(102.715, 24.915)).toEqual(['school-zone', 'market-zone']);
    expect(index.locateAll(102.725, 24.925)).toEqual(['market-zone']);
  });

  it('answers null for an empty index, points outside, and NaN', () => {
    expect(new PolygonIndex([]).locate(102.7, 24.9)).toBeNull();
    const index = new PolygonIndex([{ id: 1, geometry: rect(102.7, 24.9, 102.71, 24.91) }]);
    expect(index.locate(103, 25)).toBeNull();
    expect(index.locate(Number.NaN, 24.905)).toBeNull();
    expect(index.locateAll(103, 25)).toEqual([]);
  });

  it('matches turf on a 5,000-vertex star-shaped polygon', () => {
    const rand = seeded(3);
    const ring: Position[] = [];
    for (let i = 0; i < 5000; i++) {
      const a = (2 * Math.PI * i) / 5000;
      const r = 0.03 + 0.02 * Math.sin(a * 37) + 0.005 * rand();
      ring.push([102.75 + r * Math.cos(a), 24.95 + r * Math.sin(a)]);
    }
    ring.push(ring[0]!);
    const star: Polygon = { type: 'Polygon', coordinates: [ring] };
    const index = new PolygonIndex([{ id: 's', geometry: star }]);
    const disagreements: string[] = [];
    for (let k = 0; k < 5000; k++) {
      const x = 102.69 + rand() * 0.12;
      const y = 24.89 + rand() * 0.12;
      if ((index.locate(x, y) === 's') === booleanPointInPolygon([x, y], star)) continue;
      if (!ring.some((p, i) => i > 0 && segmentDistance(x, y, ring[i - 1]!, p) < 1e-9)) disagreements.push(`${x},${y}`);
    }
    expect(disagreements).toEqual([]);
  });

  it('locates many points at once as input positions', () => {
    const index = new PolygonIndex([
      { id: 'a', geometry: rect(0, 0, 1, 1) },
      { id: 'b', geometry: rect(1, 0, 2, 1) },
    ]);
    expect([...index.locateMany([0.5, 1.5, 3], [0.5, 0.5, 0.5])]).toEqual([0, 1, -1]);
  });
});

describe('benchmarkPolygonIndex', () => {
  it('runs on a small tiling and locates every random point', () => {
    const r = benchmarkPolygonIndex({ side: 10, points: 20_000 });
    expect(r.polygons).toBe(100);
    expect(r.vertices / r.polygons).toBeGreaterThanOrEqual(20);
    expect(r.vertices / r.polygons).toBeLessThanOrEqual(50);
    expect(r.located).toBe(20_000);
    expect(r.pointsPerSecond).toBeGreaterThan(0);
  });
});
