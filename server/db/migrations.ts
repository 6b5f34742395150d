import { ALL_DATA } from './data-version.ts';
import { regionCodesUnder } from '../kpi/region-sql.ts';
import type { Database, Session } from './database.ts';
import { SITE_TYPES } from './site-types.ts';

/** A schema change. Migrations are append-only: never edit one that has shipped, add the next. */
type Migration = { version: number; name: string; up: (tx: Session) => Promise<void> };

const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'core schema',
    async up(tx) {
      // Geometry is GeoJSON text plus bbox columns: DuckDB's spatial extension is not available
      // offline, so containment is computed in server/spatial and bboxes let SQL prune.
      await tx.run(`
        CREATE TABLE regions (
          code VARCHAR PRIMARY KEY,
          name VARCHAR NOT NULL,
          level VARCHAR NOT NULL CHECK (level IN ('district', 'street', 'community')),
          parent VARCHAR,
          geometry VARCHAR NOT NULL,
          xmin DOUBLE NOT NULL, ymin DOUBLE NOT NULL, xmax DOUBLE NOT NULL, ymax DOUBLE NOT NULL,
          area_km2 DOUBLE NOT NULL,
          updated_at TIMESTAMP NOT NULL DEFAULT current_timestamp
        )`);
      await tx.run(`
        CREATE TABLE categories (
          code VARCHAR PRIMARY KEY,
          parent VARCHAR,
          kind VARCHAR NOT NULL CHECK (kind IN ('component', 'event')),
          name VARCHAR NOT NULL,
          level SMALLINT NOT NULL,
          time_limit DOUBLE,
          limit_unit VARCHAR CHECK (limit_unit IN ('work_hours', 'work_days', 'hours', 'days')),
          updated_at TIMESTAMP NOT NULL DEFAULT current_timestamp
        )`);
      await tx.run(`
        CREATE TABLE site_types (
          code VARCHAR PRIMARY KEY,
          name VARCHAR NOT NULL,
          name_en VARCHAR NOT NULL,
          geometry_kind VARCHAR NOT NULL,
          buffer_m DOUBLE NOT NULL,
          sort SMALLINT NOT NULL
        )`);
      await tx.run(`CREATE SEQUENCE grid_plan_ids START 1`);
      await tx.run(`
        CREATE TABLE grid_plans (
          id INTEGER PRIMARY KEY DEFAULT nextval('grid_plan_ids'),
          name VARCHAR NOT NULL,
          status VARCHAR NOT NULL CHECK (status IN ('draft', 'published', 'archived')),
          based_on INTEGER,
          author VARCHAR NOT NULL,
          created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
          updated_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
          published_at TIMESTAMP,
          archived_at TIMESTAMP
        )`);
      await tx.run(`
        CREATE TABLE grids (
          plan_id INTEGER NOT NULL,
          code VARCHAR NOT NULL,
          name VARCHAR NOT NULL,
          community VARCHAR NOT NULL,
          inspector VARCHAR,
          households INTEGER,
          geometry VARCHAR NOT NULL,
          xmin DOUBLE NOT NULL, ymin DOUBLE NOT NULL, xmax DOUBLE NOT NULL, ymax DOUBLE NOT NULL,
          area_km2 DOUBLE NOT NULL,
          updated_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
          PRIMARY KEY (plan_id, code)
        )`);
      await tx.run(`
        CREATE TABLE sites (
          id VARCHAR PRIMARY KEY,
          type VARCHAR NOT NULL,
          name VARCHAR NOT NULL,
          unit VARCHAR,
          buffer_m DOUBLE,
          geometry VARCHAR NOT NULL,
          zone VARCHAR NOT NULL,
          xmin DOUBLE NOT NULL, ymin DOUBLE NOT NULL, xmax DOUBLE NOT NULL, ymax DOUBLE NOT NULL,
          lon DOUBLE NOT NULL, lat DOUBLE NOT NULL,
          grid_code VARCHAR, community VARCHAR, street VARCHAR,
          updated_at TIMESTAMP NOT NULL DEFAULT current_timestamp
        )`);
      // No primary key on issues: an ART index over millions of ids costs memory and slows bulk
      // loads; imports upsert by delete-then-insert from a staging table instead.
      await tx.run(`
        CREATE TABLE issues (
          id VARCHAR NOT NULL,
          client_id VARCHAR,
          category VARCHAR NOT NULL,
          source VARCHAR NOT NULL,
          status VARCHAR NOT NULL,
          immediate BOOLEAN NOT NULL,
          rework_count INTEGER NOT NULL,
          reported_at TIMESTAMP NOT NULL,
          opened_at TIMESTAMP,
          dispatched_at TIMESTAMP,
          deadline TIMESTAMP,
          closed_at TIMESTAMP,
          lon DOUBLE NOT NULL,
          lat DOUBLE NOT NULL,
          grid_code VARCHAR,
          community VARCHAR,
          street VARCHAR,
          outside_grid BOOLEAN NOT NULL,
          site_ids VARCHAR[] NOT NULL,
          description VARCHAR,
          address VARCHAR,
          updated_at TIMESTAMP NOT NULL DEFAULT current_timestamp
        )`);
      await tx.run(`
        CREATE TABLE issue_events (
          issue_id VARCHAR NOT NULL,
          seq INTEGER NOT NULL,
          type VARCHAR NOT NULL,
          occurred_at TIMESTAMP NOT NULL,
          actor VARCHAR NOT NULL,
          note VARCHAR
        )`);
      await tx.run(`CREATE SEQUENCE import_job_ids START 1`);
      await tx.run(`
        CREATE TABLE import_jobs (
          id INTEGER PRIMARY KEY DEFAULT nextval('import_job_ids'),
          kind VARCHAR NOT NULL,
          file VARCHAR NOT NULL,
          format VARCHAR,
          crs VARCHAR,
          status VARCHAR NOT NULL CHECK (status IN ('succeeded', 'rejected', 'failed')),
          actor VARCHAR NOT NULL,
          started_at TIMESTAMP NOT NULL,
          finished_at TIMESTAMP NOT NULL,
          features INTEGER NOT NULL,
          inserted INTEGER NOT NULL,
          updated INTEGER NOT NULL,
          error_count INTEGER NOT NULL,
          report VARCHAR NOT NULL
        )`);
      for (const t of SITE_TYPES) {
        await tx.run(
          `INSERT INTO site_types VALUES ($code, $name, $nameEn, $geometryKind, $bufferM, $sort)`,
          { code: t.code, name: t.name, nameEn: t.nameEn, geometryKind: t.geometryKind, bufferM: t.bufferM, sort: t.sort },
        );
      }
    },
  },
  {
    version: 2,
    name: 'plan change log and issue grid history',
    async up(tx) {
      // Every edit of a plan with the grids before and after it: the audit trail and the undo/redo
      // log in one. Undo and redo are rows too, so nothing is ever rewritten.
      await tx.run(`
        CREATE TABLE plan_changes (
          plan_id INTEGER NOT NULL,
          seq INTEGER NOT NULL,
          changed_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
          author VARCHAR NOT NULL,
          op VARCHAR NOT NULL,
          payload VARCHAR NOT NULL,
          before_grids VARCHAR NOT NULL,
          after_grids VARCHAR NOT NULL,
          PRIMARY KEY (plan_id, seq)
        )`);
      // The grid each issue had under a plan that has since been replaced; the current plan's
      // answer is on the issue itself. No key, like issues: bulk-written once per publish.
      await tx.run(`
        CREATE TABLE issue_grid_history (
          plan_id INTEGER NOT NULL,
          issue_id VARCHAR NOT NULL,
          grid_code VARCHAR
        )`);
    },
  },
  {
    version: 3,
    name: 'users, tokens and the audit log',
    async up(tx) {
      // One row per issued token: a person with two tokens has two rows. Only the SHA-256 of the
      // token is kept, so a copied database file does not hand out working credentials; the
      // prefix lets `user list` and the audit log name a token without revealing it.
      await tx.run(`CREATE SEQUENCE user_ids START 1`);
      await tx.run(`
        CREATE TABLE users (
          id INTEGER PRIMARY KEY DEFAULT nextval('user_ids'),
          name VARCHAR NOT NULL,
          role VARCHAR NOT NULL CHECK (role IN ('viewer', 'operator', 'planner', 'admin')),
          token_prefix VARCHAR NOT NULL,
          token_hash VARCHAR NOT NULL UNIQUE,
          created_at TIMESTAMP NOT NULL,
          created_by VARCHAR NOT NULL,
          expires_at TIMESTAMP,
          revoked_at TIMESTAMP,
          revoked_by VARCHAR
        )`);
      // Append-only record of every accepted write. No key, like issues: it only grows and is
      // read by time range. Plan edits link to plan_changes (plan_id, change_seq), which holds
      // the grids before and after, instead of copying geometry.
      await tx.run(`CREATE SEQUENCE audit_ids START 1`);
      await tx.run(`
        CREATE TABLE audit_log (
          id BIGINT NOT NULL DEFAULT nextval('audit_ids'),
          recorded_at TIMESTAMP NOT NULL,
          actor VARCHAR NOT NULL,
          user_id INTEGER,
          role VARCHAR,
          ip VARCHAR,
          method VARCHAR NOT NULL,
          path VARCHAR NOT NULL,
          action VARCHAR NOT NULL,
          target VARCHAR,
          status SMALLINT NOT NULL,
          duration_ms INTEGER NOT NULL,
          plan_id INTEGER,
          change_seq INTEGER,
          detail VARCHAR
        )`);
    },
  },
  {
    version: 4,
    name: 'evidence photos',
    async up(tx) {
      // One row per photo attached to an issue; the image itself is a file of the media store named
      // by its SHA-256, so a picture attached twice is stored once. EXIF facts are kept as read at
      // upload; flags are judged when read (another issue may attach the same picture later).
      // `seq` orders attachments as they were made: the first issue to hold a picture owns it.
      await tx.run(`CREATE SEQUENCE photo_seq START 1`);
      await tx.run(`
        CREATE TABLE photos (
          seq BIGINT NOT NULL DEFAULT nextval('photo_seq'),
          issue_id VARCHAR NOT NULL,
          hash VARCHAR NOT NULL,
          kind VARCHAR NOT NULL CHECK (kind IN ('before', 'after', 'other')),
          filename VARCHAR,
          mime VARCHAR NOT NULL,
          width INTEGER NOT NULL,
          height INTEGER NOT NULL,
          bytes BIGINT NOT NULL,
          has_exif BOOLEAN NOT NULL,
          taken_at TIMESTAMP,
          lon DOUBLE,
          lat DOUBLE,
          uploader VARCHAR NOT NULL,
          uploaded_at TIMESTAMP NOT NULL,
          PRIMARY KEY (issue_id, hash)
        )`);
      await tx.run('CREATE INDEX photos_hash ON photos (hash)');
    },
  },
  {
    version: 5,
    name: 'English category names and named event actors',
    async up(tx) {
      // An English name is optional: the English UI falls back to the Chinese name with its code.
      await tx.run(`ALTER TABLE categories ADD COLUMN name_en VARCHAR`);
      // Imported events name the person when the file does (reporter, dispatcher, closer, or the
      // grid's inspector); `imported` marks them for replacement on re-import, so `actor` no longer
      // doubles as that marker and is NULL when the file names nobody.
      await tx.run(`ALTER TABLE issue_events ALTER COLUMN actor DROP NOT NULL`);
      await tx.run(`ALTER TABLE issue_events ADD COLUMN imported BOOLEAN DEFAULT false`);
      await tx.run(`UPDATE issue_events SET imported = true, actor = NULL WHERE actor = 'import'`);
    },
  },
  {
    version: 6,
    name: 'reference layers',
    async up(tx) {
      // Roads, water and landmarks drawn under the data. A layer is replaced whole on import, so
      // rows are keyed by their position in the file. `rank` orders what a zoomed-out map keeps
      // (0 first); `vertices` lets a read bound its answer without parsing the geometry.
      await tx.run(`
        CREATE TABLE reference_features (
          layer VARCHAR NOT NULL CHECK (layer IN ('roads', 'water', 'poi')),
          seq INTEGER NOT NULL,
          name VARCHAR,
          class VARCHAR NOT NULL,
          rank SMALLINT NOT NULL,
          geometry VARCHAR NOT NULL,
          vertices INTEGER NOT NULL,
          xmin DOUBLE NOT NULL, ymin DOUBLE NOT NULL, xmax DOUBLE NOT NULL, ymax DOUBLE NOT NULL,
          PRIMARY KEY (layer, seq)
        )`);
    },
  },
  {
    version: 7,
    name: 'city regions',
    async up(tx) {
      // A city (市) above its districts. DuckDB cannot alter a CHECK constraint, so the table is
      // rebuilt with the wider one and its rows copied over.
      await tx.run(`
        CREATE TABLE regions_v7 (
          code VARCHAR PRIMARY KEY,
          name VARCHAR NOT NULL,
          level VARCHAR NOT NULL CHECK (level IN ('city', 'district', 'street', 'community')),
          parent VARCHAR,
          geometry VARCHAR NOT NULL,
          xmin DOUBLE NOT NULL, ymin DOUBLE NOT NULL, xmax DOUBLE NOT NULL, ymax DOUBLE NOT NULL,
          area_km2 DOUBLE NOT NULL,
          updated_at TIMESTAMP NOT NULL DEFAULT current_timestamp
        )`);
      await tx.run(`INSERT INTO regions_v7 SELECT code, name, level, parent, geometry, xmin, ymin, xmax, ymax, area_km2, updated_at FROM regions`);
      await tx.run(`DROP TABLE regions`);
      await tx.run(`ALTER TABLE regions_v7 RENAME TO regions`);
    },
  },
  {
    version: 8,
    name: 'departments',
    async up(tx) {
      // The units that receive dispatched cases (区直单位, 街道办, enterprises) and answer for them
      // beside the streets. An issue names its current department; a dispatch event names the
      // department it sent the case to, so a re-dispatch stays on the timeline.
      await tx.run(`
        CREATE TABLE departments (
          code VARCHAR PRIMARY KEY,
          name VARCHAR NOT NULL,
          short_name VARCHAR,
          kind VARCHAR NOT NULL CHECK (kind IN ('department', 'street-office', 'enterprise')),
          parent_level VARCHAR NOT NULL CHECK (parent_level IN ('city', 'district')),
          updated_at TIMESTAMP NOT NULL DEFAULT current_timestamp
        )`);
      await tx.run(`ALTER TABLE issues ADD COLUMN department VARCHAR`);
      await tx.run(`ALTER TABLE issue_events ADD COLUMN department VARCHAR`);
      await tx.run(`ALTER TABLE categories ADD COLUMN default_department VARCHAR`);
      // A site's accountable unit stays its text name; the department it names, when one does.
      await tx.run(`ALTER TABLE sites ADD COLUMN unit_department VARCHAR`);
    },
  },
  {
    version: 9,
    name: 'bulletin archive',
    async up(tx) {
      // One row per stored bulletin; its files live in the bulletin folder as <id>.<format>.
      // `seq` numbers a scope's bulletins within the period's year (2026年第11期).
      await tx.run(`
        CREATE TABLE bulletins (
          id INTEGER PRIMARY KEY,
          number VARCHAR NOT NULL,
          year INTEGER NOT NULL,
          seq INTEGER NOT NULL,
          scope VARCHAR NOT NULL,
          scope_name VARCHAR NOT NULL,
          period VARCHAR NOT NULL,
          period_label VARCHAR NOT NULL,
          author VARCHAR NOT NULL,
          created_at TIMESTAMP NOT NULL,
          data_version BIGINT NOT NULL,
          formats VARCHAR NOT NULL,
          hashes VARCHAR NOT NULL,
          UNIQUE (scope, year, seq)
        )`);
    },
  },
  {
    version: 10,
    name: 'grid plans per district',
    up: splitPlansByDistrict,
  },
];

