/**
 * The filters every panel and map layer follows: a time preset (or custom range), categories,
 * sources, statuses and site types. Serialisable state only; the API parameters are derived.
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { normaliseRange, presetRange, type DayRange, type Preset } from '../../server/domain/periods';
import { shanghaiDate } from '../../server/domain/time';
import type { FilterParams } from '../api/civgrid';

/** The default preset: a month of data that never starts empty on the 1st. */
export const DEFAULT_PRESET: Preset = '30d';

/** Everything the filter bar sets, in one serialisable record (the URL holds the same). */
export interface FilterState {
  preset: Preset;
  /** Used when preset is `custom`. */
  from: string | null;
  to: string | null;
  categories: string[];
  sources: string[];
  statuses: string[];
  siteTypes: string[];
}

/** The state with nothing filtered. */
export function defaultFilterState(): FilterState {
  return { preset: DEFAULT_PRESET, from: null, to: null, categories: [], sources: [], statuses: [], siteTypes: [] };
}

/** The period a filter state stands for on `today`; a broken custom range falls back to the default preset. */
export function periodOf(state: Pick<FilterState, 'preset' | 'from' | 'to'>, today: string): DayRange {
  if (state.preset === 'custom') return normaliseRange(state.from, state.to) ?? presetRange(DEFAULT_PRESET, today)!;
  return presetRange(state.preset, today)!;
}

/** API filter parameters (without scope) of a state. */
export function filterParamsOf(state: FilterState, today: string): FilterParams {
  const { from, to } = periodOf(state, today);
  return { from, to, category: state.categories, source: state.sources, status: state.statuses, siteType: state.siteTypes };
}

export const useFiltersStore = defineStore('filters', () => {
  const state = ref<FilterState>(defaultFilterState());
  /** Re-read on every change so a dashboard left open past midnight moves to the new day. */
  const today = ref(shanghaiDate(new Date()));

  const period = computed(() => periodOf(state.value, today.value));
  const params = computed(() => filterParamsOf(state.value, today.value));
  /** How many filters besides time are set, for the "clear" affordance. */
  const activeCount = computed(
    () => state.value.categories.length + state.value.sources.length + state.value.statuses.length + state.value.siteTypes.length,
  );

  /** Chooses a preset; `custom` keeps (or starts from) the current period. */
  function setPreset(preset: Preset): void {
    today.value = shanghaiDate(new Date());
    if (preset === 'custom') {
      const { from, to } = period.value;
      state.value = { ...state.value, preset, from: state.value.from ?? from, to: state.value.to ?? to };
    } else state.value = { ...state.value, preset };
  }

  /** Sets a custom range (swapped when reversed; ignored when not two real dates). */
  function setRange(from: string, to: string): void {
    const range = normaliseRange(from, to);
    if (range) state.value = { ...state.value, preset: 'custom', ...range };
  }

  /** Replaces one list filter. */
  function setList(key: 'categories' | 'sources' | 'statuses' | 'siteTypes', values: string[]): void {
    state.value = { ...state.value, [key]: [...new Set(values)].sort() };
  }

  /** Clears every filter except time. */
  function clearLists(): void {
    state.value = { ...state.value, categories: [], sources: [], statuses: [], siteTypes: [] };
  }

  /** Replaces the whole state (from the URL). */
  function replace(next: FilterState): void {
    today.value = shanghaiDate(new Date());
    state.value = next;
  }

  return { state, today, period, params, activeCount, setPreset, setRange, setList, clearLists, replace };
});
