import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Scope } from '../../server/domain/scope';
import { departmentShortNames } from '../../web/components/names';
import { redBlackLists } from '../../web/components/red-black';
import { BUNDLED_CONFIG } from '../../web/screen/config';
import { planLayout } from '../../web/screen/layout';
import { DEPARTMENTS_RANKED, useAccountabilityStore } from '../../web/stores/accountability';
import { breadcrumb, buildPlaceIndex, placeOf } from '../../web/stores/scope-path';
import { partsFor, useScreenDataStore } from '../../web/stores/screen-data';
import { departmentOf, inspectorFigures, inspectorRow, isInspectorName, mapFiltersOf, panelTab } from '../../web/workspace/accountability';
import { scopeBounds } from '../../web/workspace/scope-bounds';
import { buildSearchEntries } from '../../web/workspace/search';
import { decodeUrlState, encodeUrlState, isDrillStep } from '../../web/workspace/url-state';

const dept = (id: string): Scope => ({ level: 'department', id });
const street: Scope = { level: 'street', id: '530111001' };

/** A ranking answer of `ranked` departments D1 (best) … Dn, `n` per list, as the route builds it. */
function ranking(ranked: number, n: number) {
  const all = Array.from({ length: ranked }, (_, i) => ({ code: `D${i + 1}`, rank: i + 1 }));
  return { ranked, red: all.slice(0, n), black: all.slice(-n).reverse() };
}
const codes = (rows: readonly { code: string }[]) => rows.map((r) => r.code);

describe('the 地理 | 责任单位 tabs', () => {
  it('shows 责任单位 for a department and for the department list at the top', () => {
    expect(panelTab(dept('CGJ'), false)).toBe('departments');
    expect(panelTab(null, true)).toBe('departments');
  });

  it('shows 地理 for the district and every geographic unit, even with the list flag left on', () => {
    expect(panelTab(null, false)).toBe('geo');
    expect(panelTab(street, true)).toBe('geo');
  });
});

describe('the workspace URL with departments and inspectors', () => {
  it('carries a department as scope=department:CODE', () => {
    const state = decodeUrlState({ scope: 'department:CGJ' });
    expect(state.scope).toEqual(dept('CGJ'));
    expect(encodeUrlState(state)).toEqual({ scope: 'department:CGJ' });
  });

  it('carries the open department list as tab=dept, only without a scope', () => {
    expect(decodeUrlState({ tab: 'dept' }).departments).toBe(true);
    expect(encodeUrlState(decodeUrlState({ tab: 'dept' }))).toEqual({ tab: 'dept' });
    expect(decodeUrlState({ tab: 'dept', scope: 'street:530111001' }).departments).toBe(false);
    expect(decodeUrlState({ tab: 'geo' }).departments).toBe(false);
  });

  it('carries an open inspector by name and drops names it cannot hold', () => {
    expect(encodeUrlState(decodeUrlState({ scope: 'grid:G-1', inspector: '张伟' }))).toEqual({ scope: 'grid:G-1', inspector: '张伟' });
    expect(decodeUrlState({ inspector: 'a&b=c' }).inspector).toBeNull();
    expect(decodeUrlState({ inspector: 'x'.repeat(33) }).inspector).toBeNull();
    expect(decodeUrlState({ inspector: ' 张伟' }).inspector).toBeNull();
    expect(isInspectorName('李娜')).toBe(true);
  });

  it('makes opening the list or an inspector a history entry, so Back closes it', () => {
    const at = { scope: null, issue: null, departments: false, inspector: null };
    expect(isDrillStep(at, { ...at, departments: true })).toBe(true);
    expect(isDrillStep(at, { ...at, inspector: '张伟' })).toBe(true);
    expect(isDrillStep(at, { ...at })).toBe(false);
  });
});

describe('the department red/black list', () => {
  it('lists the best five red, the worst five black (worst first) and the rest between in rank order', () => {
    const board = redBlackLists(ranking(15, 100), 5);
    expect(codes(board.red)).toEqual(['D1', 'D2', 'D3', 'D4', 'D5']);
    expect(codes(board.black)).toEqual(['D15', 'D14', 'D13', 'D12', 'D11']);
    expect(codes(board.middle)).toEqual(['D6', 'D7', 'D8', 'D9', 'D10']);
  });

  it('never puts a department on both lists when few are ranked', () => {
    const board = redBlackLists(ranking(7, 100), 5);
    expect(codes(board.red)).toEqual(['D1', 'D2', 'D3', 'D4']);
    expect(codes(board.black)).toEqual(['D7', 'D6', 'D5']);
    expect(board.middle).toEqual([]);
    expect(codes(redBlackLists(ranking(1, 100), 5).red)).toEqual(['D1']);
    expect(redBlackLists(ranking(1, 100), 5).black).toEqual([]);
  });

  it('claims no middle departments when the answer did not list every ranked one (the wall asks for five)', () => {
    const board = redBlackLists(ranking(30, 5), 5);
    expect(board.middle).toEqual([]);
    expect(codes(board.black)).toEqual(['D30', 'D29', 'D28', 'D27', 'D26']);
    expect(codes(redBlackLists(ranking(6, 5), 5).black)).toEqual(['D6', 'D5', 'D4']);
  });
});

describe('department names in lists', () => {
  it('names a department short where it has a short name, else in full', () => {
    const names = departmentShortNames([{ code: 'CGJ', name: '官渡区城市管理局', shortName: '城管局' }, { code: 'X', name: '某公司', shortName: ' ' }]);
    expect([names.get('CGJ'), names.get('X')]).toEqual(['城管局', '某公司']);
  });
});

