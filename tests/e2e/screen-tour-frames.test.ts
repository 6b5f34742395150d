/**
 * No blank frames on the tour. With every data request slowed down and the tour moving faster
 * than the data arrives, the wall must never show a placeholder once it has shown data: no "—"
 * where a count goes, no empty donut, trend or ticker, and never two places at once (a panel of
 * the next street beside the panels of the last one). Every stop must still be shown in turn.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newContext } from '../helpers/browser';
import { FIXTURE_CITY, startServerProcess, type ServerProcess } from '../helpers/server-process';
import { hookState, screenReady, waitInPage } from './screen-checks';

/** Delay added to every data request: slower than a tour stop is long. */
const SLOW_MS = 1500;

let browser: Browser;
let server: ServerProcess;
let page: Page;

interface FrameLog {
  /** Problems seen, each once, with the scope shown then. */
  problems: string[];
  /** Scopes the headline panel showed, in order, without repeats. */
  scopes: string[];
}

/** Watches every change of the page and every animation frame for a blank or mixed frame. */
function watchFrames(): void {
  const log: FrameLog = { problems: [], scopes: [] };
  (window as unknown as { __frames: FrameLog }).__frames = log;
  const problem = (what: string) => {
    if (!log.problems.includes(what)) log.problems.push(what);
  };
  const check = () => {
    const panels = [...document.querySelectorAll<HTMLElement>('[data-panel]')].filter((p) => p.dataset.panel !== 'map');
    const kpis = document.querySelector<HTMLElement>('[data-panel="kpis"]');
    const scope = kpis?.dataset.scope ?? '';
    if (scope && log.scopes.at(-1) !== scope) log.scopes.push(scope);
    for (const p of panels) {
      if (!p.dataset.scope) problem(`${p.dataset.panel}: no data`);
      else if (p.dataset.scope !== scope) problem(`${p.dataset.panel} shows ${p.dataset.scope} beside ${scope}`);
    }
    const banner = document.querySelector<HTMLElement>('[data-testid="screen-scope"]')?.dataset.scope;
    if (banner !== scope) problem(`map banner shows ${banner} beside ${scope}`);
    for (const cell of document.querySelectorAll<HTMLElement>('[data-panel="kpis"] [data-kpi][data-value]')) {
      if (!cell.dataset.kpi!.endsWith('Rate') && cell.dataset.value === '') problem(`kpis: ${cell.dataset.kpi} blank at ${scope}`);
    }
    if (document.querySelector('.screen-ticker__empty')) problem(`ticker empty at ${scope}`);
    if (!document.querySelector('[data-panel="immediate"] [data-key]')) problem(`immediate: empty donut at ${scope}`);
    if (!document.querySelector('[data-panel="trend"] [data-total]')?.getAttribute('data-total')) problem(`trend: empty at ${scope}`);
  };
  new MutationObserver(check).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  const frame = () => {
    check();
    requestAnimationFrame(frame);
  };
  frame();
}

beforeAll(async () => {
  [browser, server] = await Promise.all([launchBrowser(), startServerProcess({ imports: FIXTURE_CITY })]);
  const context = await newContext(browser, { viewport: { width: 1920, height: 1080 } });
  page = await context.newPage();
  await page.route(/\/api\/(stats|issues|grids|sites|heat)/, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, SLOW_MS));
    await route.continue().catch(() => {});
  });
  // A two-second tour: each stop's data takes longer than that to come.
  await page.goto(`${server.url}/screen?test=1&tour=2`);
  await screenReady(page);
}, 180_000);

afterAll(async () => {
  await page?.context().close();
  await browser?.close();
  await server?.stop();
});

describe('/screen touring on a slow server', () => {
  it('never shows a blank or mixed frame after the first data, and shows every stop in turn', async () => {
    await page.evaluate(watchFrames);
    const { stops } = await hookState(page);
    expect(stops).toBeGreaterThan(2);
    await waitInPage(page, () => (window as unknown as { __frames: FrameLog }).__frames.scopes.length > 3, 90_000, 'three tour stops shown after the first');
    const log = await page.evaluate(() => (window as unknown as { __frames: FrameLog }).__frames);
    expect(log.problems).toEqual([]);
    // One stop after another, none skipped: no load aborted by the next before it was shown.
    const shown = log.scopes.slice(0, Math.min(log.scopes.length, stops));
    expect(new Set(shown).size).toBe(shown.length);
  }, 120_000);
});
