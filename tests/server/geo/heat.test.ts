/**
 * GET /api/heat on the fixture city (now = 2026-11-25 12:00 +08). Issue positions (lon, lat):
 *   I01 102.72,24.97  I02 102.7201,24.9701  I03 102.765,24.93  I04 102.775,24.915  I05 102.725,24.95
 *   I06 102.75,24.96  I07 102.85,24.95 (outside every region)  I08 102.79,24.99
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lonLatToWorldPixel } from '../../../server/domain/mercator.ts';
import { cityApp, type TestApp } from '../../helpers/app.ts';
import { badParameters, getOk } from './http.ts';

type Heat = {
  zoom: number; cell: number; bbox: number[]; origin: [number, number]; cols: number; rows: number;
  x: number[]; y: number[]; count: number[]; total: number; max: number; lon?: number[]; lat?: number[];
};

let t: TestApp;
beforeAll(async () => {
  t = await cityApp();
});
afterAll(async () => t.cleanup());

const heat = (query: string) => getOk<Heat>(t.app, `/api/heat?${query}`);
const DISTRICT_BBOX = 'bbox=102.69,24.89,102.81,25.01';

/** Filtered issues in a bbox, counted directly: the district scope means "has a street". */
async function directCount(bbox: number[], where = 'TRUE'): Promise<number> {
  const row = await t.db.one<{ n: number }>(
    `SELECT count(*) AS n FROM issues WHERE street IS NOT NULL AND lon BETWEEN $1 AND $3 AND lat BETWEEN $2 AND $4 AND ${where}`,
    bbox,
  );
  return row!.n;
}

describe('GET /api/heat', () => {
  it('bins sum to the filtered issues in the bbox', async () => {
    for (const zoom of [10, 13, 16]) {
      const h = await heat(`${DISTRICT_BBOX}&zoom=${zoom}`);
      expect(h.count.reduce((a, b) => a + b, 0)).toBe(h.total);
      // Every issue but I07 (outside the district).
      expect(h.total).toBe(7);
      expect(h.total).toBe(await directCount([102.69, 24.89, 102.81, 25.01]));
    }
  });

  it('counts only the bbox, the period and the filters', async () => {
    // West half: I01, I02, I05 (I06 sits on lon 102.75, outside).
    const west = await heat('bbox=102.69,24.89,102.74,25.01&zoom=14');
    expect(west.total).toBe(3);
    expect(west.total).toBe(await directCount([102.69, 24.89, 102.74, 25.01]));
    // November reports: I01 I02 I03 I04 I06 (I05 is October, I08 September, I07 outside).
    expect((await heat(`${DISTRICT_BBOX}&zoom=12&from=2026-11-01&to=2026-11-30`)).total).toBe(5);
    // 大类 01: I02, I03, I06.
    expect((await heat(`${DISTRICT_BBOX}&zoom=12&category=01`)).total).toBe(3);
    expect((await heat(`${DISTRICT_BBOX}&zoom=12&scope=street:530111002`)).total).toBe(4);
  });

  it('puts a known issue in the bin computed with the Mercator module', async () => {
    const zoom = 15;
    const cell = 16;
    const h = await heat(`${DISTRICT_BBOX}&zoom=${zoom}&cell=${cell}&centers=1`);
    // I03 at 102.765, 24.93 is ~400 m from every other issue: alone in its 16-px bin at zoom 15 (~70 m).
    const [px, py] = lonLatToWorldPixel(102.765, 24.93, zoom);
    const x = Math.floor(px / cell) - h.origin[0] / cell;
    const y = Math.floor(py / cell) - h.origin[1] / cell;
    const i = h.x.findIndex((bx, k) => bx === x && h.y[k] === y);
    expect(i).toBeGreaterThanOrEqual(0);
    expect(h.count[i]).toBe(1);
    // The bin centre is within half a cell of the issue.
    const [cx, cy] = lonLatToWorldPixel(h.lon![i], h.lat![i], zoom);
    expect(Math.abs(cx - px)).toBeLessThanOrEqual(cell / 2);
    expect(Math.abs(cy - py)).toBeLessThanOrEqual(cell / 2);
  });

  it('aligns the origin to the cell grid and reports the extent', async () => {
    const h = await heat(`${DISTRICT_BBOX}&zoom=13&cell=32`);
    expect(h.origin[0] % 32).toBe(0);
    expect(h.origin[1] % 32).toBe(0);
    const [x1, y1] = lonLatToWorldPixel(102.81, 24.89, 13);
    expect(h.cols).toBe(Math.floor(x1 / 32) - h.origin[0] / 32 + 1);
    expect(h.rows).toBe(Math.floor(y1 / 32) - h.origin[1] / 32 + 1);
    expect(h.x.every((v) => v >= 0 && v < h.cols) && h.y.every((v) => v >= 0 && v < h.rows)).toBe(true);
  });

  it('merges nearby issues at a low zoom: I01 and I02 are 14 m apart', async () => {
    const h = await heat(`${DISTRICT_BBOX}&zoom=10&cell=64`);
    expect(h.max).toBeGreaterThanOrEqual(2);
    expect(Math.max(...h.count)).toBe(h.max);
    expect(h.x.length).toBeLessThan(7);
  });

  it('answers an empty bbox with empty columns', async () => {
    expect(await heat('bbox=10,10,11,11&zoom=8')).toMatchObject({ x: [], y: [], count: [], total: 0, max: 0 });
  });

  it('names bad parameters', async () => {
    expect(await badParameters(t.app, '/api/heat?zoom=12')).toEqual(['bbox']);
    expect(await badParameters(t.app, `/api/heat?bbox=1,2,3&zoom=12`)).toEqual(['bbox']);
    expect(await badParameters(t.app, `/api/heat?bbox=1,2,x,4&zoom=12`)).toEqual(['bbox']);
    expect(await badParameters(t.app, `/api/heat?bbox=3,2,1,4&zoom=12`)).toEqual(['bbox']);
    expect(await badParameters(t.app, `/api/heat?bbox=1,-89,3,4&zoom=12`)).toEqual(['bbox']);
    expect(await badParameters(t.app, `/api/heat?${DISTRICT_BBOX}`)).toEqual(['zoom']);
    expect(await badParameters(t.app, `/api/heat?${DISTRICT_BBOX}&zoom=23`)).toEqual(['zoom']);
    expect(await badParameters(t.app, `/api/heat?${DISTRICT_BBOX}&zoom=1.5`)).toEqual(['zoom']);
    expect(await badParameters(t.app, `/api/heat?${DISTRICT_BBOX}&zoom=12&cell=3`)).toEqual(['cell']);
    expect(await badParameters(t.app, `/api/heat?${DISTRICT_BBOX}&zoom=12&to=2026-13-01`)).toEqual(['to']);
  });

  it('refuses a bbox spanning too many bins for the zoom, naming bbox', async () => {
    expect(await badParameters(t.app, '/api/heat?bbox=-180,-85,180,85&zoom=22')).toEqual(['bbox']);
  });
});
