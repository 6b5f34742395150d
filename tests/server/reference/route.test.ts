import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Geometry } from 'geojson';
import { DEFAULT_CACHE_POLICY } from '../../../server/cache/response-cache.ts';
import { referenceAnswer, type ReferenceFeature } from '../../../server/queries/reference.ts';
import { cityApp, type TestApp } from '../../helpers/app.ts';
import { writeReferenceFixtures } from './fixtures.ts';

let t: TestApp;
let files: ReturnType<typeof writeReferenceFixtures>;
const upload = (layer: string, path: string, filename: string) =>
  t.app.request(`/api/import/reference?filename=${filename}&layer=${layer}`, { method: 'POST', body: readFileSync(path) });
type Answer = { type: string; truncated: boolean; features: { geometry: Geometry; properties: { name: string | null; class: string } }[] };
const get = async (path: string) => {
  const res = await t.app.request(path);
  expect(res.status).toBe(200);
  return (await res.json()) as Answer;
};

beforeAll(async () => {
  // With the response cache, so the re-import test shows the cache follows the write.
  t = await cityApp({ cache: DEFAULT_CACHE_POLICY });
  files = writeReferenceFixtures(mkdtempSync(join(tmpdir(), 'civgrid-ref-')));
  expect((await upload('roads', files.roads, 'roads.geojson')).status).toBe(200);
  expect((await upload('poi', files.poi, 'poi.zip')).status).toBe(200);
});
afterAll(async () => t.cleanup());

describe('POST /api/import/reference', () => {
  it('answers 400 naming the layer when it is missing', async () => {
    const res = await t.app.request('/api/import/reference?filename=roads.geojson', { method: 'POST', body: readFileSync(files.roads) });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'invalid_parameter', details: [expect.objectContaining({ parameter: 'layer' })] } });
  });
});

describe('GET /api/reference/:layer', () => {
  it('sends every class at street zoom, only main and secondary roads zoomed out', async () => {
    expect((await get('/api/reference/roads?zoom=15')).features.map((f) => f.properties)).toEqual([
      { name: '关上中路', class: 'main' }, { name: '春城路', class: 'secondary' }, { name: '双桥巷', class: 'minor' },
    ]);
    expect((await get('/api/reference/roads?zoom=11')).features.map((f) => f.properties.class)).toEqual(['main', 'secondary']);
    expect((await get('/api/reference/poi?zoom=11')).features).toEqual([]);
  });

  it('keeps only features meeting the bbox', async () => {
    const all = await get('/api/reference/poi?zoom=15');
    const [lon, lat] = (all.features[1].geometry as { coordinates: number[] }).coordinates;
    const near = await get(`/api/reference/poi?zoom=15&bbox=${lon - 0.001},${lat - 0.001},${lon + 0.001},${lat + 0.001}`);
    expect(near.features.map((f) => f.properties.name)).toEqual(['关上医院']);
    expect(near.truncated).toBe(false);
  });

  it('follows a re-import at once through the response cache', async () => {
    expect((await get('/api/reference/water?zoom=12')).features).toEqual([]);
    expect((await t.app.request('/api/reference/water?zoom=12')).headers.get('x-civgrid-cache')).toBe('hit');
    expect((await upload('water', files.water, 'water.geojson')).status).toBe(200);
    expect((await get('/api/reference/water?zoom=12')).features.map((f) => f.properties.class)).toEqual(['area', 'river']);
  });

  it('answers 400 for an unknown layer or a bad bbox', async () => {
    expect((await t.app.request('/api/reference/buildings?zoom=12')).status).toBe(400);
    const res = await t.app.request('/api/reference/roads?zoom=12&bbox=1,2,3');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { details: [expect.objectContaining({ parameter: 'bbox' })] } });
  });
});

describe('referenceAnswer', () => {
  const line = (x: number, n: number, rank: number): ReferenceFeature => {
    const coordinates = Array.from({ length: n }, (_, i) => [102.7 + x, 24.9 + i * 0.001 + (i % 2) * 0.0004]);
    return { name: null, class: 'c', rank, geometry: { type: 'LineString', coordinates }, bbox: [102.7 + x, 24.9, 102.7 + x, 24.9 + n * 0.001], vertices: n };
  };

  it('stops at the vertex bound, keeping the most important features, and says so', () => {
    const features = [line(0, 10, 0), line(0.01, 10, 0), line(0.02, 10, 1)];
    const answer = referenceAnswer('roads', features, null, 17, { maxVertices: 25 });
    expect(answer.features).toHaveLength(2);
    expect(answer.truncated).toBe(true);
  });

  it('simplifies to about a pixel: fewer vertices zoomed out', () => {
    const f = [line(0, 200, 0)];
    const vertices = (z: number) => (referenceAnswer('roads', f, null, z).features[0].geometry as { coordinates: unknown[] }).coordinates.length;
    expect(vertices(17)).toBe(200);
    expect(vertices(12)).toBeLessThan(20);
  });
});
