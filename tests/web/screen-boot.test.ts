import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BUNDLED_CONFIG } from '../../web/screen/config';
import { useScreenStore } from '../../web/stores/screen';
import { regionGeometryAnswer } from './region-fixture';

/** A city with one district of one street: a tour of it has stops below the top. */
const META = {
  regions: [{ code: '530100', name: '昆明市', level: 'city', children: [
    { code: '530102', name: '五华区', level: 'district', children: [{ code: '530102001', name: '华山街道', level: 'street', children: [] }] },
  ] }],
  categories: [],
};

/**
 * A fake server whose ranking never answers (a slow 10 M ranking, seen from the wall); the meta
 * and region files answer, everything else an empty collection. Records every path asked for.
 */
function fakeServer() {
  const asked: string[] = [];
  vi.stubGlobal('fetch', vi.fn(async (url: string) => {
    const { pathname } = new URL(url, 'http://civgrid.test');
    asked.push(pathname);
    if (pathname === '/api/stats/ranking') return new Promise<Response>(() => {});
    if (pathname === '/api/meta') return Response.json(META);
    if (pathname === '/api/screen-config') return Response.json({ error: { code: 'not_found', message: '未找到' } }, { status: 404 });
    return regionGeometryAnswer(pathname) ?? Response.json({ type: 'FeatureCollection', features: [] });
  }));
  // The live feed is not what this test is about.
  vi.stubGlobal('EventSource', class { close() {} addEventListener() {} removeEventListener() {} });
  return asked;
}

beforeEach(() => setActivePinia(createPinia()));
afterEach(() => {
  useScreenStore().stop();
  vi.unstubAllGlobals();
});

describe('the wall at boot', () => {
  it('asks for its first stop\'s data without waiting for the ranking an N-worst tour orders its streets by', async () => {
    const asked = fakeServer();
    const screen = useScreenStore();
    screen.configure(BUNDLED_CONFIG, new URLSearchParams('tour=30&tourStreets=3'));
    screen.start();
    await vi.waitFor(() => expect(asked).toContain('/api/stats/ranking'));
    await vi.waitFor(() => expect(asked).toContain('/api/stats/summary'));
    await vi.waitFor(() => expect(asked).toContain('/api/grids/values'));
    expect(screen.scope?.scope).toBe('city:530100');
  });
});
