import type { Session } from '../../db/database.ts';
import type { DeploymentArea } from '../../spatial/deployment-area.ts';
import { prepareGeometry, type GeometryOutcome, type GeometryStepOptions } from '../geometry-step.ts';
import type { IssueBulkRules, IssueLookupField } from '../kinds/issues.ts';
import { propertyCandidates, type PropertyAliases } from '../properties.ts';
import type { RawFeature } from '../readers/types.ts';
import { StagingTable, type StagingColumn } from '../staging.ts';
import { PointKeys } from '../assignment.ts';
import { RowFunctions } from './functions.ts';
import { readCsvTable, readNdjsonTable, type RawTable } from './read.ts';
import { fastTimestamp, needsRecordPath, plainPointOkSql } from './sql.ts';
import { transcodeToUtf8 } from './transcode.ts';
import { timed as step } from '../timing.ts';

/** A file the bulk path may read: a CSV (UTF-8 or GBK) or newline-delimited GeoJSON of issues. */
export type BulkSource = { path: string; format: 'csv' | 'ndjson'; encoding?: 'utf8' | 'gbk'; lonField?: string; latField?: string };

/** What the bulk path needs of the running import. */
export type BulkContext = {
  rules: IssueBulkRules;
  aliases: PropertyAliases;
  map: Record<string, string>;
  step: GeometryStepOptions;
  area: DeploymentArea | null;
  staging: StagingTable;
  /** The record path for one feature: its problems are reported and a clean row is staged. */
  consume: (raw: RawFeature, outcome: GeometryOutcome) => void;
  /** Rows checked at a time (default {@link BULK_CHUNK_ROWS}). */
  chunkRows?: number;
};

/**
 * Features read; of the rows staged in bulk, how many were placed and whether any lies in the
 * area (`inside` 1, else 0: a file is refused only when none of its points does).
 */
export type BulkResult = { features: number; placed: number; inside: number };

/** Rows fetched at a time for the record path: small enough that checking one batch keeps the event loop free (HTTP imports). */
const RECORD_BATCH = 500;

/** Time fields of an issue file and the staging columns of their epoch ms. */
const TIMES = [['reported_at', 'reported_ms'], ['opened_at', 'opened_ms'], ['dispatched_at', 'dispatched_ms'], ['deadline', 'deadline_ms'], ['closed_at', 'closed_ms']] as const;
/** The staging column of each time the rules name. */
const TIME_COLUMNS = { reportedAt: 'reported_ms', openedAt: 'opened_ms', dispatchedAt: 'dispatched_ms', closedAt: 'closed_ms', deadline: 'deadline_ms' } as const;
/** Fields with few distinct values, checked once per value; the staging column type of each. */
const LOOKUPS: [IssueLookupField, string][] = [
  ['category', 'VARCHAR'], ['source', 'VARCHAR'], ['status', 'VARCHAR'], ['immediate', 'BOOLEAN'], ['rework_count', 'INTEGER'], ['department', 'VARCHAR'],
];
/** Text fields stored as given, after the coordinates and placement in staging's column order. */
const TEXTS = ['description', 'address', 'reporter', 'dispatcher', 'closer'];
/** Stands for "no value" in lookup keys: a value holding a control character never takes the bulk path. */
const NONE = '\u0000';

let tableSerial = 0;

/**
 * Rows of a file the bulk path checks at a time: DuckDB's operators then hold one range, not the
 * file, so under the import memory limit (Database.duringImport) a big file's tables spill to disk
 * instead of the import running out of memory (an unranged 2 M-row CSV did at 400 MB).
 */
export const BULK_CHUNK_ROWS = 500_000;

/** Inclusive row ranges `[lo, hi]` covering `0 … n - 1`, `size` rows each but the last. */
export function rowRanges(n: number, size: number): [number, number][] {
  const out: [number, number][] = [];
  for (let lo = 0; lo < n; lo += size) out.push([lo, Math.min(n, lo + size) - 1]);
  return out;
}

/**
 * Stages an issues file at the engine's speed: DuckDB reads it into a temp table, the
 * rules run over whole columns — few-valued fields once per distinct value, times, deadlines,
 * geometry checks and point-in-polygon per vector inside DuckDB ({@link RowFunctions},
 * {@link PointKeys}) — and the clean rows go to staging, one range of rows ({@link BULK_CHUNK_ROWS})
 * at a time, so no step holds more of the file than one range beside the tables. A row the bulk rules do
 * not pass entirely (a problem, or a form only the record path reads, such as `2024/3/1 9:00`)
 * goes through the record path (`consume`) in file order, so problems and their wording are the
 * record path's. Null when the file is one for the record path as a whole (see the readers);
 * nothing has been staged then.
 */
