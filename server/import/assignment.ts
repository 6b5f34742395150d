import { DOUBLE, DuckDBScalarFunction, INTEGER, type DuckDBDoubleVector, type DuckDBIntegerVector, type DuckDBValue } from '@duckdb/node-api';
import type { MultiPolygon, Polygon } from 'geojson';
import type { DataVersion } from '../db/data-version.ts';
import type { Session } from '../db/database.ts';
import { PUBLISHED_GRIDS } from '../queries/published-grids.ts';
import { PolygonIndex } from '../spatial/point-in-polygon.ts';
import { StagingTable } from './staging.ts';

/** Where a point falls under the published plans. */
export type Placement = { grid: string | null; community: string | null; street: string | null; outsideGrid: boolean };

/** Placement key of a point in no grid and no community. */
const NOWHERE = -1;

/**
 * Assigns points to grid → community → street under one grid plan, and to key-site zones.
 * A point outside every grid still gets its community and street from the region polygons when it
 * lies inside one, and is flagged `outsideGrid` (kept, never dropped).
 */
export class Assigner {
  private constructor(
    private readonly grids: PolygonIndex<string>,
    private readonly gridCodes: string[],
    private readonly gridCommunity: string[],
    private readonly communities: PolygonIndex<string>,
    private readonly communityCodes: string[],
    private readonly communityStreet: Map<string, string>,
    private readonly zones: PolygonIndex<string>,
  ) {}

  /** Loads the polygons of a plan (default: the published grids of every district), the communities and the site zones. */
  static async load(session: Session, planId?: number): Promise<Assigner> {
    const gridRows = await session.all<{ code: string; community: string; geometry: string }>(
      planId === undefined
        ? `SELECT code, community, geometry FROM ${PUBLISHED_GRIDS} g ORDER BY code`
        : 'SELECT code, community, geometry FROM grids WHERE plan_id = $plan ORDER BY code',
      planId === undefined ? {} : { plan: planId },
    );
    const communityRows = await session.all<{ code: string; parent: string | null; geometry: string }>(
      `SELECT code, parent, geometry FROM regions WHERE level = 'community' ORDER BY code`,
    );
    const zoneRows = await session.all<{ id: string; zone: string }>('SELECT id, zone FROM sites ORDER BY id');
    return new Assigner(
      new PolygonIndex(gridRows.map((r) => ({ id: r.code, geometry: asPolygonal(r.geometry) }))),
      gridRows.map((r) => r.code),
      gridRows.map((r) => r.community),
      new PolygonIndex(communityRows.map((r) => ({ id: r.code, geometry: asPolygonal(r.geometry) }))),
      communityRows.map((r) => r.code),
      new Map(communityRows.map((r) => [r.code, r.parent ?? ''])),
      new PolygonIndex(zoneRows.map((r) => ({ id: r.id, geometry: asPolygonal(r.zone) }))),
    );
  }

  /**
   * Like {@link Assigner.load} for the published plan, but reuses the last indexes until a write
   * changes reference data (grids, sites, regions, the published plan): building them costs
   * ~100 ms on a city, far more than placing one ingested issue. Not for a transaction that has
   * changed those tables itself: its own changes are not committed, so the version does not know them.
   */
  static async cached(session: Session, data: DataVersion): Promise<Assigner> {
    const since = data.of('reference');
    const hit = built.get(data);
    if (hit?.since === since) return hit.assigner;
    // Read at `since` or later: if a write lands meanwhile, the next call builds again.
    const assigner = await Assigner.load(session);
    built.set(data, { since, assigner });
    return assigner;
  }

  place(lon: number, lat: number): Placement {
    const g = this.grids.locateIndex(lon, lat);
    const community = g >= 0 ? this.gridCommunity[g] : this.communities.locate(lon, lat);
    const street = community !== null ? this.communityStreet.get(community) || null : null;
    return { grid: g >= 0 ? this.gridCodes[g] : null, community, street, outsideGrid: g < 0 };
  }

  /** Ids of every key site whose zone contains the point (zones may overlap). */
  sitesAt(lon: number, lat: number): string[] {
    return this.zones.locateAll(lon, lat);
  }

