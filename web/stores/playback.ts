/**
 * The workspace's time bar: whether it is open, the frame step, the frames of the period (one
 * request for the grids' counts, one for the scope's totals when drilled, one for the heat of the
 * view) and the playback clock. Once the frames are in, playing is local: the clock moves an index
 * and every layer, tile and cursor reads that frame out of the answers already held — no request
 * per frame. Only a new period, filter, scope or view loads again.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import {
  fetchHeatFrames, fetchStatsFrames, type FilterParams, type HeatFramesAnswer, type HeatView, type StatsFrames,
} from '../api/civgrid';
import {
  advance, frameIndexAt, frameKey, frameStarts, pausedAt, play as playClock, seek as seekClock, stepBy as stepClock,
  type PlaybackClock, type PlaybackStep, type Speed,
} from '../playback/frames';
import { asyncSlot } from './async-slot';

export const usePlaybackStore = defineStore('playback', () => {
  const open = ref(false);
  /** The step asked for; `auto` lets the server choose for the period. */
  const step = ref<PlaybackStep | 'auto'>('auto');
  const clock = shallowRef<PlaybackClock>(pausedAt(0));
  const grids = asyncSlot<StatsFrames>();
  const scopeFrames = asyncSlot<StatsFrames>();
  const heat = asyncSlot<HeatFramesAnswer>();
  /** The instant to show once frames arrive (a link's `t`); null = keep the index. */
  const wanted = ref<number | null>(null);
  let timer: ReturnType<typeof setTimeout> | null = null;

  const answer = computed(() => grids.state.value.data);
  const starts = computed(() => frameStarts(answer.value?.frames ?? []));
  const count = computed(() => starts.value.length);
  /** The step of the frames held (the server's answer, whatever was asked). */
  const shownStep = computed<PlaybackStep>(() => (answer.value?.step as PlaybackStep | undefined) ?? (step.value === 'auto' ? 'day' : step.value));
  const index = computed(() => Math.min(clock.value.index, Math.max(0, count.value - 1)));
  const frameStart = computed(() => starts.value[index.value] ?? null);
  /**
   * The frame as the URL holds it: written while paused only, so a playing bar does not rewrite
   * the address many times a second (browsers throttle that), and a shared link opens where the
   * sender stopped.
   */
  const urlFrame = ref<string | null>(null);
  /** The scope's own totals per frame: the drilled scope's answer, else the district's. */
  const totals = computed(() => (scopeFrames.state.value.data ?? answer.value)?.totals ?? null);
  const loading = computed(() => grids.state.value.status === 'loading' || heat.state.value.status === 'loading');
  const error = computed(() => grids.state.value.error ?? heat.state.value.error ?? scopeFrames.state.value.error);

  function noteFrame(): void {
    const start = frameStart.value;
    urlFrame.value = start === null ? null : frameKey(start, shownStep.value);
  }

  function setClock(next: PlaybackClock): void {
    clock.value = next;
    if (!next.playing) noteFrame();
    schedule();
  }

  function schedule(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    if (!clock.value.playing) return;
    timer = setTimeout(() => {
      timer = null;
      setClock(advance(clock.value, count.value, Date.now()));
    }, Math.max(0, clock.value.dueAt - Date.now()));
  }

  /** Opens the bar (from a click or a link) at `step`, showing instant `at` once frames are in. */
  function openBar(s: PlaybackStep | 'auto', at: number | null = null): void {
    open.value = true;
    step.value = s;
    wanted.value = at;
  }

  /** Shows the frame holding instant `at` (Back/Forward to another frame of the same frames). */
  function seekTo(at: number | null): void {
    wanted.value = at;
    placeWanted();
  }

  /** Closes the bar: the map, tiles and chart go back to the period's own view. */
  function close(): void {
    open.value = false;
    setClock(pausedAt(0, clock.value.speed));
    urlFrame.value = null;
    grids.reset();
    scopeFrames.reset();
    heat.reset();
  }

  function placeWanted(): void {
    if (wanted.value === null || !count.value) return;
    setClock({ ...clock.value, index: frameIndexAt(starts.value, wanted.value) });
    wanted.value = null;
  }

  /**
   * The frames of the period for the district's grids (the map shows the whole district) and,
   * drilled into a place, its own totals. `params` without scope; `scope` as the API spells it.
   */
  async function load(params: FilterParams, scope: string | null): Promise<void> {
    const o = step.value === 'auto' ? {} : { step: step.value };
    // Keep the instant on screen when the frames are replaced (a new filter, a new step).
    if (wanted.value === null && frameStart.value !== null) wanted.value = frameStart.value;
    const loads = [grids.load((signal) => fetchStatsFrames(params, 'grid', o, signal))];
    if (scope) loads.push(scopeFrames.load((signal) => fetchStatsFrames({ ...params, scope }, 'grid', o, signal)));
    else scopeFrames.reset();
    await Promise.all(loads);
    placeWanted();
    if (!clock.value.playing) noteFrame();
  }

  /** The heat frames of a view (after the map settles; panning asks again). */
  function loadHeat(params: FilterParams, view: HeatView): Promise<void> {
    const o = step.value === 'auto' ? {} : { step: step.value };
    return heat.load((signal) => fetchHeatFrames(params, view, o, signal));
  }

  /** Chooses another frame length; the caller reloads. */
  function setStep(s: PlaybackStep | 'auto'): void {
    step.value = s;
  }

  function play(): void {
    setClock(playClock(clock.value, count.value, Date.now()));
  }
  function pause(): void {
    setClock({ ...clock.value, playing: false });
  }
  function toggle(): void {
    if (clock.value.playing) pause();
    else play();
  }
  function stepBy(delta: number): void {
    setClock(stepClock(clock.value, delta, count.value));
  }
  function seek(i: number): void {
    setClock(seekClock(clock.value, i, count.value, Date.now()));
  }
  function setSpeed(speed: Speed): void {
    setClock({ ...clock.value, speed });
  }

  return {
    open, step, clock, index, count, starts, frameStart, shownStep, urlFrame, totals, loading, error,
    grids: computed(() => grids.state.value), heat: computed(() => heat.state.value),
    openBar, seekTo, close, load, loadHeat, setStep, play, pause, toggle, stepBy, seek, setSpeed,
  };
});
