/**
 * Splits a polygon into n cells that tile it exactly (不重不漏): a density-weighted Lloyd
 * relaxation places the seeds, their Voronoi diagram is clipped to the parent, and stray fragments
 * of a cell are merged into a neighbour so cells stay single polygons where the parent allows.
 */
import { featureCollection, feature, intersect, polygon, union, voronoi, point, area as turfArea } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';
import { M_PER_DEG, contains, lonScale, prepare, type Area, type PreparedArea } from './geometry.ts';
import type { Rng } from './rng.ts';

/** How to partition one parent area. */
export interface PartitionOptions {
  /** Number of cells (≥ 1). */
  n: number;
  rng: Rng;
  /** Relative density; Lloyd relaxation makes cells smaller where it is high. */
  weight: (lon: number, lat: number) => number;
  /** Initial seed per cell (lon/lat); keeps cell i near anchor i. */
  anchors?: readonly (readonly [number, number])[];
  /** Share of every Lloyd step pulled back towards the anchor (0 = plain Lloyd). */
  anchorPull?: number;
  /** Lloyd iterations (default 3). */
  iterations?: number;
  /** Approximate number of sample points used for the relaxation. */
  samples?: number;
}

/** The cells (index i belongs to seed/anchor i) and each cell's density-weighted area in km². */
export interface PartitionResult {
  cells: Area[];
  mass: number[];
}

/** Sample points inside the parent on a jittered lattice, in a local metric frame. */
interface Samples {
  x: Float64Array;
  y: Float64Array;
  w: Float64Array;
  count: number;
  /** Area represented by one sample, km². */
  cellKm2: number;
}

/** Local equirectangular frame in metres, so Voronoi distances are isotropic and well scaled. */
interface Frame {
  lon0: number;
  lat0: number;
  kx: number;
}

const toX = (f: Frame, lon: number) => (lon - f.lon0) * f.kx;
const toY = (f: Frame, lat: number) => (lat - f.lat0) * M_PER_DEG;
const toLon = (f: Frame, x: number) => x / f.kx + f.lon0;
const toLat = (f: Frame, y: number) => y / M_PER_DEG + f.lat0;

function sampleParent(parent: PreparedArea, areaKm2: number, target: number, frame: Frame, opts: PartitionOptions): Samples {
  const step = Math.sqrt((areaKm2 * 1e6) / target);
  const [x0, y0, x1, y1] = parent.bbox;
  const dLon = step / frame.kx;
  const dLat = step / M_PER_DEG;
  const xs: number[] = [];
  const ys: number[] = [];
  const ws: number[] = [];
  for (let lat = y0 + dLat / 2; lat < y1; lat += dLat)
    for (let lon = x0 + dLon / 2; lon < x1; lon += dLon) {
      // Jitter breaks the lattice's symmetry, which otherwise makes Lloyd produce rows of boxes.
      const px = lon + (opts.rng.next() - 0.5) * dLon;
      const py = lat + (opts.rng.next() - 0.5) * dLat;
      if (!contains(parent, px, py)) continue;
      xs.push(toX(frame, px));
      ys.push(toY(frame, py));
      ws.push(opts.weight(px, py));
    }
  return { x: Float64Array.from(xs), y: Float64Array.from(ys), w: Float64Array.from(ws), count: xs.length, cellKm2: step * step * 1e-6 };
}

/** k-means++ style seeding weighted by density, so seeds start spread out but denser where the city is. */
function spreadSeeds(s: Samples, n: number, rng: Rng): [number, number][] {
  const seeds: [number, number][] = [];
  const d2 = new Float64Array(s.count).fill(Infinity);
  for (let k = 0; k < n; k++) {
    let total = 0;
    for (let i = 0; i < s.count; i++) total += s.w[i] * (k === 0 ? 1 : d2[i]);
    let x = rng.next() * total;
    let pick = s.count - 1;
    for (let i = 0; i < s.count; i++) {
      x -= s.w[i] * (k === 0 ? 1 : d2[i]);
      if (x < 0) {
        pick = i;
        break;
      }
    }
    seeds.push([s.x[pick], s.y[pick]]);
    for (let i = 0; i < s.count; i++) d2[i] = Math.min(d2[i], (s.x[i] - s.x[pick]) ** 2 + (s.y[i] - s.y[pick]) ** 2);
  }
  return seeds;
}

