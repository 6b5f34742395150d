/**
 * Property-based tests (fast-check) of the two parsers every request and file goes through: the
 * GeoJSON geometry validator and the analytics query parameters. Seeds are fixed so a failure
 * reproduces; fast-check prints the shrunk counterexample.
 */
import fc from 'fast-check';
import type { Position } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../server/domain/errors.ts';
import { errorResponse } from '../../../server/errors.ts';
import { filterQuery, periodOf } from '../../../server/kpi/filters.ts';
import { resolveFilters } from '../../../server/kpi/resolve.ts';
import { WGS84 } from '../../../server/spatial/crs.ts';
import { CHINA_LONLAT_BOX, validateGeometry, type ValidateOptions } from '../../../server/spatial/validate.ts';
import { cityApp, type TestApp } from '../../helpers/app.ts';
import { fingerprint } from '../../helpers/db.ts';

const RUNS = { numRuns: 300, seed: 20261125 };
const ANY: ValidateOptions = { allowed: ['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon'], crs: WGS84 };
const CODES = ['missing', 'type_not_allowed', 'bad_coordinates', 'out_of_range', 'lonlat_swapped', 'ring_not_closed', 'ring_too_short', 'self_intersection', 'empty'];
const codes = (g: unknown) => validateGeometry(g, ANY).map((p) => p.code);

const [minLon, minLat, maxLon, maxLat] = CHINA_LONLAT_BOX;
/** Longitude/latitude well inside China, where nothing is suspicious. */
const lon = fc.double({ min: minLon + 1, max: maxLon - 1, noNaN: true });
const lat = fc.double({ min: minLat + 1, max: maxLat - 1, noNaN: true });
const size = fc.double({ min: 1e-5, max: 0.5, noNaN: true });
/** An axis-aligned rectangle, counter-clockwise and closed. */
const rectangle = fc.tuple(lon, lat, size, size).map(([x, y, w, h]): Position[] => [[x, y], [x + w, y], [x + w, y + h], [x, y + h], [x, y]]);

describe('validateGeometry (property-based)', () => {
  it('never throws on arbitrary input and only reports known problem codes', () => {
    const geometryish = fc.oneof(
      fc.anything(),
      fc.record({ type: fc.constantFrom('Point', 'LineString', 'Polygon', 'MultiPolygon', 'MultiPoint', 'GeometryCollection', 'Circle'), coordinates: fc.anything() }),
      fc.record({ type: fc.constant('Polygon'), coordinates: fc.array(fc.array(fc.array(fc.oneof(fc.double(), fc.string(), fc.constant(null)), { maxLength: 4 }), { maxLength: 8 }), { maxLength: 3 }) }),
    );
    fc.assert(
      fc.property(geometryish, (g) => {
        const problems = validateGeometry(g, ANY);
        for (const p of problems) {
          expect(CODES).toContain(p.code);
          expect(p.field).toBe('geometry');
          expect(p.reason.length).toBeGreaterThan(5);
        }
      }),
      RUNS,
    );
  });

  it('accepts every rectangle and every point inside China', () => {
    fc.assert(fc.property(rectangle, (ring) => void expect(codes({ type: 'Polygon', coordinates: [ring] })).toEqual([])), RUNS);
    fc.assert(fc.property(lon, lat, (x, y) => void expect(codes({ type: 'Point', coordinates: [x, y] })).toEqual([])), RUNS);
  });

  it('accepts a valid ring whichever vertex it starts at', () => {
    fc.assert(
      fc.property(rectangle, fc.integer({ min: 0, max: 3 }), (ring, k) => {
        const open = ring.slice(0, -1);
        const rotated = [...open.slice(k), ...open.slice(0, k)];
        expect(codes({ type: 'Polygon', coordinates: [[...rotated, rotated[0]!]] })).toEqual([]);
      }),
      RUNS,
    );
  });

  it('reports a ring whose last position is dropped as not closed', () => {
    fc.assert(
      fc.property(rectangle, (ring) => {
        // 5 positions → 4: still long enough, so the missing closure is the problem named.
        expect(codes({ type: 'Polygon', coordinates: [ring.slice(0, -1)] })).toContain('ring_not_closed');
      }),
      RUNS,
    );
  });

  it('reports a bow-tie (edges crossing) as self-intersecting', () => {
    fc.assert(
      fc.property(lon, lat, size, size, (x, y, w, h) => {
        const bowtie = [[x, y], [x + w, y + h], [x + w, y], [x, y + h], [x, y]];
        expect(codes({ type: 'Polygon', coordinates: [bowtie] })).toEqual(['self_intersection']);
      }),
      RUNS,
    );
  });

  it('reports NaN, Infinity or text anywhere in the coordinates as bad_coordinates', () => {
    const poison = fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, '102.7', null);
    fc.assert(
      fc.property(rectangle, fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 1 }), poison, (ring, i, axis, bad) => {
        const broken = ring.map((p) => [...p]) as unknown[][];
        broken[i]![axis] = bad;
        expect(codes({ type: 'Polygon', coordinates: [broken] })).toContain('bad_coordinates');
      }),
      RUNS,
    );
  });

  it('reports positions beyond ±180/±90 as out of range', () => {
    const wild = fc.oneof(fc.double({ min: 180.000001, max: 1e9, noNaN: true }), fc.double({ min: -1e9, max: -180.000001, noNaN: true }));
    fc.assert(fc.property(wild, lat, (x, y) => void expect(codes({ type: 'Point', coordinates: [x, y] })).toEqual(['out_of_range'])), RUNS);
  });

  it('names swapped axes when only [lat, lon] makes sense', () => {
    // Latitudes 3–54 read as longitudes lie outside China's longitudes (73–136) and the reverse.
    const chinaLon = fc.double({ min: 73.5, max: 135.5, noNaN: true });
    const chinaLat = fc.double({ min: 3.5, max: 53.5, noNaN: true });
    fc.assert(fc.property(chinaLon, chinaLat, (x, y) => void expect(codes({ type: 'Point', coordinates: [y, x] })).toEqual(['lonlat_swapped'])), RUNS);
  });
});

