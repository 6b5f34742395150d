/**
 * Deterministic generator of the demo city (README's *The demo city*): 昆明市's six urban districts
 * (or one, or all 14 county-level units) with their real streets and communities, grids, key sites
 * and years of issues, written as import-ready files in the canonical property names (README's
 * *Properties*). Loading them is the import pipeline's job.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Feature, Geometry } from 'geojson';
import { roundArea, type Area } from './geometry.ts';
import { defaultSizes, householdsOf, issuePrefix, MAIN_DISTRICTS } from './city.ts';
import { densityOf } from './density.ts';
import { buildGrids } from './grids.ts';
import { writeIssues, type IssueStats } from './issues.ts';
import { loadNames } from './names.ts';
import { buildPlaces } from './places.ts';
import { buildReference } from './reference.ts';
import { buildRegions } from './regions.ts';
import { Rng } from './rng.ts';
import { buildSites } from './sites.ts';
import { withDefaultDepartments, writeDepartments } from './departments.ts';
import type { GenerateProgress } from './progress.ts';
import { loadTaxonomy } from './taxonomy.ts';

/** Options of {@link generateDemo}. */
export interface DemoOptions {
  /** Same seed and options → byte-identical files. */
  seed: number;
  /** Number of issues (500,000 by default in the CLI). */
  issues: number;
  /** County-level units of 昆明市 to generate (default the six urban districts, {@link MAIN_DISTRICTS}). */
  districts?: readonly string[];
  /** Target number of grids; at least one per community is always made (default ~1 per 980 households: 600 for 官渡区). */
  grids?: number;
  /** Number of key sites (default 1,500 per 590,000 households: 1,500 for 官渡区). */
  sites?: number;
  /** Directory to write into (created if missing). */
  outDir: string;
  /** Issues are reported in the 3 years before this instant (default 2026-11-25 00:00 +08:00). */
  now?: Date;
  /** Told when each stage starts, and how many issues are written so far. */
  onProgress?: (p: GenerateProgress) => void;
}

/** Paths of the written files and how many records each holds (plus issue workflow tallies). */
export interface DemoResult {
  files: { departments: string; categories: string; regions: string; grids: string; sites: string; issues: string; roads: string; water: string; poi: string };
  counts: Record<string, number>;
}

/** Fixed default so that a bare `generateDemo` is reproducible across days. */
export const DEFAULT_NOW = new Date('2026-11-25T00:00:00+08:00');

/** Rounds geometry coordinates to 7 decimals (≈ 1 cm): keeps files small without moving shared vertices apart. */
function roundGeometry(g: Geometry): Geometry {
  const r = (v: number) => Math.round(v * 1e7) / 1e7;
  switch (g.type) {
    case 'Point':
      return { type: 'Point', coordinates: [r(g.coordinates[0]), r(g.coordinates[1])] };
    case 'LineString':
      return { type: 'LineString', coordinates: g.coordinates.map(([x, y]) => [r(x), r(y)]) };
    case 'Polygon':
    case 'MultiPolygon':
      return roundArea(g as Area);
    default:
      throw new Error(`unexpected geometry ${g.type}`);
  }
}

/** A FeatureCollection with one feature per line: valid GeoJSON that line-based loaders can also stream. */
function featureCollectionText(features: { properties: Record<string, unknown>; geometry: Geometry }[]): string {
  const lines = features.map((f) => JSON.stringify({ type: 'Feature', properties: f.properties, geometry: roundGeometry(f.geometry) } satisfies Feature));
  return `{"type":"FeatureCollection","features":[\n${lines.join(',\n')}\n]}\n`;
}

/**
 * Generates the demo city into `opts.outDir`: categories.json, regions.geojson, grids.geojson,
 * sites.geojson, issues.csv and the reference layers roads.geojson, water.geojson and poi.geojson. Deterministic: independent random streams per stage, so e.g. the
 * issue count does not change any boundary.
 */
