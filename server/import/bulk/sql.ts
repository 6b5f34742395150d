import { SHANGHAI_OFFSET, SHANGHAI_OFFSET_MS, TIMESTAMP_YEARS } from '../../domain/time.ts';
import { EVENT_TIMES, type EventTime } from '../../domain/workflow.ts';
import { CHINA_LONLAT_BOX } from '../../spatial/validate.ts';

/**
 * SQL text the bulk path builds from the rules' own definitions. Values of a file never become
 * SQL text: the file path is a bound parameter; property names (for JSON paths) go through
 * {@link sqlText}, the one place a string is quoted.
 */

/** A string as an SQL literal. DuckDB's standard strings only escape the quote itself. */
export function sqlText(s: string): string {
  if (s.includes('\u0000')) throw new Error('an SQL literal cannot hold NUL');
  return `'${s.replaceAll("'", "''")}'`;
}

/**
 * An RE2 class of the characters the record path treats specially in text: C0 and C1 controls and
 * DEL (server/domain/text.ts refuses them, except line breaks in some fields), and every character
 * JavaScript's `String.prototype.trim` removes other than the space (found by asking it).
 */
const SPECIAL = (() => {
  let chars = '\\x00-\\x1f\\x7f-\\x9f';
  for (let c = 0x20; c <= 0xffff; c++) {
    if (c !== 0x20 && !(c >= 0x7f && c <= 0x9f) && String.fromCharCode(c).trim() === '') chars += `\\x{${c.toString(16)}}`;
  }
  return `[${chars}]`;
})();

/**
 * True when the record path must judge these texts: one holds a control character or a
 * whitespace character other than the space anywhere, or starts or ends with a space. What is
 * left is its own trimmed text, with nothing for the control-character rule to refuse — so the
 * bulk path trims nothing (DuckDB's `trim` removes fewer characters, and with a character list is
 * slow) and needs no copy of that rule.
 */
export function needsRecordPath(texts: readonly string[]): string {
  const spaces = texts.map((t) => `coalesce(starts_with(${t}, ' ') OR ends_with(${t}, ' '), false)`).join(' OR ');
  return `(regexp_matches(concat(${texts.join(', ')}), ${sqlText(SPECIAL)}) OR ${spaces})`;
}

/**
 * Epoch ms of a timestamp text in the one shape exports write — `YYYY-MM-DDTHH:MM:SS` with
 * `+08:00`, `Z` or no zone (Shanghai time) — within the years parseTimestamp accepts; NULL for
 * anything else, which the record path (parseTimestamp itself) then judges. `t` is trimmed already (see {@link needsRecordPath}).
 * Tests compare the two.
 */
export function fastTimestamp(t: string): string {
  const shape = `^\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}:\\d{2}(Z|\\${SHANGHAI_OFFSET})?$`;
  return `CASE WHEN regexp_full_match(${t}, ${sqlText(shape)}) AND substr(${t}, 1, 4)::INTEGER BETWEEN ${TIMESTAMP_YEARS.first} AND ${TIMESTAMP_YEARS.last}
    THEN epoch_ms(try_strptime(substr(${t}, 1, 10) || ' ' || substr(${t}, 12, 8), '%Y-%m-%d %H:%M:%S'))
      - CASE WHEN suffix(${t}, 'Z') THEN 0 ELSE ${SHANGHAI_OFFSET_MS} END END`;
}

/**
 * issueTimeProblems (server/domain/workflow.ts) as one SQL condition, true when it finds nothing:
 * no event time after `latest` (now plus the clock skew), the event times present in
 * {@link EVENT_TIMES} order, the deadline not before the report. The function compares each time
 * with the previous one present; a chain of such comparisons holds exactly when every pair of
 * present times is in order, which is what the SQL says. `ms` names a time's column (epoch ms,
 * NULL when the record has none). Tests run both over the same rows.
 */
export function issueTimesOkSql(ms: (f: EventTime | 'deadline') => string, latest: string): string {
  const ok: string[] = [];
  EVENT_TIMES.forEach((f, j) => {
    ok.push(`(${ms(f)} IS NULL OR ${ms(f)} <= ${latest})`);
    for (const e of EVENT_TIMES.slice(0, j)) ok.push(`(${ms(f)} IS NULL OR ${ms(e)} IS NULL OR ${ms(f)} >= ${ms(e)})`);
  });
  ok.push(`(${ms('deadline')} IS NULL OR ${ms('reportedAt')} IS NULL OR ${ms('deadline')} >= ${ms('reportedAt')})`);
  return `(${ok.join(' AND ')})`;
}

/**
 * The geometry step (server/import/geometry-step.ts) on a Point of two finite lon/lat numbers
 * with no other member, in a geographic CRS, as SQL: true when it finds nothing, i.e. the point
 * lies in the plausible box of server/spatial/validate.ts (inside it, the range check holds too).
 * Anything the bulk readers do not prove to be such a point is odd and goes to the record path.
 */
export function plainPointOkSql(lon: string, lat: string): string {
  const [minLon, minLat, maxLon, maxLat] = CHINA_LONLAT_BOX;
  return `(${lon} BETWEEN ${minLon} AND ${maxLon} AND ${lat} BETWEEN ${minLat} AND ${maxLat})`;
}
