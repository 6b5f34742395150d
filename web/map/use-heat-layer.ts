/**
 * The heat layer's builder for a page that may draw heat: web/map/layers/heat-layer.ts (and with
 * it deck.gl's aggregation layers) is loaded the first time heat is wanted, once per page, and
 * kept. Until it has come the page draws no heat, as while its bins are still on their way.
 */
import { shallowRef, watch, type Ref, type ShallowRef } from 'vue';
import type { buildHeatLayer } from './layers/heat-layer';

/** Builds the heat layer; see heat-layer.ts. */
export type HeatLayerBuilder = typeof buildHeatLayer;

let loading: Promise<HeatLayerBuilder> | null = null;

/** The builder once `wanted` has been true and the module has loaded; null before. */
export function useHeatLayer(wanted: Ref<boolean>): ShallowRef<HeatLayerBuilder | null> {
  const builder = shallowRef<HeatLayerBuilder | null>(null);
  watch(
    wanted,
    (on) => {
      if (!on || builder.value) return;
      loading ??= import('./layers/heat-layer').then((m) => m.buildHeatLayer);
      loading.then(
        (build) => (builder.value = build),
        (err: unknown) => {
          // A chunk that failed to load (a release replaced it, the network dropped) is asked for again next time.
          loading = null;
          console.error('[map] the heat layer did not load', err);
        },
      );
    },
    { immediate: true },
  );
  return builder;
}
