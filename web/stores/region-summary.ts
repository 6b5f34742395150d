/** Pure summaries of the region hierarchy for lists and headings. */
import type { RegionLayers } from '../api/types';

/** One row of the street list. */
export interface StreetSummary {
  code: string;
  name: string;
  areaKm2: number | null;
  /** Communities whose parent is this street. */
  communities: number;
}

/** Streets in code order (the official order), each with its community count. */
export function summarizeStreets(layers: RegionLayers): StreetSummary[] {
  const perStreet = new Map<string, number>();
  for (const f of layers.community.features) {
    const parent = f.properties.parent;
    if (parent) perStreet.set(parent, (perStreet.get(parent) ?? 0) + 1);
  }
  return layers.street.features
    .map((f) => ({
      code: f.properties.code,
      name: f.properties.name,
      areaKm2: typeof f.properties.areaKm2 === 'number' ? f.properties.areaKm2 : null,
      communities: perStreet.get(f.properties.code) ?? 0,
    }))
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

/** The loaded area at a glance, for the side panel heading. */
export interface DistrictSummary {
  /** The district name, or names joined with 、 when several are loaded. */
  name: string;
  streets: number;
  communities: number;
  /** Sum of district areas; null when the server gave none. */
  areaKm2: number | null;
}

/** Summarises the loaded districts. */
export function summarizeDistrict(layers: RegionLayers): DistrictSummary {
  const districts = layers.district.features;
  const areas = districts.map((f) => f.properties.areaKm2).filter((a): a is number => typeof a === 'number');
  return {
    name: districts.map((f) => f.properties.name).join('、'),
    streets: layers.street.features.length,
    communities: layers.community.features.length,
    areaKm2: areas.length ? areas.reduce((a, b) => a + b, 0) : null,
  };
}
