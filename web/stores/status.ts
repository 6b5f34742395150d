/**
 * Whether the server is reachable and has data, and the region hierarchy the shell shows.
 * The page reads one `phase` and shows exactly one of: loading, error, empty database, or data.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { fetchHealth, fetchRegionLayers } from '../api/civgrid';
import { ApiError, type ApiErrorKind } from '../api/client';
import { takeEarly } from '../api/early';
import { i18n } from '../i18n';
import type { Health, RegionLayers } from '../api/types';
import { summarizeDistrict, summarizeStreets } from './region-summary';

/** What the shell can currently show. */
export type StatusPhase = 'loading' | 'ready' | 'empty' | 'error';

/** Server health, table counts and the region layers for the basemap. */
export const useStatusStore = defineStore('status', () => {
  const phase = ref<StatusPhase>('loading');
  const health = ref<Health | null>(null);
  // GeoJSON can be megabytes of coordinates: keep Vue from proxying every one.
  const regions = shallowRef<RegionLayers | null>(null);
  const error = ref<string | null>(null);
  /** What kind of failure `error` is, so the page can say "unreachable" only when it is. */
  const errorKind = ref<ApiErrorKind | 'unknown' | null>(null);

  const streets = computed(() => (regions.value ? summarizeStreets(regions.value) : []));
  const district = computed(() => (regions.value ? summarizeDistrict(regions.value) : null));

  let inFlight: AbortController | null = null;

  /** Loads health, then (if the database has regions) all region levels. Safe to call again. */
  async function load(): Promise<void> {
    inFlight?.abort();
    const controller = new AbortController();
    inFlight = controller;
    phase.value = 'loading';
    error.value = null;
    errorKind.value = null;
    try {
      const h = await (takeEarly('health') ?? fetchHealth(controller.signal));
      health.value = h;
      if (h.counts.regions === 0) {
        regions.value = null;
        phase.value = 'empty';
        return;
      }
      regions.value = await (takeEarly('regions') ?? fetchRegionLayers(controller.signal));
      phase.value = 'ready';
    } catch (err) {
      if (controller.signal.aborted) return;
      error.value = err instanceof ApiError ? err.message : i18n.global.t('common.loadFailed', { message: String(err) });
      errorKind.value = err instanceof ApiError ? err.kind : 'unknown';
      phase.value = 'error';
    } finally {
      if (inFlight === controller) inFlight = null;
    }
  }

  return { phase, health, regions, error, errorKind, streets, district, load };
});
