import type { Geometry, Polygon } from 'geojson';
import proj4 from 'proj4';
import { describe, expect, it } from 'vitest';
import {
  crsFromGeoJsonMember,
  makeToWgs84,
  parseCrsName,
  type CrsSpec,
} from '../../../server/spatial/crs.js';
import { transformGeometry } from '../../../server/domain/map-geometry.ts';
import { metresBetween } from './random.js';

/**
 * Independent Gauss–Krüger forward projection (Krüger n-series, Karney 2011) on GRS80, used as
 * ground truth for what proj4 does inside makeToWgs84.
 */
function krugerForward(lon: number, lat: number, lon0: number, falseEasting: number): [number, number] {
  const a = 6378137;
  const f = 1 / 298.257222101;
  const n = f / (2 - f);
  const e = Math.sqrt(f * (2 - f));
  const bigA = (a / (1 + n)) * (1 + n ** 2 / 4 + n ** 4 / 64 + n ** 6 / 256);
  const alpha = [
    n / 2 - (2 * n ** 2) / 3 + (5 * n ** 3) / 16 + (41 * n ** 4) / 180,
    (13 * n ** 2) / 48 - (3 * n ** 3) / 5 + (557 * n ** 4) / 1440,
    (61 * n ** 3) / 240 - (103 * n ** 4) / 140,
    (49561 * n ** 4) / 161280,
  ];
  const phi = (lat * Math.PI) / 180;
  const lam = ((lon - lon0) * Math.PI) / 180;
  const t = Math.sinh(Math.atanh(Math.sin(phi)) - e * Math.atanh(e * Math.sin(phi)));
  const xi1 = Math.atan2(t, Math.cos(lam));
  const eta1 = Math.atanh(Math.sin(lam) / Math.sqrt(1 + t * t));
  let xi = xi1;
  let eta = eta1;
  alpha.forEach((al, i) => {
    const j = 2 * (i + 1);
    xi += al * Math.sin(j * xi1) * Math.cosh(j * eta1);
    eta += al * Math.cos(j * xi1) * Math.sinh(j * eta1);
  });
  return [falseEasting + bigA * eta, bigA * xi];
}

const GUANDU: [number, number] = [102.75, 24.95];

describe('parseCrsName', () => {
  it.each([
    ['wgs84', 'geographic', 4326],
    ['WGS 84', 'geographic', 4326],
    ['EPSG:4326', 'geographic', 4326],
    ['CRS84', 'geographic', 4326],
    ['urn:ogc:def:crs:OGC:1.3:CRS84', 'geographic', 4326],
    ['http://www.opengis.net/def/crs/OGC/1.3/CRS84', 'geographic', 4326],
    ['CGCS2000', 'geographic', 4490],
    ['epsg:4490', 'geographic', 4490],
    ['urn:ogc:def:crs:EPSG::4490', 'geographic', 4490],
    ['urn:ogc:def:crs:EPSG:9.8.15:4490', 'geographic', 4490],
    ['http://www.opengis.net/def/crs/EPSG/0/4490', 'geographic', 4490],
    ['4490', 'geographic', 4490],
    ['EPSG:3857', 'projected', 3857],
    ['EPSG:4522', 'projected', 4522],
  ])('reads %s', (name, kind, epsg) => {
    const spec = parseCrsName(name);
    expect(spec.kind).toBe(kind);
    expect('epsg' in spec ? spec.epsg : undefined).toBe(epsg);
  });

  it.each([
    ['gcj02', 'gcj02'],
    ['GCJ-02', 'gcj02'],
    ['AMap', 'gcj02'],
    ['bd09', 'bd09'],
    ['BD-09', 'bd09'],
    ['Baidu', 'bd09'],
  ])('reads %s as %s', (name, kind) => {
    expect(parseCrsName(name).kind).toBe(kind);
  });

  it.each([
    [4491, 75, 13_500_000],
    [4496, 105, 18_500_000],
    [4501, 135, 23_500_000],
    [4502, 75, 500_000],
    [4512, 135, 500_000],
    [4513, 75, 25_500_000],
    [4522, 102, 34_500_000],
    [4533, 135, 45_500_000],
    [4534, 75, 500_000],
    [4543, 102, 500_000],
    [4554, 135, 500_000],
  ])('builds EPSG:%i as tmerc on GRS80 with CM %i°E and false easting %i', (code, lon0, x0) => {
    const spec = parseCrsName(`EPSG:${code}`);
    if (spec.kind !== 'projected') throw new Error('expected a projected CRS');
    expect(spec.proj4).toContain('+proj=tmerc');
    expect(spec.proj4).toContain('+ellps=GRS80');
    expect(spec.proj4).toContain(`+lon_0=${lon0} `);
    expect(spec.proj4).toContain(`+x_0=${x0} `);
    expect(spec.proj4).toContain('+k=1 ');
  });

  it.each(['EPSG:4214', 'EPSG:4555', 'beijing54', 'utm50', ''])('rejects %j with a message naming it', (name) => {
    expect(() => parseCrsName(name)).toThrow(`"${name}"`);
  });
});

