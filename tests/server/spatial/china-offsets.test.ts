import { describe, expect, it } from 'vitest';
import { wgs84ToGcj02 } from '../../../server/domain/china-offsets.ts';
import { makeToWgs84, parseCrsName } from '../../../server/spatial/crs.js';
import { metresBetween } from './random.js';

/*
 * Ground truth is computed here with the published closed-form GCJ-02 and BD-09 forward formulas
 * (as in eviltransform), written independently of gcoord, then checked against our inverse.
 */
const A = 6378245.0;
const EE = 0.00669342162296594323;

function transformLat(x: number, y: number): number {
  let r = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  r += ((20 * Math.sin(y * Math.PI) + 40 * Math.sin((y / 3) * Math.PI)) * 2) / 3;
  r += ((160 * Math.sin((y / 12) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30)) * 2) / 3;
  return r;
}

function transformLon(x: number, y: number): number {
  let r = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  r += ((20 * Math.sin(x * Math.PI) + 40 * Math.sin((x / 3) * Math.PI)) * 2) / 3;
  r += ((150 * Math.sin((x / 12) * Math.PI) + 300 * Math.sin((x / 30) * Math.PI)) * 2) / 3;
  return r;
}

function wgsToGcj(lon: number, lat: number): [number, number] {
  const dLat0 = transformLat(lon - 105, lat - 35);
  const dLon0 = transformLon(lon - 105, lat - 35);
  const radLat = (lat / 180) * Math.PI;
  const magic = 1 - EE * Math.sin(radLat) ** 2;
  const sqrtMagic = Math.sqrt(magic);
  const dLat = (dLat0 * 180) / (((A * (1 - EE)) / (magic * sqrtMagic)) * Math.PI);
  const dLon = (dLon0 * 180) / ((A / sqrtMagic) * Math.cos(radLat) * Math.PI);
  return [lon + dLon, lat + dLat];
}

function gcjToBd(lon: number, lat: number): [number, number] {
  const k = (Math.PI * 3000) / 180;
  const z = Math.sqrt(lon * lon + lat * lat) + 0.00002 * Math.sin(lat * k);
  const theta = Math.atan2(lat, lon) + 0.000003 * Math.cos(lon * k);
  return [z * Math.cos(theta) + 0.0065, z * Math.sin(theta) + 0.006];
}

const KUNMING_GUANDU: [number, number] = [102.75, 24.95];
const BEIJING_TIANANMEN: [number, number] = [116.3912, 39.9073];

describe('GCJ-02 → WGS84', () => {
  const toWgs = makeToWgs84(parseCrsName('gcj02'));

  it('inverts the closed-form offset in Kunming to within 1 cm', () => {
    const gcj = wgsToGcj(...KUNMING_GUANDU);
    expect(metresBetween(gcj, KUNMING_GUANDU)).toBeGreaterThan(100); // the offset is real
    expect(metresBetween(toWgs(...gcj), KUNMING_GUANDU)).toBeLessThan(0.01);
  });

  it('inverts the closed-form offset in Beijing to within 1 cm', () => {
    const gcj = wgsToGcj(...BEIJING_TIANANMEN);
    expect(metresBetween(toWgs(...gcj), BEIJING_TIANANMEN)).toBeLessThan(0.01);
  });

  it('matches the published eviltransform Beijing test vector', () => {
    // wgs (39.911954, 116.377817) ⇄ gcj (39.91334545536069, 116.38404722455657), lat/lon order there.
    const wgs = toWgs(116.38404722455657, 39.91334545536069);
    expect(metresBetween(wgs, [116.377817, 39.911954])).toBeLessThan(1);
  });

  it('round-trips with the forward transform to within 1 cm across China', () => {
    for (const p of [[75.99, 39.47], [87.6, 43.8], [126.6, 45.75], [113.26, 23.13], [121.47, 31.23], [109.5, 18.25]] as [number, number][]) {
      expect(metresBetween(toWgs(...wgs84ToGcj02(...p)), p)).toBeLessThan(0.01);
    }
  });
});

describe('BD-09 → WGS84', () => {
  const toWgs = makeToWgs84(parseCrsName('BD-09'));

  it('inverts the closed-form Baidu offset in Kunming to within 1 cm', () => {
    const bd = gcjToBd(...wgsToGcj(...KUNMING_GUANDU));
    expect(metresBetween(bd, KUNMING_GUANDU)).toBeGreaterThan(500);
    expect(metresBetween(toWgs(...bd), KUNMING_GUANDU)).toBeLessThan(0.01);
  });

  it('inverts the closed-form Baidu offset in Beijing to within 1 cm', () => {
    const bd = gcjToBd(...wgsToGcj(...BEIJING_TIANANMEN));
    expect(metresBetween(toWgs(...bd), BEIJING_TIANANMEN)).toBeLessThan(0.01);
  });
});
