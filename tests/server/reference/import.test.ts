import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../../server/db/database.ts';
import { DEFAULT_MAX_VERTICES } from '../../../server/env.ts';
import { runImport } from '../../../server/import/pipeline.ts';
import { fingerprint, freshDb, importOk } from '../../helpers/db.ts';
import { gk34ToLonLat } from '../../helpers/fixture-writers.ts';
import { collection, GK_ORIGIN, writeReferenceFixtures } from './fixtures.ts';

let db: Database;
let dir: string;
let cleanup: () => Promise<void>;
let files: ReturnType<typeof writeReferenceFixtures>;
beforeEach(async () => {
  ({ db, dir, cleanup } = await freshDb());
  files = writeReferenceFixtures(dir);
});
afterEach(async () => cleanup());

type Row = { seq: number; name: string | null; class: string; rank: number; geometry: string; vertices: number };
const rows = (layer: string) => db.all<Row>('SELECT seq, name, class, rank, geometry, vertices FROM reference_features WHERE layer = $layer ORDER BY seq', { layer });

describe('importing reference layers', () => {
  it('reads roads from GeoJSON in a projected CRS, with name and class from common attribute names', async () => {
    const report = await importOk(db, { kind: 'reference', layer: 'roads', path: files.roads });
    expect(report).toMatchObject({ ok: true, features: 3, inserted: 3 });
    expect(report.crs).toContain('4522');
    const got = await rows('roads');
    expect(got.map((r) => [r.name, r.class, r.rank])).toEqual([['关上中路', 'main', 0], ['春城路', 'secondary', 1], ['双桥巷', 'minor', 2]]);
    const [lon, lat] = (JSON.parse(got[0].geometry) as { coordinates: number[][] }).coordinates[0];
    const [eLon, eLat] = gk34ToLonLat(GK_ORIGIN);
    expect(lon).toBeCloseTo(eLon, 7);
    expect(lat).toBeCloseTo(eLat, 7);
    expect(got[2].vertices).toBe(2);
  });

  it('reads water as rivers (lines) and areas (polygons)', async () => {
    await importOk(db, { kind: 'reference', layer: 'water', path: files.water });
    expect((await rows('water')).map((r) => [r.name, r.class])).toEqual([['宝象河', 'river'], ['示例湖', 'area']]);
  });

  it('reads landmarks from a zipped Shapefile with a GK .prj and a GBK .dbf', async () => {
    const report = await importOk(db, { kind: 'reference', layer: 'poi', path: files.poi });
    expect(report.format).toBe('shapefile');
    const got = await rows('poi');
    expect(got.map((r) => [r.name, r.class])).toEqual([['双桥村综合农贸市场', '农贸市场'], ['关上医院', '医院']]);
    const [lon] = (JSON.parse(got[0].geometry) as { coordinates: number[] }).coordinates;
    expect(lon).toBeCloseTo(gk34ToLonLat([GK_ORIGIN[0] + 100, GK_ORIGIN[1] + 100])[0], 7);
  });

  it('replaces the whole layer on a new import and leaves the other layers alone', async () => {
    await importOk(db, { kind: 'reference', layer: 'roads', path: files.roads });
    await importOk(db, { kind: 'reference', layer: 'water', path: files.water });
    const one = join(dir, 'one-road.geojson');
    writeFileSync(one, collection([{ properties: { name: '新路' }, geometry: { type: 'LineString', coordinates: [[102.71, 24.91], [102.72, 24.92]] } }]));
    await importOk(db, { kind: 'reference', layer: 'roads', path: one });
    expect((await rows('roads')).map((r) => r.name)).toEqual(['新路']);
    expect(await rows('water')).toHaveLength(2);
  });

  it('moves the reference data version, and not the issues', async () => {
    const before = { reference: db.version.of('reference'), rewritten: db.version.of('issuesRewritten') };
    await importOk(db, { kind: 'reference', layer: 'water', path: files.water });
    expect(db.version.of('reference')).toBeGreaterThan(before.reference);
    expect(db.version.of('issuesRewritten')).toBe(before.rewritten);
  });
});

describe('rejecting reference files whole', () => {
  const reject = async (name: string, text: string, layer: 'roads' | 'water' | 'poi') => {
    await importOk(db, { kind: 'reference', layer: 'roads', path: files.roads });
    const before = await fingerprint(db);
    const path = join(dir, name);
    writeFileSync(path, text);
    const report = await runImport(db, { kind: 'reference', layer, path });
    expect(report.ok).toBe(false);
    expect(await fingerprint(db)).toEqual(before);
    return report;
  };

  it('refuses a geometry type the layer does not take, naming the feature', async () => {
    const text = collection([
      { properties: { name: '好路' }, geometry: { type: 'LineString', coordinates: [[102.71, 24.91], [102.72, 24.92]] } },
      { properties: { name: '一个点' }, geometry: { type: 'Point', coordinates: [102.71, 24.91] } },
    ]);
    const report = await reject('roads-point.geojson', text, 'roads');
    expect(report.errors).toEqual([expect.objectContaining({ index: 1, field: 'geometry', code: 'type_not_allowed' })]);
    expect(report.errors[0].reason).toContain('LineString');
  });

  it('refuses a feature with too many vertices, naming it', async () => {
    const coordinates = Array.from({ length: DEFAULT_MAX_VERTICES + 1 }, (_, i) => [102.71 + i * 1e-6, 24.91]);
    const report = await reject('long.geojson', collection([{ properties: { name: '长路' }, geometry: { type: 'LineString', coordinates } }]), 'roads');
    expect(report.errors).toEqual([expect.objectContaining({ index: 0, code: 'too_many_vertices' })]);
    expect(report.errors[0].reason).toContain(String(DEFAULT_MAX_VERTICES));
  });

  it('refuses a landmark without a name', async () => {
    const report = await reject('poi.geojson', collection([{ properties: { 类型: '医院' }, geometry: { type: 'Point', coordinates: [102.71, 24.91] } }]), 'poi');
    expect(report.errors).toEqual([expect.objectContaining({ index: 0, field: 'name', code: 'required' })]);
  });

  it('needs the layer named', async () => {
    const report = await runImport(db, { kind: 'reference', path: files.water });
    expect(report).toMatchObject({ ok: false, errors: [expect.objectContaining({ field: 'layer', code: 'layer_required' })] });
  });
});
