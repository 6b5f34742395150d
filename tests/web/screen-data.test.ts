import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BUNDLED_CONFIG } from '../../web/screen/config';
import { retryDelayMs } from '../../web/stores/screen';
import { partsFor, useScreenDataStore } from '../../web/stores/screen-data';

type Row = [id: string, overdue: number];

/** A grid feature as `/api/grids` sends it; `geometry=0` answers without the shape. */
function grid([code, overdue]: Row, withShape: boolean) {
  const geometry = withShape ? { type: 'Point', coordinates: [102.7, 25 + overdue / 100] } : null;
  return { type: 'Feature', id: code, geometry, properties: { code, name: code, community: 'c', street: 's', reported: 1, overdue, onTimeRate: null, density: null, score: null } };
}

/** A fake server whose `/api/grids` answers the next of `answers` (sites: none) and records each query. */
function fakeServer(answers: Row[][]) {
  const queries: URLSearchParams[] = [];
  vi.stubGlobal('fetch', vi.fn(async (url: string) => {
    const { pathname, searchParams } = new URL(url, 'http://civgrid.test');
    if (pathname !== '/api/grids') return Response.json({ type: 'FeatureCollection', features: [] });
    queries.push(searchParams);
    const rows = answers[Math.min(queries.length, answers.length) - 1];
    return Response.json({ type: 'FeatureCollection', plan: 1, features: rows.map((r) => grid(r, searchParams.get('geometry') !== '0')) });
  }));
  return queries;
}

const TODAY = '2026-11-20';

beforeEach(() => {
  setActivePinia(createPinia());
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('screen data', () => {
  it('requests only what the configured panels show', () => {
    expect([...partsFor(['kpis', 'ticker'])].sort()).toEqual(['headline', 'recent']);
    expect(partsFor(['sites']).size).toBe(0);
  });

  it('puts stored shapes back on fresh KPI-only features', async () => {
    const queries = fakeServer([[['a', 1]], [['a', 5]]]);
    const data = useScreenDataStore();
    await data.loadMap(TODAY, BUNDLED_CONFIG);
    const shape = data.map!.grids.features[0].geometry;
    expect(await data.loadMap(TODAY, BUNDLED_CONFIG)).toBe('ok');
    expect(queries.map((q) => q.get('geometry'))).toEqual([null, '0']);
    expect(data.map!.grids.features[0]).toMatchObject({ id: 'a', geometry: shape, properties: { overdue: 5 } });
    expect(shape).not.toBeNull();
  });

  it('asks for the shapes again when a feature is new', async () => {
    const queries = fakeServer([[['a', 1]], [['a', 5], ['b', 1]], [['a', 5], ['b', 1]]]);
    const data = useScreenDataStore();
    await data.loadMap(TODAY, BUNDLED_CONFIG);
    await data.loadMap(TODAY, BUNDLED_CONFIG);
    // Nothing is drawn without a shape: the map keeps the grids it had.
    expect(data.map!.grids.features.map((f) => f.id)).toEqual(['a']);
    await data.loadMap(TODAY, BUNDLED_CONFIG);
    expect(queries.map((q) => q.get('geometry'))).toEqual([null, '0', null]);
    expect(data.map!.grids.features.map((f) => [f.id, f.geometry !== null])).toEqual([['a', true], ['b', true]]);
  });

  it('keeps the last data and says so while the server is away', async () => {
    fakeServer([[['a', 1]]]);
    const data = useScreenDataStore();
    await data.loadMap(TODAY, BUNDLED_CONFIG);
    const before = data.map;
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))));
    expect(await data.loadMap(TODAY, BUNDLED_CONFIG)).toBe('failed');
    expect(data.map).toBe(before);
    expect(data.failing).toBe(true);
  });

  it('retries quickly at first, then every 30 s', () => {
    expect(retryDelayMs(1)).toBe(3_000);
    expect(retryDelayMs(4)).toBe(20_000);
    expect(retryDelayMs(50)).toBe(30_000);
  });

  it('keeps the previous scope whole when a part of the next scope fails: no blank panel', async () => {
    const panels = ['kpis', 'trend'] as const;
    const config = { ...BUNDLED_CONFIG, panels: [...panels] };
    const district = { scope: 'district:530111', level: 'district' as const, code: '530111', name: '官渡区' };
    const street = { scope: 'street:530111001', level: 'street' as const, code: '530111001', name: '关上街道' };
    const summary = { kpis: { reported: 3 }, previous: null, lastYear: null };
    vi.stubGlobal('fetch', vi.fn(async (url: string) => {
      const { pathname } = new URL(url, 'http://civgrid.test');
      return pathname === '/api/stats/timeseries' ? Response.json({ buckets: [] }) : Response.json(summary);
    }));
    const data = useScreenDataStore();
    expect(await data.loadPanels(district, TODAY, config)).toBe('ok');
    const before = data.panels;
    vi.stubGlobal('fetch', vi.fn(async (url: string) => {
      const { pathname } = new URL(url, 'http://civgrid.test');
      if (pathname === '/api/stats/timeseries') return Response.json({ error: { code: 'internal', message: 'boom' } }, { status: 500 });
      return Response.json(summary);
    }));
    expect(await data.loadPanels(street, TODAY, config)).toBe('failed');
    expect(data.panels).toBe(before);
    expect(data.panels!.scope.scope).toBe('district:530111');
  });

  it('keeps the last heat bins while a new view loads and when it fails', async () => {
    const bins = { zoom: 10, cell: 16, origin: [0, 0], x: [1], y: [1], count: [4], lon: [102.7], lat: [25] };
    vi.stubGlobal('fetch', vi.fn(async () => Response.json(bins)));
    const data = useScreenDataStore();
    const view = { bbox: [102.6, 24.9, 102.9, 25.2] as [number, number, number, number], zoom: 11 };
    expect(await data.loadHeat(BUNDLED_CONFIG, TODAY, view)).toBe('ok');
    expect(data.heat).toHaveLength(1);
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))));
    expect(await data.loadHeat(BUNDLED_CONFIG, TODAY, view)).toBe('failed');
    expect(data.heat).toHaveLength(1);
  });

  it('remembers the newest event seen, from loads and from the live feed', () => {
    const data = useScreenDataStore();
    const line = (at: string) => ({ key: at, kind: 'new' as const, id: at, at, category: 'x', categoryCode: 'x', street: null, streetCode: null, community: null, immediate: false, lon: 0, lat: 0 });
    data.noteEvents([line('2026-11-20T02:00:00Z'), line('2026-11-20T03:00:00Z')]);
    data.noteEvents([line('2026-11-20T01:00:00Z')]);
    expect(data.newestEventAt).toBe(Date.parse('2026-11-20T03:00:00Z'));
  });
});
