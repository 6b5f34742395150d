/**
 * What the workspace map draws while the time bar is open, read from the frames the playback store
 * holds: the grids coloured by their count in the frame, the heat of the frame over the bins of the
 * view, and the loaded issue points reported in the frame. A frame change hands deck.gl the same
 * data objects with a new frame key (valueKey, weightsKey), so only colours and weights are
 * recomputed, on one colour scale for all frames (grids and heat alike); the heat frames of the view are asked for again when the map settles elsewhere.
 */
import { computed, onBeforeUnmount, watch, type Ref } from 'vue';
import type { FilterParams } from '../api/civgrid';
import type { GridProperties } from '../map/layers/grid-choropleth';
import { heatZoom } from '../map/layers/heat';
import type { ChoroplethMetric } from '../map/layers/colours';
import type { MapViewChange } from '../map/map-types';
import { alignFrames, frameCounter, heatFramePoints, heatFrameScale, frameScale, reportedInFrame, unitRows, unitValue, type HeatFrames } from '../playback/frames';
import { usePlaybackStore } from '../stores/playback';
import { clampBbox } from './use-view-data';

const DEBOUNCE_MS = 300;

/** The playback parts of the map's layers; each is null (or empty) while the bar is closed. */
export function usePlaybackLayers(view: Ref<MapViewChange | null>, params: Ref<FilterParams>, heatOn: Ref<boolean>, metric: Ref<ChoroplethMetric>) {
  const playback = usePlaybackStore();
  const answer = computed(() => (playback.open ? playback.grids.data : null));
  const counter = computed(() => (answer.value ? frameCounter(metric.value) : null));
  const rows = computed(() => (answer.value ? unitRows(answer.value.units) : null));
  // One scale over every frame, computed once per answer and metric, not per frame.
  const scale = computed(() => (answer.value ? frameScale(metric.value, answer.value) : null));

  const choropleth = computed<{ metric?: ChoroplethMetric; valueAt?: (p: GridProperties) => number | null; valueKey?: number }>(() => {
    const a = answer.value;
    const r = rows.value;
    const c = counter.value;
    if (!a || !r || !c) return {};
    const i = playback.index;
    return { metric: c, valueAt: (p) => unitValue(a, r, c, p.code, i), valueKey: i };
  });

  const heatAnswer = computed<HeatFrames | null>(() => (playback.open && heatOn.value ? playback.heat.data : null));
  // Bin centres once per answer: every frame draws the same points with other weights.
  const heatBins = computed(() => {
    const h = heatAnswer.value;
    return h ? heatFramePoints(h) : null;
  });
  // One heat ramp over every frame too, for the legend to name.
  const heatScale = computed(() => (heatAnswer.value ? heatFrameScale(heatAnswer.value) : null));
  const heatFrameOf = computed(() => (heatAnswer.value && answer.value ? alignFrames(answer.value.frames, heatAnswer.value.frames) : []));
  const heat = computed(() => {
    const h = heatAnswer.value;
    const points = heatBins.value;
    const f = heatFrameOf.value[playback.index] ?? -1;
    if (!h || !points || f < 0) return null;
    return { points, weights: h.counts[f], weightsKey: f, top: heatScale.value?.top };
  });

  /** The issue points of the frame (all of them while the bar is closed). */
  function issues<T extends { reportedAt: string }>(items: T[]): T[] {
    return answer.value ? reportedInFrame(items, playback.starts, playback.index, playback.shownStep) : items;
  }

  let timer: ReturnType<typeof setTimeout> | null = null;
  function loadHeat(): void {
    timer = null;
    const v = view.value;
    if (!v || !playback.open || !heatOn.value) return;
    // Like the period's heat, the frames cover the whole district in view, whatever the drill scope.
    const { scope: _scope, ...f } = params.value;
    void playback.loadHeat(f, { bbox: clampBbox(v.bounds), zoom: heatZoom(v.zoom), cell: 8 });
  }
  watch([view, params, () => playback.open, () => playback.step, heatOn], () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(loadHeat, DEBOUNCE_MS);
  }, { immediate: true });
  onBeforeUnmount(() => {
    if (timer) clearTimeout(timer);
  });

  return { counter, scale, choropleth, heat, heatScale, issues };
}
