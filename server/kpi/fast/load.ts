/**
 * SQL glue of the KPI engine: reads issue rows from DuckDB into {@link IssueColumns}, all of them
 * (a full load) or those appended or updated since the last read (a sync). Text columns become
 * dictionary codes inside DuckDB, and results travel as typed vectors, never as JS row objects:
 * 10 M issues load in seconds instead of minutes.
 */
import { LIST, listValue, VARCHAR, type DuckDBConnection, type DuckDBDataChunk, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
import { ISSUE_SOURCES, ISSUE_STATUSES } from '../../domain/vocabulary.ts';
import { DEPARTMENT_EVENTS, factBitsSql, measureSecondsSql } from '../rules-sql.ts';
import { COORD_SCALE, Dictionary, IssueColumns, loadMargin, OutOfStep, type Dictionaries, type RowBatch } from './columns.ts';
import { movesBatch, movesOf, type MoveRows } from './departments.ts';

/**
 * Where a read resumes: rows after `maxRowid`, and rows updated since `clock` (DuckDB's own now())
 * minus `marginMs`. Rows changed by a write that began before that read and committed after it
 * carry the write's start as `updated_at`, before the read's clock: the margin reaches back to the
 * oldest write running when the read began (re-applying a row is harmless). A fixed 10 s margin
 * made every catch-up in the 10 s after a bulk import re-read every issue it had stamped.
 */
export type SyncMark = { clock: string; marginMs: number };

/** Clock steps between JS and DuckDB, and a write's own start before its BEGIN. */
const MARGIN_SAFETY_MS = 1_000;

/** The mark of a read whose clock was just taken; `since`: the earlier of its call and the oldest write running then (epoch ms). */
const markOf = (clock: string, since: number): SyncMark => ({ clock, marginMs: Math.max(0, Date.now() - since) + MARGIN_SAFETY_MS });

const CODED = ['status', 'source', 'category', 'grid', 'community', 'street', 'department'] as const;
const COLUMN_OF: Record<(typeof CODED)[number], string> = {
  status: 'status', source: 'source', category: 'category', grid: 'grid_code', community: 'community', street: 'street', department: 'department',
};

/** Every value a coded column can hold: the reference tables' and whatever the issues hold. */
async function loadDictionaries(conn: DuckDBConnection): Promise<Dictionaries> {
  const distinct = async (sql: string) => (await conn.runAndReadAll(sql)).getRows().map((r) => String(r[0]));
  const union = (reference: string, column: string) =>
    distinct(`SELECT v FROM (${reference} UNION SELECT ${column} FROM issues) t(v) WHERE v IS NOT NULL ORDER BY v`);
  return {
    status: new Dictionary([...Object.keys(ISSUE_STATUSES), ...(await distinct('SELECT DISTINCT status FROM issues ORDER BY 1'))]),
    source: new Dictionary([...Object.keys(ISSUE_SOURCES), ...(await distinct('SELECT DISTINCT source FROM issues ORDER BY 1'))]),
    category: new Dictionary(await union('SELECT code FROM categories', 'category')),
    grid: new Dictionary(await union('SELECT code FROM grids', 'grid_code')),
    community: new Dictionary(await union(`SELECT code FROM regions WHERE level = 'community'`, 'community')),
    street: new Dictionary(await union(`SELECT code FROM regions WHERE level = 'street'`, 'street')),
    site: new Dictionary(await union('SELECT id FROM sites', 'unnest(site_ids)')),
    department: new Dictionary(await union('SELECT code FROM departments', 'department')),
  };
}

/** Joins a dictionary's values into one text parameter (split again in SQL): see {@link dictParams}. */
const SEPARATOR = '\x1f';

/** `(v, k)` rows of a dictionary as a subquery over its text parameter (NULL: no values, no rows). */
const dictTable = (name: string) =>
  `(SELECT unnest(l) AS v, unnest(range(len(l))) AS k FROM (SELECT string_split($${name}::VARCHAR, chr(31)) AS l))`;

/** A dictionary as one text: binding a list binds every value on its own (11 k of them per catch-up, 5 % of the main thread under load). */
function dictText(values: readonly string[]): string | null {
  if (values.some((v) => v.includes(SEPARATOR))) throw new Error('a coded value holds a control character');
  return values.length ? values.join(SEPARATOR) : null;
}

/** The dictionaries the row query joins (`sites: false`) or the one the site query joins. */
function dictParams(dict: Dictionaries, sites: boolean): Record<string, DuckDBValue> {
  if (sites) return { d_site: dictText(dict.site.values) };
  return Object.fromEntries(CODED.map((name) => [`d_${name}`, dictText(dict[name].values)]));
}

/** Dictionary texts are typed explicitly: an empty one (a database without issues yet) is a NULL with no type to infer. */
const typesOf = (params: Record<string, DuckDBValue>): Record<string, DuckDBType> =>
  Object.fromEntries(Object.keys(params).filter((k) => k.startsWith('d_')).map((k) => [k, VARCHAR]));

const itemsOf = <T>(chunk: DuckDBDataChunk, column: number) => (chunk.getColumnVector(column) as unknown as { items: T }).items;

/** Streams the selected rows to `onBatch`, chunk by chunk. Throws OutOfStep on a value no dictionary knows. */
async function readRows(conn: DuckDBConnection, where: string, params: Record<string, DuckDBValue>, onBatch: (batch: RowBatch) => void): Promise<void> {
  const code = (name: (typeof CODED)[number]) => `coalesce(d_${name}.k, -1)::INTEGER`;
  const joins = CODED.map((name) => `LEFT JOIN ${dictTable(`d_${name}`)} d_${name} ON d_${name}.v = i.${COLUMN_OF[name]}`).join('\n');
  const unknown = CODED.map((name) => `(i.${COLUMN_OF[name]} IS NOT NULL AND d_${name}.k IS NULL)`).join(' OR ');
  const result = await conn.stream(
    `SELECT i.rowid::DOUBLE, (hash(i.id) % 32767)::SMALLINT,
            epoch_ms(i.reported_at)::DOUBLE, coalesce(epoch_ms(i.deadline)::DOUBLE, 'NaN'::DOUBLE),
            coalesce(${measureSecondsSql('hours')}::DOUBLE, 'NaN'::DOUBLE),
            -- Whole ms, rounded down: closed_at <= t holds exactly when it does for an instant t in ms.
            coalesce(epoch_ms(i.closed_at)::DOUBLE, 'NaN'::DOUBLE),
            ${CODED.map(code).join(', ')},
            ${factBitsSql()}::INTEGER,
            (CASE WHEN ${unknown} THEN 1 ELSE 0 END)::INTEGER,
            round(i.lon * ${COORD_SCALE})::INTEGER, round(i.lat * ${COORD_SCALE})::INTEGER
     FROM issues i ${joins}
     WHERE ${where}`,
    params,
    typesOf(params),
  );
  for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
    if (itemsOf<Int32Array>(chunk, 14).some((u) => u !== 0)) throw new OutOfStep('an issue holds a value no dictionary knows');
    onBatch({
      length: chunk.rowCount,
      rowid: itemsOf(chunk, 0), idHash: itemsOf(chunk, 1), reported: itemsOf(chunk, 2), deadline: itemsOf(chunk, 3), hours: itemsOf(chunk, 4),
      closed: itemsOf(chunk, 5), status: itemsOf(chunk, 6), source: itemsOf(chunk, 7), category: itemsOf(chunk, 8), grid: itemsOf(chunk, 9),
      community: itemsOf(chunk, 10), street: itemsOf(chunk, 11), department: itemsOf(chunk, 12), flags: itemsOf(chunk, 13),
      lon: itemsOf(chunk, 15), lat: itemsOf(chunk, 16),
    });
  }
}

