/**
 * Patrol grids (网格) for the demo city: every community is cut into ≥ 1 grids that tile it, more
 * grids where more people live, each with an inspector (网格员) and a household count.
 */
import { area as turfArea, feature } from '@turf/turf';
import type { Polygon } from 'geojson';
import { polygonsOf } from '../domain/geometry.ts';
import type { Area } from './geometry.ts';
import { personName, type NameData } from './names.ts';
import { partition, type PartitionResult } from './partition.ts';
import type { Region } from './regions.ts';
import { apportion, type Rng } from './rng.ts';

/** One grid with its canonical properties (README's *Properties*) and geometry. */
export interface Grid {
  code: string;
  name: string;
  community: string;
  inspector: string;
  households: number;
  geometry: Area;
}

/** Mean vertex of the outer ring(s): enough to order grids north to south. */
function roughCentre(area: Area): [number, number] {
  let x = 0;
  let y = 0;
  let n = 0;
  for (const poly of polygonsOf(area))
    for (const [px, py] of poly[0]) {
      x += px;
      y += py;
      n++;
    }
  return [x / n, y / n];
}

/**
 * How many grids each community gets: proportional to its population proxy, plus a little for
 * sheer size so large rural villages are not patrolled by one person; at least one each.
 */
function gridCounts(communities: readonly Region[], total: number): number[] {
  const weights = communities.map((c) => c.mass ** 0.8 + 0.08 * Math.sqrt(turfArea(feature(c.geometry)) / 1e6));
  return apportion(Math.max(total, communities.length), weights, 1);
}

/** What {@link buildGrids} spreads over the communities. */
export interface GridOptions {
  /** Target number of grids. */
  total: number;
  /** Households of the whole demo, shared out by density mass. */
  households: number;
  density: (lon: number, lat: number) => number;
}

/**
 * Cuts a community into `n` grids. A grid is one polygon, so a community in several parts (a
 * shore cut by the lake, an exclave) is cut part by part, each part getting grids by its area.
 */
function cutCommunity(c: Region, n: number, rng: Rng, density: GridOptions['density']): PartitionResult {
  const parts = polygonsOf(c.geometry);
  if (parts.length === 1) return partition(c.geometry, { n, rng: rng.fork(`grids ${c.code}`), weight: density, iterations: 3 });
  const polygons = parts.map((coordinates): Polygon => ({ type: 'Polygon', coordinates }));
  const counts = apportion(Math.max(n, parts.length), polygons.map((p) => turfArea(feature(p))), 1);
  const cuts = polygons.map((p, k) => partition(p, { n: counts[k], rng: rng.fork(`grids ${c.code} part ${k}`), weight: density, iterations: 3 }));
  return { cells: cuts.flatMap((x) => x.cells), mass: cuts.flatMap((x) => x.mass) };
}

/**
 * Builds about `total` grids (never fewer than one per community). Codes are the community code
 * plus a 3-digit sequence numbered north to south; names read '双桥社区第3网格'.
 */
export function buildGrids(communities: readonly Region[], { total, households: allHouseholds, density }: GridOptions, rng: Rng, names: NameData): Grid[] {
  const counts = gridCounts(communities, total);
  const totalMass = communities.reduce((s, c) => s + c.mass, 0);
  const people = rng.fork('inspectors');
  const grids: Grid[] = [];
  communities.forEach((c, ci) => {
    const cut = cutCommunity(c, counts[ci], rng, density);
    const households = (c.mass / totalMass) * allHouseholds;
    const cellMass = cut.mass.reduce((s, m) => s + m, 0);
    const order = cut.cells
      .map((cell, i) => ({ cell, mass: cut.mass[i], centre: roughCentre(cell) }))
      .sort((a, b) => b.centre[1] - a.centre[1] || a.centre[0] - b.centre[0]);
    order.forEach(({ cell, mass }, k) => {
      const share = cellMass > 0 ? mass / cellMass : 1 / order.length;
      grids.push({
        code: `${c.code}${String(k + 1).padStart(3, '0')}`,
        name: `${c.name}第${k + 1}网格`,
        community: c.code,
        inspector: personName(people, names),
        households: Math.max(30, Math.round(households * share * people.range(0.85, 1.15))),
        geometry: cell,
      });
    });
  });
  return grids;
}
