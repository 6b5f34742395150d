import { monitorEventLoopDelay, type ELDHistogram } from 'node:perf_hooks';

/**
 * The event loop's delay over the last 30–60 s, in ms: how long a request could wait before the
 * server even looked at it; `recentMaxMs` is the longest delay of the last 1–2 s alone, so a
 * client polling health sees when a block happened, not just that one happened within a minute.
 */
export type LoopDelay = { windowS: number; p50Ms: number; p99Ms: number; maxMs: number; recentMaxMs: number };

const WINDOW_MS = 30_000;
const RECENT_MS = 1_000;
const ms = (ns: number) => Math.round(ns / 1e5) / 10;

/** A window's delay figures in ns; zeros when the loop was not sampled in it. */
type Figures = { sampled: boolean; p50: number; p99: number; max: number };
const NONE: Figures = { sampled: false, p50: 0, p99: 0, max: 0 };

/**
 * A delay histogram (node:perf_hooks, 10 ms resolution) started afresh every `windowMs`, keeping
 * the finished window's figures so a reader right after a reset still sees the last block.
 */
class DelayWindow {
  private readonly histogram: ELDHistogram = monitorEventLoopDelay({ resolution: 10 });
  private previous = NONE;
  private readonly timer: NodeJS.Timeout;

  constructor(windowMs: number) {
    this.histogram.enable();
    this.timer = setInterval(() => {
      this.previous = this.current();
      this.histogram.reset();
    }, windowMs);
    // Sampling must never keep a finished process alive.
    this.timer.unref();
  }

  private current(): Figures {
    const h = this.histogram;
    return h.count === 0 ? NONE : { sampled: true, p50: h.percentile(50), p99: h.percentile(99), max: h.max };
  }

  /** The worse of the previous and the current window, figure by figure. */
  worse(): Figures {
    const now = this.current();
    const { previous } = this;
    return { sampled: now.sampled || previous.sampled, p50: Math.max(now.p50, previous.p50), p99: Math.max(now.p99, previous.p99), max: Math.max(now.max, previous.max) };
  }

  close(): void {
    clearInterval(this.timer);
    this.histogram.disable();
  }
}

/**
 * Samples the event loop's delay in windows of 30 s, so `/api/health` tells an operator whether
 * anything blocks the server now, not since its start, and in windows of 1 s for the latest block.
 */
export class LoopDelayMonitor {
  private readonly window = new DelayWindow(WINDOW_MS);
  private readonly recent = new DelayWindow(RECENT_MS);

  /** The worse of the previous and the current window, figure by figure. */
  figures(): LoopDelay {
    const w = this.window.worse();
    return { windowS: w.sampled ? WINDOW_MS / 1000 : 0, p50Ms: ms(w.p50), p99Ms: ms(w.p99), maxMs: ms(w.max), recentMaxMs: ms(this.recent.worse().max) };
  }

  /** Stops sampling. */
  close(): void {
    this.window.close();
    this.recent.close();
  }
}