/** Streams (rowid, site code) pairs of the selected rows to `onPairs`, each rowid's pairs in one call. */
async function readSites(
  conn: DuckDBConnection, where: string, params: Record<string, DuckDBValue>, onPairs: (rowids: Float64Array, codes: Int32Array) => void,
): Promise<void> {
  const result = await conn.stream(
    `SELECT x.rid::DOUBLE, coalesce(d.k, -1)::INTEGER
     FROM (SELECT i.rowid AS rid, unnest(i.site_ids) AS s FROM issues i WHERE ${where} AND len(i.site_ids) > 0) x
     LEFT JOIN ${dictTable('d_site')} d ON d.v = x.s ORDER BY x.rid`,
    params,
    typesOf(params),
  );
  // Pairs of one rowid may straddle chunks: hold back the last rowid's run until the next chunk.
  let rids: number[] = [];
  let codes: number[] = [];
  const flush = (holdLast: boolean) => {
    let n = rids.length;
    if (holdLast) while (n > 0 && rids[n - 1] === rids[rids.length - 1]) n--;
    if (n === 0) return;
    if (codes.slice(0, n).some((k) => k < 0)) throw new OutOfStep('an issue lies in a site no dictionary knows');
    onPairs(Float64Array.from(rids.slice(0, n)), Int32Array.from(codes.slice(0, n)));
    rids = rids.slice(n);
    codes = codes.slice(n);
  };
  for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
    const r = itemsOf<Float64Array>(chunk, 0);
    const k = itemsOf<Int32Array>(chunk, 1);
    for (let i = 0; i < chunk.rowCount; i++) {
      rids.push(r[i]);
      codes.push(k[i]);
    }
    if (rids.length > 65_536) flush(true);
  }
  flush(false);
}