export async function stageInBulk(session: Session, source: BulkSource, c: BulkContext): Promise<BulkResult | null> {
  const copy = source.format === 'csv' && source.encoding === 'gbk' ? await transcodeToUtf8(source.path) : null;
  const n = ++tableSerial;
  const target = { session, table: `bulk_raw_${n}`, candidates: propertyCandidates(c.aliases, c.map), idProperty: 'id' };
  const vals = `bulk_values_${n}`;
  const bad = `bulk_records_${n}`;
  const made: Lookup[] = [];
  let fns: RowFunctions | null = null;
  let keys: PointKeys | null = null;
  try {
    const raw = await step('read', () => (source.format === 'csv'
      ? readCsvTable(target, copy?.path ?? source.path, source)
      : readNdjsonTable(target, source.path)));
    if (!raw) return null;
    const features = (await session.one<{ n: number }>(`SELECT count(*) AS n FROM ${raw.table}`))!.n;
    const placeFns = new PointKeys(session, c.rules.assigner());
    keys = placeFns;
    const lookups = LOOKUPS.map(([field]) => new Lookup(session, field, c.rules, `bulk_lookup_${n}_${field}`));
    made.push(...lookups);
    for (const l of lookups) await l.create();
    const known = Object.fromEntries(lookups.map((l) => [l.field, l.values])) as Record<IssueLookupField, string[]>;
    const rowFns = new RowFunctions(session, c.rules, c.area, known.category);
    fns = rowFns;
    const valuesSql = `CREATE OR REPLACE TEMP TABLE ${vals} AS
       SELECT *, ${TIMES.map(([f, ms]) => `${fastTimestamp(`"${f}"`)} AS ${ms}`).join(', ')},
         CASE WHEN NOT odd THEN ${placeFns.place}(lon, lat) END AS pk, CASE WHEN NOT odd THEN ${placeFns.sites}(lon, lat) END AS sk
       FROM (SELECT _idx, ${Object.entries(raw.values).map(([k, v]) => `${v} AS "${k}"`).join(', ')},
         coalesce(${raw.odd}, true) AS odd, ${raw.lon} AS lon, ${raw.lat} AS lat
         FROM (SELECT rowid AS _idx, *${Object.entries(raw.derived).map(([k, v]) => `, ${v} AS ${k}`).join('')} FROM ${raw.table} WHERE rowid BETWEEN $lo AND $hi))`;
    const texts = Object.keys(raw.values).map((k) => `v."${k}"`);
    // After these, every value is its own trimmed text.
    const plain = [
      'NOT v.odd', `v.id <> ''`, `NOT ${needsRecordPath(texts)}`,
      ...LOOKUPS.map(([f]) => `${f}.ok`),
      'v.reported_at IS NOT NULL', ...TIMES.map(([f, ms]) => `(v.${f} IS NULL OR v.${ms} IS NOT NULL)`),
      c.rules.timesSql((f) => `v.${TIME_COLUMNS[f]}`, 'status.v', 'v.closed_at IS NOT NULL'),
      plainPointOkSql('v.lon', 'v.lat'),
    ];
    const joins = lookups.map((l) => `JOIN ${l.name} ${l.field} ON ${l.field}.raw = coalesce(v."${l.field}", chr(0))`).join('\n');
    const toStaging = (places: string, sets: string) => `INSERT INTO ${c.staging.name} (_idx, id, client_id, category, source, status, immediate, rework_count,
       reported_ms, opened_ms, dispatched_ms, deadline_ms, closed_ms, lon, lat, grid_code, community, street, outside_grid, site_ids,
       description, address, reporter, dispatcher, closer, department)
     SELECT v._idx, v.id, v.client_id, category.v, source.v, status.v, immediate.v::BOOLEAN, rework_count.v::INTEGER,
       v.reported_ms, v.opened_ms, v.dispatched_ms, coalesce(v.deadline_ms, ${rowFns.deadline}(v.reported_ms, v.dispatched_ms, v.deadline_ms, category.k)), v.closed_ms,
       v.lon, v.lat, p.grid_code, p.community, p.street, p.outside_grid, z.site_ids,
       ${TEXTS.map((f) => `v.${f}`).join(', ')}, coalesce(department.v, category.dept)
     FROM ${vals} v ${joins}
     JOIN ${places} p ON p.pk = v.pk JOIN ${sets} z ON z.sk = v.sk
     WHERE ${plain.join(' AND ')}`;
    // Range by range: the values of one range, the verdicts on its new few-valued values, its checked
    // rows to staging and, only where some row did not pass, the rest of the range for the record path.
    await session.run(`CREATE OR REPLACE TEMP TABLE ${bad} AS SELECT rowid AS _idx, ${raw.columns.join(', ')} FROM ${raw.table} LIMIT 0`);
    const leftOver = `INSERT INTO ${bad} SELECT rowid, ${raw.columns.join(', ')} FROM ${raw.table}
       WHERE rowid BETWEEN $lo AND $hi AND rowid NOT IN (SELECT _idx FROM ${c.staging.name} WHERE _idx BETWEEN $lo AND $hi)`;
    let inserted = 0;
    for (const [lo, hi] of rowRanges(features, c.chunkRows ?? BULK_CHUNK_ROWS)) {
      await step('values', () => session.run(valuesSql, { lo, hi }));
      await step('lookups', async () => {
        for (const l of lookups) await l.add(vals);
      });
      const { places, sets } = await placeFns.lookups();
      const passed = await step('checked rows to staging', () => session.run(toStaging(places, sets), { latest: c.rules.latest() }));
      inserted += passed;
      if (passed < hi - lo + 1) await step('rows left to the record path', () => session.run(leftOver, { lo, hi }));
    }
    c.staging.countInserted(inserted);
    let placed = 0;
    let inside = 0;
    if (c.area && inserted > 0) {
      // Only whether any point lies in the area matters (a file wholly outside is refused): the
      // scan stops at the first vector holding one.
      placed = inserted;
      const any = await step('in area', () => session.one<{ n: number }>(
        `SELECT count(*) AS n FROM (SELECT 1 FROM ${c.staging.name} WHERE ${rowFns.inArea}(lon, lat) LIMIT 1)`,
      ));
      inside = any!.n;
    }
    // The rest, in file order, through the record path; the raw table goes first.
    await dropTables(session, vals, raw.table);
    await step('record path', () => recordPath(session, bad, raw, c));
    return { features, placed, inside };
  } finally {
    fns?.dispose();
    await keys?.dispose();
    for (const l of made) await l.drop();
    await dropTables(session, vals, target.table, bad);
    await copy?.remove();
  }
}

