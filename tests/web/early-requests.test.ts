import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EARLY_MAX_AGE_MS, startEarly, takeEarly } from '../../web/api/early';
import { useStatusStore } from '../../web/stores/status';
import { regionGeometryAnswer } from './region-fixture';

/** A fake server answering health and the region levels' geometry files; every request is recorded. */
function fakeServer() {
  const fetchMock = vi.fn(async (url: string) => {
    const { pathname } = new URL(url, 'http://civgrid.test');
    if (pathname === '/api/health') return Response.json({ ok: true, counts: { regions: 3, grids: 0, sites: 0, issues: 0 } });
    const geometry = regionGeometryAnswer(pathname);
    if (geometry) return geometry;
    return Response.json({ error: { code: 'not_found', message: '未找到' } }, { status: 404 });
  });
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}
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
});
