import { describe, expect, it } from 'vitest';
import { contextGrids, districtBox, districtSummaries, plansOf, publishedOf, type DistrictPlan } from '../../web/plan/districts';

const PLANS: DistrictPlan[] = [
  { id: 1, name: '初始方案', status: 'published', district: '530111', grids: 8 },
  { id: 2, name: '初始方案', status: 'published', district: '530112', grids: 6 },
  { id: 3, name: '调整', status: 'draft', district: '530111', grids: 8 },
  { id: 4, name: '旧方案', status: 'archived', district: '530111', grids: 7 },
];
const DISTRICTS = [{ code: '530112', name: '西山区' }, { code: '530111', name: '官渡区' }, { code: '530114', name: '呈贡区' }];

describe('the planner in a city', () => {
  it('lists every district with its published plan and its drafts', () => {
    expect(districtSummaries(DISTRICTS, PLANS)).toEqual([
      { code: '530111', name: '官渡区', published: { id: 1, name: '初始方案', grids: 8 }, drafts: 1 },
      { code: '530112', name: '西山区', published: { id: 2, name: '初始方案', grids: 6 }, drafts: 0 },
      { code: '530114', name: '呈贡区', published: null, drafts: 0 },
    ]);
  });

  it('lists the chosen district\'s plans, or every plan when there is one district', () => {
    expect(plansOf(PLANS, '530111', 3).map((p) => p.id)).toEqual([1, 3, 4]);
    expect(plansOf(PLANS, null, 1).map((p) => p.id)).toEqual([1, 2, 3, 4]);
    expect(publishedOf(PLANS, '530112')?.id).toBe(2);
    expect(publishedOf(PLANS, '530114')).toBeNull();
  });

  it('draws the other districts\' published grids as context, not the chosen district\'s', () => {
    const square = { type: 'Polygon' as const, coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] };
    const grid = (code: string, street: string | null) => ({ type: 'Feature' as const, geometry: square, properties: { code, street } });
    const grids = { features: [grid('A1', '530111001'), grid('B1', '530112001'), grid('X', null)] };
    const streets = new Map([['530111001', '530111'], ['530112001', '530112']]);
    expect(contextGrids(grids, streets, '530111')?.features.map((f) => f.properties!.code)).toEqual(['B1']);
    expect(contextGrids(grids, streets, null)).toBeNull();
    expect(contextGrids({ features: [grid('A1', '530111001')] }, streets, '530111')).toBeNull();
  });
});

describe('districtBox', () => {
  const districts = {
    type: 'FeatureCollection' as const,
    features: [
      { type: 'Feature' as const, properties: { code: '530102' }, geometry: { type: 'Polygon' as const, coordinates: [[[102.6, 25.0], [102.7, 25.0], [102.7, 25.1], [102.6, 25.0]]] } },
      {
        type: 'Feature' as const, properties: { code: '530111' },
        geometry: { type: 'MultiPolygon' as const, coordinates: [[[[102.7, 24.9], [102.8, 24.9], [102.8, 25.0], [102.7, 24.9]]], [[[102.9, 25.0], [103.0, 25.0], [103.0, 25.2], [102.9, 25.0]]]] },
      },
    ],
  };

  it('frames every part of the chosen district and nothing of the others', () => {
    expect(districtBox(districts, '530111')).toEqual([102.7, 24.9, 103.0, 25.2]);
    expect(districtBox(districts, '530102')).toEqual([102.6, 25.0, 102.7, 25.1]);
  });

  it('has no box for a district without an outline', () => {
    expect(districtBox(districts, '530199')).toBeNull();
  });
});
