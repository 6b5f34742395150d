import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useStatusStore } from '../../web/stores/status';
import { regionGeometryAnswer } from './region-fixture';

type FakeFetch = (url: string) => Promise<Response>;

/** A fake server answering /api/health with these counts and the region geometry files from the fixture. */
function fakeServer(regionCount: number) {
  const fetchMock = vi.fn<FakeFetch>(async (url) => {
    const { pathname } = new URL(url, 'http://civgrid.test');
    if (pathname === '/api/health') {
      return Response.json({ ok: true, counts: { regions: regionCount, grids: 0, sites: 0, issues: 0 } });
    }
    const geometry = regionGeometryAnswer(pathname);
    if (geometry) return geometry;
    return Response.json({ error: { code: 'not_found', message: '未找到' } }, { status: 404 });
  });
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

beforeEach(() => {
  setActivePinia(createPinia());
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('useStatusStore.load', () => {
  it('is an http error with the server message when the server answers with an error', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => Response.json({ error: { code: 'db', message: '数据库打不开' } }, { status: 500 })));
    const store = useStatusStore();
    await store.load();
    expect(store.phase).toBe('error');
    expect(store.errorKind).toBe('http');
    expect(store.error).toBe('数据库打不开');
  });

  it('is ready with counts, streets and district when the database has regions', async () => {
    fakeServer(6);
    const store = useStatusStore();
    await store.load();
    expect(store.phase).toBe('ready');
    expect(store.health?.counts.regions).toBe(6);
    expect(store.streets.map((s) => s.name)).toEqual(['关上街道', '吴井街道']);
    expect(store.district?.name).toBe('官渡区');
  });

  it('is empty, without asking for regions, when the database has none', async () => {
    const fetchMock = fakeServer(0);
    const store = useStatusStore();
    await store.load();
    expect(store.phase).toBe('empty');
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it('is an error with a message when the server cannot be reached', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))));
    const store = useStatusStore();
    await store.load();
    expect(store.phase).toBe('error');
    expect(store.errorKind).toBe('network');
    expect(store.error).toMatch(/\/api\/health/);
  });

  it('ignores a slow earlier load that fails after a later one succeeded', async () => {
    const server = fakeServer(6);
    const answer = server.getMockImplementation()!;
    let calls = 0;
    server.mockImplementation(async (url) => {
      calls += 1;
      if (calls > 1) return answer(url);
      await new Promise((resolve) => setTimeout(resolve, 20));
      return Response.json({ error: { code: 'boom', message: '旧请求失败' } }, { status: 500 });
    });
    const store = useStatusStore();
    const first = store.load();
    await store.load();
    await first;
    expect(store.phase).toBe('ready');
    expect(store.error).toBeNull();
  });
});