describe('crsFromGeoJsonMember', () => {
  it('returns null when the member is absent', () => {
    expect(crsFromGeoJsonMember(undefined)).toBeNull();
    expect(crsFromGeoJsonMember(null)).toBeNull();
  });

  it('reads a named CRS URN', () => {
    const spec = crsFromGeoJsonMember({ type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::4490' } });
    expect(spec).toMatchObject({ kind: 'geographic', epsg: 4490 });
  });

  it('reads the 2008 draft EPSG form', () => {
    expect(crsFromGeoJsonMember({ type: 'EPSG', properties: { code: 4522 } })).toMatchObject({ kind: 'projected', epsg: 4522 });
  });

  it('throws on a malformed member instead of guessing WGS84', () => {
    expect(() => crsFromGeoJsonMember({ type: 'link', properties: { href: 'x.prj' } })).toThrow(/crs/);
    expect(() => crsFromGeoJsonMember({ type: 'name', properties: { name: 'EPSG:2383' } })).toThrow('EPSG:2383');
  });
});

describe('makeToWgs84 for Gauss–Krüger', () => {
  const zone34 = parseCrsName('EPSG:4522');
  const cm102 = parseCrsName('EPSG:4543');

  it('inverts an independently projected 3° zone-34 coordinate in Guandu to within 1 cm', () => {
    const [e, n] = krugerForward(...GUANDU, 102, 34_500_000);
    expect(metresBetween(makeToWgs84(zone34)(e, n), GUANDU)).toBeLessThan(0.01);
  });

  it('agrees with a proj4 definition written out by hand', () => {
    const ref = proj4('+proj=tmerc +lat_0=0 +lon_0=102 +k=1 +x_0=34500000 +y_0=0 +ellps=GRS80 +units=m +no_defs', 'WGS84');
    const [e, n] = [34_575_000, 2_760_000];
    expect(metresBetween(makeToWgs84(zone34)(e, n), ref.forward([e, n]))).toBeLessThan(1);
  });

  it('puts 75 km east of the zone-34 meridian, 2,760 km north, in Guandu (≈102.75°E 24.95°N)', () => {
    const [lon, lat] = makeToWgs84(zone34)(34_575_000, 2_760_000);
    expect(lon).toBeCloseTo(102.75, 1);
    expect(lat).toBeCloseTo(24.95, 1);
  });

  it('reads the same place without the zone prefix under the CM 102°E code', () => {
    const [e, n] = krugerForward(...GUANDU, 102, 500_000);
    expect(metresBetween(makeToWgs84(cm102)(e, n), GUANDU)).toBeLessThan(0.01);
  });

  it('uses the 6° zone 18 (CM 105°E) for EPSG:4496', () => {
    const [e, n] = krugerForward(...GUANDU, 105, 18_500_000);
    expect(metresBetween(makeToWgs84(parseCrsName('EPSG:4496'))(e, n), GUANDU)).toBeLessThan(0.01);
  });
});

describe('makeToWgs84 for other CRSs', () => {
  it('is the identity for geographic CRSs', () => {
    expect(makeToWgs84(parseCrsName('cgcs2000'))(102.75, 24.95)).toEqual([102.75, 24.95]);
  });

  it('inverts Web Mercator', () => {
    const toWgs = makeToWgs84(parseCrsName('EPSG:3857'));
    const [lon, lat] = toWgs(20037508.342789244 / 2, 0);
    expect(lon).toBeCloseTo(90, 9);
    expect(lat).toBeCloseTo(0, 9);
    const [, lat45] = toWgs(0, 5621521.486192066);
    expect(lat45).toBeCloseTo(45, 6);
  });
});

describe('transformGeometry', () => {
  const shift = (x: number, y: number): [number, number] => [x + 1, y + 2];

  it('maps every position and keeps the type and elevation', () => {
    const poly: Polygon = { type: 'Polygon', coordinates: [[[0, 0, 5], [1, 0, 5], [1, 1, 5], [0, 0, 5]]] };
    const out = transformGeometry(poly, shift);
    expect(out).toEqual({ type: 'Polygon', coordinates: [[[1, 2, 5], [2, 2, 5], [2, 3, 5], [1, 2, 5]]] });
    expect(poly.coordinates[0]![0]).toEqual([0, 0, 5]);
  });

  it('drops a stale bbox member', () => {
    const out = transformGeometry({ type: 'Point', coordinates: [0, 0], bbox: [0, 0, 0, 0] }, shift);
    expect(out).toEqual({ type: 'Point', coordinates: [1, 2] });
  });

  it.each<Geometry>([
    { type: 'MultiPoint', coordinates: [[0, 0], [1, 1]] },
    { type: 'LineString', coordinates: [[0, 0], [1, 1]] },
    { type: 'MultiLineString', coordinates: [[[0, 0], [1, 1]]] },
    { type: 'MultiPolygon', coordinates: [[[[0, 0], [1, 0], [1, 1], [0, 0]]]] },
    { type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: [0, 0] }] },
  ])('handles $type', (geom) => {
    const out = transformGeometry(geom, shift);
    expect(out.type).toBe(geom.type);
    expect(JSON.stringify(out)).toContain('[1,2]');
    expect(JSON.stringify(out)).not.toContain('[0,0]');
  });

  it('accepts a GCJ-02 converter for whole geometries', () => {
    const spec: CrsSpec = parseCrsName('gcj02');
    const out = transformGeometry({ type: 'Point', coordinates: [102.7515, 24.947] }, makeToWgs84(spec));
    expect(metresBetween(out.coordinates, [102.75, 24.95])).toBeLessThan(5);
  });
});