describe('a department on the map and in the drill path', () => {
  it('maps only the department\'s issues and nothing else of the scope', () => {
    const params = { scope: 'department:CGJ', from: '2026-11-01', category: ['01'] };
    expect(mapFiltersOf(params, departmentOf(dept('CGJ')))).toEqual({ from: '2026-11-01', category: ['01'], department: ['CGJ'] });
    expect(mapFiltersOf({ scope: 'street:1', from: '2026-11-01' }, departmentOf(street))).toEqual({ from: '2026-11-01' });
  });

  it('names a department from the meta, finds it by search, and hangs it under the district', () => {
    const index = buildPlaceIndex([{ code: '530111', name: '官渡区', level: 'district', children: [] }], [], [], [{ code: 'CGJ', name: '区城市管理局' }]);
    expect(placeOf(index, dept('CGJ'))?.name).toBe('区城市管理局');
    expect(breadcrumb(index, dept('CGJ')).map((c) => c.name)).toEqual(['官渡区', '区城市管理局']);
    expect(buildSearchEntries(index).map((e) => e.scope)).toContainEqual(dept('CGJ'));
  });

  it('frames the whole district for a department', () => {
    const district = { type: 'FeatureCollection' as const, features: [{ type: 'Feature' as const, properties: { code: 'd', name: 'd', level: 'district', areaKm2: 1 }, geometry: { type: 'Polygon' as const, coordinates: [[[102, 25], [103, 25], [103, 26], [102, 25]]] } }] };
    const empty = { type: 'FeatureCollection' as const, features: [] };
    expect(scopeBounds(dept('CGJ'), { district, street: empty, community: empty } as never, [], null)).toEqual([102, 25, 103, 26]);
  });
});

describe('an inspector\'s panel', () => {
  const row = { name: '张伟', grids: ['G-1', 'G-2'], found: 31, issues: 120, due: 80, onTime: 60, onTimeRate: 0.75 };

  it('picks the inspector\'s row and shows found, in-grid, due and on-time rate in that order', () => {
    expect(inspectorRow([{ ...row, name: '李娜' }, row], '张伟')).toBe(row);
    expect(inspectorRow([row], '王芳')).toBeNull();
    expect(inspectorFigures(row).map((f) => [f.key, f.value, f.kind])).toEqual([
      ['found', 31, 'count'], ['issues', 120, 'count'], ['due', 80, 'count'], ['onTimeRate', 0.75, 'rate'],
    ]);
  });
});

describe('departments on the wall', () => {
  it('is a panel kind with its own data part, placed in a side column', () => {
    expect([...partsFor(['departments'])]).toEqual(['departments']);
    const layout = planLayout(['kpis', 'ranking', 'departments'], 1920, 1080);
    expect([...layout.left.flat(), ...layout.right.flat()]).toEqual(['ranking', 'departments']);
  });

  it('leaves departments out of the committed panels (a 16:9 wall stays readable), and a wall that adds it keeps its columns even', () => {
    expect(BUNDLED_CONFIG.panels).not.toContain('departments');
    const layout = planLayout([...BUNDLED_CONFIG.panels.filter((p) => p !== 'photos'), 'departments'], 1920, 1080);
    expect([...layout.left, ...layout.right].map((column) => column.length)).toEqual([4, 4]);
  });
});

describe('loading department and inspector figures', () => {
  let urls: URL[];
  beforeEach(() => {
    setActivePinia(createPinia());
    urls = [];
    vi.stubGlobal('fetch', vi.fn(async (url: string) => {
      urls.push(new URL(url, 'http://civgrid.test'));
      return Response.json({ scope: { level: 'district', id: '530111', name: '官渡区' }, ranked: 0, unranked: 0, red: [], black: [], named: true, rows: [], ranking: null });
    }));
  });
  afterEach(() => vi.unstubAllGlobals());

  it('ranks the district\'s departments whatever the drill scope, enough to list them all', async () => {
    const store = useAccountabilityStore();
    store.loadDepartments({ scope: 'street:530111001', from: '2026-11-01', to: '2026-11-30' });
    await vi.waitFor(() => expect(urls).toHaveLength(1));
    const q = urls[0].searchParams;
    expect(urls[0].pathname).toBe('/api/stats/ranking');
    expect([q.get('level'), q.get('n'), q.get('scope'), q.get('from')]).toEqual(['department', String(DEPARTMENTS_RANKED), null, '2026-11-01']);
  });

  it('asks for one inspector by name', async () => {
    useAccountabilityStore().loadInspector('张伟', { scope: 'grid:G-1', from: '2026-11-01' });
    await vi.waitFor(() => expect(urls).toHaveLength(1));
    expect(urls[0].pathname).toBe('/api/inspectors');
    expect([urls[0].searchParams.get('name'), urls[0].searchParams.get('n'), urls[0].searchParams.get('scope')]).toEqual(['张伟', '100', null]);
  });

  it('loads the wall\'s department list for the district on a street stop', async () => {
    const data = useScreenDataStore();
    const config = { ...BUNDLED_CONFIG, panels: ['departments' as const] };
    await data.loadPanels({ scope: 'street:530111001', level: 'street', code: '530111001', name: '关上街道' }, '2026-11-20', config);
    expect(urls).toHaveLength(1);
    expect([urls[0].searchParams.get('level'), urls[0].searchParams.get('scope')]).toEqual(['department', null]);
    expect(data.panels?.departments?.scope.name).toBe('官渡区');
  });
});