  /**
   * {@link place} as one integer, so bulk assignment moves 4 bytes per point instead of three
   * strings: k ≥ 0 is grid k, k ≤ -2 is community -k-2 outside every grid, -1 is nowhere.
   * {@link placements} decodes the keys.
   */
  placementKey(lon: number, lat: number): number {
    const g = this.grids.locateIndex(lon, lat);
    if (g >= 0) return g;
    const c = this.communities.locateIndex(lon, lat);
    return c >= 0 ? -2 - c : NOWHERE;
  }

  /** Every placement key with what it stands for: `[key, grid, community, street, outsideGrid]`. */
  placements(): [number, string | null, string | null, string | null, boolean][] {
    const street = (community: string) => this.communityStreet.get(community) || null;
    return [
      [NOWHERE, null, null, null, true],
      ...this.gridCodes.map((code, k) => [k, code, this.gridCommunity[k], street(this.gridCommunity[k]), false] as [number, string, string, string | null, boolean]),
      ...this.communityCodes.map((code, c) => [-2 - c, null, code, street(code), true] as [number, null, string, string | null, boolean]),
    ];
  }
}

/** The last indexes built per database (each has its own data version). */
const built = new WeakMap<DataVersion, { since: number; assigner: Assigner }>();

function asPolygonal(text: string): Polygon | MultiPolygon {
  return JSON.parse(text) as Polygon | MultiPolygon;
}

/** SQL condition over an issue or site row (its columns unqualified) with its parameters. */
export type RowFilter = { sql: string; params: Record<string, DuckDBValue> };

/**
 * Recomputes grid/community/street (and, for issues, key-site membership) of every stored issue and
 * site, e.g. after new grids or sites arrive. Runs inside the caller's transaction. `sites: false`
 * keeps the issues' site lists: a new grid plan moves no point between site zones, and testing
 * every point against the zones again took half of a 10 M-issue publish. `only` limits it to the
 * rows it selects (a district's, when one district publishes); the counts are of those rows.
 */
export async function reassignAll(session: Session, assigner: Assigner, opts: { sites?: boolean; only?: RowFilter } = {}): Promise<{ issues: number; sites: number }> {
  const issues = await reassignTable(session, assigner, 'issues', opts.sites !== false, opts.only);
  const sites = await reassignTable(session, assigner, 'sites', false, opts.only);
  return { issues, sites };
}

/** Distinguishes the UDFs of concurrent users: DuckDB's function catalog is per database. */
let udfSerial = 0;

/**
 * Points never travel to JS as rows: DuckDB scans lon/lat and calls a JS scalar function per
 * vector of 2,048 points that returns integer keys (placement, site set); the keys are decoded by
 * joining two small lookup tables ({@link PointKeys.lookups}). Fetching rows and appending strings
 * back cost ~25× more than the point-in-polygon tests themselves. Used by reassignment and by the
 * bulk import path.
 */
export class PointKeys {
  /** SQL name of `(lon DOUBLE, lat DOUBLE) → INTEGER` placement key. */
  readonly place: string;
  /** SQL name of `(lon DOUBLE, lat DOUBLE) → INTEGER` site-set key (0: in no zone). */
  readonly sites: string;
  // Site-id lists seen so far → key; key 0 is "in no zone", the usual case.
  private readonly siteSets = new Map<string, number>([['', 0]]);
  private readonly siteLists: string[][] = [[]];
  // The catalog keeps registered functions; after dispose they must not pin the polygons.
  private active: Assigner | null;
  private tables: StagingTable[] = [];

  constructor(private readonly session: Session, assigner: Assigner) {
    this.active = assigner;
    const serial = ++udfSerial;
    this.place = `civgrid_place_${serial}`;
    this.sites = `civgrid_sites_${serial}`;
    session.conn.registerScalarFunction(this.mapPoints(this.place, (a, lon, lat) => a.placementKey(lon, lat)));
    session.conn.registerScalarFunction(this.mapPoints(this.sites, (a, lon, lat) => {
      const ids = a.sitesAt(lon, lat);
      if (ids.length === 0) return 0;
      const text = ids.join('\u0000');
      let k = this.siteSets.get(text);
      if (k === undefined) {
        k = this.siteLists.push(ids) - 1;
        this.siteSets.set(text, k);
      }
      return k;
    }));
  }