describe('filter query parameters (property-based)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await cityApp();
  });
  afterAll(async () => t.cleanup());

  const day = fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
  const KNOWN = { scope: ['district:530111', 'street:530111001', 'street:530111002', 'community:530111001002', 'grid:530111001001001', 'site:S1'], category: ['01', '0101', '0102', '02', '0201', '0202'] };

  it('parsing never throws: any parameters either parse or name what is wrong', () => {
    const key = fc.constantFrom('scope', 'from', 'to', 'category', 'source', 'status', 'siteType', 'plan', 'other');
    const value = fc.oneof(fc.string(), fc.array(fc.string(), { maxLength: 3 }), day, fc.constantFrom(...KNOWN.scope, "' OR 1=1 --", '2026-02-30'));
    fc.assert(
      fc.property(fc.dictionary(key, value), (q) => {
        const r = filterQuery.safeParse(q);
        if (!r.success) for (const issue of r.error.issues) expect(Object.keys(filterQuery.shape)).toContain(String(issue.path[0]));
      }),
      RUNS,
    );
  });

  it('a repeated parameter means the same as a comma-separated one', () => {
    fc.assert(
      fc.property(fc.subarray(KNOWN.category, { minLength: 1 }), (cats) => {
        const repeated = filterQuery.parse({ category: cats });
        const joined = filterQuery.parse({ category: cats.join(',') });
        expect(repeated.category).toEqual(joined.category);
      }),
      RUNS,
    );
  });

  it('a single day is exactly 24 hours starting at midnight Asia/Shanghai', () => {
    fc.assert(
      fc.property(day, (d) => {
        const q = filterQuery.parse({ from: d, to: d });
        const { start, end } = periodOf(q);
        expect(end!.getTime() - start!.getTime()).toBe(86_400_000);
        expect(new Date(start!.getTime() + 8 * 3_600_000).toISOString()).toBe(`${d}T00:00:00.000Z`);
      }),
      RUNS,
    );
  });

  it('refuses impossible calendar dates, naming the parameter', () => {
    const bad = fc.oneof(
      fc.tuple(fc.integer({ min: 1990, max: 2100 }), fc.integer({ min: 13, max: 99 }), fc.integer({ min: 1, max: 28 })),
      fc.tuple(fc.integer({ min: 1990, max: 2100 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 32, max: 99 })),
      fc.tuple(fc.integer({ min: 1990, max: 2100 }), fc.constant(2), fc.integer({ min: 30, max: 31 })),
    ).map(([y, m, d]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
    fc.assert(
      fc.property(bad, (d) => {
        const r = filterQuery.safeParse({ from: d });
        expect(r.success).toBe(false);
        expect(r.error!.issues[0]!.path[0]).toBe('from');
      }),
      RUNS,
    );
  });

  it('resolves valid filters to a period in order and categories of the taxonomy only', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...KNOWN.scope), day, day, fc.subarray(KNOWN.category), async (scope, a, b, cats) => {
        const [from, to] = a <= b ? [a, b] : [b, a];
        const f = await resolveFilters(t.db, filterQuery.parse({ scope, from, to, category: cats.length ? cats : undefined }));
        expect(f.start!.getTime()).toBeLessThan(f.end!.getTime());
        for (const c of f.categories ?? []) expect(KNOWN.category).toContain(c);
        if (cats.includes('01')) expect(f.categories).toEqual(expect.arrayContaining(['0101', '0102']));
      }),
      { numRuns: 60, seed: RUNS.seed },
    );
  });

  it('resolves unknown scopes and categories to a 400 naming the parameter, never a 500', async () => {
    const id = fc.stringMatching(/^[\w.-]{1,64}$/);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('street', 'community', 'grid', 'site'), id, async (level, code) => {
        if (KNOWN.scope.includes(`${level}:${code}`)) return;
        const err = await resolveFilters(t.db, filterQuery.parse({ scope: `${level}:${code}` })).then(() => null, (e: unknown) => e);
        expect(err).toBeInstanceOf(InvalidInputError);
        expect(err).toMatchObject({ code: 'invalid_parameter', details: [{ parameter: 'scope' }] });
        expect(errorResponse(err)?.status).toBe(400);
      }),
      { numRuns: 60, seed: RUNS.seed },
    );
  });

  it('any query string to the summary answers 200 or 400, never 500, and changes nothing', async () => {
    const before = await fingerprint(t.db);
    const key = fc.constantFrom('scope', 'from', 'to', 'category', 'source', 'status', 'siteType', 'plan');
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(key, fc.oneof(fc.string(), fc.constantFrom(...KNOWN.scope, ...KNOWN.category, "'; DROP TABLE issues; --"))), { maxLength: 5 }), async (pairs) => {
        const qs = new URLSearchParams(pairs).toString();
        const res = await t.app.request(`/api/stats/summary?${qs}`);
        expect([200, 400], `${qs} → ${res.status}`).toContain(res.status);
        await res.arrayBuffer();
      }),
      { numRuns: 150, seed: RUNS.seed },
    );
    expect(await fingerprint(t.db)).toEqual(before);
  });
});
