/**
 * Micro benchmark of {@link PolygonIndex}: a city-sized tiling of wobbly grid cells (like real
 * patrol grids: 20–50 vertices, shared boundaries) and uniformly random points over it.
 * Used by `scripts/bench.ts`; tests never assert on its timings.
 */
import type { Polygon, Position } from 'geojson';
import { PolygonIndex } from '../../server/spatial/point-in-polygon.ts';

/** Benchmark size; the defaults match the 10k-grid target. */
export interface PipBenchmarkOptions {
  /** Tiles per side; side² polygons. */
  side?: number;
  points?: number;
  seed?: number;
}

/** What one run measured. */
export interface PipBenchmarkResult {
  polygons: number;
  vertices: number;
  points: number;
  buildMs: number;
  locateMs: number;
  pointsPerSecond: number;
  /** Points that fell in some polygon (all of them, for a tiling of its own bbox interior). */
  located: number;
}

/** Small deterministic PRNG (mulberry32) so benchmark runs and property tests are reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * side × side polygons tiling a ~0.3° square near Kunming. Each boundary between two tiles is
 * one wobbly polyline used forwards by one tile and backwards by the other, so they tile exactly.
 */
function wobblyTiling(side: number, seed = 1): Polygon[] {
  const rand = seededRandom(seed);
  const x0 = 102.6;
  const y0 = 24.85;
  const step = 0.3 / side;
  const corner: Position[][] = [];
  for (let i = 0; i <= side; i++) {
    corner.push([]);
    for (let j = 0; j <= side; j++) {
      // The outer frame stays straight so the tiling fills its bbox.
      const jx = i === 0 || i === side ? 0 : (rand() - 0.5) * 0.4 * step;
      const jy = j === 0 || j === side ? 0 : (rand() - 0.5) * 0.4 * step;
      corner[i]!.push([x0 + i * step + jx, y0 + j * step + jy]);
    }
  }
  const wobble = (a: Position, b: Position, frame: boolean): Position[] => {
    const k = 5 + Math.floor(rand() * 8);
    const pts: Position[] = [a];
    const nx = -(b[1]! - a[1]!);
    const ny = b[0]! - a[0]!;
    for (let s = 1; s < k; s++) {
      const t = s / k;
      const off = frame ? 0 : (rand() - 0.5) * 0.12;
      pts.push([a[0]! + t * (b[0]! - a[0]!) + off * nx, a[1]! + t * (b[1]! - a[1]!) + off * ny]);
    }
    pts.push(b);
    return pts;
  };
  const horizontal = (i: number, j: number) => hEdges[j * side + i]!;
  const vertical = (i: number, j: number) => vEdges[i * side + j]!;
  const hEdges: Position[][] = [];
  for (let j = 0; j <= side; j++) {
    for (let i = 0; i < side; i++) hEdges.push(wobble(corner[i]![j]!, corner[i + 1]![j]!, j === 0 || j === side));
  }
  const vEdges: Position[][] = [];
  for (let i = 0; i <= side; i++) {
    for (let j = 0; j < side; j++) vEdges.push(wobble(corner[i]![j]!, corner[i]![j + 1]!, i === 0 || i === side));
  }
  const tiles: Polygon[] = [];
  for (let j = 0; j < side; j++) {
    for (let i = 0; i < side; i++) {
      const ring = [
        ...horizontal(i, j).slice(0, -1),
        ...vertical(i + 1, j).slice(0, -1),
        ...[...horizontal(i, j + 1)].reverse().slice(0, -1),
        ...[...vertical(i, j)].reverse(),
      ];
      tiles.push({ type: 'Polygon', coordinates: [ring] });
    }
  }
  return tiles;
}

/** Builds an index over a wobbly tiling and times locating random points in it. */
export function benchmarkPolygonIndex(opts: PipBenchmarkOptions = {}): PipBenchmarkResult {
  const side = opts.side ?? 100;
  const count = opts.points ?? 2_000_000;
  const tiles = wobblyTiling(side, opts.seed ?? 1);
  const vertices = tiles.reduce((n, t) => n + t.coordinates[0]!.length - 1, 0);
  const t0 = performance.now();
  const index = new PolygonIndex(tiles.map((geometry, id) => ({ id, geometry })));
  const t1 = performance.now();
  const rand = seededRandom((opts.seed ?? 1) + 1);
  const lons = new Float64Array(count);
  const lats = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    lons[i] = 102.6 + rand() * 0.3;
    lats[i] = 24.85 + rand() * 0.3;
  }
  const out = new Int32Array(count);
  index.locateMany(lons.subarray(0, Math.min(count, 50_000)), lats, out); // warm up the JIT
  const t2 = performance.now();
  index.locateMany(lons, lats, out);
  const t3 = performance.now();
  let located = 0;
  for (let i = 0; i < count; i++) if (out[i]! >= 0) located++;
  return {
    polygons: tiles.length,
    vertices,
    points: count,
    buildMs: t1 - t0,
    locateMs: t3 - t2,
    pointsPerSecond: count / ((t3 - t2) / 1000),
    located,
  };
}
