/**
 * Importing a city: a city file, a district alone (as before), a district into an existing city by
 * its code or its parent field; and the refusals, all or nothing, naming the codes: a second city,
 * a district outside the city's prefix or under another parent, two districts without a city, a
 * street whose parent is a city.
 */
import type { Feature } from 'geojson';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../../server/db/database.ts';
import { readMeta } from '../../../server/queries/meta.ts';
import { topRegion } from '../../../server/kpi/resolve.ts';
import { fingerprint, freshDb, importCity } from '../../helpers/db.ts';
import { CITY_CODE, cityFeature, FIRST, importFeatures, SECOND, secondDistrictRegions } from './two-districts.ts';

let db: Database;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ db, cleanup } = await freshDb());
});
afterEach(async () => cleanup());

const parents = async () => Object.fromEntries(
  (await db.all<{ code: string; parent: string | null }>(`SELECT code, parent FROM regions WHERE level IN ('city', 'district') ORDER BY code`)).map((r) => [r.code, r.parent]),
);

/** Imports regions that must be refused: nothing written, and the problems returned. */
async function refused(features: Feature[]) {
  const before = await fingerprint(db);
  const report = await importFeatures(db, 'regions', features, { allowOutside: true });
  expect(report.ok).toBe(false);
  expect(await fingerprint(db)).toEqual(before);
  return report.errors;
}

describe('importing a city', () => {
  it('takes a city file (city, districts, streets, communities): the city is the top, its level inferred from the code', async () => {
    const report = await importFeatures(db, 'regions', [cityFeature(), ...secondDistrictRegions(CITY_CODE)]);
    expect(report.ok, JSON.stringify(report.errors)).toBe(true);
    expect(await db.one(`SELECT level FROM regions WHERE code = '${CITY_CODE}'`)).toEqual({ level: 'city' });
    expect(await topRegion(db)).toEqual({ level: 'city', code: CITY_CODE, name: '昆明市' });
    const meta = await readMeta(db);
    expect(meta.top).toEqual({ level: 'city', code: CITY_CODE, name: '昆明市' });
    expect(meta.regions.map((r) => r.code)).toEqual([CITY_CODE]);
    expect(meta.regions[0].children.map((d) => [d.code, d.level])).toEqual([[SECOND, 'district']]);
  });

  it('takes a district alone, as before: the district is the top', async () => {
    await importCity(db, ['regions']);
    expect(await topRegion(db)).toEqual({ level: 'district', code: FIRST, name: '官渡区' });
    expect((await readMeta(db)).top).toEqual({ level: 'district', code: FIRST, name: '官渡区' });
  });

  it('hangs a district under the existing city by its code, or by its parent field', async () => {
    expect((await importFeatures(db, 'regions', [cityFeature()])).ok).toBe(true);
    await importCity(db, ['regions']);
    expect((await importFeatures(db, 'regions', secondDistrictRegions(CITY_CODE))).ok).toBe(true);
    expect(await parents()).toEqual({ [CITY_CODE]: null, [FIRST]: CITY_CODE, [SECOND]: CITY_CODE });
  });

  it('hangs a district imported before its city under the city', async () => {
    await importCity(db, ['regions']);
    expect((await importFeatures(db, 'regions', [cityFeature(), ...secondDistrictRegions()])).ok).toBe(true);
    expect(await parents()).toEqual({ [CITY_CODE]: null, [FIRST]: CITY_CODE, [SECOND]: CITY_CODE });
    expect(await topRegion(db)).toMatchObject({ level: 'city', code: CITY_CODE });
  });

  it('refuses two cities in one file, naming both', async () => {
    const errors = await refused([cityFeature(), cityFeature('530200', '玉溪市')]);
    expect(errors.map((e) => e.code)).toEqual(['second_city', 'second_city']);
    expect(errors[0].reason).toContain('530100, 530200');
  });

  it('refuses a second city across two imports', async () => {
    expect((await importFeatures(db, 'regions', [cityFeature()])).ok).toBe(true);
    const errors = await refused([cityFeature('530300', '曲靖市')]);
    expect(errors).toMatchObject([{ id: '530300', code: 'second_city' }]);
    expect(errors[0].reason).toContain('530100');
  });

  it('refuses a district outside the city’s prefix, in the file or already imported', async () => {
    const outside = secondDistrictRegions().map((f) => ({ ...f, properties: { ...f.properties, code: String(f.properties!.code).replace(SECOND, '530211'), parent: f.properties!.parent && String(f.properties!.parent).replace(SECOND, '530211') } }));
    let errors = await refused([cityFeature(), ...outside]);
    expect(errors).toMatchObject([{ id: '530211', code: 'outside_city' }]);
    expect(errors[0].reason).toContain('530100');
    expect((await importFeatures(db, 'regions', outside)).ok).toBe(true);
    errors = await refused([cityFeature()]);
    expect(errors).toMatchObject([{ id: CITY_CODE, code: 'outside_city' }]);
    expect(errors[0].reason).toContain('530211');
  });

  it('refuses a district whose parent field names another region than the city', async () => {
    const errors = await refused([cityFeature(), ...secondDistrictRegions('530000')]);
    expect(errors).toMatchObject([{ id: SECOND, field: 'parent', code: 'wrong_parent' }]);
  });

  it('refuses a second district without a city', async () => {
    await importCity(db, ['regions']);
    const errors = await refused(secondDistrictRegions());
    expect(errors).toMatchObject([{ id: SECOND, code: 'no_city' }]);
    expect(errors[0].reason).toContain(`${FIRST}, ${SECOND}`);
  });

  it('refuses a street whose parent is a city', async () => {
    const street = { type: 'Feature' as const, properties: { code: '530100001', name: '错街道', parent: CITY_CODE }, geometry: cityFeature().geometry };
    const errors = await refused([cityFeature(), street]);
    expect(errors).toMatchObject([{ id: '530100001', code: 'wrong_parent_level' }]);
    expect(errors[0].reason).toContain(CITY_CODE);
  });
});
