/**
 * The geometry rules of imports over HTTP (which run them on the worker thread): the vertex limit,
 * `repair=1`, CRS detection for projected files without a .prj, and the refusal of files that land
 * wholly outside the deployment's regions unless `allowOutside=1`. A refused file changes nothing.
 */
import type { Position } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cityApp, type TestApp } from '../../helpers/app.ts';
import { fingerprint } from '../../helpers/db.ts';
import { buildShapefile, GK34_SQUARES, zipEntries, type Ring } from '../../helpers/fixture-writers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await cityApp({ importMaxVertices: 40 });
});
afterAll(async () => t.cleanup());

type Report = { ok: boolean; crs: string; plan?: { id: number }; features: number; repairs: { index: number; id?: string; what: string; where: string }[]; errors: { index?: number; id?: string; code: string; field?: string; reason: string }[] };

async function post(kind: string, filename: string, body: string | Uint8Array, query = ''): Promise<{ status: number; report: Report }> {
  const res = await t.app.request(`/api/import/${kind}?filename=${filename}${query}`, { method: 'POST', body: body as BodyInit });
  const json = (await res.json()) as Report & { error?: { details: Report } };
  return { status: res.status, report: json.error ? json.error.details : json };
}

/** Refused with `code` first, and not a row changed. */
async function refused(kind: string, filename: string, body: string | Uint8Array, code: string, query = ''): Promise<Report> {
  const before = await fingerprint(t.db);
  const { status, report } = await post(kind, filename, body, query);
  expect(status).toBe(422);
  expect(report.errors[0]!.code, JSON.stringify(report.errors)).toBe(code);
  expect(await fingerprint(t.db)).toEqual(before);
  return report;
}

const at = (i: number, j: number): Position => [Math.round((102.71 + i * 0.001) * 1e6) / 1e6, Math.round((24.91 + j * 0.001) * 1e6) / 1e6];
const ring = (...ij: [number, number][]): Position[] => [...ij.map(([i, j]) => at(i, j)), at(...ij[0]!)];
const grid = (code: string, coordinates: Position[][]) => ({ type: 'Feature', properties: { code, community: '530111001001' }, geometry: { type: 'Polygon', coordinates } });
const collection = (...features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features });

describe('vertex limit (CIVGRID_MAX_VERTICES)', () => {
  it('refuses a feature with more positions than the limit, naming the feature and its count', async () => {
    const circle: Position[] = [];
    for (let k = 0; k < 60; k++) circle.push([102.72 + 0.002 * Math.cos((k / 60) * 2 * Math.PI), 24.92 + 0.002 * Math.sin((k / 60) * 2 * Math.PI)]);
    circle.push(circle[0]!);
    const report = await refused('grids', 'big.geojson', collection(grid('G-SMALL', [ring([0, 0], [1, 0], [1, 1], [0, 1])]), grid('G-BIG', [circle])), 'too_many_vertices');
    expect(report.errors[0]).toMatchObject({ index: 1, id: 'G-BIG', field: 'geometry' });
    expect(report.errors[0]!.reason).toContain('61 positions, more than the limit of 40');
  });
});

describe('repair=1', () => {
  // Two neighbours splitting a 4×2 block along a zigzag; both touch themselves at (2, 1) on the shared line.
  const a = grid('G-A', [ring([0, 0], [2, 0], [2, 1], [3, 1], [3, 2], [2, 2], [2, 1], [1, 1], [1, 2], [0, 2])]);
  const b = grid('G-B', [ring([2, 0], [4, 0], [4, 2], [3, 2], [3, 1], [2, 1], [2, 2], [1, 2], [1, 1], [2, 1])]);

  it('without it, self-touching outlines are refused', async () => {
    await refused('grids', 'touching.geojson', collection(a, b), 'self_intersection');
  });

  it('with it, they are repaired, every fix is listed, and the neighbours still tile the block', async () => {
    // Into a new draft: the published plan's publish checks (not this test's subject) would refuse the squares.
    const { status, report } = await post('grids', 'touching.geojson', collection(a, b), '&repair=1&asDraft=1');
    expect(status, JSON.stringify(report.errors)).toBe(200);
    expect(report.repairs).toEqual([
      { index: 0, id: 'G-A', what: 'self_touch', where: `outer ring at [${at(2, 1).join(', ')}]`, detail: 'ring cut where it touches itself' },
      { index: 1, id: 'G-B', what: 'self_touch', where: `outer ring at [${at(2, 1).join(', ')}]`, detail: 'ring cut where it touches itself' },
    ]);
    const rows = await t.db.all<{ code: string; area_km2: number; geometry: string }>(
      `SELECT code, area_km2, geometry FROM grids WHERE code IN ('G-A', 'G-B') AND plan_id = $plan ORDER BY code`, { plan: report.plan!.id },
    );
    expect(rows.map((r) => JSON.parse(r.geometry).type)).toEqual(['MultiPolygon', 'MultiPolygon']);
    // Each half is half of the 4×2 block of 0.001° cells (≈ 0.1 × 0.1 km each).
    expect(rows[0]!.area_km2).toBeCloseTo(rows[1]!.area_km2, 6);
  });

  it('does not repair a bow tie', async () => {
    await refused('grids', 'bowtie.geojson', collection(grid('G-BOW', [ring([0, 0], [2, 2], [2, 0], [0, 2])])), 'self_intersection', '&repair=1');
  });
});

