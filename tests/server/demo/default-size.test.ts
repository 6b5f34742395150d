import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { generateDemo } from '../../../server/demo/index.ts';
import { tiling, tilesWell, type TilingReport } from './tiling.ts';

/** The full one-district 官渡区 demo at its default size (600 grids, 1,500 sites) without issues. */
type Region = Feature<Polygon | MultiPolygon, Record<string, string>>;

let dir: string;
let regions: Region[];
let grids: Region[];
let siteCount: number;

const load = async (file: string) => (JSON.parse(await readFile(file, 'utf8')) as FeatureCollection).features as Region[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'civgrid-demo-full-'));
  const { files } = await generateDemo({ seed: 1, districts: ['530111'], issues: 0, outDir: dir });
  regions = await load(files.regions);
  grids = await load(files.grids);
  siteCount = (await load(files.sites)).length;
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('makes 600 grids and 1,500 sites', () => {
  expect(grids).toHaveLength(600);
  expect(siteCount).toBe(1500);
});

it('tiles district → streets → communities → grids at the default size', () => {
  const bad: string[] = [];
  const check = (parent: Region, children: Region[]) => {
    const r: TilingReport = tiling(parent.geometry, children.map((c) => c.geometry));
    if (!tilesWell(r)) bad.push(`${parent.properties.name} ${JSON.stringify(r)}`);
  };
  for (const r of regions) check(r, r.properties.level === 'community' ? grids.filter((g) => g.properties.community === r.properties.code) : regions.filter((c) => c.properties.parent === r.properties.code));
  expect(bad).toEqual([]);
});

it('keeps every community and nearly every grid a single polygon', () => {
  expect(regions.filter((r) => r.properties.level === 'community' && r.geometry.type !== 'Polygon').map((r) => r.properties.name)).toEqual([]);
  expect(grids.filter((g) => g.geometry.type !== 'Polygon').length).toBeLessThan(6);
});
