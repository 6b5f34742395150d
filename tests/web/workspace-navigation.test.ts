import { describe, expect, it } from 'vitest';
import { parseScope, scopeText } from '../../server/domain/scope';
import { hitPolygons, hitTest } from '../../web/map/hit-test';
import type { RegionNode } from '../../web/api/types';
import { breadcrumb, buildPlaceIndex, drillTarget, topScope } from '../../web/stores/scope-path';
import { buildSearchEntries, searchPlaces } from '../../web/workspace/search';
import { scopeBounds } from '../../web/workspace/scope-bounds';

const tree: RegionNode[] = [
  {
    code: '530111', name: '官渡区', level: 'district', children: [
      { code: '530111001', name: '关上街道', level: 'street', children: [
        { code: '530111001001', name: '关上社区', level: 'community', children: [] },
        { code: '530111001002', name: '双桥社区', level: 'community', children: [] },
      ] },
      { code: '530111002', name: '太和街道', level: 'street', children: [
        { code: '530111002001', name: '和平路社区', level: 'community', children: [] },
      ] },
    ],
  },
];
const grids = [
  { code: '530111001002001', name: '双桥社区第1网格', community: '530111001002', street: '530111001' },
  { code: '530111002001001', name: '和平路社区第1网格', community: '530111002001', street: '530111002' },
];
const sites = [
  { id: 'S1', name: '双桥村综合农贸市场', type: 'market', street: '530111001', community: '530111001002', grid: '530111001002001' },
  { id: 'S9', name: '双桥公交站', type: 'bus_stop', street: '530111001', community: '530111001002', grid: null },
];
const index = buildPlaceIndex(tree, grids, sites);

describe('scopes', () => {
  it('parses what the API accepts and nothing else', () => {
    expect(parseScope('street:530111001')).toEqual({ level: 'street', id: '530111001' });
    expect(parseScope('province:1')).toBeNull();
    expect(parseScope('street:1;drop')).toBeNull();
    expect(scopeText({ level: 'grid', id: 'G1' })).toBe('grid:G1');
  });
});

describe('breadcrumb', () => {
  const names = (scope: Parameters<typeof breadcrumb>[1]) => breadcrumb(index, scope).map((c) => c.name);

  it('runs from the district down to a grid', () => {
    expect(names(null)).toEqual(['官渡区']);
    expect(names({ level: 'grid', id: '530111002001001' })).toEqual(['官渡区', '太和街道', '和平路社区', '和平路社区第1网格']);
  });

  it('hangs a site under its street and community', () => {
    expect(names({ level: 'site', id: 'S1' })).toEqual(['官渡区', '关上街道', '双桥社区', '双桥村综合农贸市场']);
  });

  it('shows the code of a unit whose name is not known yet', () => {
    expect(names({ level: 'grid', id: 'G404' })).toEqual(['官渡区', 'G404']);
  });
});

describe('drilling by map click', () => {
  const hit = { street: '530111001', community: '530111001002', grid: '530111001002001' };

  it('goes one level down inside the scope', () => {
    expect(drillTarget(index, null, hit)).toEqual({ level: 'street', id: '530111001' });
    expect(drillTarget(index, { level: 'street', id: '530111001' }, hit)).toEqual({ level: 'community', id: '530111001002' });
    expect(drillTarget(index, { level: 'community', id: '530111001002' }, hit)).toEqual({ level: 'grid', id: '530111001002001' });
  });

  it('moves sideways to the neighbour of the same level outside the scope', () => {
    const other = { street: '530111002', community: '530111002001', grid: '530111002001001' };
    expect(drillTarget(index, { level: 'street', id: '530111001' }, other)).toEqual({ level: 'street', id: '530111002' });
    expect(drillTarget(index, { level: 'community', id: '530111001002' }, other)).toEqual({ level: 'community', id: '530111002001' });
  });

  it('does nothing for a click on the current grid or outside every unit', () => {
    expect(drillTarget(index, { level: 'grid', id: '530111001002001' }, hit)).toBeNull();
    expect(drillTarget(index, null, {})).toBeNull();
  });

  it('treats a site scope like its community', () => {
    expect(drillTarget(index, { level: 'site', id: 'S1' }, hit)).toEqual({ level: 'grid', id: '530111001002001' });
  });
});

describe('search', () => {
  const entries = buildSearchEntries(index, ['market', 'school', 'bus_stop']);
  const found = (q: string) => searchPlaces(entries, q).map((e) => e.name);

  it('finds 双桥村综合农贸市场 by typing 双桥, the community first and markets before bus stops', () => {
    expect(found('双桥')).toEqual(['双桥社区', '双桥村综合农贸市场', '双桥公交站', '双桥社区第1网格']);
  });

  it('matches codes by prefix and names anywhere, ignoring spaces and case', () => {
    expect(found('530111002')[0]).toBe('太和街道');
    expect(found('农贸')).toEqual(['双桥村综合农贸市场']);
    expect(found(' 和平 路 ')).toEqual(['和平路社区', '和平路社区第1网格']);
    expect(found('s1')).toEqual(['双桥村综合农贸市场']);
    expect(found('')).toEqual([]);
  });

  it('tells same-named units apart by where they lie', () => {
    expect(entries.find((e) => e.scope.id === '530111001002001')?.context).toBe('关上街道 · 双桥社区');
  });
});

