import { describe, expect, it } from 'vitest';
import { kinks, feature } from '@turf/turf';
import { loadDistrictOutline, loadDivisions, shortCommunityName } from '../../../server/demo/regions.ts';

describe('loadDivisions', () => {
  it('reads 官渡区’s 12 streets plus the 经开区 and its 133 communities', () => {
    const { districts, streets, communities } = loadDivisions(['530111']);
    expect(districts).toEqual([{ code: '530111', name: '官渡区', parent: '530100' }]);
    expect(streets).toHaveLength(13);
    expect(streets.at(-1)).toEqual({ code: '530111402', name: '昆明经济技术开发区', parent: '530111' });
    expect(communities).toHaveLength(133);
    expect(communities.find((c) => c.code === '530111004008')).toEqual({ code: '530111004008', name: '曙光社区', parent: '530111004' });
  });
});

describe('shortCommunityName', () => {
  it('strips the committee suffix', () => {
    expect(shortCommunityName('双桥社区居民委员会')).toBe('双桥社区');
    expect(shortCommunityName('大树营村民委员会')).toBe('大树营村');
  });
});

it('cleans the district outline into a simple polygon', () => {
  const outline = loadDistrictOutline('官渡区');
  expect(outline.type).toBe('Polygon');
  expect(outline.coordinates).toHaveLength(1);
  expect(kinks(feature(outline)).features).toHaveLength(0);
});

it('finds an outline by name where the file keeps an old code (晋宁, once a county) and keeps every part of one with exclaves', () => {
  expect(loadDistrictOutline('晋宁区').type).toBe('Polygon');
  const wuhua = loadDistrictOutline('五华区');
  expect(wuhua.type === 'MultiPolygon' && wuhua.coordinates.length).toBe(3);
  expect(kinks(feature(wuhua)).features).toHaveLength(0);
});
