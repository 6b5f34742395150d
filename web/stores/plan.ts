/**
 * The planner's state (route `/plan`): the plan list, the plan being edited with its grids and
 * undo/redo depth, the tool and selection, and what the server computes after every edit —
 * metrics, validation, topology, diff. Every edit goes through one path (`runEdit`) that applies
 * the server's answer to the grids, refreshes metrics and validation, and measures how long the
 * planner waited from the edit to the new numbers on screen.
 *
 * Large answers live in shallowRefs: they are replaced whole, never mutated, so deep reactivity
 * would only cost time on every edit.
 */
import { defineStore } from 'pinia';
import { computed, nextTick, ref, shallowRef } from 'vue';
import { ApiError } from '../api/client';
import { errorText } from './async-slot';
import * as planApi from '../api/civgrid';
import type { Change, EditOutcome, GridChange, Metrics, MetricsParams, PlanDiff, PlanInfo, PlanRow, Validation, VertexOp } from '../api/civgrid';
import type { Bbox, LonLat } from '../plan/geometry';
import { plansOf, publishedOf } from '../plan/districts';
import { applyOutcome, selectionAfter, type Grids } from '../plan/outcome';
import type { Tool } from '../plan/shortcuts';
import { addSample, summariseTimings, type TimingSample } from '../plan/timing';
import { buildVertexModel, type TopologyPart, type VertexModel } from '../plan/vertices';

/** Resolves after the DOM has updated and the next frame has been painted. */
function afterPaint(): Promise<void> {
  return nextTick().then(() => new Promise<void>((resolve) => (typeof requestAnimationFrame === 'function' ? requestAnimationFrame(() => resolve()) : resolve())));
}

/** A finding (or any place) the map should show and zoom to. */
export interface FocusPlace {
  bbox: Bbox;
  location: LonLat;
  error: boolean;
}

/** A refusal or failure to show: the server's error code (translated when known) and its message. */
export interface Problem {
  code: string | null;
  message: string;
}

function problemOf(err: unknown): Problem {
  return { code: err instanceof ApiError ? err.code : null, message: errorText(err) };
}

