/**
 * `/api/meta` once per page: the category tree, site types, vocabularies and the region tree that
 * the filters, the search and the breadcrumb are built from.
 */
import { defineStore } from 'pinia';
import { computed } from 'vue';
import { fetchMeta, type Meta } from '../api/civgrid';
import { asyncSlot } from './async-slot';
import type { RegionNode } from './scope-path';

/** A node of the category tree (大类 with its 小类). */
export interface CategoryNode {
  code: string;
  name: string;
  children: CategoryNode[];
}

export const useMetaStore = defineStore('meta', () => {
  const slot = asyncSlot<Meta>();
  const meta = computed(() => slot.state.value.data);
  // The server types these trees loosely (recursive JSON), so they are narrowed here once.
  const regions = computed(() => (meta.value?.regions ?? []) as unknown as RegionNode[]);
  const categories = computed(() => (meta.value?.categories ?? []) as unknown as CategoryNode[]);
  const siteTypes = computed(() => meta.value?.siteTypes ?? []);

  /** Loads once; later calls are no-ops unless the first failed. */
  function load(): Promise<void> {
    if (slot.state.value.status === 'ready' || slot.state.value.status === 'loading') return Promise.resolve();
    return slot.load((signal) => fetchMeta(signal));
  }

  return { state: computed(() => slot.state.value), meta, regions, categories, siteTypes, load };
});