describe('geometry that looks valid but is wrong', () => {
  it('refuses a hole outside its shell', async () => {
    await refused('grids', 'hole.geojson', collection(grid('G-HOLE', [ring([0, 0], [2, 0], [2, 2], [0, 2]), ring([5, 0], [6, 0], [6, 1], [5, 1])])), 'hole_outside_shell');
  });

  it('refuses a geometry with a crs member or a bbox that does not contain it', async () => {
    const g = grid('G-CRS', [ring([0, 0], [2, 0], [2, 2], [0, 2])]);
    await refused('grids', 'crs.geojson', collection({ ...g, geometry: { ...g.geometry, crs: { type: 'name', properties: { name: 'EPSG:4326' } } } }), 'crs_on_geometry');
    await refused('grids', 'bbox.geojson', collection({ ...g, geometry: { ...g.geometry, bbox: [0, 0, 1, 1] } }), 'bad_bbox');
  });
});

/** Grids of GK zone 34 as a zipped Shapefile without a .prj, eastings shifted by `dx`. */
function gkZip(dx: number): Uint8Array {
  const shp = buildShapefile(
    GK34_SQUARES.map((r: Ring, i) => ({
      geometry: { type: 'Polygon', coordinates: [r.map(([x, y]) => [x + dx, y])] },
      properties: { code: `GK-${dx}-${i}`, community: '530111001001' },
    })),
    [{ name: 'code', type: 'C', length: 20 }, { name: 'community', type: 'C', length: 12 }],
    'utf8',
  );
  return zipEntries({ 'g.shp': shp.shp, 'g.shx': shp.shx, 'g.dbf': shp.dbf });
}

describe('projected coordinates without a .prj', () => {
  it('reads the zone from a zone-prefixed easting and says so', async () => {
    const { status, report } = await post('grids', 'gk.zip', gkZip(0), '&asDraft=1');
    expect(status, JSON.stringify(report.errors)).toBe(200);
    expect(report.crs).toContain('EPSG:4522');
    expect(report.crs).toContain('zone 34 read from the easting prefix');
  });

  it('without a prefix, refuses and suggests accepted codes, the one landing in the regions first', async () => {
    const report = await refused('grids', 'cm.zip', gkZip(-34_000_000), 'crs_undetermined');
    const reason = report.errors[0]!.reason;
    expect(reason).toMatch(/e\.g\. EPSG:4543 \(3-degree Gauss-Kruger CM 102E\) puts them at lon 102\.\d+, lat 24\.\d+, inside 官渡区/);
    expect(reason).not.toContain('EPSG:4522');
    const { status } = await post('grids', 'cm.zip', gkZip(-34_000_000), '&crs=EPSG:4543&asDraft=1');
    expect(status).toBe(200);
  });

  it('refuses a wrong central meridian that puts every feature ~900 km outside the regions', async () => {
    const report = await refused('grids', 'cm.zip', gkZip(-34_000_000), 'outside_regions', '&crs=EPSG:4540');
    expect(report.errors[0]!.reason).toContain('outside the imported regions (官渡区)');
    expect(report.errors[0]!.reason).toContain('allowOutside=1');
  });
});

describe('files wholly outside the regions', () => {
  const chengdu = collection({ type: 'Feature', properties: { id: 'S-CD', type: 'market', name: '成都的市场' }, geometry: { type: 'Point', coordinates: [104.06, 30.67] } });

  it('are refused', async () => {
    await refused('sites', 'far.geojson', chengdu, 'outside_regions');
  });

  it('are accepted with allowOutside=1', async () => {
    const { status } = await post('sites', 'far.geojson', chengdu, '&allowOutside=1');
    expect(status).toBe(200);
  });

  it('are accepted when one feature lands inside', async () => {
    const near = JSON.parse(chengdu);
    near.features.push({ type: 'Feature', properties: { id: 'S-KM', type: 'market', name: '关上的市场' }, geometry: { type: 'Point', coordinates: [102.72, 24.92] } });
    const { status } = await post('sites', 'near.geojson', JSON.stringify(near));
    expect(status).toBe(200);
  });
});
