import { describe, expect, it } from 'vitest';
import { crsFromPrj, makeToWgs84, parseCrsName } from '../../../server/spatial/crs.js';
import { parseWkt } from '../../../server/spatial/wkt.js';
import { metresBetween } from './random.js';

const GEOGCS_CGCS2000 =
  'GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';

const ZONE_34 = `PROJCS["CGCS2000_3_Degree_GK_Zone_34",${GEOGCS_CGCS2000},PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",34500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",102.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]`;

const CM_102E = `PROJCS["CGCS2000_3_Degree_GK_CM_102E",${GEOGCS_CGCS2000},PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",102.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]`;

const WGS84_GEOGCS =
  'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';

const OGC_UTM_WGS84 =
  'PROJCS["WGS 84 / UTM zone 48N",GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",105],PARAMETER["scale_factor",0.9996],PARAMETER["false_easting",500000],PARAMETER["false_northing",0],UNIT["metre",1],AUTHORITY["EPSG","32648"]]';

const BEIJING_1954_GK =
  'PROJCS["Beijing_1954_3_Degree_GK_Zone_34",GEOGCS["GCS_Beijing_1954",DATUM["D_Beijing_1954",SPHEROID["Krasovsky_1940",6378245.0,298.3]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",34500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",102.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]';

describe('crsFromPrj', () => {
  it('reads a CGCS2000 3° GK zone .prj with the zone prefix', () => {
    const spec = crsFromPrj(ZONE_34);
    if (spec.kind !== 'projected') throw new Error('expected projected');
    expect(spec.label).toBe('CGCS2000_3_Degree_GK_Zone_34');
    expect(spec.proj4).toMatch(/\+proj=tmerc .*\+lon_0=102 .*\+x_0=34500000 .*\+ellps=GRS80/);
  });

  it('converts zone-34 coordinates the same as EPSG:4522', () => {
    const fromPrj = makeToWgs84(crsFromPrj(ZONE_34))(34_575_000, 2_760_000);
    const fromCode = makeToWgs84(parseCrsName('EPSG:4522'))(34_575_000, 2_760_000);
    expect(metresBetween(fromPrj, fromCode)).toBeLessThan(0.001);
  });

  it('reads the CM_102E variant without zone prefix', () => {
    const fromPrj = makeToWgs84(crsFromPrj(CM_102E))(575_000, 2_760_000);
    const fromCode = makeToWgs84(parseCrsName('EPSG:4522'))(34_575_000, 2_760_000);
    expect(metresBetween(fromPrj, fromCode)).toBeLessThan(0.001);
  });

  it('reads an OGC WKT UTM .prj with its scale factor and authority', () => {
    const spec = crsFromPrj(OGC_UTM_WGS84);
    expect(spec).toMatchObject({ kind: 'projected', epsg: 32648 });
    const [lon, lat] = makeToWgs84(spec)(500_000, 2_760_000);
    expect(lon).toBeCloseTo(105, 9);
    expect(lat).toBeGreaterThan(24.9);
  });

  it('reads geographic CGCS2000 and WGS84', () => {
    expect(crsFromPrj(GEOGCS_CGCS2000)).toMatchObject({ kind: 'geographic', epsg: 4490 });
    expect(crsFromPrj(WGS84_GEOGCS)).toMatchObject({ kind: 'geographic', epsg: 4326 });
  });

  it('reads WKT2 with parentheses and WKT2 parameter names', () => {
    const wkt2 =
      'PROJCRS("CGCS2000 / 3-degree Gauss-Kruger zone 34",BASEGEOGCRS("China Geodetic Coordinate System 2000",DATUM("China 2000",ELLIPSOID("CGCS2000",6378137,298.257222101,LENGTHUNIT("metre",1)))),' +
      'CONVERSION("3-degree Gauss-Kruger zone 34",METHOD("Transverse Mercator"),PARAMETER("Latitude of natural origin",0),PARAMETER("Longitude of natural origin",102),' +
      'PARAMETER("Scale factor at natural origin",1),PARAMETER("False easting",34500000),PARAMETER("False northing",0)),CS(Cartesian,2),ID("EPSG",4522))';
    const spec = crsFromPrj(wkt2);
    expect(spec).toMatchObject({ kind: 'projected', epsg: 4522 });
    const a = makeToWgs84(spec)(34_575_000, 2_760_000);
    const b = makeToWgs84(parseCrsName('EPSG:4522'))(34_575_000, 2_760_000);
    expect(metresBetween(a, b)).toBeLessThan(0.001);
  });

  it('rejects Beijing 1954, naming the datum', () => {
    expect(() => crsFromPrj(BEIJING_1954_GK)).toThrow('D_Beijing_1954');
  });

  it('rejects projections other than Transverse Mercator, naming them', () => {
    const lcc = ZONE_34.replace('Gauss_Kruger', 'Lambert_Conformal_Conic');
    expect(() => crsFromPrj(lcc)).toThrow('Lambert_Conformal_Conic');
  });

  it('reads an ESRI Web Mercator .prj', () => {
    const wkt =
      'PROJCS["WGS_1984_Web_Mercator_Auxiliary_Sphere",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Mercator_Auxiliary_Sphere"],PARAMETER["False_Easting",0.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",0.0],PARAMETER["Standard_Parallel_1",0.0],PARAMETER["Auxiliary_Sphere_Type",0.0],UNIT["Meter",1.0]]';
    expect(crsFromPrj(wkt)).toMatchObject({ kind: 'projected', epsg: 3857 });
  });

  it('reports malformed WKT', () => {
    expect(() => crsFromPrj('PROJCS["x",GEOGCS[')).toThrow(/malformed WKT/);
  });
});

describe('parseWkt', () => {
  it('parses nested nodes, numbers, bare words and doubled quotes', () => {
    expect(parseWkt('A["say ""hi""",-1.5e3,B(north,2)]')).toEqual({
      keyword: 'A',
      args: ['say "hi"', -1500, { keyword: 'B', args: ['north', 2] }],
    });
  });

  it('rejects trailing text', () => {
    expect(() => parseWkt('A[1] B[2]')).toThrow(/trailing/);
  });
});
