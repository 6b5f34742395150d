import type { Session } from '../../db/database.ts';
import { normalisePropertyName } from '../properties.ts';
import { csvPoint, DECIMAL, readCsvHeader } from '../readers/csv.ts';
import { asId, toRawFeature, type RawFeature } from '../readers/types.ts';
import { strictCsvQuoting } from './quoting.ts';
import { sqlText } from './sql.ts';

/**
 * A file read by DuckDB into a temp table, in file order (`rowid` is the feature index), with
 * SQL expressions over that table for what the record path's reader and property picker make of
 * each row.
 */
export type RawTable = {
  table: string;
  /** Columns computed once per row before the expressions below, which may name them (name → SQL over the table's columns). */
  derived: Record<string, string>;
  /** Per canonical property: the picked value as text, untrimmed, NULL when the record leaves it empty (see `needsRecordPath`). */
  values: Record<string, string>;
  /** True for a row only the record path can judge (a property that is not text, an unusual geometry); may be NULL, meaning true. */
  odd: string;
  /** Longitude and latitude as DOUBLE, for rows that are not odd. */
  lon: string;
  lat: string;
  /** The columns {@link rebuild} needs, to select for the rows left to the record path. */
  columns: string[];
  /** The feature the record path's reader would have made of the row (values in {@link columns} order). */
  rebuild(row: readonly unknown[], index: number): RawFeature;
};

/** Where a file's columns or keys are read into the bulk path's tables. */
export type ReadTarget = { session: Session; table: string; candidates: Map<string, string[]>; idProperty: string };

/**
 * A header-row CSV file (UTF-8) through DuckDB's `read_csv` with every column VARCHAR, only the
 * columns some property may come from kept. Null when the file is one for the record path to
 * read and report: a header problem, no coordinate columns, loose quoting, ragged rows, mixed
 * line ends, invalid UTF-8.
 */
export async function readCsvTable(t: ReadTarget, path: string, opts: { lonField?: string; latField?: string }): Promise<RawTable | null> {
  const head = await readCsvHeader(path, opts).catch(() => null);
  if (!head || head.lonAt < 0 || !(await strictCsvQuoting(path))) return null;
  const { header, lonAt, latAt } = head;
  const byName = header.map(normalisePropertyName);
  const col = (i: number) => `c${i}`;
  const values: Record<string, string> = {};
  const used = new Set<number>([lonAt, latAt]);
  for (const [target, names] of t.candidates) {
    // Candidate order, then header order among columns of one normalised name: the picker's order.
    const at = names.flatMap((n) => byName.flatMap((b, i) => (b === n && i !== lonAt && i !== latAt ? [i] : [])));
    at.forEach((i) => used.add(i));
    // Untrimmed: a value with whitespace at its ends is left to the record path (needsRecordPath).
    values[target] = at.length ? `coalesce(${at.map((i) => `nullif(${col(i)}, '')`).join(', ')})` : 'NULL::VARCHAR';
  }
  const columns = [...used].sort((a, b) => a - b);
  const spec = `{${header.map((_, i) => `'${col(i)}': 'VARCHAR'`).join(', ')}}`;
  try {
    await t.session.run(
      `CREATE OR REPLACE TEMP TABLE ${t.table} AS SELECT ${columns.map(col).join(', ')}
       FROM read_csv($path, header = true, columns = ${spec}, auto_detect = false, delim = ',', quote = '"', escape = '"', strict_mode = true)`,
      { path },
    );
  } catch {
    return null;
  }
  return {
    table: t.table,
    derived: {},
    values,
    odd: `NOT (regexp_full_match(${col(lonAt)}, ${sqlText(DECIMAL.source)}) AND regexp_full_match(${col(latAt)}, ${sqlText(DECIMAL.source)}))`,
    lon: `TRY_CAST(${col(lonAt)} AS DOUBLE)`,
    lat: `TRY_CAST(${col(latAt)} AS DOUBLE)`,
    columns: columns.map(col),
    rebuild(row, index) {
      const properties: Record<string, unknown> = {};
      let lon = '';
      let lat = '';
      columns.forEach((i, k) => {
        const v = typeof row[k] === 'string' ? (row[k] as string) : '';
        if (i === lonAt) lon = v;
        else if (i === latAt) lat = v;
        else if (v.trim() !== '') properties[header[i]!] = v.trim();
      });
      return { index, id: asId(properties.id), geometry: csvPoint(lon, lat), properties };
    },
  };
}

/** JSON types DuckDB reports for a number. */
const JSON_NUMBER = `('DOUBLE', 'BIGINT', 'UBIGINT')`;