export async function generateDemo(opts: DemoOptions): Promise<DemoResult> {
  const progress = opts.onProgress ?? (() => undefined);
  const rng = new Rng(opts.seed, 'civgrid demo');
  const names = loadNames();
  const categories = loadTaxonomy();
  const codes = [...(opts.districts ?? MAIN_DISTRICTS)].sort();
  const sizes = defaultSizes(codes);
  const density = densityOf(codes);
  progress({ stage: 'regions' });
  const { top, districts, streets, communities } = buildRegions(rng.fork('regions'), codes, density);
  progress({ stage: 'grids' });
  const grids = buildGrids(communities, { total: opts.grids ?? sizes.grids, households: householdsOf(codes), density }, rng.fork('grids'), names);
  progress({ stage: 'sites' });
  const places = buildPlaces(districts, streets, communities, names, rng.fork('places'));
  const sites = buildSites(places, opts.sites ?? sizes.sites, rng.fork('sites'), names);
  const reference = buildReference({ top, streets, communities, grids, sites }, names, rng.fork('reference'));

  await mkdir(opts.outDir, { recursive: true });
  const files = {
    departments: join(opts.outDir, 'departments.csv'),
    categories: join(opts.outDir, 'categories.json'),
    regions: join(opts.outDir, 'regions.geojson'),
    grids: join(opts.outDir, 'grids.geojson'),
    sites: join(opts.outDir, 'sites.geojson'),
    issues: join(opts.outDir, 'issues.csv'),
    roads: join(opts.outDir, 'roads.geojson'),
    water: join(opts.outDir, 'water.geojson'),
    poi: join(opts.outDir, 'poi.geojson'),
  };
  const departments = await writeDepartments(files.departments, districts, streets);
  await writeFile(files.categories, `[\n${withDefaultDepartments(categories).map((c) => JSON.stringify(c)).join(',\n')}\n]\n`);
  await writeFile(
    files.regions,
    featureCollectionText(
      [...new Set([top, ...districts]), ...streets, ...communities].map((r) => ({
        properties: { code: r.code, name: r.name, level: r.level, parent: r.parent },
        geometry: r.geometry,
      })),
    ),
  );
  await writeFile(
    files.grids,
    featureCollectionText(
      grids.map((g) => ({
        properties: { code: g.code, name: g.name, community: g.community, inspector: g.inspector, households: g.households },
        geometry: g.geometry,
      })),
    ),
  );
  await writeFile(
    files.sites,
    featureCollectionText(
      sites.map((s) => ({
        properties: { id: s.id, type: s.type, name: s.name, unit: s.unit, ...(s.buffer_m ? { buffer_m: s.buffer_m } : {}) },
        geometry: s.geometry,
      })),
    ),
  );
  for (const layer of ['roads', 'water', 'poi'] as const) await writeFile(files[layer], featureCollectionText(reference[layer]));
  progress({ stage: 'issues', total: opts.issues });
  const stats: IssueStats = await writeIssues(files.issues, { sites, grids, places, categories, names, idPrefix: issuePrefix(codes) }, {
    count: opts.issues, now: opts.now ?? DEFAULT_NOW, rng: rng.fork('issues'),
    onProgress: (done) => progress({ stage: 'issues', done, total: opts.issues }),
  });

  return {
    files,
    counts: {
      departments,
      categories: categories.length,
      regions: new Set([top, ...districts]).size + streets.length + communities.length,
      districts: districts.length,
      streets: streets.length,
      communities: communities.length,
      grids: grids.length,
      sites: sites.length,
      roads: reference.roads.length,
      water: reference.water.length,
      poi: reference.poi.length,
      issues: stats.total,
      issues_at_sites: stats.atSites,
      issues_immediate: stats.immediate,
      issues_closed_late: stats.closedLate,
      issues_open_overdue: stats.openOverdue,
      issues_reworked: stats.reworked,
      ...Object.fromEntries(Object.entries(stats.byStatus).map(([k, v]) => [`issues_${k}`, v])),
    },
  };
}
