/**
 * Browser frame time of playback, against a running server: the workspace's time bar stepping
 * through a month day by day (grids and heat on), and the big screen's replay. Each frame change
 * is awaited until the next animation frame, so the figure is the effective frame interval —
 * 16.7 ms when a change fits in one display frame — and any request made while stepping is counted.
 * `npm run bench` runs it in its browser stage; alone, against any server (e.g. the demo city):
 *
 *   tsx scripts/bench/playback.ts --url http://127.0.0.1:8080 [--from 2026-10-01 --to 2026-10-31] [--frames 300]
 */
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../../tests/helpers/browser.ts';

/**
 * One view's figures: ms per frame change (mean over the changes), long tasks and requests
 * meanwhile — all of them, and those for frame data (`frameRequests`), which a loaded playback
 * must not make; the rest are the live screen's own refreshes, counted by path in `requestPaths` —
 * and the JS heap after a garbage collection before and after the changes (MB).
 */
export type PlaybackView = {
  msPerFrame: number; frames: number; longTasks: number; requests: number; frameRequests: number; requestPaths: Record<string, number>;
  heapBeforeMb?: number; heapAfterMb?: number;
};

/** The paths of frame data: what playing must take from memory once loaded. */
const FRAME_DATA = /^\/api\/(stats|heat)\/frames$/;

/** The page's JS heap in use after a full garbage collection, MB (Chromium's DevTools protocol). */
async function heapAfterGcMb(page: Page): Promise<number | undefined> {
  try {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    const { usedSize } = await cdp.send('Runtime.getHeapUsage');
    await cdp.detach();
    return usedSize / 1024 / 1024;
  } catch {
    return undefined;
  }
}

/** The workspace's time bar and the wall's replay; a view that failed has its error instead. */
export type PlaybackFigures = {
  workspace: PlaybackView | { error: string };
  screen: PlaybackView | { error: string };
};

/** The issue's target: at least 20 frames per second. */
export const PLAYBACK_TARGET_MS = 50;

/**
 * Milliseconds per frame change over `n` changes inside the page, and requests seen meanwhile:
 * `scrub` moves the time bar's slider to frame i mod `count`, `replay` steps the wall's replay
 * (drawn in the next animation frame). No code as text: the app's CSP forbids eval.
 */
async function measure(page: Page, n: number, how: { scrub: number } | 'replay'): Promise<PlaybackView> {
  const paths: string[] = [];
  const onRequest = (r: { url(): string }) => paths.push(new URL(r.url()).pathname);
  const heapBeforeMb = await heapAfterGcMb(page);
  page.on('request', onRequest);
  const result = await page.evaluate(async ([count, step]) => {
    let longTasks = 0;
    const observer = new PerformanceObserver((list) => (longTasks += list.getEntries().length));
    observer.observe({ type: 'longtask', buffered: false });
    const slider = document.querySelector<HTMLInputElement>('[data-testid="scrub"]');
    const hook = (window as unknown as { __civgridScreen?: { replayStep(): Promise<void> } }).__civgridScreen;
    const t0 = performance.now();
    for (let i = 0; i < count; i++) {
      if (step === 'replay') void hook!.replayStep();
      else {
        slider!.value = String(i % step.scrub);
        slider!.dispatchEvent(new Event('input'));
      }
      await new Promise((r) => requestAnimationFrame(() => r(null)));
    }
    const ms = (performance.now() - t0) / count;
    observer.disconnect();
    return { msPerFrame: ms, longTasks };
  }, [n, how] as const);
  page.off('request', onRequest);
  const requestPaths: Record<string, number> = {};
  for (const path of paths) requestPaths[path] = (requestPaths[path] ?? 0) + 1;
  const frameRequests = paths.filter((path) => FRAME_DATA.test(path)).length;
  return { ...result, frames: n, requests: paths.length, frameRequests, requestPaths, heapBeforeMb, heapAfterMb: await heapAfterGcMb(page) };
}

/** The requests made while playing, frame data apart, and the busiest paths. */
function requestsText(v: PlaybackView): string {
  const top = Object.entries(v.requestPaths).sort((a, b) => b[1] - a[1]).slice(0, 4).map(([path, n]) => `${path} ${n}`).join(', ');
  return `${v.requests} requests (${v.frameRequests} for frame data)${top ? `: ${top}` : ''}`;
}

const failed = (err: unknown) => ({ error: (err as Error).message.split('\n')[0] });

