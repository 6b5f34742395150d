/**
 * Map data that depends on the camera: heat bins for the visible bbox and zoom, and individual
 * issues from zoom 16. Both are re-queried after the map settles (debounced), and the previous
 * answer stays drawn until the new one arrives, so panning never blinks the layer empty.
 */
import { onBeforeUnmount, shallowRef, watch, type Ref } from 'vue';
import { fetchHeat, fetchIssues, type FilterParams, type IssueItem } from '../api/civgrid';
import { heatPoints, heatZoom, type HeatPoint } from '../map/layers/heat';
import { ISSUE_POINTS_MIN_ZOOM } from '../map/layers/issue-points';
import type { MapViewChange } from '../map/map-types';

const DEBOUNCE_MS = 300;
/** Enough for a street-level view; the API pages beyond it. */
const ISSUE_LIMIT = 500;

/** Clamps a bbox to what the heat route accepts (Web Mercator latitudes, ±180° longitudes). */
export function clampBbox([w, s, e, n]: [number, number, number, number]): [number, number, number, number] {
  return [Math.max(-180, w), Math.max(-85, s), Math.min(180, e), Math.min(85, n)];
}

/** Heat points and issue points for the view; `enabled` refs switch each query off when its layer is hidden. */
export function useViewData(
  view: Ref<MapViewChange | null>,
  filters: Ref<FilterParams>,
  heatOn: Ref<boolean>,
  issuesOn: Ref<boolean>,
  onError: (message: string) => void,
) {
  const heat = shallowRef<HeatPoint[]>([]);
  const issues = shallowRef<IssueItem[]>([]);
  let timer: ReturnType<typeof setTimeout> | null = null;
  let heatController: AbortController | null = null;
  let issueController: AbortController | null = null;

  async function loadHeat(v: MapViewChange, f: FilterParams): Promise<void> {
    heatController?.abort();
    const controller = (heatController = new AbortController());
    try {
      const answer = await fetchHeat(f, { bbox: clampBbox(v.bounds), zoom: heatZoom(v.zoom), cell: 8 }, controller.signal);
      if (heatController === controller) heat.value = heatPoints(answer);
    } catch (err) {
      if (!controller.signal.aborted) onError(err instanceof Error ? err.message : String(err));
    }
  }

  async function loadIssues(v: MapViewChange, f: FilterParams): Promise<void> {
    issueController?.abort();
    const controller = (issueController = new AbortController());
    try {
      const page = await fetchIssues(f, { bbox: clampBbox(v.bounds), limit: ISSUE_LIMIT }, controller.signal);
      if (issueController === controller) issues.value = page.items;
    } catch (err) {
      if (!controller.signal.aborted) onError(err instanceof Error ? err.message : String(err));
    }
  }

  function refresh(): void {
    timer = null;
    const v = view.value;
    if (!v) return;
    // The map shows the whole district as context, so the view queries ignore the drill scope.
    const { scope: _scope, ...f } = filters.value;
    if (heatOn.value) void loadHeat(v, f);
    if (issuesOn.value && v.zoom >= ISSUE_POINTS_MIN_ZOOM) void loadIssues(v, f);
    else if (issues.value.length) issues.value = [];
  }

  watch([view, filters, heatOn, issuesOn], () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(refresh, DEBOUNCE_MS);
  });

  onBeforeUnmount(() => {
    if (timer) clearTimeout(timer);
    heatController?.abort();
    issueController?.abort();
  });

  return { heat, issues };
}
