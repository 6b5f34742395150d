/**
 * JSON answers holding large tables of integers (a playback's units × frames, bins × frames): each
 * table is written as JSON text straight from its typed array, where building nested arrays of
 * a million numbers and JSON.stringify of them cost ~50 ms at 10 k grids × 90 days. The rest of
 * the answer goes through JSON.stringify as `c.json` would. Typed like `c.json`, so the web's
 * RPC client keeps its types.
 */
import type { Context, TypedResponse } from 'hono';

/** `count` rows of `width` integers, row-major in `values`, answered as `[[…], …]`. */
export type IntRows = { values: Int32Array; width: number; count: number };

const [COMMA, OPEN, CLOSE, MINUS, ZERO] = [0x2c, 0x5b, 0x5d, 0x2d, 0x30];

/** Writes the decimal digits of an integer at `at`; returns the end. */
function writeInt(out: Uint8Array, at: number, value: number): number {
  // Most counts of a playback are single digits.
  if (value >= 0 && value < 10) {
    out[at] = ZERO + value;
    return at + 1;
  }
  let v = value;
  if (v < 0) {
    out[at++] = MINUS;
    v = -v;
  }
  let digits = 1;
  for (let p = 10; p <= v; p *= 10) digits++;
  for (let i = at + digits - 1; i >= at; i--) {
    const q = Math.floor(v / 10);
    out[i] = ZERO + (v - q * 10);
    v = q;
  }
  return at + digits;
}

/** The JSON text of a table, as UTF-8 bytes: what JSON.stringify of its nested arrays gives. */
export function intRowsText({ values, width, count }: IntRows): Uint8Array {
  // At most 11 characters a value ("-2147483648") and a comma; two brackets and a comma a row.
  const out = new Uint8Array(2 + count * (3 + width * 12));
  let at = 0;
  out[at++] = OPEN;
  for (let row = 0; row < count; row++) {
    if (row) out[at++] = COMMA;
    out[at++] = OPEN;
    for (let k = 0, o = row * width; k < width; k++) {
      if (k) out[at++] = COMMA;
      at = writeInt(out, at, values[o + k]);
    }
    out[at++] = CLOSE;
  }
  out[at++] = CLOSE;
  return out.subarray(0, at);
}

/** A JSON answer: the fields of `head`, then each table of `tables` as nested arrays. */
export function jsonWithIntRows<H extends Record<string, unknown>, K extends string>(
  c: Context, head: H, tables: Record<K, IntRows>,
): Response & TypedResponse<H & Record<K, number[][]>, 200, 'json'> {
  const encoder = new TextEncoder();
  const text = JSON.stringify(head);
  const parts: Uint8Array[] = [encoder.encode(text.slice(0, -1))];
  let first = text === '{}';
  for (const [key, table] of Object.entries(tables) as [K, IntRows][]) {
    parts.push(encoder.encode(`${first ? '' : ','}${JSON.stringify(key)}:`), intRowsText(table));
    first = false;
  }
  parts.push(encoder.encode('}'));
  const body = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    body.set(p, at);
    at += p.length;
  }
  // The body is the JSON text of that type; only the compiler's view of it changes here.
  return c.body(body, 200, { 'content-type': 'application/json' }) as unknown as Response & TypedResponse<H & Record<K, number[][]>, 200, 'json'>;
}