/** Index of the nearest seed for every sample. */
function assign(s: Samples, seeds: [number, number][]): Int32Array {
  const owner = new Int32Array(s.count);
  for (let i = 0; i < s.count; i++) {
    let best = 0;
    let bestD = Infinity;
    for (let k = 0; k < seeds.length; k++) {
      const d = (s.x[i] - seeds[k][0]) ** 2 + (s.y[i] - seeds[k][1]) ** 2;
      if (d < bestD) {
        bestD = d;
        best = k;
      }
    }
    owner[i] = best;
  }
  return owner;
}

function relax(s: Samples, seeds: [number, number][], anchors: [number, number][] | null, opts: PartitionOptions): void {
  const pull = opts.anchorPull ?? 0;
  for (let it = 0; it < (opts.iterations ?? 3); it++) {
    const owner = assign(s, seeds);
    const sx = new Float64Array(seeds.length);
    const sy = new Float64Array(seeds.length);
    const sw = new Float64Array(seeds.length);
    for (let i = 0; i < s.count; i++) {
      sx[owner[i]] += s.x[i] * s.w[i];
      sy[owner[i]] += s.y[i] * s.w[i];
      sw[owner[i]] += s.w[i];
    }
    seeds.forEach((seed, k) => {
      if (sw[k] === 0) return;
      const cx = sx[k] / sw[k];
      const cy = sy[k] / sw[k];
      seed[0] = anchors ? pull * anchors[k][0] + (1 - pull) * cx : cx;
      seed[1] = anchors ? pull * anchors[k][1] + (1 - pull) * cy : cy;
    });
  }
}

/**
 * A seed outside a concave parent would get an empty or fragmented cell; move such seeds onto the
 * nearest sample inside, and separate coincident seeds (Voronoi drops duplicates).
 */
function settleSeeds(s: Samples, seeds: [number, number][], parent: PreparedArea, frame: Frame): void {
  const taken = new Set<string>();
  seeds.forEach((seed) => {
    if (!contains(parent, toLon(frame, seed[0]), toLat(frame, seed[1])) || taken.has(`${seed[0]},${seed[1]}`)) {
      let best = -1;
      let bestD = Infinity;
      for (let i = 0; i < s.count; i++) {
        const d = (s.x[i] - seed[0]) ** 2 + (s.y[i] - seed[1]) ** 2;
        if (d < bestD && !taken.has(`${s.x[i]},${s.y[i]}`)) {
          bestD = d;
          best = i;
        }
      }
      seed[0] = s.x[best];
      seed[1] = s.y[best];
    }
    taken.add(`${seed[0]},${seed[1]}`);
  });
}

function voronoiCells(seeds: [number, number][], parent: PreparedArea, frame: Frame): Feature<Polygon>[] {
  const [x0, y0, x1, y1] = parent.bbox;
  const pad = 1000;
  const box: [number, number, number, number] = [toX(frame, x0) - pad, toY(frame, y0) - pad, toX(frame, x1) + pad, toY(frame, y1) + pad];
  const cells = voronoi(featureCollection(seeds.map((p) => point(p))), { bbox: box }).features;
  return seeds.map((_, k) => {
    const cell = cells[k];
    if (!cell) throw new Error('partition: Voronoi lost a seed');
    return polygon(cell.geometry.coordinates.map((ring) => ring.map(([x, y]) => [toLon(frame, x), toLat(frame, y)])));
  });
}

const areaOf = (g: Area) => turfArea(feature(g));

/** The part of a MultiPolygon cell that should stay (the one holding the seed, else the largest). */
function keptPartIndex(parts: Position[][][], seedLon: number, seedLat: number): number {
  const holder = parts.findIndex((p) => contains(prepare({ type: 'Polygon', coordinates: p }), seedLon, seedLat));
  if (holder >= 0) return holder;
  let best = 0;
  parts.forEach((p, i) => {
    if (areaOf({ type: 'Polygon', coordinates: p }) > areaOf({ type: 'Polygon', coordinates: parts[best] })) best = i;
  });
  return best;
}

