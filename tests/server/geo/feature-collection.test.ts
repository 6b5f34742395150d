import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { featureCollectionText } from '../../../server/queries/geo-geometry.ts';
import { FEATURES_PER_CHUNK, featureCollection } from '../../../server/routes/feature-collection.ts';

const features = Array.from({ length: 2 * FEATURES_PER_CHUNK + 34 }, (_, i) => ({
  id: `G${i}`,
  geometry: i % 7 ? { type: 'Polygon' as const, coordinates: [[[102 + i * 1e-4, 25], [102.001, 25], [102.001, 25.001], [102 + i * 1e-4, 25]]] } : null,
  properties: { code: `G${i}`, name: `网格"${i}"`, issues: i },
}));
const head = { plan: { id: 1, name: '现行' } };

describe('a FeatureCollection response', () => {
  it('is the collection text, serialised in chunks with turns of the event loop between them', async () => {
    const app = new Hono().get('/', (c) => featureCollection(c, head, features, (f) => f));
    let turns = 0;
    let waiting = true;
    const tick = () => setImmediate(() => (turns++, waiting && tick()));
    tick();
    const res = await app.request('/');
    waiting = false;
    // Three chunks, each its own turn: other requests get the loop in between.
    expect(turns).toBeGreaterThanOrEqual(2);
    expect(res.headers.get('content-type')).toBe('application/json');
    const reader = res.body!.getReader();
    const chunks: string[] = [];
    for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(new TextDecoder().decode(r.value));
    expect(chunks.length).toBe(3);
    const text = chunks.join('');
    expect(text).toBe(featureCollectionText(head, features));
    expect(JSON.parse(text)).toEqual({ type: 'FeatureCollection', ...head, features: features.map((f) => ({ type: 'Feature', ...f })) });
  });

  it('of no features is an empty collection', async () => {
    const res = await new Hono().get('/', (c) => featureCollection(c, head, [], (f) => f)).request('/');
    expect(await res.json()).toEqual({ type: 'FeatureCollection', ...head, features: [] });
    expect(JSON.parse(featureCollectionText(head, []))).toEqual({ type: 'FeatureCollection', ...head, features: [] });
  });
});
