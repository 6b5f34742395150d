/**
 * What keeps the big screen running unattended: boot (configuration, region tree, basemap, with
 * retries), the tour, refreshes (every `refreshSeconds`, on live ticks, on reconnect, with backoff
 * while failing), the live feed and its watchdog, and the test hook. One 1-second timer drives all
 * of it, so there is exactly one thing to stop when the screen closes. The data itself lives in
 * the screen-data store.
 */
import { defineStore } from 'pinia';
import { computed, effectScope, ref, shallowRef, watch, type EffectScope } from 'vue';
import { windowPeriod } from '../../server/domain/periods';
import { shanghaiDate } from '../../server/domain/time';
import { fetchMeta, fetchRanking, fetchRegionLayers, fetchScreenConfig, type Meta } from '../api/civgrid';
import { takeEarly } from '../api/early';
import type { RegionLayers } from '../api/types';
import { scopeText, type Scope, type ScopeLevel } from '../../server/domain/scope';
import { applyUrlOverrides, BUNDLED_CONFIG, type ScreenConfig } from '../screen/config';
import { entryFromEvent, type TickerEntry } from '../screen/ticker';
import { lapDone, replayIdle, replayNext, replayTick, startReplay, type ReplayState } from '../screen/replay';
import {
  holdTour, pauseRemaining, pauseTour, reconcileTour, startTour, tourNext, tourStep, tourStops, wallTop, type TourNode, type TourState, type TourStop,
} from '../screen/tour';
import { useLiveStore } from './live';
import { useScreenDataStore, type ScopeRef } from './screen-data';

/** The live feed URL: KPI ticks every 30 s are plenty for a wall that refreshes each minute anyway. */
const LIVE_URL = '/api/events?tick=30';
/** Live events arrive in bursts; refresh at most this often because of them. */
const LIVE_MIN_GAP_MS = 10_000;
/** EventSource gives up for good on some answers (a 502 from a proxy); after this long we reopen it. */
const LIVE_WATCHDOG_MS = 20_000;

/** Retry delays while the server is away: quick at first, then every 30 s. */
export function retryDelayMs(failures: number): number {
  return [3_000, 5_000, 10_000, 20_000][failures - 1] ?? 30_000;
}

/** What the connection badge says. */
export type Connection = 'connecting' | 'live' | 'reconnecting';

/** The test hook on `window.__civgridScreen` (`?test=1`). */
export interface ScreenTestHook {
  /**
   * One cycle of the wall's loop, without waiting for timers: the tour moves to its next stop and
   * its panels load, and (unless `map` is false) the periodic full refresh runs too. Resolves
   * when the data is in.
   */
  tick(options?: { map?: boolean }): Promise<void>;
  /** Refreshes without moving. */
  refresh(): Promise<void>;
  /** The replay's next frame at once (starting the replay when it is not running); resolves once it is drawn. */
  replayStep(): Promise<void>;
  state(): {
    scope: string | null; stop: number; stops: number; refreshes: number; failing: boolean; connection: Connection; freshAt: number | null;
    replay: { active: boolean; frame: number; frames: number };
  };
}

declare global {
  interface Window {
    /** Installed with `?test=1` while the screen is open. */
    __civgridScreen?: ScreenTestHook;
  }
}

