import { describe, expect, it } from 'vitest';
import { summarizeDistrict, summarizeStreets } from '../../web/stores/region-summary';
import { smallRegionLayers } from './region-fixture';

describe('summarizeStreets', () => {
  it('lists streets in code order with their community counts', () => {
    const layers = smallRegionLayers();
    layers.street.features.reverse();
    expect(summarizeStreets(layers)).toEqual([
      { code: '530111001', name: '关上街道', areaKm2: 10, communities: 2 },
      { code: '530111002', name: '吴井街道', areaKm2: 10, communities: 1 },
    ]);
  });

  it('reports an unknown area as null rather than 0', () => {
    const layers = smallRegionLayers();
    delete (layers.street.features[0].properties as Partial<{ areaKm2: number }>).areaKm2;
    expect(summarizeStreets(layers)[0].areaKm2).toBeNull();
  });
});

describe('summarizeDistrict', () => {
  it('names the district and counts its streets and communities', () => {
    expect(summarizeDistrict(smallRegionLayers())).toEqual({ name: '官渡区', streets: 2, communities: 3, areaKm2: 10 });
  });

  it('joins the names when several districts are loaded', () => {
    const layers = smallRegionLayers();
    const other = structuredClone(layers.district.features[0]);
    other.properties = { ...other.properties, code: '530102', name: '五华区', areaKm2: 5 };
    layers.district.features.push(other);
    expect(summarizeDistrict(layers)).toMatchObject({ name: '官渡区、五华区', areaKm2: 15 });
  });
});