/**
 * A newline-delimited GeoJSON file through DuckDB's `read_json`, each Feature's `properties`
 * kept as JSON. Null when the record path must read it: invalid JSON, a line that is not a
 * Feature, properties that are not an object, a property name the picker could read two ways.
 */
export async function readNdjsonTable(t: ReadTarget, path: string): Promise<RawTable | null> {
  const { session, table } = t;
  try {
    await session.run(
      `CREATE OR REPLACE TEMP TABLE ${table} AS SELECT type, id, properties, geometry
       FROM read_json($path, format = 'newline_delimited', columns = {type: 'VARCHAR', id: 'JSON', properties: 'JSON', geometry: 'JSON'})`,
      { path },
    );
  } catch {
    return null;
  }
  const notFeatures = await session.one<{ n: number }>(
    `SELECT count(*) AS n FROM ${table} WHERE type IS DISTINCT FROM 'Feature' OR (properties IS NOT NULL AND json_type(properties) NOT IN ('OBJECT', 'NULL'))`,
  );
  if (notFeatures!.n > 0) return null;
  const keyLists = await session.all<{ k: string[] }>(`SELECT DISTINCT json_keys(properties) AS k FROM ${table} WHERE json_type(properties) = 'OBJECT'`);
  const keys = [...new Set(keyLists.flatMap((r) => r.k))];
  const byName = new Map<string, string>();
  for (const key of keys) {
    const name = normalisePropertyName(key);
    // Two keys one name apart: which one the picker sees depends on each object's key order.
    if (byName.has(name) || /["\\\u0000-\u001f]/.test(key)) return null;
    byName.set(name, key);
  }
  const values: Record<string, string> = {};
  const odd: string[] = [];
  // One parse of each row's properties for every key read: DuckDB's list-path forms return one item per path.
  const paths: string[] = [];
  for (const [target, names] of t.candidates) {
    const at = names.flatMap((n) => (byName.has(n) ? [paths.push(sqlText(`$."${byName.get(n)}"`))] : []));
    const picked = at.map((i) => `CASE WHEN _types[${i}] = 'VARCHAR' THEN nullif(_texts[${i}], '') END`);
    // The reader takes the Feature's own id when the properties name none.
    if (target === t.idProperty) picked.push(`CASE WHEN json_type(id) = 'VARCHAR' THEN json_extract_string(id, '$') END`);
    values[target] = picked.length ? `coalesce(${picked.join(', ')})` : 'NULL::VARCHAR';
    odd.push(...at.map((i) => `coalesce(_types[${i}] NOT IN ('VARCHAR', 'NULL'), false)`));
  }
  const derived: Record<string, string> = paths.length ? { _types: `json_type(properties, [${paths.join(', ')}])`, _texts: `json_extract_string(properties, [${paths.join(', ')}])` } : {};
  // The geometry is parsed three times per row, not once per question: the list-path forms answer several at once.
  derived._gtypes = `json_type(geometry, ['$', '$.coordinates', '$.coordinates[0]', '$.coordinates[1]', '$.coordinates[2]'])`;
  derived._gtexts = `json_extract_string(geometry, ['$.type', '$.coordinates[0]', '$.coordinates[1]'])`;
  odd.push(`coalesce(json_type(id) NOT IN ('VARCHAR', 'NULL'), false)`);
  // An object of exactly two members, type "Point" and an array of exactly two numbers.
  const pointShape = `_gtypes[1] = 'OBJECT' AND _gtypes[2] = 'ARRAY' AND _gtypes[3] IN ${JSON_NUMBER} AND _gtypes[4] IN ${JSON_NUMBER}
    AND _gtypes[5] IS NULL AND _gtexts[1] = 'Point' AND len(json_keys(geometry)) = 2`;
  odd.push(`NOT coalesce(${pointShape}, false)`);
  const parse = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : undefined);
  return {
    table,
    derived,
    values,
    odd: odd.join(' OR '),
    lon: `TRY_CAST(_gtexts[2] AS DOUBLE)`,
    lat: `TRY_CAST(_gtexts[3] AS DOUBLE)`,
    columns: ['id::VARCHAR', 'properties::VARCHAR', 'geometry::VARCHAR'],
    rebuild([id, properties, geometry], index) {
      const fail = (reason: string): never => {
        throw new Error(`feature ${index} changed between the bulk and the record reading: ${reason}`);
      };
      return toRawFeature({ type: 'Feature', id: parse(id), properties: parse(properties), geometry: parse(geometry) }, index, fail);
    },
  };
}
