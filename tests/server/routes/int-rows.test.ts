import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { intRowsText, jsonWithIntRows } from '../../../server/routes/int-rows.ts';

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
/** The nested arrays JSON.stringify would be given. */
const nested = (values: Int32Array, width: number, count: number) => Array.from({ length: count }, (_, r) => [...values.subarray(r * width, r * width + width)]);

describe('integer tables as JSON text', () => {
  it('writes what JSON.stringify writes of the nested arrays, for every digit count, sign and the int32 extremes', () => {
    const edges = [0, 1, 9, 10, 99, 100, 999_999, 1_000_000, 2 ** 31 - 1, -(2 ** 31), -1, -10, 123_456_789];
    const values = Int32Array.from({ length: 3000 }, (_, i) => (i < edges.length ? edges[i] : Math.round((Math.sin(i) * 10) ** (i % 9))));
    for (const [width, count] of [[30, 100], [1, 3000], [3000, 1], [0, 4], [5, 0]]) {
      expect(text(intRowsText({ values, width, count })), `${width} × ${count}`).toBe(JSON.stringify(nested(values, width, count)));
    }
  });

  it('answers the head fields and the tables as one JSON object', async () => {
    const values = Int32Array.from([1, 2, 3, 4, 5, 6]);
    const app = new Hono()
      .get('/a', (c) => jsonWithIntRows(c, { name: '点位', n: [1] }, { rows: { values, width: 3, count: 2 }, cols: { values, width: 2, count: 3 } }))
      .get('/b', (c) => jsonWithIntRows(c, {}, { rows: { values, width: 2, count: 1 } }));
    const a = await app.request('/a');
    expect(a.headers.get('content-type')).toContain('application/json');
    expect(await a.json()).toEqual({ name: '点位', n: [1], rows: [[1, 2, 3], [4, 5, 6]], cols: [[1, 2], [3, 4], [5, 6]] });
    expect(await (await app.request('/b')).json()).toEqual({ rows: [[1, 2]] });
  });
});
