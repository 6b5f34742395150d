/**
 * The district-wide map data that follows the filters: grids with their KPIs (the choropleth,
 * hit testing, search) and key sites with their status. Geometry is fetched once and re-used
 * (feature-merge.ts).
 */
import { defineStore } from 'pinia';
import { computed } from 'vue';
import { fetchGrids, fetchSites, type FilterParams } from '../api/civgrid';
import type { GridCollection } from '../map/layers/grid-choropleth';
import type { SiteCollection } from '../map/layers/key-sites';
import { asyncSlot } from './async-slot';
import { withKnownGeometry } from './feature-merge';

export const useMapDataStore = defineStore('map-data', () => {
  const grids = asyncSlot<GridCollection>();
  const sites = asyncSlot<SiteCollection>();

  /** Grids of the published plan with KPIs for the filters (the whole district: neighbours give context). */
  function loadGrids(params: FilterParams): Promise<void> {
    const { scope: _scope, ...filters } = params;
    return grids.load(async (signal) => {
      const known = grids.state.value.data;
      if (known) {
        const fresh = await fetchGrids(filters, { geometry: false }, signal);
        const merged = withKnownGeometry(known, fresh, (p) => p.code);
        if (merged) return merged;
      }
      return fetchGrids(filters, {}, signal);
    });
  }

  /** Key sites (of the filtered site types, or all) with their status for the filters. */
  function loadSites(params: FilterParams): Promise<void> {
    const { scope: _scope, ...filters } = params;
    const types = filters.siteType ?? [];
    return sites.load(async (signal) => {
      const known = sites.state.value.data;
      if (known) {
        const fresh = await fetchSites(filters, { types, geometry: false }, signal);
        const merged = withKnownGeometry(known, fresh, (p) => p.id);
        if (merged) return merged;
      }
      return fetchSites(filters, { types }, signal);
    });
  }

  return {
    grids: computed(() => grids.state.value),
    sites: computed(() => sites.state.value),
    loadGrids,
    loadSites,
  };
});
