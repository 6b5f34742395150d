import { SHANGHAI_OFFSET, SHANGHAI_OFFSET_MS, TIMESTAMP_YEARS } from '../../domain/time.ts';

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

/** Every character JavaScript's `String.prototype.trim` removes, found by asking it. */
const JS_TRIMMED = (() => {
  let chars = '';
  for (let c = 0; c <= 0xffff; c++) if (String.fromCharCode(c).trim() === '') chars += String.fromCharCode(c);
  return chars;
})();

/** `x` trimmed as the readers and parsers trim in JS (`String.prototype.trim`). */
export const jsTrim = (x: string) => `trim(${x}, ${sqlText(JS_TRIMMED)})`;

/** True when `x` holds a C0 or C1 control character or DEL (a superset of what server/domain/text.ts refuses). */
export const hasControl = (x: string) => `regexp_matches(${x}, '[\\x00-\\x1f\\x7f-\\x9f]')`;

/**
 * Epoch ms of a timestamp text in the one shape exports write — `YYYY-MM-DDTHH:MM:SS` with
 * `+08:00`, `Z` or no zone (Shanghai time) — within the years parseTimestamp accepts; NULL for
 * anything else, which the record path (parseTimestamp itself) then judges. Tests compare the two.
 */
export function fastTimestamp(x: string): string {
  const t = jsTrim(x);
  const shape = `^\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}:\\d{2}(Z|\\${SHANGHAI_OFFSET})?$`;
  return `CASE WHEN regexp_full_match(${t}, ${sqlText(shape)}) AND substr(${t}, 1, 4)::INTEGER BETWEEN ${TIMESTAMP_YEARS.first} AND ${TIMESTAMP_YEARS.last}
    THEN epoch_ms(try_strptime(substr(${t}, 1, 10) || ' ' || substr(${t}, 12, 8), '%Y-%m-%d %H:%M:%S'))
      - CASE WHEN suffix(${t}, 'Z') THEN 0 ELSE ${SHANGHAI_OFFSET_MS} END END`;
}
