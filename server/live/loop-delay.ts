import { monitorEventLoopDelay, type ELDHistogram } from 'node:perf_hooks';

/**
 * The event loop's delay over the last 30–60 s, in ms: how long a request could wait before the
 * server even looked at it; `recentMaxMs` is the longest delay of the last 1–2 s alone, so a
 * client polling health sees when a block happened, not just that one happened within a minute.
 */
export type LoopDelay = { windowS: number; p50Ms: number; p99Ms: number; maxMs: number; recentMaxMs: number };

const WINDOW_MS = 30_000;
const RECENT_MS = 1_000;
const NONE = { windowS: 0, p50Ms: 0, p99Ms: 0, maxMs: 0 };
const ms = (ns: number) => Math.round(ns / 1e5) / 10;

/**
 * Samples the event loop's delay (node:perf_hooks, 10 ms resolution) in windows of 30 s, so
 * `/api/health` tells an operator whether anything blocks the server now, not since its start.
 */
export class LoopDelayMonitor {
  private readonly histogram: ELDHistogram;
  private previous = NONE;
  private readonly timer: NodeJS.Timeout;
  /** The short window's histogram and the previous short window's max, ns. */
  private readonly recent: ELDHistogram;
  private previousRecentMax = 0;
  private readonly recentTimer: NodeJS.Timeout;

  constructor() {
    this.histogram = monitorEventLoopDelay({ resolution: 10 });
    this.histogram.enable();
    this.timer = setInterval(() => {
      this.previous = this.window();
      this.histogram.reset();
    }, WINDOW_MS);
    this.recent = monitorEventLoopDelay({ resolution: 10 });
    this.recent.enable();
    this.recentTimer = setInterval(() => {
      this.previousRecentMax = this.recent.count ? this.recent.max : 0;
      this.recent.reset();
    }, RECENT_MS);
    // Sampling must never keep a finished process alive.
    this.timer.unref();
    this.recentTimer.unref();
  }

  private window(): typeof NONE {
    const h = this.histogram;
    if (h.count === 0) return NONE;
    return { windowS: WINDOW_MS / 1000, p50Ms: ms(h.percentile(50)), p99Ms: ms(h.percentile(99)), maxMs: ms(h.max) };
  }

  /** The worse of the previous and the current window, figure by figure. */
  figures(): LoopDelay {
    const now = this.window();
    const worse = (k: 'p50Ms' | 'p99Ms' | 'maxMs') => Math.max(now[k], this.previous[k]);
    const recentMax = Math.max(this.previousRecentMax, this.recent.count ? this.recent.max : 0);
    return {
      windowS: Math.max(now.windowS, this.previous.windowS), p50Ms: worse('p50Ms'), p99Ms: worse('p99Ms'), maxMs: worse('maxMs'), recentMaxMs: ms(recentMax),
    };
  }

  /** Stops sampling. */
  close(): void {
    clearInterval(this.timer);
    clearInterval(this.recentTimer);
    this.histogram.disable();
    this.recent.disable();
  }
}