/** The planner's store (see the file comment). */
export const usePlanStore = defineStore('plan', () => {
  const plans = shallowRef<PlanRow[]>([]);
  const listError = ref<Problem | null>(null);
  /** The district being planned (a city holds one plan per district); null: none chosen yet. */
  const district = ref<string | null>(null);
  /** How many districts the deployment has: with one there is nothing to choose. */
  const districtCount = ref(1);
  /** Every district's published grids, for drawing the neighbours around the chosen district. */
  const cityGrids = shallowRef<Awaited<ReturnType<typeof planApi.fetchGridGeometry>> | null>(null);

  const planId = ref<number | null>(null);
  const plan = shallowRef<PlanInfo | null>(null);
  const grids = shallowRef<Grids | null>(null);
  const history = ref({ undo: 0, redo: 0 });

  const tool = ref<Tool>('select');
  const selected = ref<string | null>(null);
  /** Grids picked with the merge tool, in click order. */
  const mergePick = ref<string[]>([]);

  const metricsParams = ref<MetricsParams>({ band: 0.3 });
  const metrics = shallowRef<Metrics | null>(null);
  const validation = shallowRef<Validation | null>(null);
  /** Validation predates the latest edit (it is being recomputed): publishing waits for it. */
  const validating = ref(false);
  const topology = shallowRef<VertexModel | null>(null);
  const diff = shallowRef<PlanDiff | null>(null);
  /** The published plan's grids for the diff map, with the id they belong to. */
  const publishedCache = shallowRef<{ id: number; grids: Grids } | null>(null);
  const publishedGrids = computed(() => publishedCache.value?.grids ?? null);
  const changes = shallowRef<Change[] | null>(null);
  const focus = shallowRef<FocusPlace | null>(null);

  /** An edit (or load) in flight: the toolbar waits, so edits never race each other. */
  const busy = ref(false);
  const error = shallowRef<Problem | null>(null);
  const timings = shallowRef<TimingSample[]>([]);

  /** The plans of the chosen district (every plan in a one-district deployment). */
  const districtPlans = computed(() => plansOf(plans.value, district.value, districtCount.value));
  /** The published plan of the chosen district: what a new draft copies and the diff compares with. */
  const publishedId = computed(() => publishedOf(plans.value, districtCount.value > 1 ? district.value : null)?.id ?? null);
  const editable = computed(() => plan.value?.status === 'draft');
  const errorCount = computed(() => validation.value?.errors.length ?? 0);
  const canPublish = computed(() => editable.value && validation.value !== null && !validating.value && errorCount.value === 0 && (grids.value?.features.length ?? 0) > 0 && !busy.value);
  const timing = computed(() => summariseTimings(timings.value));
  const gridMetrics = computed(() => new Map((metrics.value?.plan.grids ?? []).map((g) => [g.code, g])));

  let loadToken = 0;

  /** Loads the plan list. */
  async function loadList(): Promise<void> {
    try {
      plans.value = await planApi.listPlans();
      listError.value = null;
    } catch (err) {
      listError.value = problemOf(err);
    }
  }

  /** Opens a plan: its grids, then metrics and validation. Null closes. */
  async function open(id: number | null): Promise<void> {
    const token = ++loadToken;
    planId.value = id;
    plan.value = null;
    grids.value = null;
    metrics.value = null;
    validation.value = null;
    validating.value = false;
    topology.value = null;
    diff.value = null;
    changes.value = null;
    focus.value = null;
    selected.value = null;
    mergePick.value = [];
    tool.value = 'select';
    timings.value = [];
    error.value = null;
    if (id === null) return;
    try {
      const detail = await planApi.fetchPlan(id);
      if (token !== loadToken) return;
      const { grids: fc, history: h, ...row } = detail;
      plan.value = row;
      district.value = row.district;
      grids.value = fc;
      history.value = h;
      await refreshAnalysis();
    } catch (err) {
      if (token === loadToken) error.value = problemOf(err);
    }
  }

  /** Metrics and validation of the open plan, fetched together. */
  async function refreshAnalysis(): Promise<Metrics | null> {
    const id = planId.value;
    if (id === null) return null;
    const [m, v] = await Promise.all([planApi.fetchMetrics(id, metricsParams.value), planApi.validatePlan(id)]);
    if (id !== planId.value) return null;
    metrics.value = m;
    validation.value = v;
    return m;
  }

  /** Validation of the open plan (after an edit, once the metrics are on screen). */
  async function refreshValidation(id: number): Promise<void> {
    validating.value = true;
    try {
      const v = await planApi.validatePlan(id);
      if (id === planId.value) validation.value = v;
    } catch (err) {
      error.value = problemOf(err);
    } finally {
      if (id === planId.value) validating.value = false;
    }
  }

  /** Changes the metrics window or band and recomputes. */
  async function setMetricsParams(p: MetricsParams): Promise<void> {
    metricsParams.value = { ...metricsParams.value, ...p };
    const id = planId.value;
    if (id === null) return;
    try {
      metrics.value = await planApi.fetchMetrics(id, metricsParams.value);
      error.value = null;
    } catch (err) {
      error.value = problemOf(err);
    }
  }

  /**
   * The one path of every edit: send it, patch the grids with the answer, fetch metrics and
   * validation, and time request → metrics painted. Returns false when the server refused.
   */
  async function runEdit(label: string, send: (id: number) => Promise<EditOutcome>): Promise<boolean> {
    const id = planId.value;
    if (id === null || busy.value || !editable.value) return false;
    busy.value = true;
    error.value = null;
    const started = performance.now();
    try {
      const outcome = await send(id);
      if (id !== planId.value || !grids.value) return false;
      grids.value = applyOutcome(grids.value, outcome);
      const count = grids.value.features.length;
      plans.value = plans.value.map((p) => (p.id === id ? { ...p, grids: count } : p));
      history.value = outcome.history;
      validating.value = true;
      selected.value = selectionAfter(selected.value, outcome);
      mergePick.value = [];
      diff.value = null;
      changes.value = null;
      const answered = performance.now();
      // Metrics first, validation after: the server computes on one thread, and the planner is
      // waiting for the numbers; findings may arrive a moment later.
      const m = await planApi.fetchMetrics(id, metricsParams.value);
      if (id !== planId.value) return false;
      metrics.value = m;
      const measured = performance.now();
      await afterPaint();
      const painted = performance.now();
      timings.value = addSample(timings.value, {
        label, totalMs: painted - started, editMs: answered - started, metricsMs: measured - answered, paintMs: painted - measured, serverMs: m.elapsedMs,
      });
      void refreshValidation(id);
      if (tool.value === 'vertex') void loadTopology();
      return true;
    } catch (err) {
      error.value = problemOf(err);
      if (validating.value) void refreshValidation(id);
      return false;
    } finally {
      busy.value = false;
    }
  }

  const split = (grid: string, line: LonLat[]) => runEdit('split', (id) => planApi.splitGrid(id, grid, line));
  const merge = (codes: string[]) => runEdit('merge', (id) => planApi.mergeGrids(id, codes));
  const updateGrid = (code: string, change: GridChange) => runEdit(change.geometry ? 'redraw' : 'update', (id) => planApi.updateGrid(id, code, change));
  const vertex = (op: VertexOp) => runEdit(`vertex-${op.op}`, (id) => planApi.editVertex(id, op));
  const undo = () => runEdit('undo', (id) => planApi.undoEdit(id));
  const redo = () => runEdit('redo', (id) => planApi.redoEdit(id));

  /** The vertex editor's model of the open plan. */
  async function loadTopology(): Promise<void> {
    const id = planId.value;
    if (id === null) return;
    try {
      const parts: TopologyPart[] = await planApi.fetchTopology(id);
      if (id === planId.value) topology.value = buildVertexModel(parts);
    } catch (err) {
      error.value = problemOf(err);
    }
  }

  /** The diff against the published plan, and the published grids to draw it. */
  async function loadDiff(): Promise<void> {
    const id = planId.value;
    const pub = publishedId.value;
    if (id === null || pub === null) return;
    try {
      const [d, published] = await Promise.all([
        planApi.fetchDiff(pub, id),
        publishedCache.value?.id === pub ? Promise.resolve(null) : planApi.fetchPlan(pub),
      ]);
      if (published) publishedCache.value = { id: pub, grids: published.grids };
      if (id === planId.value) diff.value = d;
    } catch (err) {
      error.value = problemOf(err);
    }
  }

  /** The change log of the open plan. */
  async function loadChanges(): Promise<void> {
    const id = planId.value;
    if (id === null) return;
    try {
      const c = await planApi.fetchChanges(id);
      if (id === planId.value) changes.value = c;
    } catch (err) {
      error.value = problemOf(err);
    }
  }

  /** Runs a list action (create, rename, discard, publish …) with the shared busy flag and error. */
  async function listAction<T>(work: () => Promise<T>): Promise<T | null> {
    if (busy.value) return null;
    busy.value = true;
    error.value = null;
    try {
      return await work();
    } catch (err) {
      error.value = problemOf(err);
      return null;
    } finally {
      busy.value = false;
    }
  }

  /** Creates a draft of the chosen district (a copy of `from`, default its published plan; or empty) and opens it. */
  async function create(name: string, from?: number, empty = false): Promise<number | null> {
    const where = district.value === null ? {} : { district: district.value };
    const row = await listAction(() => planApi.createPlan(empty ? { name, ...where, empty: true } : from ? { name, from } : { name, ...where }));
    if (!row) return null;
    await loadList();
    return row.id;
  }

  /** Renames a draft. */
  async function rename(id: number, name: string): Promise<void> {
    const row = await listAction(() => planApi.renamePlan(id, name));
    if (row && planId.value === id) plan.value = { ...plan.value!, name: row.name };
    await loadList();
  }

  /** Discards a draft (closing it when open). */
  async function discard(id: number): Promise<boolean> {
    const ok = await listAction(() => planApi.discardPlan(id));
    await loadList();
    if (ok && planId.value === id) await open(null);
    return ok !== null;
  }

  /**
   * Publishes the open draft; the plan becomes the published one (read-only). Returns how many
   * issues and sites were re-assigned, or null when the server refused.
   */
  async function publish(): Promise<{ issues: number; sites: number } | null> {
    const id = planId.value;
    if (id === null || !canPublish.value) return null;
    const answer = await listAction(() => planApi.publishPlan(id));
    if (!answer) return null;
    publishedCache.value = null;
    cityGrids.value = null;
    await loadList();
    await open(id);
    void loadCityGrids();
    return answer.reassigned;
  }

  /** Imports a grid file into a draft (repairing its outlines when asked), then reopens it. */
  async function importInto(id: number, file: File, repair = false): Promise<planApi.ImportReport | null> {
    const report = await listAction(() => planApi.importGrids(id, file, repair));
    await loadList();
    if (report && planId.value === id) await open(id);
    return report;
  }

  /** Loads every district's published grids (the geometry file the maps draw: shapes only matter), once per publish. */
  async function loadCityGrids(): Promise<void> {
    if (districtCount.value <= 1 || cityGrids.value) return;
    try {
      const { grids } = await planApi.fetchGeometryIndex();
      cityGrids.value = await planApi.fetchGridGeometry(grids.version);
    } catch {
      // Context only: the plan is edited the same without its neighbours drawn.
      cityGrids.value = null;
    }
  }

  /** Chooses a tool; leaving a tool drops its half-done picks. */
  function setTool(next: Tool): void {
    tool.value = next;
    mergePick.value = [];
    if (next === 'vertex' && !topology.value) void loadTopology();
  }

  /** Selects a grid (null clears). */
  function select(code: string | null): void {
    selected.value = code;
  }

  return {
    plans, listError, district, districtCount, districtPlans, cityGrids, loadCityGrids, planId, plan, grids, history, tool, selected, mergePick, metricsParams, metrics, validation, validating, topology,
    diff, publishedGrids, changes, focus, busy, error, timings, publishedId, editable, errorCount, canPublish, timing,
    gridMetrics, loadList, open, refreshAnalysis, setMetricsParams, runEdit, split, merge, updateGrid, vertex, undo, redo,
    loadTopology, loadDiff, loadChanges, create, rename, discard, publish, importInto, setTool, select,
  };
});
