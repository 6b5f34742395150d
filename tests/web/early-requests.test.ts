import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EARLY_MAX_AGE_MS, gridShapesOf, startEarly, takeEarly } from '../../web/api/early';
import { useStatusStore } from '../../web/stores/status';
import { regionGeometryAnswer } from './region-fixture';

/** A fake server answering health and the region levels' geometry files; every request is recorded. */
function fakeServer() {
  const fetchMock = vi.fn(async (url: string) => {
    const { pathname } = new URL(url, 'http://civgrid.test');
    if (pathname === '/api/health') return Response.json({ ok: true, counts: { regions: 3, grids: 0, sites: 0, issues: 0 } });
    const grids = /^\/api\/geometry\/grids\/([\w-]+)\.json$/.exec(pathname);
    if (grids) return Response.json({ type: 'FeatureCollection', features: [gridFeature(grids[1])] });
    const geometry = regionGeometryAnswer(pathname);
    if (geometry) return geometry;
    return Response.json({ error: { code: 'not_found', message: '未找到' } }, { status: 404 });
  });
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}
/** One grid whose name says which geometry version it came from. */
const gridFeature = (version: string) => ({
  type: 'Feature', id: 'G1',
  properties: { code: 'G1', name: version, community: 'C1', street: 'S1', inspector: null, households: null },
  geometry: { type: 'Polygon', coordinates: [[[102.7, 25], [102.71, 25], [102.71, 25.01], [102.7, 25]]] },
});
const paths = (mock: ReturnType<typeof fakeServer>) => mock.mock.calls.map(([url]) => url).sort();

beforeEach(() => setActivePinia(createPinia()));
afterEach(() => vi.unstubAllGlobals());

describe('early requests', () => {
  it('start the workspace\'s first requests at once, and the store takes their answers instead of asking again', async () => {
    const server = fakeServer();
    startEarly('/');
    // The region files follow as soon as the geometry index names their versions.
    expect(paths(server)).toEqual(['/api/geometry', '/api/health', '/api/meta']);
    const status = useStatusStore();
    await status.load();
    expect(status.phase).toBe('ready');
    expect(status.regions?.street.features.length).toBeGreaterThan(0);
    expect(server).toHaveBeenCalledTimes(6);
    // Taken once: a reload of the shell asks the server again.
    await status.load();
    expect(server).toHaveBeenCalledTimes(11);
    expect(takeEarly('meta')).not.toBeNull();
    expect(takeEarly('meta')).toBeNull();
  });

  it('serve only while fresh, and start nothing for a page that asks for none of them', () => {
    const server = fakeServer();
    startEarly('/screen', () => 1_000);
    expect(paths(server)).toEqual(['/api/geometry', '/api/meta', '/api/screen-config']);
    expect(takeEarly('meta', () => 1_000 + EARLY_MAX_AGE_MS)).not.toBeNull();
    expect(takeEarly('regions', () => 1_001 + EARLY_MAX_AGE_MS)).toBeNull();
    startEarly('/login');
    startEarly('/bulletin');
    expect(server).toHaveBeenCalledTimes(3);
  });

  it('start the grids\' shapes with the regions, taken once and only for the version the values name', async () => {
    const server = fakeServer();
    startEarly('/screen');
    await vi.waitFor(() => expect(paths(server)).toContain('/api/geometry/grids/grids-v1.json'));
    const before = server.mock.calls.length;
    expect((await gridShapesOf('grids-v1')).features[0].properties.name).toBe('grids-v1');
    expect(server).toHaveBeenCalledTimes(before);
    // Once taken, the same version is asked for again (the browser's cache keeps the file).
    await gridShapesOf('grids-v1');
    expect(server).toHaveBeenCalledTimes(before + 1);

    // A plan published in between: the values name a newer version than the early answer.
    startEarly('/screen');
    await vi.waitFor(() => expect(server.mock.calls.length).toBeGreaterThanOrEqual(before + 1 + 7));
    expect((await gridShapesOf('grids-v2')).features[0].properties.name).toBe('grids-v2');
    expect(paths(server).filter((p) => p === '/api/geometry/grids/grids-v2.json')).toHaveLength(1);
  });
});
