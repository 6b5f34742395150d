/**
 * The district-wide map data that follows the filters: the grids (shapes once per geometry
 * version, one metric's values per filter: the choropleth, hit testing, search) and key sites
 * with their status. Site geometry is fetched once and re-used (feature-merge.ts).
 */
import { defineStore } from 'pinia';
import { computed } from 'vue';
import { fetchGridValues, fetchSites, type FilterParams } from '../api/civgrid';
import { gridShapesOf } from '../api/early';
import type { ChoroplethMetric } from '../map/layers/colours';
import type { GridCollection } from '../map/layers/grid-choropleth';
import type { SiteCollection } from '../map/layers/key-sites';
import { asyncSlot } from './async-slot';
import { loadChoropleth, type Choropleth } from './choropleth-load';
import { withKnownGeometry } from './feature-merge';
import { holdForMap, mapFirst } from './map-first';

export const useMapDataStore = defineStore('map-data', () => {
  const grids = asyncSlot<Choropleth<GridCollection>>();
  const sites = asyncSlot<SiteCollection>();

  /** Grids of the published plan with `metric` for the filters (the whole district: neighbours give context). */
  function loadGrids(params: FilterParams, metric: ChoroplethMetric): Promise<void> {
    const { scope: _scope, ...filters } = params;
    const load = grids.load((signal) => loadChoropleth(grids.state.value.data, metric, {
      values: (version, s) => fetchGridValues(filters, { metrics: [metric], version }, s),
      shapes: (version, s) => gridShapesOf(version, s),
    }, signal));
    // A repaint goes first (map-first.ts); the first load, shapes and all, holds nothing back.
    return grids.state.value.data ? holdForMap(load) : load;
  }

  /** Key sites (of the filtered site types, or all) with their status for the filters. */
  function loadSites(params: FilterParams): Promise<void> {
    const { scope: _scope, ...filters } = params;
    const types = filters.siteType ?? [];
    // After the grids' repaint: new site data rebuilds the site layers, which would delay it.
    return sites.load(mapFirst(async (signal) => {
      const known = sites.state.value.data;
      if (known) {
        const fresh = await fetchSites(filters, { types, geometry: false }, signal);
        const merged = withKnownGeometry(known, fresh, (p) => p.id);
        if (merged) return merged;
      }
      return fetchSites(filters, { types }, signal);
    }));
  }

  return {
    grids: computed(() => grids.state.value),
    sites: computed(() => sites.state.value),
    loadGrids,
    loadSites,
  };
});