describe('a city at the top', () => {
  const cityTree: RegionNode[] = [{ code: '530100', name: '昆明市', level: 'city', children: [
    { code: '530102', name: '五华区', level: 'district', children: [
      { code: '530102001', name: '护国街道', level: 'street', children: [] },
    ] },
    ...tree,
  ] }];
  const city = buildPlaceIndex(cityTree, grids, sites);
  const names = (scope: Parameters<typeof breadcrumb>[1]) => breadcrumb(city, scope).map((c) => c.name);
  const hit = { street: '530111001', community: '530111001002', grid: '530111001002001' };

  it('starts the path at the city, not at the first district', () => {
    expect(topScope(city)).toEqual({ level: 'city', id: '530100' });
    expect(names(null)).toEqual(['昆明市']);
    expect(names({ level: 'city', id: '530100' })).toEqual(['昆明市']);
  });

  it('runs the breadcrumb through the district', () => {
    expect(names({ level: 'district', id: '530111' })).toEqual(['昆明市', '官渡区']);
    expect(names({ level: 'grid', id: '530111002001001' })).toEqual(['昆明市', '官渡区', '太和街道', '和平路社区', '和平路社区第1网格']);
    expect(names({ level: 'site', id: 'S1' })).toEqual(['昆明市', '官渡区', '关上街道', '双桥社区', '双桥村综合农贸市场']);
  });

  it('drills city → district → street, and sideways to another district', () => {
    expect(drillTarget(city, null, hit)).toEqual({ level: 'district', id: '530111' });
    expect(drillTarget(city, { level: 'district', id: '530111' }, hit)).toEqual({ level: 'street', id: '530111001' });
    expect(drillTarget(city, { level: 'district', id: '530102' }, hit)).toEqual({ level: 'district', id: '530111' });
    // A click outside every street names no district.
    expect(drillTarget(city, null, {})).toBeNull();
  });

  it('finds districts, and says which district a street lies in', () => {
    const entries = buildSearchEntries(city);
    expect(searchPlaces(entries, '官渡').map((e) => e.scope)).toEqual([{ level: 'district', id: '530111' }]);
    expect(searchPlaces(entries, '昆明')).toEqual([]);
    expect(entries.find((e) => e.scope.id === '530111002')?.context).toBe('官渡区');
    // Under a district at the top, a street needs no context.
    expect(buildSearchEntries(index).find((e) => e.scope.id === '530111002')?.context).toBe('');
  });

  it('frames the city around all its districts and a district on its own', () => {
    const square = (code: string, x: number) => ({
      type: 'Feature' as const, properties: { code, name: code, level: 'district' as const, parent: null, areaKm2: 1 },
      geometry: { type: 'Polygon' as const, coordinates: [[[x, 0], [x + 1, 0], [x + 1, 1], [x, 1], [x, 0]]] },
    });
    const none = { type: 'FeatureCollection' as const, features: [] };
    const regions = { district: { type: 'FeatureCollection' as const, features: [square('530102', 0), square('530111', 2)] }, street: none, community: none };
    expect(scopeBounds(null, regions, [], null)).toEqual([0, 0, 3, 1]);
    expect(scopeBounds({ level: 'city', id: '530100' }, regions, [], null)).toEqual([0, 0, 3, 1]);
    expect(scopeBounds({ level: 'district', id: '530111' }, regions, [], null)).toEqual([2, 0, 3, 1]);
  });
});

describe('hit testing and scope bounds', () => {
  const polygons = hitPolygons([
    { geometry: { type: 'Polygon', coordinates: [[[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]], [[0.5, 0.5], [1.5, 0.5], [1.5, 1.5], [0.5, 1.5], [0.5, 0.5]]] }, value: 'ring' },
    { geometry: { type: 'Point', coordinates: [1, 1] }, value: 'point' },
  ]);

  it('finds the polygon under a point, respecting holes', () => {
    expect(hitTest(polygons, 0.2, 0.2)).toBe('ring');
    expect(hitTest(polygons, 1, 1)).toBeNull();
    expect(hitTest(polygons, 3, 3)).toBeNull();
  });

  it('pads a point site so its surroundings are in view', () => {
    const b = scopeBounds({ level: 'site', id: 'S1' }, null, [], { geometry: { type: 'Point', coordinates: [102.7, 25] } })!;
    expect(b[2] - b[0]).toBeGreaterThan(0.005);
    expect(scopeBounds({ level: 'grid', id: 'G' }, null, [], null)).toBeNull();
  });
});
