/**
 * A small city for the tests of the city level: 昆明市 530100 holding the fixture district (官渡区
 * 530111, tests/fixtures/city) and a second district, 测试区 530112, made from the fixture by
 * translating it 0.3° east and renaming its codes, with its issues twice over (3 and 33 days
 * earlier), so the two districts differ in every period. The fixture's I07 lies in the city's
 * square but in no street: in no district, so not in the city either.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Feature, FeatureCollection, Geometry, Position } from 'geojson';
import type { Database } from '../../../server/db/database.ts';
import { runImport } from '../../../server/import/pipeline.ts';
import type { ImportKind } from '../../../server/import/kind.ts';
import { CITY } from '../../helpers/db.ts';
import { cityApp, type TestApp } from '../../helpers/app.ts';

export const CITY_CODE = '530100';
export const FIRST = '530111';
export const SECOND = '530112';
const EAST = 0.3;

const read = (kind: string): FeatureCollection => JSON.parse(readFileSync(join(CITY, `${kind}.geojson`), 'utf8'));

function moved(g: Geometry): Geometry {
  const shift = (p: Position): Position => [p[0] + EAST, p[1]];
  switch (g.type) {
    case 'Point': return { ...g, coordinates: shift(g.coordinates) };
    case 'LineString': return { ...g, coordinates: g.coordinates.map(shift) };
    case 'Polygon': return { ...g, coordinates: g.coordinates.map((ring) => ring.map(shift)) };
    default: throw new Error(`no ${g.type} in the fixture`);
  }
}

/** `2026-11-04T08:00:00(+08:00)` moved by whole days, its time and offset kept. */
function earlier(text: string, days: number): string {
  const day = new Date(`${text.slice(0, 10)}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() - days);
  return day.toISOString().slice(0, 10) + text.slice(10);
}

const renamed = (code: unknown) => (typeof code === 'string' ? code.replace(FIRST, SECOND) : code);

/** The square of the city, around both districts. */
export const cityFeature = (code = CITY_CODE, name = '昆明市'): Feature => ({
  type: 'Feature', properties: { code, name },
  geometry: { type: 'Polygon', coordinates: [[[102.7, 24.9], [103.2, 24.9], [103.2, 25.0], [102.7, 25.0], [102.7, 24.9]]] },
});

/** The second district's regions (district, streets, communities), with the district's parent as given. */
export function secondDistrictRegions(parent: string | null = null): Feature[] {
  return read('regions').features.map((f) => ({
    ...f, geometry: moved(f.geometry),
    properties: {
      ...f.properties, code: renamed(f.properties!.code),
      name: f.properties!.level === 'district' ? '测试区' : `东${f.properties!.name}`,
      parent: f.properties!.level === 'district' ? parent : renamed(f.properties!.parent),
    },
  }));
}

function secondDistrict(kind: 'grids' | 'sites' | 'issues'): Feature[] {
  const features = read(kind).features.map((f) => ({ ...f, geometry: moved(f.geometry) }));
  if (kind === 'grids') return features.map((f) => ({ ...f, properties: { ...f.properties, code: renamed(f.properties!.code), community: renamed(f.properties!.community) } }));
  if (kind === 'sites') return features.map((f) => ({ ...f, properties: { ...f.properties, id: `E${f.properties!.id}` } }));
  return [3, 33].flatMap((days) => features.map((f) => ({
    ...f,
    properties: Object.fromEntries(Object.entries(f.properties!).map(([k, v]) => [
      k, k === 'id' ? `E${days}-${v}` : /_at$|^deadline$/.test(k) && typeof v === 'string' ? earlier(v, days) : v,
    ])),
  })));
}

/** Writes features as a GeoJSON file in `dir`. */
function writeCollection(dir: string, name: string, features: readonly Feature[]): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify({ type: 'FeatureCollection', features }));
  return path;
}

/** Imports a feature list, returning the report (rejections included). */
export async function importFeatures(db: Database, kind: ImportKind, features: readonly Feature[], opts: { allowOutside?: boolean } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'civgrid-city-'));
  try {
    return await runImport(db, { kind, path: writeCollection(dir, `${kind}.geojson`, features), ...opts });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The fixture app with the city and the second district imported through the real pipeline. */
export async function twoDistrictApp(): Promise<TestApp> {
  const t = await cityApp();
  // The city file: the city and the new district's regions; 官渡区 (imported alone before) joins the city by its code.
  for (const [kind, features] of [
    ['regions', [cityFeature(), ...secondDistrictRegions()]],
    ['grids', secondDistrict('grids')],
    ['sites', secondDistrict('sites')],
    ['issues', secondDistrict('issues')],
  ] as const) {
    const report = await importFeatures(t.db, kind, features);
    if (!report.ok) throw new Error(`${kind} rejected: ${JSON.stringify(report.errors.slice(0, 5))}`);
  }
  return t;
}
