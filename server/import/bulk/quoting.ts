import { createReadStream } from 'node:fs';

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;
const endsField = (b: number | undefined) => b === undefined || b === COMMA || b === LF || b === CR;

/**
 * Whether every double quote of a CSV file sits where the record reader (csv-parse, strict
 * quoting) accepts it: opening a field, doubled inside a quoted field, or closing one right before
 * a delimiter or line end. DuckDB's reader is laxer (`x"y` and ` "x"` are values to it), so a file
 * failing this goes to the record path, which reports the exact line. Jumps from quote to quote,
 * so a file without quotes costs one `indexOf` per chunk.
 */
export async function strictCsvQuoting(path: string): Promise<boolean> {
  let inQuoted = false;
  /** A quote ended the previous chunk inside a quoted field: the next byte decides what it was. */
  let pendingClose = false;
  /** The byte before the current chunk (a line feed at the start of the file). */
  let before = LF;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    let i = 0;
    if (pendingClose) {
      pendingClose = false;
      if (chunk[0] === QUOTE) i = 1;
      else if (endsField(chunk[0])) inQuoted = false;
      else return false;
    }
    for (;;) {
      const at = chunk.indexOf(QUOTE, i);
      if (at === -1) break;
      if (!inQuoted) {
        const prev = at > 0 ? chunk[at - 1] : before;
        if (prev !== COMMA && prev !== LF && prev !== CR) return false;
        inQuoted = true;
        i = at + 1;
        continue;
      }
      if (at + 1 === chunk.length) {
        pendingClose = true;
        break;
      }
      const next = chunk[at + 1];
      if (next === QUOTE) i = at + 2;
      else if (endsField(next)) {
        inQuoted = false;
        i = at + 1;
      } else return false;
    }
    before = chunk[chunk.length - 1]!;
  }
  return !inQuoted || pendingClose;
}
