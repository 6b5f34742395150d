import type { Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { makeToWgs84, parseCrsName, WGS84 } from '../../../server/spatial/crs.js';
import { validateGeometry, type ValidateOptions } from '../../../server/spatial/validate.js';
import { seeded } from './random.js';

const POLYGONAL: ValidateOptions = { allowed: ['Polygon', 'MultiPolygon'], crs: WGS84 };
const ANY: ValidateOptions = {
  allowed: ['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon'],
  crs: WGS84,
};

/** A square ring near 官渡区 (lon, lat), side in degrees, counter-clockwise and closed. */
function square(x: number, y: number, side: number): Position[] {
  return [[x, y], [x + side, y], [x + side, y + side], [x, y + side], [x, y]];
}

const codes = (geom: unknown, opts: ValidateOptions = ANY) => validateGeometry(geom, opts).map((p) => p.code);

describe('validateGeometry: presence and type', () => {
  it('accepts a valid polygon', () => {
    expect(validateGeometry({ type: 'Polygon', coordinates: [square(102.7, 24.9, 0.01)] }, POLYGONAL)).toEqual([]);
  });

  it('reports a missing geometry', () => {
    expect(codes(null)).toEqual(['missing']);
    expect(codes(undefined)).toEqual(['missing']);
  });

  it('reports a type that is not allowed, naming it and what is allowed', () => {
    const [p] = validateGeometry({ type: 'Point', coordinates: [102.7, 24.9] }, POLYGONAL);
    expect(p).toEqual({ field: 'geometry', code: 'type_not_allowed', reason: expect.stringContaining('Point') });
    expect(p!.reason).toContain('Polygon, MultiPolygon');
  });

  it('reports unknown types and non-objects as not allowed', () => {
    expect(codes({ type: 'Circle', coordinates: [1, 2] })).toEqual(['type_not_allowed']);
    expect(codes({ type: 'toString', coordinates: [1, 2] }, { ...ANY, allowed: ['toString'] })).toEqual(['type_not_allowed']);
    expect(codes('POINT(102.7 24.9)')).toEqual(['type_not_allowed']);
    expect(codes({ type: 'GeometryCollection', geometries: [] })).toEqual(['type_not_allowed']);
  });
});

describe('validateGeometry: coordinates', () => {
  it.each([
    ['a string', { type: 'Point', coordinates: ['102.7', 24.9] }],
    ['NaN', { type: 'Point', coordinates: [Number.NaN, 24.9] }],
    ['Infinity', { type: 'LineString', coordinates: [[102.7, 24.9], [Infinity, 24.9]] }],
    ['a missing nesting level', { type: 'Polygon', coordinates: [[102.7, 24.9], [102.8, 24.9], [102.8, 25], [102.7, 24.9]] }],
    ['no coordinates member', { type: 'Point' }],
    ['a one-position line', { type: 'LineString', coordinates: [[102.7, 24.9]] }],
  ])('reports %s as bad_coordinates', (_what, geom) => {
    expect(codes(geom)).toEqual(['bad_coordinates']);
  });

  it('reports the path of the first bad position and how many more there are', () => {
    const [p] = validateGeometry({ type: 'MultiPoint', coordinates: [[102.7, 24.9], [null, 1], [null, 2]] }, ANY);
    expect(p!.reason).toContain('coordinates[1]');
    expect(p!.reason).toContain('and 1 more');
  });

  it.each([
    ['an empty point', { type: 'Point', coordinates: [] }],
    ['an empty polygon', { type: 'Polygon', coordinates: [] }],
    ['an empty multipolygon', { type: 'MultiPolygon', coordinates: [] }],
    ['an empty part of a multipolygon', { type: 'MultiPolygon', coordinates: [[square(102.7, 24.9, 0.01)], []] }],
    ['an empty line in a multilinestring', { type: 'MultiLineString', coordinates: [[[102.7, 24.9], [102.8, 24.9]], []] }],
  ])('reports %s as empty', (_what, geom) => {
    expect(codes(geom)).toEqual(['empty']);
  });
});

describe('validateGeometry: ranges', () => {
  it('reports longitudes beyond ±180', () => {
    expect(codes({ type: 'Point', coordinates: [200, 24.9] })).toEqual(['out_of_range']);
  });

  it('reports valid lon/lat outside China', () => {
    const [p] = validateGeometry({ type: 'Point', coordinates: [2.35, 48.85] }, ANY);
    expect(p!.code).toBe('out_of_range');
    expect(p!.reason).toContain('outside China');
  });

  it('hints at a missing CRS when lon/lat look like projected metres', () => {
    const [p] = validateGeometry({ type: 'Point', coordinates: [34_575_000, 2_760_000] }, ANY);
    expect(p!.code).toBe('out_of_range');
    expect(p!.reason).toContain('declare their CRS (--crs EPSG:<code>)');
    // No particular zone is suggested here: the import detects the zone or ranks the candidates.
    expect(p!.reason).not.toMatch(/EPSG:\d/);
  });

  it('reports swapped longitude and latitude', () => {
    const [p] = validateGeometry({ type: 'Point', coordinates: [24.95, 102.75] }, ANY);
    expect(p!.code).toBe('lonlat_swapped');
    expect(p!.reason).toContain('longitude and latitude appear swapped');
  });

  it('reports swapping once for a whole swapped polygon', () => {
    const swapped = square(102.7, 24.9, 0.01).map(([x, y]) => [y!, x!]);
    expect(codes({ type: 'Polygon', coordinates: [swapped] }, POLYGONAL)).toEqual(['lonlat_swapped']);
  });

  it('does not call a partly wrong geometry swapped', () => {
    expect(codes({ type: 'MultiPoint', coordinates: [[102.75, 24.95], [24.95, 102.75]] })).toEqual(['out_of_range']);
  });

  it('applies the same lon/lat checks to GCJ-02 input', () => {
    const gcj = { ...ANY, crs: parseCrsName('gcj02') };
    expect(validateGeometry({ type: 'Point', coordinates: [102.7515, 24.947] }, gcj)).toEqual([]);
    expect(codes({ type: 'Point', coordinates: [24.947, 102.7515] }, gcj)).toEqual(['lonlat_swapped']);
  });

  it('honours a custom plausible box', () => {
    expect(codes({ type: 'Point', coordinates: [2.35, 48.85] }, { ...ANY, plausible: [-10, 35, 30, 60] })).toEqual([]);
  });
});

describe('validateGeometry: projected input', () => {
  const zone34 = { ...ANY, crs: parseCrsName('EPSG:4522') };

  it('accepts zone-34 Gauss–Krüger coordinates', () => {
    expect(validateGeometry({ type: 'Point', coordinates: [34_575_000, 2_760_000] }, zone34)).toEqual([]);
  });

  it('reports an easting without the zone prefix and suggests the CM code', () => {
    const [p] = validateGeometry({ type: 'Point', coordinates: [575_000, 2_760_000] }, zone34);
    expect(p!.code).toBe('out_of_range');
    expect(p!.reason).toContain('no zone prefix');
  });

  it('reports a zone-prefixed easting under a CM code', () => {
    const [p] = validateGeometry({ type: 'Point', coordinates: [34_575_000, 2_760_000] }, { ...ANY, crs: parseCrsName('EPSG:4543') });
    expect(p!.reason).toContain('zone number 34');
  });

  it('reports northing/easting given in survey order (X = northing)', () => {
    const [p] = validateGeometry({ type: 'Point', coordinates: [2_760_000, 34_575_000] }, zone34);
    expect(p!.code).toBe('lonlat_swapped');
    expect(p!.reason).toContain('easting and northing appear swapped');
  });

  it('checks every position of a line against the zone', () => {
    expect(validateGeometry({ type: 'LineString', coordinates: [[34_575_000, 2_760_000], [34_576_000, 2_761_000]] }, zone34)).toEqual([]);
    expect(validateGeometry({ type: 'LineString', coordinates: [[34_575_000, 2_760_000], [-5, 2_761_000]] }, zone34)[0]!.code).toBe('out_of_range');
  });

  it('reports a self-intersection location in lon/lat as well as projected units', () => {
    const bowtie = [[34_575_000, 2_760_000], [34_576_000, 2_761_000], [34_576_000, 2_760_000], [34_575_000, 2_761_000], [34_575_000, 2_760_000]];
    const [p] = validateGeometry({ type: 'Polygon', coordinates: [bowtie] }, { allowed: ['Polygon'], crs: parseCrsName('EPSG:4522') });
    expect(p!.code).toBe('self_intersection');
    const [lon, lat] = makeToWgs84(parseCrsName('EPSG:4522'))(34_575_500, 2_760_500);
    expect(p!.reason).toContain(`lon ${lon.toFixed(6)}, lat ${lat.toFixed(6)} (x 34575500.0, y 2760500.0)`);
  });
});

describe('validateGeometry: rings', () => {
  it('reports an unclosed ring', () => {
    const ring = square(102.7, 24.9, 0.01).slice(0, 4);
    ring.push([102.7, 24.905]);
    expect(codes({ type: 'Polygon', coordinates: [ring] }, POLYGONAL)).toEqual(['ring_not_closed']);
  });

  it('reports a ring with fewer than 4 positions', () => {
    expect(codes({ type: 'Polygon', coordinates: [[[102.7, 24.9], [102.8, 24.9], [102.7, 24.9]]] }, POLYGONAL)).toEqual(['ring_too_short']);
  });

  it('reports a ring with 4 positions but only 2 distinct', () => {
    const ring = [[102.7, 24.9], [102.8, 24.9], [102.8, 24.9], [102.7, 24.9]];
    expect(codes({ type: 'Polygon', coordinates: [ring] }, POLYGONAL)).toEqual(['ring_too_short']);
  });

  it('names the hole that is too short', () => {
    const [p] = validateGeometry({ type: 'Polygon', coordinates: [square(102.7, 24.9, 0.01), []] }, POLYGONAL);
    expect(p).toMatchObject({ code: 'ring_too_short', reason: expect.stringContaining('hole 1') });
  });
});

describe('validateGeometry: self-intersection', () => {
  const bowtie = [[102.7, 24.9], [102.71, 24.91], [102.71, 24.9], [102.7, 24.91], [102.7, 24.9]];

  it('reports a bow-tie with the crossing location', () => {
    const [p] = validateGeometry({ type: 'Polygon', coordinates: [bowtie] }, POLYGONAL);
    expect(p!.code).toBe('self_intersection');
    expect(p!.reason).toContain('lon 102.705000, lat 24.905000');
  });

  it('reports a hole crossing the shell', () => {
    const hole = square(102.705, 24.902, 0.01).reverse();
    const [p] = validateGeometry({ type: 'Polygon', coordinates: [square(102.7, 24.9, 0.01), hole] }, POLYGONAL);
    expect(p).toMatchObject({ code: 'self_intersection', reason: expect.stringContaining('rings 0 and 1 cross') });
  });

  it('accepts a hole touching the shell at a single vertex', () => {
    const hole = [[102.7, 24.9], [102.702, 24.905], [102.705, 24.902], [102.7, 24.9]];
    expect(validateGeometry({ type: 'Polygon', coordinates: [square(102.7, 24.9, 0.01), hole] }, POLYGONAL)).toEqual([]);
  });

  it('reports a hole sharing a stretch of the shell boundary', () => {
    const hole = [[102.702, 24.9], [102.704, 24.9], [102.703, 24.903], [102.702, 24.9]];
    expect(codes({ type: 'Polygon', coordinates: [square(102.7, 24.9, 0.01), hole] }, POLYGONAL)).toEqual(['self_intersection']);
  });

  it('reports a spike that runs back over itself', () => {
    const ring = [[102.7, 24.9], [102.71, 24.9], [102.72, 24.9], [102.71, 24.9], [102.71, 24.91], [102.7, 24.9]];
    expect(codes({ type: 'Polygon', coordinates: [ring] }, POLYGONAL)).toEqual(['self_intersection']);
  });

  it('reports a ring pinched at one of its own vertices', () => {
    const figure8 = [[102.7, 24.9], [102.71, 24.9], [102.705, 24.905], [102.71, 24.91], [102.7, 24.91], [102.705, 24.905], [102.7, 24.9]];
    expect(codes({ type: 'Polygon', coordinates: [figure8] }, POLYGONAL)).toEqual(['self_intersection']);
  });

  it('ignores repeated consecutive positions', () => {
    const ring = [[102.7, 24.9], [102.71, 24.9], [102.71, 24.9], [102.71, 24.91], [102.7, 24.91], [102.7, 24.9]];
    expect(validateGeometry({ type: 'Polygon', coordinates: [ring] }, POLYGONAL)).toEqual([]);
  });

  it('checks each part of a MultiPolygon', () => {
    const [p] = validateGeometry({ type: 'MultiPolygon', coordinates: [[square(102.8, 24.9, 0.01)], [bowtie]] }, POLYGONAL);
    expect(p).toMatchObject({ code: 'self_intersection', reason: expect.stringContaining('part 1') });
  });

  it('handles 20k-vertex rings: a circle passes, the same circle with one vertex pushed across fails', () => {
    const n = 20_000;
    const circle: Position[] = [];
    for (let i = 0; i < n; i++) {
      const a = (2 * Math.PI * i) / n;
      circle.push([102.75 + 0.05 * Math.cos(a), 24.95 + 0.05 * Math.sin(a)]);
    }
    circle.push(circle[0]!);
    expect(validateGeometry({ type: 'Polygon', coordinates: [circle] }, POLYGONAL)).toEqual([]);
    const dented = circle.map((p) => [...p]);
    dented[5000] = [102.75, 24.95 - 0.06]; // from the top of the circle out through the bottom
    const [p] = validateGeometry({ type: 'Polygon', coordinates: [dented] }, POLYGONAL);
    expect(p!.code).toBe('self_intersection');
  });
});

describe('validateGeometry: long parallel strokes', () => {
  /** A comb: `teeth` tall thin teeth on a common base, as in hatched or strip-shaped parcels. */
  function comb(teeth: number): Position[] {
    const ring: Position[] = [];
    for (let i = 0; i < teeth; i++) {
      const x = 102.5 + i * 1e-4;
      ring.push([x, 24.9], [x, 25.4], [x + 0.5e-4, 25.4], [x + 0.5e-4, 24.9001]);
    }
    ring.push([102.5 + teeth * 1e-4, 24.9], [102.5 + teeth * 1e-4, 24.89], [102.5, 24.89], [102.5, 24.9]);
    return ring;
  }

  it('accepts a 5,000-tooth comb', () => {
    expect(validateGeometry({ type: 'Polygon', coordinates: [comb(5000)] }, POLYGONAL)).toEqual([]);
  });

  it('finds one tooth leaning into its neighbour', () => {
    const ring = comb(5000);
    ring[4 * 2500 + 2] = [102.5 + 2501.7 * 1e-4, 25.4]; // top-right corner of tooth 2500 pushed past tooth 2501
    const [p] = validateGeometry({ type: 'Polygon', coordinates: [ring] }, POLYGONAL);
    expect(p!.code).toBe('self_intersection');
  });
});

describe('validateGeometry: property checks', () => {
  const rand = seeded(7);

  /** A random convex polygon: points on an ellipse at sorted random angles. */
  function randomConvex(): Position[] {
    const n = 4 + Math.floor(rand() * 60);
    const angles = Array.from({ length: n }, () => rand() * 2 * Math.PI).sort((a, b) => a - b);
    const cx = 100 + rand() * 20;
    const cy = 25 + rand() * 15;
    const rx = 0.001 + rand() * 0.05;
    const ry = 0.001 + rand() * 0.05;
    const ring = angles.map((a) => [cx + rx * Math.cos(a), cy + ry * Math.sin(a)]);
    return [...ring, ring[0]!];
  }

  it('accepts 200 random convex polygons', () => {
    for (let k = 0; k < 200; k++) {
      const ring = randomConvex();
      expect(validateGeometry({ type: 'Polygon', coordinates: [ring] }, POLYGONAL), JSON.stringify(ring)).toEqual([]);
    }
  });

  it('rejects 200 random convex polygons with a reversed run of vertices (a bow-tie)', () => {
    for (let k = 0; k < 200; k++) {
      const open = randomConvex().slice(0, -1);
      // Reversing vertices i..j (2 ≤ length ≤ n-2) makes chords v(i-1)→vj and vi→v(j+1) cross.
      const n = open.length;
      const len = 2 + Math.floor(rand() * (n - 3));
      const i = 1 + Math.floor(rand() * (n - len));
      const twisted = [...open.slice(0, i), ...open.slice(i, i + len).reverse(), ...open.slice(i + len)];
      const ring = [...twisted, twisted[0]!];
      expect(codes({ type: 'Polygon', coordinates: [ring] }, POLYGONAL), JSON.stringify(ring)).toEqual(['self_intersection']);
    }
  });
});