/** The columns of a lookup table (see {@link Lookup}). */
const LOOKUP_COLUMNS: readonly StagingColumn[] = [['raw', 'VARCHAR'], ['ok', 'BOOLEAN'], ['v', 'VARCHAR'], ['k', 'INTEGER'], ['dept', 'VARCHAR']];

/**
 * The verdict of the record rules on each distinct value of one field, in a temp table: `raw`
 * (NONE for empty), whether a record holding it passes, the value stored, `k` its position in
 * `values` (what the row functions get), and for categories the default department. It grows
 * range by range with the values not seen before.
 */
class Lookup {
  /** The stored value of each verdict, by `k`. */
  readonly values: string[] = [];
  private readonly seen = new Set<string>();

  constructor(private readonly session: Session, readonly field: IssueLookupField, private readonly rules: IssueBulkRules, readonly name: string) {}

  async create(): Promise<void> {
    await this.session.run(`CREATE OR REPLACE TEMP TABLE ${this.name} (${LOOKUP_COLUMNS.map(([c, type]) => `${c} ${type}`).join(', ')})`);
  }

  /** Adds the verdicts on the values of `vals` (the rows the bulk rules may pass) not judged yet. */
  async add(vals: string): Promise<void> {
    const { field, rules } = this;
    const distinct = await this.session.all<{ v: string | null }>(`SELECT DISTINCT "${field}" AS v FROM ${vals} WHERE NOT odd`);
    const fresh = distinct.map(({ v }) => v ?? NONE).filter((raw) => !this.seen.has(raw));
    if (fresh.length === 0) return;
    const batch = await StagingTable.create(this.session.conn, `${this.name}_new`, LOOKUP_COLUMNS);
    try {
      for (const raw of fresh) {
        this.seen.add(raw);
        let ok = true;
        const value = rules.fields[field](raw === NONE ? undefined : raw, () => (ok = false));
        const stored = value === undefined || value === null ? null : typeof value === 'object' ? value.code : String(value);
        const k = this.values.push(stored ?? '') - 1;
        batch.append(0, [raw, ok, stored, k, field === 'category' && ok && stored !== null ? rules.categoryDepartment(stored) : null]);
      }
      batch.finish();
      await this.session.run(`INSERT INTO ${this.name} SELECT ${LOOKUP_COLUMNS.map(([c]) => c).join(', ')} FROM ${batch.name}`);
    } finally {
      await batch.drop();
    }
  }

  async drop(): Promise<void> {
    await this.session.run(`DROP TABLE IF EXISTS temp.${this.name}`);
  }
}

/** Feeds the rows the bulk rules left to the record path, in file order, batch by batch. */
async function recordPath(session: Session, bad: string, raw: RawTable, c: BulkContext): Promise<void> {
  let after = -1;
  for (;;) {
    const reader = await session.conn.runAndReadAll(
      `SELECT * FROM ${bad} WHERE _idx > $after ORDER BY _idx LIMIT ${RECORD_BATCH}`, { after },
    );
    const rows = reader.getRowsJS();
    if (rows.length === 0) return;
    for (const [idx, ...values] of rows) {
      const feature = raw.rebuild(values, Number(idx));
      c.consume(feature, prepareGeometry(feature.geometry, c.step));
    }
    after = Number(rows.at(-1)![0]);
  }
}

async function dropTables(session: Session, ...names: string[]): Promise<void> {
  for (const name of names) await session.run(`DROP TABLE IF EXISTS temp.${name}`);
}