/** Call `configure()` when the screen opens, `start()` once it is mounted and `stop()` when it closes. */
export const useScreenStore = defineStore('screen', () => {
  const live = useLiveStore();
  const data = useScreenDataStore();
  const config = shallowRef<ScreenConfig>(BUNDLED_CONFIG);
  const meta = shallowRef<Meta | null>(null);
  const regions = shallowRef<RegionLayers | null>(null);
  const stops = shallowRef<TourStop[]>([]);
  /** The `?scope=` the wall was opened with (null: the top of the data). */
  const requestedScope = shallowRef<Scope | null>(null);
  /** The region this wall stands for: the top of the data, or the unit `?scope=` names. */
  const top = computed<TourNode | null>(() => (meta.value ? wallTop(meta.value.regions, requestedScope.value) : null));
  /**
   * The scope the map's data is limited to: the wall's own unit when `?scope=` names one below
   * the top, else null (everything the server holds, as without the parameter).
   */
  const mapScope = computed(() => {
    const t = top.value;
    return t && meta.value && t !== meta.value.regions[0] ? scopeText({ level: t.level as ScopeLevel, id: t.code }) : null;
  });
  const tour = ref<TourState>(startTour(Date.now(), 0));
  const now = ref(Date.now());
  /** Set by the test hook so the map jumps instead of flying (hundreds of cycles in a minute). */
  const instantMoves = ref(false);
  const refreshes = ref(0);
  const everLive = ref(false);
  const bootFailures = ref(0);
  const replay = shallowRef<ReplayState>(replayIdle());
  const replayOn = computed(() => config.value.replay.days > 0);
  const replayFrames = computed(() => data.replay?.frames.frames.length ?? 0);
  /** The replay frame the map shows, or null while it shows the present. */
  const replayFrame = computed(() => (replay.value.active && replayFrames.value ? Math.min(replay.value.clock.index, replayFrames.value - 1) : null));

  const scope = computed<ScopeRef | null>(() => {
    const stop = stops.value[tour.value.index] ?? stops.value[0];
    return stop ? { scope: stop.scope, level: stop.level, code: stop.code, name: stop.name } : null;
  });
  /**
   * The place the wall shows: the scope of the panels' data, so map, banner, site board and ticker
   * switch together with the numbers when the new scope's data is in, never before.
   */
  const shownScope = computed<ScopeRef | null>(() => data.panels?.scope ?? scope.value);
  /** Whether the tour's current stop is on the wall yet (its data arrived). */
  const stopShown = computed(() => scope.value !== null && data.panels?.scope.scope === scope.value.scope);
  const tourOn = computed(() => config.value.tour.seconds > 0 && stops.value.length > 1);
  const paused = computed(() => pauseRemaining(tour.value, now.value));
  const connection = computed<Connection>(() => {
    if (live.state === 'open' && !data.failing) return 'live';
    return everLive.value || data.failing || bootFailures.value > 0 ? 'reconnecting' : 'connecting';
  });

  let search = new URLSearchParams();
  let testHook = false;
  let running: EffectScope | null = null;
  let timer: ReturnType<typeof setInterval> | null = null;
  let refreshing: Promise<void> | null = null;
  let refreshingScope: string | null = null;
  let refreshingMap = false;
  let lastRefreshAt = 0;
  let seenRevision = -1;
  let failures = 0;
  let reconnectingSince: number | null = null;
  let nextBootAt = 0;
  let booting = false;

  /**
   * Starts from nothing with `initial` and the page's URL overrides, as a freshly loaded page
   * would: the store outlives the view, a wall opened again must not show the last visit's state.
   */
  function configure(initial: ScreenConfig, params: URLSearchParams): void {
    stop();
    data.reset();
    search = params;
    const resolved = applyUrlOverrides(initial, search);
    for (const w of resolved.warnings) console.warn(`[screen] ${w}`);
    config.value = resolved.config;
    testHook = resolved.testHook;
    requestedScope.value = resolved.scope;
    meta.value = null;
    regions.value = null;
    stops.value = [];
    tour.value = startTour(Date.now(), 0);
    now.value = Date.now();
    instantMoves.value = false;
    refreshes.value = 0;
    everLive.value = false;
    bootFailures.value = 0;
    replay.value = replayIdle();
    refreshing = refreshingScope = null;
    refreshingMap = false;
    lastRefreshAt = nextBootAt = failures = 0;
    seenRevision = -1;
    reconnectingSince = null;
    booting = false;
  }

  /** Region tree, basemap and (N-worst tours) the ranking; retried until the server answers. */
  async function boot(): Promise<void> {
    booting = true;
    try {
      const [server, m, r] = await Promise.all([
        (takeEarly('screenConfig') ?? fetchScreenConfig()).catch(() => null),
        takeEarly('meta') ?? fetchMeta(),
        takeEarly('regions') ?? fetchRegionLayers(),
      ]);
      // The server's file wins over the bundled copy; the URL still wins over both.
      if (server) config.value = applyUrlOverrides(server, search).config;
      meta.value = m;
      regions.value = r;
      // The tour's clock starts when there is something to show, with the server's stop length.
      tour.value = startTour(Date.now(), config.value.tour.seconds);
      // Every tour starts at the wall's own region: its data loads now, while an N-worst tour
      // asks the ranking for the rest of the stops (the wall's first data waited for it).
      if (!stops.value.length && top.value) stops.value = [tourStops(top.value, [], 'all')[0]];
      void refresh();
      await rebuildStops();
      bootFailures.value = 0;
    } catch {
      bootFailures.value++;
      nextBootAt = Date.now() + retryDelayMs(bootFailures.value);
    } finally {
      booting = false;
    }
  }

  /** Builds the stop list; an N-worst tour asks the ranking which streets are worst now. */
  async function rebuildStops(): Promise<void> {
    const t = top.value;
    if (!t) return;
    const { streets: option, levels } = config.value.tour;
    let worst: string[] = [];
    if (option !== 'all' && config.value.tour.seconds > 0) {
      const window = windowPeriod(config.value.period, shanghaiDate(new Date()));
      const ranking = await fetchRanking({ scope: scopeText({ level: t.level as ScopeLevel, id: t.code }), ...window }, 'street', Math.min(option, 100)).catch(() => null);
      worst = ranking ? ranking.black.map((e) => e.code) : stops.value.filter((s) => s.level === 'street').map((s) => s.code);
    }
    const next = tourStops(t, levels, option, worst);
    tour.value = reconcileTour(tour.value, stops.value, next);
    stops.value = next;
  }

  /**
   * Loads the current scope's panels and, unless `withMap` is false, the map's data of the wall's area.
   * A call during a run shares it when that run covers as much; a new scope starts a new run,
   * whose loads abort the old one's requests.
   */
  function refresh(withMap = true): Promise<void> {
    const current = scope.value;
    if (!current) return Promise.resolve();
    if (refreshing && refreshingScope === current.scope && (refreshingMap || !withMap)) return refreshing;
    // The minute timer counts from the last full refresh: tour steps alone never reload the map.
    if (withMap) lastRefreshAt = Date.now();
    seenRevision = live.revision;
    const today = shanghaiDate(new Date());
    const cfg = config.value;
    const loads = [
      data.loadPanels(current, today, cfg),
      ...(withMap ? [data.loadMap(today, cfg, mapScope.value)] : []),
      ...(withMap && cfg.replay.days > 0 ? [data.loadReplay(today, cfg)] : []),
    ];
    const run: Promise<void> = Promise.all(loads)
      .then((results) => {
        if (results.includes('superseded')) return;
        failures = results.every((r) => r === 'ok') ? 0 : failures + 1;
        refreshes.value++;
      })
      .finally(() => {
        if (refreshing === run) refreshing = null;
      });
    refreshing = run;
    refreshingScope = current.scope;
    refreshingMap = withMap;
    return run;
  }

  /** Any touch, click, key or real mouse move holds the tour for `pauseSeconds`. */
  function interact(): void {
    if (!tourOn.value) return;
    tour.value = pauseTour(tour.value, Date.now(), config.value.tour.pauseSeconds * 1000, config.value.tour.seconds);
  }

  function everySecond(): void {
    const t = Date.now();
    now.value = t;
    if (!meta.value) {
      if (!booting && t >= nextBootAt) void boot();
      return;
    }
    const frameMs = config.value.replay.frameSeconds * 1000;
    if (replayOn.value) {
      // Without a tour the replay is the map's loop; with one it plays between laps and then ends.
      if (!tourOn.value && !replay.value.active && replayFrames.value) replay.value = startReplay(replayFrames.value, t, frameMs);
      else replay.value = replayTick(replay.value, replayFrames.value, t, frameMs, !tourOn.value);
    }
    if (tourOn.value && replay.value.active) {
      // The district stays on while its days replay; its own time starts when the replay ends.
      tour.value = holdTour(tour.value, t, config.value.tour.seconds);
    } else if (tourOn.value && !stopShown.value) {
      // A stop's time runs from when it is on the wall: on a slow server the tour would otherwise
      // abort each load with the next and never show anything.
      tour.value = holdTour(tour.value, t, config.value.tour.seconds);
    } else if (tourOn.value) {
      const next = tourStep(tour.value, stops.value.length, t, config.value.tour.seconds);
      if (next !== tour.value) {
        // Back at the top: a fresh lap, so an N-worst tour re-reads who is worst.
        if (next.index === 0 && config.value.tour.streets !== 'all') void rebuildStops();
        if (next.index === 0 && replayOn.value) replay.value = lapDone(replay.value, config.value.replay.everyTours, replayFrames.value, t, frameMs);
        tour.value = next;
      }
    }
    watchLive(t);
    if (refreshing) return;
    const since = t - lastRefreshAt;
    const due = since >= config.value.refreshSeconds * 1000;
    const liveDue = live.revision !== seenRevision && since >= LIVE_MIN_GAP_MS;
    const retryDue = failures > 0 && since >= retryDelayMs(failures);
    if (due || liveDue || retryDue) void refresh();
  }

  /** Reopens an EventSource stuck in "reconnecting" once the API answers again. */
  function watchLive(t: number): void {
    if (live.state !== 'reconnecting') {
      reconnectingSince = null;
      return;
    }
    reconnectingSince ??= t;
    if (t - reconnectingSince >= LIVE_WATCHDOG_MS && failures === 0 && !data.failing) {
      live.disconnect();
      live.connect(LIVE_URL);
      reconnectingSince = t;
    }
  }

  /** Reactions that hold only while the screen is open. */
  function watchWhileOpen(): void {
    // Moving to another stop: the panels' data for the new scope at once (the previous load is
    // aborted inside); the map shows the wall's whole area and keeps its data.
    watch(() => scope.value?.scope, (s, before) => {
      if (s && before && s !== before) void refresh(false);
    });
    // Live reports and closures count for the badge's "newest event" as much as loaded ones.
    watch(() => live.recent, (events) => {
      data.noteEvents(events.map((e) => entryFromEvent(e.type, e.data)).filter((e): e is TickerEntry => e !== null));
    });
    // Back from a drop: the server may have restarted with other data, so reload everything now.
    watch(() => live.state, (state, before) => {
      if (state === 'open') {
        if (everLive.value && before !== 'open') {
          failures = Math.max(failures, 1);
          lastRefreshAt = 0;
        }
        everLive.value = true;
      }
    });
  }

  const hook: ScreenTestHook = {
    async tick(options) {
      instantMoves.value = true;
      if (stops.value.length > 1) tour.value = tourNext(tour.value, stops.value.length, Date.now(), config.value.tour.seconds);
      await refresh(options?.map ?? true);
    },
    refresh: () => refresh(),
    replayStep() {
      replay.value = replayNext(replay.value, replayFrames.value, Date.now(), config.value.replay.frameSeconds * 1000);
      // After the watchers have run (a microtask), the map's render is queued before this frame callback.
      return Promise.resolve().then(() => new Promise((resolve) => requestAnimationFrame(() => resolve())));
    },
    state: () => ({
      scope: scope.value?.scope ?? null, stop: tour.value.index, stops: stops.value.length, refreshes: refreshes.value,
      failing: data.failing, connection: connection.value, freshAt: data.freshAt,
      replay: { active: replay.value.active, frame: replay.value.clock.index, frames: replayFrames.value },
    }),
  };

  /** Opens the live feed, boots and starts the 1-second loop. */
  function start(): void {
    running = effectScope(true);
    running.run(watchWhileOpen);
    tour.value = startTour(Date.now(), config.value.tour.seconds);
    live.connect(LIVE_URL);
    if (testHook) window.__civgridScreen = hook;
    void boot();
    timer = setInterval(everySecond, 1000);
  }

  /** Stops the loop, cancels loads and closes the live feed. */
  function stop(): void {
    if (!running) return;
    running.stop();
    running = null;
    if (timer) clearInterval(timer);
    timer = null;
    data.dispose();
    live.disconnect();
    if (testHook) delete window.__civgridScreen;
  }

  return {
    config, meta, regions, top, stops, tour, scope, shownScope, tourOn, paused, now, connection, instantMoves, refreshes, replayFrame,
    configure, start, stop, interact, refresh,
  };
});