/** Reads the department changes of the issues that moved (call inside the read that fills or catches up the columns). */
async function readDepartmentMoves(conn: DuckDBConnection, departments: readonly string[]): Promise<MoveRows> {
  const result = await conn.runAndReadAll(
    `SELECT i.rowid::DOUBLE, epoch_ms(m.occurred_at)::DOUBLE, coalesce(d.k, -1)::INTEGER
     FROM (${DEPARTMENT_EVENTS}) m JOIN issues i ON i.id = m.issue_id
     LEFT JOIN (SELECT unnest($d::VARCHAR[]) AS v, unnest(range(len($d::VARCHAR[]))) AS k) d ON d.v = m.department
     ORDER BY i.rowid, m.occurred_at, m.seq`,
    { d: listValue([...departments]) },
    { d: LIST(VARCHAR) },
  );
  return result.getRows() as MoveRows;
}

async function clockOf(conn: DuckDBConnection): Promise<string> {
  return String((await conn.runAndReadAll('SELECT now()::TIMESTAMP::VARCHAR')).getRows()[0][0]);
}

const countIssues = async (conn: DuckDBConnection) => Number((await conn.runAndReadAll('SELECT count(*) FROM issues')).getRows()[0][0]);

/**
 * Every issue, in table order. Issues arrive roughly in report order (imports of exports, live
 * reports), so a period's rows sit in few blocks without sorting; an ORDER BY here would make
 * DuckDB hold the whole table while sorting it (+0.6 GB at 10 M issues). Call inside a read
 * transaction; `stopped` aborts it between chunks.
 */
export async function loadAll(conn: DuckDBConnection, since: number, stopped: () => boolean = () => false): Promise<{ cols: IssueColumns; mark: SyncMark }> {
  const clock = await clockOf(conn);
  const mark = markOf(clock, since);
  const dict = await loadDictionaries(conn);
  const cols = new IssueColumns(dict);
  const [rows, maxRowid] = (await conn.runAndReadAll('SELECT count(*)::DOUBLE, coalesce(max(rowid), -1)::DOUBLE FROM issues')).getRows()[0].map(Number);
  cols.reserve(rows + loadMargin(rows));
  const stream = (onBatch: (batch: RowBatch) => void) => readRows(conn, 'true', dictParams(dict, false), (batch) => {
    // A server shutting down must not wait seconds for a copy it will never use.
    if (stopped()) throw new Error('the KPI engine was closed');
    onBatch(batch);
  });
  // No row deleted: each row to the slot of its rowid. Else in the order read, with a rowid table.
  if (maxRowid === rows - 1) await cols.loadInRowidOrder(rows, stream);
  else await stream((batch) => cols.apply(batch));
  await readSites(conn, 'true', dictParams(dict, true), (rowids, codes) => cols.applySites(rowids, codes, rowids.length));
  cols.moves = movesOf(await readDepartmentMoves(conn, dict.department.values), cols);
  return { cols, mark };
}

