import type { MultiPolygon, Polygon } from 'geojson';
import type { Session } from '../db/database.ts';
import { PolygonIndex } from '../spatial/point-in-polygon.ts';
import { StagingTable } from './staging.ts';

/** Where a point falls under the published plan. */
export type Placement = { grid: string | null; community: string | null; street: string | null; outsideGrid: boolean };

/**
 * Assigns points to grid → community → street under one grid plan, and to key-site zones.
 * A point outside every grid still gets its community and street from the region polygons when it
 * lies inside one, and is flagged `outsideGrid` (kept, never dropped).
 */
export class Assigner {
  private constructor(
    private readonly grids: PolygonIndex<string>,
    private readonly gridCommunity: Map<string, string>,
    private readonly communities: PolygonIndex<string>,
    private readonly communityStreet: Map<string, string>,
    private readonly zones: PolygonIndex<string>,
  ) {}

  /** Loads the polygons of a plan (default: the published one), the communities and the site zones. */
  static async load(session: Session, planId?: number): Promise<Assigner> {
    const plan = planId ?? (await publishedPlanId(session));
    const gridRows = plan === null ? [] : await session.all<{ code: string; community: string; geometry: string }>(
      'SELECT code, community, geometry FROM grids WHERE plan_id = $plan ORDER BY code', { plan },
    );
    const communityRows = await session.all<{ code: string; parent: string | null; geometry: string }>(
      `SELECT code, parent, geometry FROM regions WHERE level = 'community' ORDER BY code`,
    );
    const zoneRows = await session.all<{ id: string; zone: string }>('SELECT id, zone FROM sites ORDER BY id');
    return new Assigner(
      new PolygonIndex(gridRows.map((r) => ({ id: r.code, geometry: asPolygonal(r.geometry) }))),
      new Map(gridRows.map((r) => [r.code, r.community])),
      new PolygonIndex(communityRows.map((r) => ({ id: r.code, geometry: asPolygonal(r.geometry) }))),
      new Map(communityRows.map((r) => [r.code, r.parent ?? ''])),
      new PolygonIndex(zoneRows.map((r) => ({ id: r.id, geometry: asPolygonal(r.zone) }))),
    );
  }

  place(lon: number, lat: number): Placement {
    const grid = this.grids.locate(lon, lat);
    const community = grid !== null ? (this.gridCommunity.get(grid) ?? null) : this.communities.locate(lon, lat);
    const street = community !== null ? this.communityStreet.get(community) || null : null;
    return { grid, community, street, outsideGrid: grid === null };
  }

  /** Ids of every key site whose zone contains the point (zones may overlap). */
  sitesAt(lon: number, lat: number): string[] {
    return this.zones.locateAll(lon, lat);
  }
}

/** The id of the published grid plan, or null before any grids exist. */
export async function publishedPlanId(session: Session): Promise<number | null> {
  const row = await session.one<{ id: number }>(`SELECT id FROM grid_plans WHERE status = 'published'`);
  return row?.id ?? null;
}

function asPolygonal(text: string): Polygon | MultiPolygon {
  return JSON.parse(text) as Polygon | MultiPolygon;
}

const PAGE = 200_000;

/**
 * Recomputes grid/community/street (and, for issues, key-site membership) of every stored issue and
 * site, e.g. after new grids or sites arrive. Runs inside the caller's transaction; pages by rowid
 * with materialised reads, because an appender and an open streaming result can't share a connection.
 */
export async function reassignAll(session: Session, assigner: Assigner): Promise<{ issues: number; sites: number }> {
  const issues = await reassignTable(session, assigner, 'issues', true);
  const sites = await reassignTable(session, assigner, 'sites', false);
  return { issues, sites };
}

async function reassignTable(session: Session, assigner: Assigner, table: 'issues' | 'sites', withSites: boolean): Promise<number> {
  const total = (await session.one<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))?.n ?? 0;
  if (total === 0) return 0;
  const columns = [
    ['rid', 'BIGINT'], ['grid_code', 'VARCHAR'], ['community', 'VARCHAR'], ['street', 'VARCHAR'],
    ['outside_grid', 'BOOLEAN'], ['site_ids', 'VARCHAR[]'],
  ] as const;
  const staging = await StagingTable.create(session.conn, `reassign_${table}`, columns);
  try {
    // Keyset paging on rowid: rows written earlier in this transaction have rowids far above the
    // committed ones, so ranges from 0 would walk an enormous empty space.
    // They also exceed 2^53, so they travel as text.
    let after = '-1';
    for (;;) {
      const rows = await session.all<{ rid: string; lon: number; lat: number }>(
        `SELECT rowid::VARCHAR AS rid, lon, lat FROM ${table} WHERE rowid > $after::BIGINT ORDER BY rowid LIMIT ${PAGE}`, { after },
      );
      if (rows.length === 0) break;
      for (const r of rows) {
        const p = assigner.place(r.lon, r.lat);
        staging.append(0, [r.rid, p.grid, p.community, p.street, p.outsideGrid, withSites ? assigner.sitesAt(r.lon, r.lat) : []]);
      }
      after = rows[rows.length - 1].rid;
    }
    staging.finish();
    const setSites = withSites ? ', outside_grid = s.outside_grid, site_ids = s.site_ids' : '';
    await session.run(
      `UPDATE ${table} SET grid_code = s.grid_code, community = s.community, street = s.street${setSites}
       FROM ${staging.name} s WHERE ${table}.rowid = s.rid`,
    );
    return total;
  } finally {
    await staging.drop();
  }
}