  private mapPoints(name: string, key: (a: Assigner, lon: number, lat: number) => number) {
    return DuckDBScalarFunction.create({
      name, returnType: INTEGER, parameterTypes: [DOUBLE, DOUBLE],
      mainFunction: (info, input, output) => {
        const active = this.active;
        if (!active) return info.setError(`${name} was used after its caller finished`);
        const lons = input.getColumnVector(0) as DuckDBDoubleVector;
        const lats = input.getColumnVector(1) as DuckDBDoubleVector;
        const out = output as DuckDBIntegerVector;
        for (let i = 0, n = input.rowCount; i < n; i++) out.setItem(i, key(active, lons.getItem(i)!, lats.getItem(i)!));
        out.flush();
      },
    });
  }

  /**
   * Temp tables decoding the keys, once the keys are computed: `places` (pk, grid_code, community,
   * street, outside_grid) and `sets` (sk, site_ids).
   */
  async lookups(): Promise<{ places: string; sets: string }> {
    const places = await StagingTable.create(this.session.conn, `${this.place}_places`, [
      ['pk', 'INTEGER'], ['grid_code', 'VARCHAR'], ['community', 'VARCHAR'], ['street', 'VARCHAR'], ['outside_grid', 'BOOLEAN'],
    ]);
    this.tables.push(places);
    for (const row of this.active!.placements()) places.append(0, row);
    places.finish();
    const sets = await StagingTable.create(this.session.conn, `${this.place}_sets`, [['sk', 'INTEGER'], ['site_ids', 'VARCHAR[]']]);
    this.tables.push(sets);
    this.siteLists.forEach((ids, k) => sets.append(0, [k, ids]));
    sets.finish();
    return { places: places.name, sets: sets.name };
  }

  /** Unpins the polygons and drops the lookup tables. */
  async dispose(): Promise<void> {
    this.active = null;
    for (const t of this.tables.splice(0)) await t.drop();
  }
}

/** Recomputes the placement (and, with `withSites`, the site lists) of every row of `table` (that `only` selects). */
async function reassignTable(session: Session, assigner: Assigner, table: 'issues' | 'sites', withSites: boolean, only?: RowFilter): Promise<number> {
  const where = only ? `WHERE ${only.sql}` : '';
  const total = (await session.one<{ n: number }>(`SELECT count(*) AS n FROM ${table} ${where}`, only?.params))?.n ?? 0;
  if (total === 0) return 0;
  const fns = new PointKeys(session, assigner);
  const keys = `reassign_keys_${table}`;
  try {
    await session.run(
      `CREATE OR REPLACE TEMP TABLE ${keys} AS
       SELECT rowid AS rid, ${fns.place}(lon, lat) AS pk${withSites ? `, ${fns.sites}(lon, lat) AS sk` : ''} FROM ${table} ${where}`,
      only?.params,
    );
    const { places, sets } = await fns.lookups();
    // Only rows whose values change are written: a LIST column can't be updated in place (DuckDB
    // rewrites the row), and publishing a plan moves no point between site zones.
    await session.run(
      `UPDATE ${table} SET grid_code = p.grid_code, community = p.community, street = p.street${withSites ? ', outside_grid = p.outside_grid' : ''}
       FROM ${keys} k JOIN ${places} p ON p.pk = k.pk
       WHERE ${table}.rowid = k.rid AND (${table}.grid_code IS DISTINCT FROM p.grid_code OR ${table}.community IS DISTINCT FROM p.community
         OR ${table}.street IS DISTINCT FROM p.street${withSites ? ` OR ${table}.outside_grid IS DISTINCT FROM p.outside_grid` : ''})`,
    );
    if (withSites) {
      await session.run(
        `UPDATE ${table} SET site_ids = z.site_ids FROM ${keys} k JOIN ${sets} z ON z.sk = k.sk
         WHERE ${table}.rowid = k.rid AND ${table}.site_ids IS DISTINCT FROM z.site_ids`,
      );
    }
    return total;
  } finally {
    await fns.dispose();
    await session.run(`DROP TABLE IF EXISTS temp.${keys}`);
  }
}