/** A chunk's typed arrays are views of memory DuckDB frees with the chunk: copy what is kept past it. */
const copyBatch = (b: RowBatch): RowBatch =>
  Object.fromEntries(Object.entries(b).map(([k, v]) => [k, typeof v === 'number' ? v : v.slice(0, b.length)])) as RowBatch;

/**
 * Applies what changed since `mark`: appended rows and rows updated since (with a margin). Reads
 * first and applies after, in one synchronous step, so no count ever sees half a change. Throws
 * OutOfStep when the table no longer matches what is held (rows deleted, an id moved, a new code
 * value): the caller loads everything again. Call inside a read transaction. `applyStep` runs the
 * (synchronous) apply step when the caller allows it: once no worker counts the columns.
 */
export async function syncChanges(
  conn: DuckDBConnection, cols: IssueColumns, mark: SyncMark, since: number, applyStep: (step: () => void) => Promise<void> = async (step) => step(),
): Promise<{ mark: SyncMark; rows: number }> {
  const clock = await clockOf(conn);
  const next = markOf(clock, since);
  // Appended rows, then held rows updated since: two reads, as one filter ORing the two scanned
  // every row group (0.5–3 s at 10 M issues, and it filled DuckDB's cache with the table), where
  // each alone skips the row groups whose rowids or updated_at bounds rule them out.
  const reads: [string, Record<string, DuckDBValue>][] = [
    ['i.rowid > $maxRowid', { maxRowid: cols.maxRowid }],
    ['i.rowid <= $maxRowid AND i.updated_at > $since::TIMESTAMP - to_milliseconds($marginMs::BIGINT)', { maxRowid: cols.maxRowid, since: mark.clock, marginMs: mark.marginMs }],
  ];
  const batches: RowBatch[] = [];
  const sites = new Map<number, Int32Array>();
  for (const [where, after] of reads) {
    const read = batches.length;
    await readRows(conn, where, { ...dictParams(cols.dict, false), ...after }, (batch) => batches.push(copyBatch(batch)));
    if (batches.length === read) continue;
    await readSites(conn, where, { ...dictParams(cols.dict, true), ...after }, (rowids, codes) => {
      for (let i = 0; i < rowids.length; ) {
        let j = i;
        while (j < rowids.length && rowids[j] === rowids[i]) j++;
        sites.set(rowids[i], codes.slice(i, j));
        i = j;
      }
    });
  }
  const total = await countIssues(conn);
  const moves = batches.some((b) => movesBatch(cols, b)) ? await readDepartmentMoves(conn, cols.dict.department.values) : null;
  const none = new Int32Array(0);
  await applyStep(() => {
    for (const batch of batches) {
      cols.apply(batch);
      // A row read here has its whole current site list in `sites`, or none.
      for (let i = 0; i < batch.length; i++) cols.setSitesOf(batch.rowid[i], sites.get(batch.rowid[i]) ?? none);
    }
    // In the same step as the rows: a count as of an instant never sees a re-dispatch's row without its change.
    if (moves) cols.moves = movesOf(moves, cols);
    if (total !== cols.length) throw new OutOfStep(`the table holds ${total} issues, the engine ${cols.length}`);
  });
  return { mark: next, rows: batches.reduce((n, b) => n + b.length, 0) };
}
