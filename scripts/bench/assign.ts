/**
 * Assignment throughput: re-assignment of every stored point when a plan is published
 * (`reassignAll`, exactly what the grids import runs), and the raw speed of the point-in-polygon
 * index on the real grids and on the synthetic tiling of scripts/bench/pip-benchmark.ts.
 * (Import-time assignment is inside the import figures: it happens per row while staging.)
 */
import { Database, Session } from '../../server/db/database.ts';
import { Assigner, reassignAll } from '../../server/import/assignment.ts';
import { PUBLISHED_GRIDS } from '../../server/queries/published-grids.ts';
import { benchmarkPolygonIndex } from './pip-benchmark.ts';
import { PolygonIndex } from '../../server/spatial/point-in-polygon.ts';

/** One timed re-assignment. */
export interface ReassignTiming {
  points: number;
  /** Building the polygon indexes from the database. */
  loadMs: number;
  /** `reassignAll` itself. */
  ms: number;
  pointsPerSecond: number;
}

/** Re-assignment when a plan is published, in three cases; see {@link measureAssignment}. */
export interface AssignResult {
  /** An identical plan: every point is tested, nothing is written. */
  unchanged: ReassignTiming;
  /** A redrawn plan where every point changes grid (site zones don't depend on grids). */
  allMoved: ReassignTiming;
  /** Every stored assignment rewritten, site lists too: the worst case (e.g. after replacing all sites). */
  allRewritten: ReassignTiming;
  /** PolygonIndex.locateMany over the stored issue points and the real grids, no database. */
  indexPointsPerSecond: number;
  indexPoints: number;
  /** The synthetic wobbly-tiling micro benchmark at the same grid count. */
  synthetic: { polygons: number; pointsPerSecond: number };
}

/** Most points the raw index figure uses; more only costs memory. */
const RAW_POINTS = 2_000_000;

async function timedReassign(s: Session, sites: boolean): Promise<ReassignTiming> {
  const t0 = performance.now();
  const assigner = await Assigner.load(s);
  const t1 = performance.now();
  const counts = await reassignAll(s, assigner, { sites });
  const t2 = performance.now();
  const points = counts.issues + counts.sites;
  return { points, loadMs: t1 - t0, ms: t2 - t1, pointsPerSecond: points / ((t2 - t1) / 1000) };
}

/**
 * Times `reassignAll` after an untimed `scramble`, in a snapshot: a transaction that is rolled
 * back, so the database stays as imported and the data version does not move.
 */
async function scenario(db: Database, scramble: string[], sites: boolean): Promise<ReassignTiming> {
  return db.snapshot(async (conn) => {
    const s = new Session(conn);
    for (const sql of scramble) await s.run(sql);
    return timedReassign(s, sites);
  });
}

/**
 * Times `reassignAll` in three cases, each in a transaction that is rolled back so the database
 * stays as imported: what publishing a plan runs (site lists kept) for an identical plan and for
 * every point moved to another grid (assignments cleared first, untimed); and what importing sites
 * runs, with every assignment including the site lists rewritten. The columns are read once beforehand, as a running server would have them cached.
 */
export async function measureAssignment(dbPath: string, grids: number): Promise<AssignResult> {
  const db = await Database.open(dbPath);
  try {
    await db.all('SELECT sum(lon) + sum(lat), count(grid_code), count(community), count(street), sum(len(site_ids)) FROM issues');
    // Publishing a plan (and importing grids) keeps site lists: zones do not depend on grids.
    const unchanged = await scenario(db, [], false);
    const allMoved = await scenario(db, [
      'UPDATE issues SET grid_code = NULL, community = NULL, street = NULL, outside_grid = NOT outside_grid',
      'UPDATE sites SET grid_code = NULL, community = NULL, street = NULL',
    ], false);
    // Importing sites tests every point against the zones too.
    const allRewritten = await scenario(db, [
      `UPDATE issues SET grid_code = NULL, community = NULL, street = NULL, outside_grid = NOT outside_grid, site_ids = ['-']`,
      'UPDATE sites SET grid_code = NULL, community = NULL, street = NULL',
    ], true);
    const raw = await rawIndexSpeed(db);
    const side = Math.max(1, Math.round(Math.sqrt(grids)));
    const synth = benchmarkPolygonIndex({ side, points: RAW_POINTS });
    return { unchanged, allMoved, allRewritten, ...raw, synthetic: { polygons: synth.polygons, pointsPerSecond: synth.pointsPerSecond } };
  } finally {
    await db.close();
  }
}

async function rawIndexSpeed(db: Database): Promise<{ indexPointsPerSecond: number; indexPoints: number }> {
  return db.read(async (conn) => {
    const s = new Session(conn);
    const grids = await s.all<{ code: string; geometry: string }>(`SELECT code, geometry FROM ${PUBLISHED_GRIDS} g`);
    const index = new PolygonIndex(grids.map((g) => ({ id: g.code, geometry: JSON.parse(g.geometry) })));
    // Columnar read: millions of row objects would measure the garbage collector, not the index.
    const reader = await conn.runAndReadAll(`SELECT lon, lat FROM issues LIMIT ${RAW_POINTS}`);
    const [lonCol, latCol] = reader.getColumnsJS() as number[][];
    const lons = Float64Array.from(lonCol);
    const lats = Float64Array.from(latCol);
    const out = new Int32Array(lons.length);
    index.locateMany(lons.subarray(0, 50_000), lats, out); // JIT warm-up
    const t0 = performance.now();
    index.locateMany(lons, lats, out);
    const ms = performance.now() - t0;
    return { indexPointsPerSecond: lons.length / (ms / 1000), indexPoints: lons.length };
  });
}
