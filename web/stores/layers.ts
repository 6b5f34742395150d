/**
 * Which map layers are on, the choropleth metric and the basemap. Serialisable; the deck.gl
 * layers themselves are built from this by the pure builders in web/map/layers.
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import { CHOROPLETH_METRICS, type ChoroplethMetric } from '../map/layers/colours';

/** The toggleable layers of the workspace map. */
export const LAYER_KEYS = ['grids', 'outlines', 'reference', 'sites', 'heat', 'issues', 'live'] as const;
export type LayerKey = (typeof LAYER_KEYS)[number];

/** On at first: the choropleth answers "where is it bad"; heat competes with it, so it waits to be asked for. */
export const DEFAULT_LAYERS: readonly LayerKey[] = ['grids', 'outlines', 'reference', 'sites', 'issues', 'live'];
export const DEFAULT_METRIC: ChoroplethMetric = 'reported';
export const DEFAULT_BASEMAP = 'offline';

/** Whether a string is a layer key. */
export function isLayerKey(s: string): s is LayerKey {
  return (LAYER_KEYS as readonly string[]).includes(s);
}

/** Whether a string is a choropleth metric. */
export function isMetric(s: string): s is ChoroplethMetric {
  return (CHOROPLETH_METRICS as readonly string[]).includes(s);
}

export const useLayersStore = defineStore('layers', () => {
  const visible = ref<LayerKey[]>([...DEFAULT_LAYERS]);
  const metric = ref<ChoroplethMetric>(DEFAULT_METRIC);
  /** `offline` (the region basemap) or the id of a configured online basemap (web/map/basemaps.ts). */
  const basemap = ref<string>(DEFAULT_BASEMAP);

  /** Whether a layer is on. */
  function isOn(key: LayerKey): boolean {
    return visible.value.includes(key);
  }

  /** Turns a layer on or off (kept in LAYER_KEYS order so the URL is stable). */
  function toggle(key: LayerKey, on = !isOn(key)): void {
    const set = new Set(visible.value);
    if (on) set.add(key);
    else set.delete(key);
    visible.value = LAYER_KEYS.filter((k) => set.has(k));
  }

  function setMetric(next: ChoroplethMetric): void {
    metric.value = next;
  }

  function setBasemap(id: string): void {
    basemap.value = id;
  }

  /** Replaces the whole state (from the URL). */
  function replace(layers: readonly LayerKey[], nextMetric: ChoroplethMetric, nextBasemap: string = DEFAULT_BASEMAP): void {
    visible.value = LAYER_KEYS.filter((k) => layers.includes(k));
    metric.value = nextMetric;
    basemap.value = nextBasemap;
  }

  return { visible, metric, basemap, isOn, toggle, setMetric, setBasemap, replace };
});
