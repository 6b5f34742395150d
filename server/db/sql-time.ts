/**
 * Instants at the SQL boundary. Timestamp columns are naive UTC `TIMESTAMP`s, so instants cross
 * into SQL as UTC text that DuckDB parses, and the Asia/Shanghai wall clock of a column is the
 * column shifted by the offset of server/domain/time.ts.
 */
import { HOUR, SHANGHAI_OFFSET_MS } from '../domain/time.ts';

/** An instant as the naive UTC text a `TIMESTAMP` parameter takes: `2026-11-25 13:05:09.123`. */
export function sqlTimestamp(d: Date): string {
  return d.toISOString().replace('T', ' ').replace('Z', '');
}

/** A `TIMESTAMP '…'` literal of an instant, for SQL built as text. */
export const sqlTimestampLiteral = (d: Date) => `TIMESTAMP '${sqlTimestamp(d)}'`;

/** The Asia/Shanghai wall-clock time of a naive UTC timestamp column, as a SQL expression. */
export const sqlShanghai = (column: string) => `(${column} + INTERVAL ${SHANGHAI_OFFSET_MS / HOUR} HOUR)`;
