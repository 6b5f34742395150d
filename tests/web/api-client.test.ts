import { afterEach, describe, expect, it, vi } from 'vitest';
import { downloadStoredBulletin, fetchGridGeometry, fetchHealth, fetchLastMonthBulletin, fetchMeta, fetchRegionLayers, importGrids } from '../../web/api/civgrid';
import { api, ApiError, call } from '../../web/api/client';

const getHealth = (signal?: AbortSignal) => call(api.api.health.$get(undefined, { init: { signal } }), signal);

function respond(status: number, body: string): void {
  vi.stubGlobal('fetch', vi.fn(async () => new Response(body, { status, headers: { 'content-type': 'application/json' } })));
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('call', () => {
  it('resolves with the parsed body', async () => {
    respond(200, '{"ok":true}');
    await expect(getHealth()).resolves.toEqual({ ok: true });
  });

  it('turns a failed connection into a network ApiError', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))));
    await expect(getHealth()).rejects.toMatchObject({ name: 'ApiError', kind: 'network', status: null });
  });

  it("uses the server's error envelope for non-2xx answers", async () => {
    respond(400, '{"error":{"code":"bad_level","message":"未知的区域层级"}}');
    await expect(getHealth()).rejects.toMatchObject({
      kind: 'http',
      status: 400,
      code: 'bad_level',
      message: '未知的区域层级',
    });
  });

  it('reports a non-JSON 2xx body as invalid', async () => {
    respond(200, '<html>');
    await expect(getHealth()).rejects.toMatchObject({ kind: 'invalid', status: 200 });
  });

  it('lets an abort through unchanged', async () => {
    const controller = new AbortController();
    vi.stubGlobal('fetch', vi.fn(async () => {
      controller.abort();
      throw new DOMException('Aborted', 'AbortError');
    }));
    const err = await getHealth(controller.signal).catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(ApiError);
    expect((err as Error).name).toBe('AbortError');
  });
});

/** An index of geometry files whose versions name their level. */
const GEOMETRY_INDEX = {
  grids: { version: 'g1', url: '/api/geometry/grids/g1.json', features: 0 },
  regions: Object.fromEntries(['district', 'street', 'community'].map((l) => [l, { version: `${l[0]}1`, url: '', features: 0 }])),
};

describe('typed endpoints', () => {
  it('rejects a health answer without counts', async () => {
    respond(200, '{"ok":true}');
    await expect(fetchHealth()).rejects.toMatchObject({ kind: 'invalid' });
  });

  it('fetches each region level\'s geometry file at the version the index names', async () => {
    const fetchMock = vi.fn(async (url: string) => new Response(url === '/api/geometry' ? JSON.stringify(GEOMETRY_INDEX) : '{"type":"FeatureCollection","features":[]}'));
    vi.stubGlobal('fetch', fetchMock);
    await fetchRegionLayers();
    const urls = fetchMock.mock.calls.map((c) => String((c as unknown[])[0]));
    expect(urls).toEqual(['/api/geometry', '/api/geometry/regions/district/d1.json', '/api/geometry/regions/street/s1.json', '/api/geometry/regions/community/c1.json']);
  });

  it('asks the draft import to repair geometry only when the planner ticked it', async () => {
    const fetchMock = vi.fn(async () => new Response('{"ok":true,"repairs":[],"moreRepairs":0}'));
    vi.stubGlobal('fetch', fetchMock);
    const file = new File(['{}'], 'grids.geojson');
    await importGrids(3, file, true);
    await importGrids(3, file);
    const urls = fetchMock.mock.calls.map((c) => String((c as unknown[])[0]));
    expect(urls).toEqual(['/api/plans/3/import?filename=grids.geojson&repair=1', '/api/plans/3/import?filename=grids.geojson']);
  });

  it('rejects a geometry file that is not a FeatureCollection', async () => {
    respond(200, '{"type":"Feature"}');
    await expect(fetchGridGeometry('v1')).rejects.toMatchObject({ kind: 'invalid' });
  });

  it('reads the region and category trees of /api/meta all the way down', async () => {
    const community = { code: '530111001001', name: '和平路社区', level: 'community', children: [] };
    const regions = [{ code: '530111', name: '官渡区', level: 'district', children: [{ code: '530111001', name: '关上街道', level: 'street', children: [community] }] }];
    const categories = [{ code: '01', name: '市容', nameEn: null, kind: 'event', limit: null, limitUnit: null, children: [{ code: '0101', name: '乱堆', nameEn: 'Clutter', kind: 'event', limit: 2, limitUnit: 'day', children: [] }] }];
    respond(200, JSON.stringify({ version: '1', regions, categories, siteTypes: [] }));
    const meta = await fetchMeta();
    expect(meta.regions[0].children[0].children[0]).toEqual(community);
    expect(meta.categories).toEqual(categories);
  });

  it('rejects a meta tree with a malformed node', async () => {
    const regions = [{ code: '530111', name: '官渡区', level: 'district', children: [{ code: 530111001, name: '关上街道', children: [] }] }];
    respond(200, JSON.stringify({ version: '1', regions, categories: [] }));
    await expect(fetchMeta()).rejects.toMatchObject({ kind: 'invalid' });
  });

  it('rejects a region without an area', async () => {
    const noArea = { type: 'FeatureCollection', features: [{ type: 'Feature', id: '530111', geometry: null, properties: { code: '530111', name: '官渡区', level: 'district', parent: null, areaKm2: 1 } }] };
    vi.stubGlobal('fetch', vi.fn(async (url: string) => new Response(JSON.stringify(url === '/api/geometry' ? GEOMETRY_INDEX : noArea))));
    await expect(fetchRegionLayers()).rejects.toMatchObject({ kind: 'invalid' });
  });
});

describe('the bulletin notice', () => {
  it('asks for last month\'s bulletin and links its Word file', async () => {
    const fetchMock = vi.fn(async () => new Response('{"period":"2026-11","bulletin":{"id":3,"number":"2026年第11期"}}', { status: 200, headers: { 'content-type': 'application/json' } }));
    vi.stubGlobal('fetch', fetchMock);
    await expect(fetchLastMonthBulletin()).resolves.toMatchObject({ bulletin: { id: 3 } });
    expect(String((fetchMock.mock.calls[0] as unknown[])[0])).toContain('/api/bulletins/last-month');
  });

  it('downloads a stored bulletin with the token, named by its UTF-8 file name', async () => {
    const fetchMock = vi.fn(async () => new Response('PK', {
      status: 200, headers: { 'content-disposition': `attachment; filename="bulletin.docx"; filename*=UTF-8''${encodeURIComponent('官渡区通报.docx')}` },
    }));
    vi.stubGlobal('fetch', fetchMock);
    const file = await downloadStoredBulletin(3, 'docx');
    expect(String((fetchMock.mock.calls[0] as unknown[])[0])).toContain('/api/bulletins/3/docx');
    expect(file.filename).toBe('官渡区通报.docx');
  });
});