/** Steps the workspace's time bar and the wall's replay `frames` times each (the period `from` … `to`, Shanghai days). */
export async function measurePlayback(base: string, o: { from: string; to: string; frames: number }, log: (line: string) => void = () => {}): Promise<PlaybackFigures> {
  const browser = await launchBrowser();
  try {
    const figures: PlaybackFigures = { workspace: { error: 'not run' }, screen: { error: 'not run' } };
    try {
      const workspace = await browser.newPage({ viewport: { width: 1600, height: 900 } });
      await workspace.goto(`${base}/?from=${o.from}&to=${o.to}&play=day&layers=grids,outlines,heat,issues`);
      await workspace.waitForSelector('[data-testid="timebar"][data-frame]:not([data-frame=""])', { timeout: 120_000 });
      await workspace.waitForSelector('[data-map-state="ready"]', { timeout: 120_000 });
      await workspace.waitForTimeout(3000);
      const count = Number(await workspace.getByTestId('scrub').getAttribute('max')) + 1;
      const ws = await measure(workspace, o.frames, { scrub: count });
      figures.workspace = ws;
      log(`playback: workspace (1600×900, ${count} daily frames, grids + heat): ${ws.msPerFrame.toFixed(1)} ms per frame change, `
        + `${(1000 / ws.msPerFrame).toFixed(0)} frames/s, ${ws.longTasks} long tasks, ${requestsText(ws)}`);
      await workspace.close();
    } catch (err) {
      figures.workspace = failed(err);
      log(`playback: workspace n/a (${figures.workspace.error})`);
    }
    try {
      const screen = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
      await screen.goto(`${base}/screen?test=1&replay=7d`);
      await screen.waitForSelector('[data-screen-state="ready"]', { timeout: 120_000 });
      await screen.waitForFunction(() => (window as unknown as { __civgridScreen?: { state(): { replay: { frames: number } } } }).__civgridScreen?.state().replay.frames, null, { timeout: 120_000 });
      await screen.waitForTimeout(3000);
      // Each step is awaited until the next animation frame, the one it is drawn in.
      const wall = await measure(screen, o.frames, 'replay');
      figures.screen = wall;
      log(`playback: screen replay (1920×1080, 7 days): ${wall.msPerFrame.toFixed(1)} ms per frame change, ${wall.longTasks} long tasks, ${requestsText(wall)}`);
      await screen.close();
    } catch (err) {
      figures.screen = failed(err);
      log(`playback: screen n/a (${figures.screen.error})`);
    }
    return figures;
  } finally {
    await browser.close();
  }
}

/** The benchmark JSON's playback fields. */
export function playbackJson(p: PlaybackFigures | undefined) {
  const ms = (v: PlaybackView | { error: string } | undefined) => (v && 'msPerFrame' in v ? Math.round(v.msPerFrame * 10) / 10 : null);
  const requests = (v: PlaybackView | { error: string } | undefined) => (v && 'requests' in v ? v.requests : null);
  const frameRequests = (v: PlaybackView | { error: string } | undefined) => (v && 'frameRequests' in v ? v.frameRequests : null);
  const heapGrowth = (v: PlaybackView | { error: string } | undefined) =>
    (v && 'msPerFrame' in v && v.heapBeforeMb !== undefined && v.heapAfterMb !== undefined ? Math.round((v.heapAfterMb - v.heapBeforeMb) * 10) / 10 : null);
  return {
    playback_frame_ms: { workspace: ms(p?.workspace), screen: ms(p?.screen), target: PLAYBACK_TARGET_MS },
    playback_requests_while_playing: { workspace: requests(p?.workspace), screen: requests(p?.screen) },
    playback_frame_requests_while_playing: { workspace: frameRequests(p?.workspace), screen: frameRequests(p?.screen) },
    playback_heap_growth_mb: { workspace: heapGrowth(p?.workspace), screen: heapGrowth(p?.screen) },
    ...(p && 'error' in p.workspace ? { playback_workspace_error: p.workspace.error } : {}),
    ...(p && 'error' in p.screen ? { playback_screen_error: p.screen.error } : {}),
  };
}

/** The printed report's playback lines. */
export function playbackLines(p: PlaybackFigures): string[] {
  const line = (name: string, v: PlaybackView | { error: string }) => ('error' in v
    ? `  ${name}: n/a — ${v.error}`
    : `  ${name}: ${v.msPerFrame.toFixed(1)} ms per frame change (${(1000 / v.msPerFrame).toFixed(0)} frames/s, target ≤${PLAYBACK_TARGET_MS} ms ${v.msPerFrame <= PLAYBACK_TARGET_MS ? 'ok' : 'MISS'}), `
      + `${v.longTasks} long tasks, ${requestsText(v)} while playing`
      + (v.heapBeforeMb !== undefined && v.heapAfterMb !== undefined ? `, JS heap after GC ${v.heapBeforeMb.toFixed(1)} → ${v.heapAfterMb.toFixed(1)} MB` : ''));
  return ['Playback in headless Chromium, each change awaited until drawn:', line('workspace time bar (1600×900)', p.workspace), line('wall replay (1920×1080)', p.screen)];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' }, from: { type: 'string', default: '2026-10-01' }, to: { type: 'string', default: '2026-10-31' },
      frames: { type: 'string', default: '300' },
    },
  });
  if (!values.url) {
    console.error('usage: tsx scripts/bench/playback.ts --url URL [--from DAY --to DAY] [--frames N]');
    process.exit(2);
  }
  const figures = await measurePlayback(values.url.replace(/\/$/, ''), { from: values.from!, to: values.to!, frames: Number(values.frames) }, console.log);
  console.log(JSON.stringify(playbackJson(figures)));
}
