import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Polygon } from 'geojson';
import type { Database } from '../../../server/db/database.ts';
import { cachedGeometries } from '../../../server/queries/geo-geometry.ts';
import { freshDb, importCity } from '../../helpers/db.ts';

let db: Database;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ db, cleanup } = await freshDb());
  await importCity(db, ['categories', 'regions', 'grids']);
});
afterAll(async () => cleanup());

describe('cachedGeometries', () => {
  it('parses a shape once per version of the reference data', async () => {
    const first = await cachedGeometries(db, 'region', ['530111001'], { toleranceM: null });
    const again = await cachedGeometries(db, 'region', ['530111001'], { toleranceM: null });
    expect(again.get('530111001')).toBe(first.get('530111001'));

    // Writes of issues and drafts leave map shapes as they were.
    await db.transaction(['issues', 'issuesRewritten', 'drafts'], async () => undefined);
    expect((await cachedGeometries(db, 'region', ['530111001'], { toleranceM: null })).get('530111001')).toBe(first.get('530111001'));

    // A write of reference data moves the version on: the cache must not serve the old shape.
    const moved = { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] };
    await db.transaction(['reference'], (tx) => tx.run(`UPDATE regions SET geometry = $g WHERE code = '530111001'`, { g: JSON.stringify(moved) }));
    const fresh = await cachedGeometries(db, 'region', ['530111001'], { toleranceM: null });
    expect(fresh.get('530111001')).toEqual(moved);
  });

  it('simplifies with a tolerance in metres, keeping the unsimplified shape apart', async () => {
    // A 0.05° square with 50 collinear points on its south edge, and a 30 m (≈ 0.00027°) notch.
    const south = Array.from({ length: 51 }, (_, i) => [102.75 + i * 0.001, i === 25 ? 24.90027 : 24.9]);
    const ring = [...south, [102.8, 24.95], [102.75, 24.95], [102.75, 24.9]];
    await db.run(`UPDATE regions SET geometry = $g WHERE code = '530111002'`, { g: JSON.stringify({ type: 'Polygon', coordinates: [ring] }) });
    const item = '530111002';
    const full = (await cachedGeometries(db, 'region', [item], { toleranceM: null })).get('530111002') as Polygon;
    const coarse = (await cachedGeometries(db, 'region', [item], { toleranceM: 50 })).get('530111002') as Polygon;
    const fine = (await cachedGeometries(db, 'region', [item], { toleranceM: 10 })).get('530111002') as Polygon;
    expect(full.coordinates[0]).toHaveLength(54);
    // 50 m swallows the notch and every collinear point (4 corners + closing point); 10 m keeps the
    // notch's apex and its two base points.
    expect(coarse.coordinates[0]).toHaveLength(5);
    expect(fine.coordinates[0]).toHaveLength(8);
    expect(fine.coordinates[0]).toContainEqual([102.775, 24.90027]);
  });

  it('reads grids of the given plan only', async () => {
    const key = '530111001001001';
    expect((await cachedGeometries(db, 'grid', [key], { plan: 1, toleranceM: null })).get(key)?.type).toBe('Polygon');
    expect((await cachedGeometries(db, 'grid', [key], { plan: 2, toleranceM: null })).has(key)).toBe(false);
  });
});
