/**
 * `/api/meta` once per page: the category tree, site types, vocabularies and the region tree that
 * the filters, the search and the breadcrumb are built from.
 */
import { defineStore } from 'pinia';
import { computed } from 'vue';
import { fetchMeta, type Meta } from '../api/civgrid';
import { takeEarly } from '../api/early';
import { asyncSlot } from './async-slot';

export const useMetaStore = defineStore('meta', () => {
  const slot = asyncSlot<Meta>();
  const meta = computed(() => slot.state.value.data);
  const regions = computed(() => meta.value?.regions ?? []);
  const categories = computed(() => meta.value?.categories ?? []);
  const siteTypes = computed(() => meta.value?.siteTypes ?? []);

  /** Loads once; later calls are no-ops unless the first failed. */
  function load(): Promise<void> {
    if (slot.state.value.status === 'ready' || slot.state.value.status === 'loading') return Promise.resolve();
    return slot.load((signal) => takeEarly('meta') ?? fetchMeta(signal));
  }

  return { state: computed(() => slot.state.value), meta, regions, categories, siteTypes, load };
});