/**
 * Each grid plan belongs to one district. In a one-district deployment every plan is that
 * district's. In a city each plan is split by the district of its grids (grid → community → street
 * → district): the district holding most of its grids keeps the plan's id, every other district gets
 * a copy of the plan row (status, name, times) holding its grids and its issues' grid history; a
 * draft's `based_on` follows to its district's part. A plan without grids goes to the first district.
 */
async function splitPlansByDistrict(tx: Session): Promise<void> {
  await tx.run(`ALTER TABLE grid_plans ADD COLUMN district VARCHAR`);
  const districts = (await tx.all<{ code: string }>(`SELECT code FROM regions WHERE level = 'district' ORDER BY code`)).map((r) => r.code);
  if (!districts.length) return;
  if (districts.length === 1) {
    await tx.run(`UPDATE grid_plans SET district = $d`, { d: districts[0] });
    return;
  }
  const plans = await tx.all<{ id: number; based_on: number | null }>(`SELECT id, based_on FROM grid_plans ORDER BY id`);
  /** `${old id}|${district}` → the plan holding that district's part. */
  const part = new Map<string, number>();
  const districtOf = new Map<number, string>();
  for (const p of plans) {
    const counts = await tx.all<{ district: string }>(
      `SELECT s.parent AS district FROM grids g JOIN regions c ON c.code = g.community JOIN regions s ON s.code = c.parent
       WHERE g.plan_id = $id AND s.parent IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1`, { id: p.id },
    );
    const [keeper = districts[0], ...others] = counts.map((r) => r.district);
    await tx.run(`UPDATE grid_plans SET district = $d WHERE id = $id`, { d: keeper, id: p.id });
    part.set(`${p.id}|${keeper}`, p.id);
    districtOf.set(p.id, keeper);
    for (const d of others) {
      const row = await tx.one<{ id: number }>(
        `INSERT INTO grid_plans (name, status, based_on, author, created_at, updated_at, published_at, archived_at, district)
         SELECT name, status, based_on, author, created_at, updated_at, published_at, archived_at, $d FROM grid_plans WHERE id = $id RETURNING id`,
        { d, id: p.id },
      );
      const q = { id: p.id, to: row!.id, scopeId: d };
      await tx.run(
        `INSERT INTO grids SELECT * REPLACE ($to AS plan_id) FROM grids WHERE plan_id = $id AND community IN ${regionCodesUnder('community', 'district')}`, q,
      );
      await tx.run(`DELETE FROM grids WHERE plan_id = $id AND community IN ${regionCodesUnder('community', 'district')}`, { id: p.id, scopeId: d });
      await tx.run(
        `UPDATE issue_grid_history SET plan_id = $to WHERE plan_id = $id
           AND issue_id IN (SELECT id FROM issues WHERE street IN ${regionCodesUnder('street', 'district')})`, q,
      );
      part.set(`${p.id}|${d}`, row!.id);
      districtOf.set(row!.id, d);
    }
  }
  for (const [id, d] of districtOf) {
    const base = plans.find((p) => p.id === id)?.based_on ?? (await tx.one<{ b: number | null }>(`SELECT based_on AS b FROM grid_plans WHERE id = $id`, { id }))?.b;
    const to = base == null ? undefined : part.get(`${base}|${d}`);
    if (to !== undefined && to !== base) await tx.run(`UPDATE grid_plans SET based_on = $to WHERE id = $id`, { to, id });
  }
}

/** The schema version this code migrates to: what backups record and restores require. */
export const SCHEMA_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));

/**
 * Applies every migration newer than the database (up to `upTo`, default all), each in its own
 * transaction. `upTo` lets a restore rebuild the schema a backup was taken with, load it, then
 * migrate the rest of the way.
 */
export async function migrate(db: Database, upTo = Number.POSITIVE_INFINITY): Promise<number[]> {
  await db.run(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)`);
  const done = new Set((await db.all<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => r.version));
  const applied: number[] = [];
  for (const m of MIGRATIONS) {
    if (done.has(m.version) || m.version > upTo) continue;
    await db.transaction(ALL_DATA, async (tx) => {
      await m.up(tx);
      await tx.run('INSERT INTO schema_migrations (version, name) VALUES ($v, $n)', { v: m.version, n: m.name });
    });
    // DuckDB (1.5.x) cannot replay from its WAL an ALTER TABLE on a table with a function default
    // (current_timestamp, nextval): reopening after a crash fails with an internal error. Writing the
    // migration into the file at once keeps such statements out of the WAL.
    await db.run('CHECKPOINT');
    applied.push(m.version);
  }
  return applied;
}