const partCount = (g: Area) => (g.type === 'Polygon' ? 1 : g.coordinates.length);

/**
 * Gives every stray fragment to the nearest cell it merges with without adding a part; a fragment
 * that merges with none stays where it is (the cell remains a MultiPolygon, still tiling).
 */
function mergeFragments(cells: Area[], seedsLonLat: [number, number][]): void {
  cells.forEach((cell, i) => {
    if (cell.type !== 'MultiPolygon') return;
    const parts = cell.coordinates;
    const keep = keptPartIndex(parts, seedsLonLat[i][0], seedsLonLat[i][1]);
    const stay: Position[][][] = [parts[keep]];
    parts.forEach((part, p) => {
      if (p === keep) return;
      const cx = part[0].reduce((s, p) => s + p[0], 0) / part[0].length;
      const cy = part[0].reduce((s, p) => s + p[1], 0) / part[0].length;
      const order = cells
        .map((_, j) => j)
        .filter((j) => j !== i)
        .sort((a, b) => (seedsLonLat[a][0] - cx) ** 2 + (seedsLonLat[a][1] - cy) ** 2 - ((seedsLonLat[b][0] - cx) ** 2 + (seedsLonLat[b][1] - cy) ** 2));
      // The 8 nearest seeds almost always hold the neighbour; a fragment in a bay of a long outline
      // may border a cell whose seed is far away, so the rest are tried after them.
      for (const j of order) {
        const merged = union(featureCollection([feature(cells[j]), polygon(part)]));
        // Merged means no new part: a cell already in several parts (its parent is) may take it too.
        if (merged && partCount(merged.geometry) === partCount(cells[j])) {
          cells[j] = merged.geometry;
          return;
        }
      }
      stay.push(part);
    });
    cells[i] = stay.length === 1 ? { type: 'Polygon', coordinates: stay[0] } : { type: 'MultiPolygon', coordinates: stay };
  });
}

/**
 * Partitions `parent` into `opts.n` cells that tile it: the union of the cells is the parent and
 * no two cells overlap (up to floating point). Cell i is non-empty and, with anchors, lies around
 * anchor i. Deterministic for a given rng state.
 */
export function partition(parent: Area, opts: PartitionOptions): PartitionResult {
  const prepared = prepare(parent);
  const areaKm2 = areaOf(parent) / 1e6;
  const [x0, y0, x1, y1] = prepared.bbox;
  const frame: Frame = { lon0: (x0 + x1) / 2, lat0: (y0 + y1) / 2, kx: M_PER_DEG * lonScale((y0 + y1) / 2) };
  const samples = sampleParent(prepared, areaKm2, opts.samples ?? Math.max(2000, 80 * opts.n), frame, opts);
  if (opts.n <= 1) {
    let mass = 0;
    for (let i = 0; i < samples.count; i++) mass += samples.w[i] * samples.cellKm2;
    return { cells: [parent], mass: [mass] };
  }
  const anchors = opts.anchors ? opts.anchors.map(([lon, lat]): [number, number] => [toX(frame, lon), toY(frame, lat)]) : null;
  const seeds = anchors ? anchors.map((a): [number, number] => [a[0], a[1]]) : spreadSeeds(samples, opts.n, opts.rng);
  relax(samples, seeds, anchors, opts);
  settleSeeds(samples, seeds, prepared, frame);

  const cells: Area[] = voronoiCells(seeds, prepared, frame).map((cell) => {
    const clipped = intersect(featureCollection<Polygon | MultiPolygon>([cell, feature(parent)]));
    if (!clipped) throw new Error('partition: a seed inside the parent produced an empty cell');
    return clipped.geometry;
  });
  mergeFragments(
    cells,
    seeds.map(([x, y]) => [toLon(frame, x), toLat(frame, y)]),
  );

  const mass = new Array<number>(opts.n).fill(0);
  const owner = assign(samples, seeds);
  for (let i = 0; i < samples.count; i++) mass[owner[i]] += samples.w[i] * samples.cellKm2;
  return { cells, mass };
}
