import type { Polygon } from 'geojson';
import { booleanPointInPolygon, destination } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { siteZone } from '../../../server/spatial/zones.js';

const SCHOOL: [number, number] = [102.75, 24.95];
const BEARINGS = [0, 37, 90, 133, 180, 225, 270, 333];
const at = (from: [number, number], metres: number, bearing: number) =>
  destination(from, metres, bearing, { units: 'meters' }).geometry.coordinates;

describe('siteZone', () => {
  it('buffers a point so that 190 m away is inside and 210 m away is not', () => {
    const zone = siteZone({ type: 'Point', coordinates: SCHOOL }, 200);
    for (const b of BEARINGS) {
      expect(booleanPointInPolygon(at(SCHOOL, 190, b), zone), `190 m at ${b}°`).toBe(true);
      expect(booleanPointInPolygon(at(SCHOOL, 210, b), zone), `210 m at ${b}°`).toBe(false);
    }
  });

  it('keeps zones small (16 steps per quarter circle)', () => {
    const zone = siteZone({ type: 'Point', coordinates: SCHOOL }, 200);
    if (zone.type !== 'Polygon') throw new Error('expected a Polygon');
    expect(zone.coordinates[0]!.length).toBeLessThanOrEqual(70);
  });

  it('buffers a back alley line on both sides', () => {
    const zone = siteZone({ type: 'LineString', coordinates: [[102.75, 24.95], [102.76, 24.95]] }, 30);
    expect(booleanPointInPolygon(at([102.755, 24.95], 25, 0), zone)).toBe(true);
    expect(booleanPointInPolygon(at([102.755, 24.95], 25, 180), zone)).toBe(true);
    expect(booleanPointInPolygon(at([102.755, 24.95], 35, 0), zone)).toBe(false);
  });

  it('returns a polygon unchanged without a buffer', () => {
    const market: Polygon = { type: 'Polygon', coordinates: [[[102.75, 24.95], [102.751, 24.95], [102.751, 24.951], [102.75, 24.95]]] };
    expect(siteZone(market, 0)).toBe(market);
    expect(siteZone(market)).toBe(market);
  });

  it('grows a polygon outward with a buffer', () => {
    const market: Polygon = { type: 'Polygon', coordinates: [[[102.75, 24.95], [102.752, 24.95], [102.752, 24.952], [102.75, 24.952], [102.75, 24.95]]] };
    const zone = siteZone(market, 50);
    expect(booleanPointInPolygon(at([102.752, 24.951], 40, 90), zone)).toBe(true);
    expect(booleanPointInPolygon(at([102.752, 24.951], 60, 90), zone)).toBe(false);
  });

  it('refuses a point without a positive buffer, and negative buffers', () => {
    expect(() => siteZone({ type: 'Point', coordinates: SCHOOL })).toThrow(/buffer/);
    expect(() => siteZone({ type: 'Point', coordinates: SCHOOL }, -5)).toThrow(/non-negative/);
  });
});
