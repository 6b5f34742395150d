/**
 * The PostGIS side of the comparison: the same rows as civgrid's database (exported from it, so
 * both engines aggregate identical data), loaded the way a PostGIS user would (geometry columns,
 * GiST indexes, ANALYZE), then ST_Contains assignment and the operations' SQL, timed by psql.
 */
import { mkdtemp, rm, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database } from '../../server/db/database.ts';
import type { Operation, OperationName } from './operations.ts';
import { parsePsqlTimings, type Postgres } from './postgis.ts';
import { summarize, type LatencySummary } from './stats.ts';
import { PUBLISHED_GRIDS } from '../../server/queries/published-grids.ts';

/** What the PostGIS run measured. */
export interface PostgisResult {
  version: string;
  settings: Record<string, string>;
  loadSeconds: number;
  dbMb: number;
  /** ST_Contains of every issue point against the grids (GiST on both), one run. */
  assign: { ms: number; pointsPerSecond: number; assigned: number; disagreeing: number };
  operations: Map<OperationName, LatencySummary>;
}

/** Exports the published plan's grids, regions, site ids and issues of the DuckDB file as CSV. */
async function exportCsv(dbPath: string, dir: string): Promise<void> {
  const db = await Database.open(dbPath);
  const to = (name: string) => `'${join(dir, `${name}.csv`)}' (HEADER, DELIMITER ',')`;
  try {
    await db.run(`COPY (SELECT code, name, level, parent FROM regions) TO ${to('regions')}`);
    await db.run(`COPY (SELECT g.code, g.community, g.geometry FROM ${PUBLISHED_GRIDS} g) TO ${to('grids')}`);
    // site_ids become a PostgreSQL array literal, each element quoted.
    await db.run(`COPY (
      SELECT id, category, source, status, immediate, rework_count, reported_at, opened_at, dispatched_at, deadline, closed_at,
        lon, lat, grid_code, community, street, outside_grid,
        '{' || array_to_string(list_transform(site_ids, s -> '"' || replace(replace(s, '\\', '\\\\'), '"', '\\"') || '"'), ',') || '}' AS site_ids,
        address
      FROM issues ORDER BY reported_at) TO ${to('issues')}`);
  } finally {
    await db.close();
  }
}

const SCHEMA = `
CREATE TABLE regions (code text PRIMARY KEY, name text, level text, parent text);
CREATE TABLE grids_raw (code text, community text, geometry text);
CREATE UNLOGGED TABLE issues_raw (
  id text, category text, source text, status text, immediate boolean, rework_count integer,
  reported_at timestamp, opened_at timestamp, dispatched_at timestamp, deadline timestamp, closed_at timestamp,
  lon double precision, lat double precision, grid_code text, community text, street text, outside_grid boolean,
  site_ids text[], address text);
`;

const BUILD = `
CREATE TABLE grids AS SELECT code, community, ST_SetSRID(ST_GeomFromGeoJSON(geometry), 4326) AS geom FROM grids_raw;
CREATE INDEX grids_geom ON grids USING gist (geom);
CREATE TABLE issues AS SELECT r.*, ST_SetSRID(ST_MakePoint(lon, lat), 4326) AS geom,
  ST_Transform(ST_SetSRID(ST_MakePoint(lon, lat), 4326), 3857) AS geom3857 FROM issues_raw r;
DROP TABLE issues_raw;
CREATE INDEX issues_geom ON issues USING gist (geom);
CREATE INDEX issues_geom3857 ON issues USING gist (geom3857);
CREATE INDEX issues_reported ON issues (reported_at);
CREATE INDEX issues_deadline ON issues (deadline);
CREATE INDEX issues_street ON issues (street);
CREATE INDEX issues_sites ON issues USING gin (site_ids);
VACUUM ANALYZE;
`;

/** Timed psql script: the statement `reps` times after two untimed warm-ups, output discarded. */
function timedScript(statements: readonly string[], reps: number): string {
  const run = statements.map((s) => `${s};`).join('\n');
  const warm = `\\o /dev/null\n${run}\n${run}\n`;
  return `${warm}\\timing on\n${Array.from({ length: reps }, () => run).join('\n')}\n`;
}

/** Loads the data, runs the assignment and the operations; `pg` is stopped by the caller. */
export async function comparePostgis(pg: Postgres, dbPath: string, ops: readonly Operation[], runs: number, log: (line: string) => void): Promise<PostgisResult> {
  const dir = await mkdtemp(join(tmpdir(), 'civgrid-pgcsv-'));
  try {
    await chmod(dir, 0o755);
    const t0 = performance.now();
    await exportCsv(dbPath, dir);
    await pg.psql(SCHEMA);
    const copy = (table: string) => `\\copy ${table} FROM '${join(dir, `${table.replace('_raw', '')}.csv`)}' WITH (FORMAT csv, HEADER true)`;
    await pg.psql([copy('regions'), copy('grids_raw'), copy('issues_raw')].join('\n'));
    await pg.psql(BUILD);
    const loadSeconds = (performance.now() - t0) / 1000;
    const dbMb = Number((await pg.psql('\\pset tuples_only on\nSELECT pg_database_size(current_database());')).trim()) / 1024 / 1024;
    log(`postgis: loaded in ${loadSeconds.toFixed(1)} s, ${dbMb.toFixed(0)} MB`);

    const assignOut = await pg.psql(`\\timing on\nCREATE TABLE assigned AS SELECT i.id, g.code FROM issues i JOIN grids g ON ST_Contains(g.geom, i.geom);`);
    const [assignMs] = parsePsqlTimings(assignOut);
    const check = (await pg.psql(`\\pset tuples_only on\n\\pset format unaligned
      SELECT (SELECT count(*) FROM assigned) || ',' || (SELECT count(*) FROM issues) || ',' ||
        (SELECT count(*) FROM issues i LEFT JOIN assigned a USING (id) WHERE a.code IS DISTINCT FROM i.grid_code);`)).trim();
    const [assigned, total, disagreeing] = check.split(',').map(Number);
    const assign = { ms: assignMs, pointsPerSecond: total / (assignMs / 1000), assigned, disagreeing };
    log(`postgis: ST_Contains assignment ${(assignMs / 1000).toFixed(1)} s (${Math.round(assign.pointsPerSecond).toLocaleString('en-US')} points/s), ${disagreeing} points assigned differently`);

    const operations = new Map<OperationName, LatencySummary>();
    for (const op of ops) {
      const times = parsePsqlTimings(await pg.psql(timedScript(op.sql.postgres, runs)));
      const k = op.sql.postgres.length;
      if (times.length !== runs * k) throw new Error(`postgis: expected ${runs * k} timings for ${op.name}, got ${times.length}`);
      const perRun = Array.from({ length: runs }, (_, r) => times.slice(r * k, r * k + k).reduce((a, b) => a + b, 0));
      operations.set(op.name, summarize(perRun));
      log(`postgis: ${op.name}: p50 ${operations.get(op.name)!.p50.toFixed(1)} ms`);
    }
    return { version: pg.version, settings: pg.settings, loadSeconds, dbMb, assign, operations };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
