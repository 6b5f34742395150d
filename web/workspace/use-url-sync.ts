/**
 * Keeps the URL and the workspace stores in step (deep links): store changes write the URL —
 * a drill step (scope or issue) pushes a history entry, anything else replaces the current one —
 * and a URL change from Back/Forward or a pasted link is applied to the stores, with `onApply`
 * moving the camera.
 */
import { onScopeDispose, shallowRef, watch } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import { useAccountabilityStore } from '../stores/accountability';
import { useFiltersStore } from '../stores/filters';
import { useLayersStore } from '../stores/layers';
import { parseFrameKey } from '../playback/frames';
import { shanghaiDate } from '../../server/domain/time';
import { usePlaybackStore } from '../stores/playback';
import { useScopeStore } from '../stores/scope';
import {
  decodeUrlState, isDrillStep, mergeQuery, onlyFrameMoved, urlKey, type MapViewState, type PlaybackUrlState, type QueryRecord, type UrlState,
} from './url-state';

/**
 * How long the address waits for the playback frame to rest before it is rewritten: stepping or
 * scrubbing fast would otherwise replace it every frame (a history write costs the frame several ms,
 * and browsers throttle them).
 */
export const FRAME_URL_WAIT_MS = 300;

/** Wires the URL to the stores; returns the view ref to update on every settled map move and the state the page opened with. */
export function useUrlSync(onApply: (state: UrlState, previous: UrlState) => void) {
  const route = useRoute();
  const router = useRouter();
  const filters = useFiltersStore();
  const layers = useLayersStore();
  const scope = useScopeStore();
  const playback = usePlaybackStore();
  const accountability = useAccountabilityStore();
  const view = shallowRef<MapViewState | null>(null);

  /** The time bar as the URL writes it: the step the frames have (once in) and the frame it rests on. */
  const playbackState = (): PlaybackUrlState | null =>
    playback.open ? { step: playback.step === 'auto' && playback.count ? playback.shownStep : playback.step, at: playback.urlFrame } : null;

  function applyPlayback(p: PlaybackUrlState | null): void {
    if (!p) {
      if (playback.open) playback.close();
      return;
    }
    const current = playbackState();
    if (current?.step !== p.step || !playback.open) playback.openBar(p.step, parseFrameKey(p.at));
    else if (p.at !== current.at) playback.seekTo(parseFrameKey(p.at));
  }

  const current = (): UrlState => ({
    scope: scope.scope,
    issue: scope.issueId,
    departments: accountability.departmentList,
    inspector: accountability.inspector,
    filters: filters.state,
    layers: layers.visible,
    metric: layers.metric,
    basemap: layers.basemap,
    view: view.value,
    playback: playbackState(),
  });

  function apply(state: UrlState): void {
    const previous = current();
    filters.replace(state.filters);
    layers.replace(state.layers, state.metric, state.basemap);
    scope.replace(state.scope, state.issue);
    accountability.replace(state.departments, state.inspector);
    view.value = state.view;
    applyPlayback(state.playback);
    onApply(state, previous);
  }

  const initial = decodeUrlState(route.query as QueryRecord, shanghaiDate(new Date()));
  filters.replace(initial.filters);
  layers.replace(initial.layers, initial.metric, initial.basemap);
  scope.replace(initial.scope, initial.issue);
  accountability.replace(initial.departments, initial.inspector);
  view.value = initial.view;
  applyPlayback(initial.playback);

  watch(
    () => route.query,
    (query) => {
      const fromUrl = decodeUrlState(query as QueryRecord, shanghaiDate(new Date()));
      if (urlKey(fromUrl) !== urlKey(current())) apply(fromUrl);
    },
  );

  let frameTimer: ReturnType<typeof setTimeout> | null = null;
  /** Writes the stores' state to the URL: a drill step as a new history entry, anything else in place. */
  function write(): void {
    frameTimer = null;
    const next = current();
    const inUrl = decodeUrlState(route.query as QueryRecord);
    if (urlKey(next) === urlKey(inUrl)) return;
    const query = mergeQuery(route.query as QueryRecord, next);
    void (isDrillStep(inUrl, next) ? router.push({ query }) : router.replace({ query }));
  }

  watch(
    () => [scope.scope, scope.issueId, accountability.departmentList, accountability.inspector, filters.state, layers.visible, layers.metric, layers.basemap, view.value, playback.open, playback.step, playback.urlFrame, playback.count],
    () => {
      if (frameTimer) clearTimeout(frameTimer);
      frameTimer = null;
      const inUrl = decodeUrlState(route.query as QueryRecord);
      if (onlyFrameMoved(inUrl, current())) frameTimer = setTimeout(write, FRAME_URL_WAIT_MS);
      else write();
    },
  );
  onScopeDispose(() => {
    if (frameTimer) clearTimeout(frameTimer);
  });

  return { view, initial };
}
