import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BUNDLED_CONFIG } from '../../web/screen/config';
import { retryDelayMs } from '../../web/stores/screen';
import { partsFor, useScreenDataStore } from '../../web/stores/screen-data';

type Row = [id: string, overdue: number];
/** One state of the server: the grid geometry's version and each grid's overdue count. */
type ServerState = { version: string; rows: Row[] };

/**
 * A fake server for the wall's map: `/api/grids/values` answers the next of `states` (409
 * stale_geometry for another version), `/api/geometry/grids/<version>.json` the shapes of the
 * current one, sites none. Records every grid request's path and version.
 */
function fakeServer(states: ServerState[]) {
  const requests: string[] = [];
  let valuesAsked = 0;
  let current = states[0];
  vi.stubGlobal('fetch', vi.fn(async (url: string) => {
    const { pathname, searchParams } = new URL(url, 'http://civgrid.test');
    if (pathname === '/api/grids/values') {
      const asked = searchParams.get('version');
      requests.push(`values@${asked ?? '-'}`);
      // Each first ask moves the server on to its next state; a retry after a 409 finds it there.
      if (asked === null || asked === current.version) current = states[Math.min(valuesAsked++, states.length - 1)];
      if (asked !== null && asked !== current.version) {
        return Response.json({ error: { code: 'stale_geometry', message: 'stale', details: { current: current.version } } }, { status: 409 });
      }
      return Response.json({ version: current.version, count: current.rows.length, metrics: ['overdue'], values: { overdue: current.rows.map(([, o]) => o) } });
    }
    if (pathname.startsWith('/api/geometry/grids/')) {
      requests.push(`geometry@${pathname.split('/').pop()!.replace('.json', '')}`);
      const features = current.rows.map(([code], i) => ({
        type: 'Feature', id: code, geometry: { type: 'Point', coordinates: [102.7, 25 + i / 100] },
        properties: { code, name: code, community: 'c', street: 's', inspector: null, households: null },
      }));
      return Response.json({ type: 'FeatureCollection', layer: 'grids', plan: 1, features });
    }
    return Response.json({ type: 'FeatureCollection', features: [] });
  }));
  return requests;
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

  it('keeps the grid shapes and asks only for the values while the geometry version lasts', async () => {
    const requests = fakeServer([{ version: 'v1', rows: [['a', 1]] }, { version: 'v1', rows: [['a', 5]] }]);
    const data = useScreenDataStore();
    await data.loadMap(TODAY, BUNDLED_CONFIG);
    const shapes = data.map!.grids!.shapes;
    expect(await data.loadMap(TODAY, BUNDLED_CONFIG)).toBe('ok');
    expect(requests).toEqual(['values@-', 'geometry@v1', 'values@v1']);
    expect(data.map!.grids!.shapes).toBe(shapes);
    expect(data.map!.grids!.values.metrics.overdue).toEqual([5]);
  });

  it('fetches the new geometry when the values say the version changed', async () => {
    const requests = fakeServer([{ version: 'v1', rows: [['a', 1]] }, { version: 'v2', rows: [['a', 5], ['b', 1]] }]);
    const data = useScreenDataStore();
    await data.loadMap(TODAY, BUNDLED_CONFIG);
    await data.loadMap(TODAY, BUNDLED_CONFIG);
    expect(requests).toEqual(['values@-', 'geometry@v1', 'values@v1', 'values@-', 'geometry@v2']);
    expect(data.map!.grids!.shapes.features.map((f) => f.id)).toEqual(['a', 'b']);
    expect(data.map!.grids!.values.metrics.overdue).toEqual([5, 1]);
  });

  it('keeps the last data and says so while the server is away', async () => {
    fakeServer([{ version: 'v1', rows: [['a', 1]] }]);
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
