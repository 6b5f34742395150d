/**
 * Browser frame time of playback, against a running server: the workspace's time bar stepping
 * through a month day by day (grids and heat on), and the big screen's replay. Each frame change
 * is awaited until the next animation frame, so the figure is the effective frame interval —
 * 16.7 ms when a change fits in one display frame — and any request made while stepping is counted.
 *
 *   tsx scripts/bench/playback.ts --url http://127.0.0.1:8080 [--from 2026-10-01 --to 2026-10-31] [--frames 300]
 */
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../../tests/helpers/browser.ts';

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
const base = values.url.replace(/\/$/, '');
const frames = Number(values.frames);

/** Milliseconds per frame change over `n` changes made by `step(i)` inside the page, and requests seen meanwhile. */
async function measure(page: Page, n: number, step: string): Promise<{ msPerFrame: number; requests: number; longTasks: number }> {
  let requests = 0;
  const onRequest = () => requests++;
  page.on('request', onRequest);
  const result = await page.evaluate(async ([count, body]) => {
    const stepAt = new Function('i', body) as (i: number) => Promise<void> | void;
    let longTasks = 0;
    const observer = new PerformanceObserver((list) => (longTasks += list.getEntries().length));
    observer.observe({ type: 'longtask', buffered: false });
    const t0 = performance.now();
    for (let i = 0; i < count; i++) {
      await stepAt(i);
      await new Promise((r) => requestAnimationFrame(() => r(null)));
    }
    const ms = (performance.now() - t0) / count;
    observer.disconnect();
    return { msPerFrame: ms, longTasks };
  }, [n, step] as const);
  page.off('request', onRequest);
  return { ...result, requests };
}

const browser = await launchBrowser();
try {
  const workspace = await browser.newPage({ viewport: { width: 1600, height: 900 } });
  await workspace.goto(`${base}/?from=${values.from}&to=${values.to}&play=day&layers=grids,outlines,heat,issues`);
  await workspace.waitForSelector('[data-testid="timebar"][data-frame]:not([data-frame=""])', { timeout: 120_000 });
  await workspace.waitForSelector('[data-map-state="ready"]', { timeout: 120_000 });
  await workspace.waitForTimeout(3000);
  const count = Number(await workspace.getByTestId('scrub').getAttribute('max')) + 1;
  const slider = `const s = document.querySelector('[data-testid="scrub"]'); s.value = String(i % ${count}); s.dispatchEvent(new Event('input'));`;
  const ws = await measure(workspace, frames, slider);
  console.log(`workspace (1600×900, ${count} daily frames, grids + heat): ${ws.msPerFrame.toFixed(1)} ms per frame change, `
    + `${(1000 / ws.msPerFrame).toFixed(0)} frames/s, ${ws.longTasks} long tasks, ${ws.requests} requests`);

  const screen = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  await screen.goto(`${base}/screen?test=1&replay=7d`);
  await screen.waitForSelector('[data-screen-state="ready"]', { timeout: 120_000 });
  await screen.waitForFunction(() => (window as unknown as { __civgridScreen?: { state(): { replay: { frames: number } } } }).__civgridScreen?.state().replay.frames, null, { timeout: 120_000 });
  await screen.waitForTimeout(3000);
  // The hook waits for the frame the step is drawn in; the measure adds one more.
  const wall = await measure(screen, frames, 'void window.__civgridScreen.replayStep();');
  console.log(`screen replay (1920×1080, 7 days): ${wall.msPerFrame.toFixed(1)} ms per frame change, ${wall.longTasks} long tasks, ${wall.requests} requests`);
} finally {
  await browser.close();
}
