/** Test helpers for the plan model: fixture grids and the 不重不漏 (exact tiling) check. */
import { area, bbox, featureCollection, feature, intersect, randomPoint, voronoi } from '@turf/turf';
import type { MultiPolygon, Polygon } from 'geojson';
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { PlanState, type GridFeature } from '../../../server/plan/state.ts';
import { seeded } from '../spatial/random.ts';

type Area = Polygon | MultiPolygon;

/** The fixture city's 8 grids and 4 community polygons. */
export function fixtureCity(): { grids: GridFeature[]; communities: Map<string, Area> } {
  const grids = JSON.parse(readFileSync('tests/fixtures/city/grids.geojson', 'utf8')).features as GridFeature[];
  const regions = JSON.parse(readFileSync('tests/fixtures/city/regions.geojson', 'utf8')).features as { properties: { code: string; level: string }; geometry: Area }[];
  return {
    grids: grids.map((g) => ({ ...g, properties: { ...g.properties, inspector: g.properties.inspector ?? null, households: g.properties.households ?? null } })),
    communities: new Map(regions.filter((r) => r.properties.level === 'community').map((r) => [r.properties.code, r.geometry])),
  };
}

/** The fixture city as a plan state. */
export function fixtureState(): PlanState {
  const { grids, communities } = fixtureCity();
  return PlanState.build(grids, communities);
}

/** A Voronoi tiling of `n` cells over the box, all in one community `V`; the box is the community. */
export function voronoiState(n: number, seed: number, box: [number, number, number, number] = [102.7, 24.9, 102.72, 24.92]): PlanState {
  const rnd = seeded(seed);
  const pts = randomPoint(n, { bbox: box });
  pts.features.forEach((f) => (f.geometry.coordinates = [box[0] + rnd() * (box[2] - box[0]), box[1] + rnd() * (box[3] - box[1])]));
  const cells = voronoi(pts, { bbox: box }).features.filter((f) => f !== null && f !== undefined);
  const grids: GridFeature[] = cells.map((c, i) => ({
    type: 'Feature', properties: { code: `V${String(i + 1).padStart(3, '0')}`, name: `网格${i + 1}`, community: 'V', inspector: '张伟', households: 100 },
    geometry: c.geometry,
  }));
  const [x0, y0, x1, y1] = box;
  const square: Polygon = { type: 'Polygon', coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]] };
  return PlanState.build(grids, new Map([['V', square]]));
}

/** Asserts the community's grids tile it exactly: area sum = community area (1e-6 relative), no pairwise overlap. */
export function expectTiled(state: PlanState, community: string): void {
  const shape = state.communities.get(community)!;
  const codes = state.codes().filter((c) => state.attrs.get(c)!.community === community);
  const geoms = codes.map((c) => state.geometry(c)!);
  const whole = area(shape);
  const sum = geoms.reduce((s, g) => s + area(g), 0);
  expect(Math.abs(sum - whole) / whole, `area sum of ${community}`).toBeLessThan(1e-6);
  const boxes = geoms.map((g) => bbox(g));
  for (let i = 0; i < geoms.length; i++) {
    for (let j = i + 1; j < geoms.length; j++) {
      const [a, b] = [boxes[i], boxes[j]];
      if (a[0] > b[2] || b[0] > a[2] || a[1] > b[3] || b[1] > a[3]) continue;
      const o = intersect(featureCollection([feature(geoms[i]), feature(geoms[j])]));
      expect(o ? area(o) / whole : 0, `overlap of ${codes[i]} and ${codes[j]}`).toBeLessThan(1e-9);
    }
  }
}
