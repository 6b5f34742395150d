/**
 * The accountable units beside the geography: whether the 责任单位 tab's department list is open,
 * which inspector's panel is open (both serialisable, the URL holds them too), and their data —
 * the district's department ranking (区直单位红黑榜) and one inspector's figures.
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { fetchInspectors, fetchRanking, type FilterParams, type Inspectors, type Ranking } from '../api/civgrid';
import { asyncSlot } from './async-slot';
import { mapFirst } from './map-first';

/**
 * Departments ranked per request: more than a district has (about 15), so the answer lists every
 * ranked one and the departments with nothing due can be told apart.
 */
export const DEPARTMENTS_RANKED = 100;
/** The most of the 网格之星 ranking the API gives: an inspector further down shows no place. */
const INSPECTORS_RANKED = 100;

export const useAccountabilityStore = defineStore('accountability', () => {
  /** The department list is open (the 责任单位 tab at the top). */
  const departmentList = ref(false);
  /** The inspector whose panel is open, by name. */
  const inspector = ref<string | null>(null);
  const ranking = asyncSlot<Ranking>();
  const inspectors = asyncSlot<Inspectors>();

  /** Replaces both values (from the URL, or a drill step). */
  function replace(list: boolean, name: string | null): void {
    departmentList.value = list;
    inspector.value = name;
  }

  /** Loads the department red/black list for the filters; the district's whatever the drill scope. */
  function loadDepartments(filters: FilterParams): void {
    const { scope: _scope, ...rest } = filters;
    void ranking.load(mapFirst((signal) => fetchRanking(rest, 'department', DEPARTMENTS_RANKED, signal)));
  }

  /**
   * Loads one inspector's figures for the filters (their grids lie anywhere in the district), with
   * the 网格之星 ranking deep enough to find their place where the deployment ranks by name.
   */
  function loadInspector(name: string, filters: FilterParams): void {
    const { scope: _scope, ...rest } = filters;
    void inspectors.load(mapFirst((signal) => fetchInspectors(rest, { name, n: INSPECTORS_RANKED }, signal)));
  }

  return {
    departmentList,
    inspector,
    ranking: computed(() => ranking.state.value),
    inspectors: computed(() => inspectors.state.value),
    replace,
    loadDepartments,
    loadInspector,
  };
});
