/**
 * Weeks on a wall in a few minutes: the refresh/tour loop driven 500 times through the test hook
 * (each cycle moves the tour to the next stop, flies the map there and reloads the panels; every
 * second one also reloads the map's data), then a replaying wall's 1,000 frame changes, with the
 * heap measured after forced garbage collection.
 *
 * Two measures. The JS heap as the page sees it (`Runtime.getHeapUsage`, what
 * `performance.memory.usedJSHeapSize` reports without its bucketing) also holds V8's compiled
 * machine code, which keeps growing for a few hundred cycles while hot functions get optimised
 * and then levels off (about +20 % here, measured: 17.6 → 21.4 MB, flattening). That is the
 * engine warming up, not the screen keeping things, so the +20 % bound is asserted on what the
 * screen's code allocates — every object, array, string and closure in a heap snapshot, without
 * compiled code and Blink's own bookkeeping — and the total gets a looser guard against a real leak.
 */
import type { Browser, CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageProblems, launchBrowser, newContext, type PageProblems } from '../helpers/browser';
import { FIXTURE_CITY, startServerProcess, type ServerProcess } from '../helpers/server-process';
import { hookState, screenReady, type HookState } from './screen-checks';
import { realProblems } from './screen-suite';

const CYCLES = 500;
const WARM_UP = 50;

let browser: Browser;
let server: ServerProcess;
let page: Page;
let cdp: CDPSession;
let problems: PageProblems;

/** Used JS heap after a full collection. `Runtime.getHeapUsage` is exact; `performance.memory` is bucketed without a flag. */
async function heapAfterGc(session: CDPSession = cdp): Promise<number> {
  await session.send('HeapProfiler.collectGarbage');
  await session.send('HeapProfiler.collectGarbage');
  const { usedSize } = await session.send('Runtime.getHeapUsage');
  return usedSize;
}

/**
 * Bytes of JS objects in a heap snapshot (after a full collection): everything but compiled code,
 * Blink-side (native) nodes and the snapshot's synthetic roots.
 */
async function objectHeap(session: CDPSession = cdp): Promise<number> {
  await session.send('HeapProfiler.collectGarbage');
  const chunks: string[] = [];
  const onChunk = (e: { chunk: string }) => chunks.push(e.chunk);
  session.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
  await session.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  session.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
  const snapshot = JSON.parse(chunks.join('')) as { snapshot: { meta: { node_fields: string[]; node_types: [string[]] } }; nodes: number[] };
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[0];
  const typeAt = fields.indexOf('type');
  const sizeAt = fields.indexOf('self_size');
  const skip = new Set(['code', 'native', 'synthetic']);
  let bytes = 0;
  for (let i = 0; i < snapshot.nodes.length; i += fields.length) {
    if (!skip.has(types[snapshot.nodes[i + typeAt]])) bytes += snapshot.nodes[i + sizeAt];
  }
  return bytes;
}

function counts(p: Page): Promise<{ nodes: number; canvases: number }> {
  return p.evaluate(() => ({ nodes: document.getElementsByTagName('*').length, canvases: document.getElementsByTagName('canvas').length }));
}

/**
 * Runs cycles `from` … `from + count − 1` inside the page and returns the scopes they showed. One
 * cycle: the tour moves and its panels reload; every second cycle the full refresh (map data,
 * heat) runs too — a wall touring every 30 s and refreshing every 60 s, without the waiting.
 * The loop runs in the page because every `page.evaluate` leaves compiled code behind, which
 * would show up as heap growth that is the test's, not the screen's.
 */
function cycles(p: Page, from: number, count: number): Promise<string[]> {
  return p.evaluate(async ([start, n]) => {
    type Hook = { tick(o: { map: boolean }): Promise<void>; state(): { scope: string | null } };
    const hook = (window as unknown as { __civgridScreen: Hook }).__civgridScreen;
    const seen: string[] = [];
    for (let i = start; i < start + n; i++) {
      await hook.tick({ map: i % 2 === 0 });
      const scope = hook.state().scope;
      if (scope && !seen.includes(scope)) seen.push(scope);
    }
    return seen;
  }, [from, count] as const);
}

beforeAll(async () => {
  [browser, server] = await Promise.all([launchBrowser(), startServerProcess({ imports: FIXTURE_CITY })]);
  // A small viewport: memory behaviour doesn't depend on pixels, but software WebGL at 1080p
  // spends seconds per frame on the heat layer, which would make 500 cycles take ten minutes.
  // The layout tests cover the real wall sizes.
  const context = await newContext(browser, { viewport: { width: 640, height: 360 } });
  page = await context.newPage();
  problems = collectPageProblems(page);
  cdp = await context.newCDPSession(page);
  await cdp.send('HeapProfiler.enable');
  await page.goto(`${server.url}/screen?test=1&tour=30`);
  await screenReady(page);
});

afterAll(async () => {
  await page?.context().close();
  await browser?.close();
  await server?.stop();
});

describe('/screen over 500 refresh and tour cycles', () => {
  // Normally about two minutes; the generous limit is for machines busy with other test runs.
  it('keeps the heap within +20 % of its level after the first 50 cycles', { timeout: 480_000 }, async () => {
    const start = await hookState(page);
    expect(start.stops).toBe(3);
    const scopes = new Set<string>(await cycles(page, 0, WARM_UP));
    const base = await heapAfterGc();
    const baseObjects = await objectHeap();
    const baseCounts = await counts(page);
    const samples: number[] = [];
    for (let i = WARM_UP; i < CYCLES; i += 50) {
      for (const scope of await cycles(page, i, 50)) scopes.add(scope);
      samples.push(await heapAfterGc());
    }
    const end = await hookState(page);
    const finalObjects = await objectHeap();
    const final = samples[samples.length - 1];
    const mb = (n: number) => (n / 1e6).toFixed(1);
    console.log(`JS heap after ${WARM_UP} cycles ${mb(base)} MB; every 50 cycles: ${samples.map(mb).join(', ')} MB`);
    console.log(`JS objects after ${WARM_UP} cycles ${mb(baseObjects)} MB; after ${CYCLES}: ${mb(finalObjects)} MB`);
    expect(end.refreshes - start.refreshes).toBeGreaterThanOrEqual(CYCLES);
    expect(scopes).toEqual(new Set(['district:530111', 'street:530111001', 'street:530111002']));
    expect(finalObjects).toBeLessThanOrEqual(baseObjects * 1.2);
    // Leaking one panel's data per cycle would add megabytes; the engine's warm-up stays well inside this.
    expect(final).toBeLessThanOrEqual(base * 1.35);
    // And the warm-up levels off: the last 150 cycles add less than the first 150 did.
    expect(final - samples[samples.length - 4]).toBeLessThan(samples[2] - base);
    const endCounts = await counts(page);
    expect(endCounts.canvases).toBe(baseCounts.canvases);
    expect(endCounts.nodes).toBeLessThanOrEqual(baseCounts.nodes * 1.1);
  });

  it('is still showing data that the last cycle loaded, with no errors', async () => {
    const state = await hookState(page);
    expect(state.failing).toBe(false);
    await expect(page.locator(`[data-panel="kpis"][data-scope="${state.scope}"]`).count()).resolves.toBe(1);
    expect(realProblems(problems)).toEqual([]);
  });
});

const REPLAY_STEPS = 1000;
const REPLAY_WARM_UP = 100;

describe('/screen?replay=7d over 1,000 frame changes', () => {
  let replayPage: Page;
  let session: CDPSession;
  let replayProblems: PageProblems;

  beforeAll(async () => {
    // The touring wall is done: its loop would share the CPU with this one.
    await page?.context().close();
    const context = await newContext(browser, { viewport: { width: 640, height: 360 } });
    replayPage = await context.newPage();
    replayProblems = collectPageProblems(replayPage);
    session = await context.newCDPSession(replayPage);
    await session.send('HeapProfiler.enable');
    // No tour: the replay is the map's loop. No heat layer: in this headless Chromium (software
    // WebGL) each frame's heat redraw costs hundreds of milliseconds, and 1,000 frames of it do
    // not fit a test's budget (the grids' colours are what a leak would hold on to).
    await replayPage.goto(`${server.url}/screen?test=1&tour=0&replay=7d&layers=grids,sites,labels`);
    await screenReady(replayPage);
    await replayPage.waitForFunction(() => ((window as unknown as { __civgridScreen?: { state(): HookState } }).__civgridScreen?.state().replay.frames ?? 0) > 0, null, { timeout: 30_000 });
  });

  afterAll(async () => {
    await replayPage?.context().close();
  });

  /** `n` frame changes inside the page (see `cycles`), each awaited until drawn; returns the frames shown. */
  function steps(n: number): Promise<number[]> {
    return replayPage.evaluate(async (count) => {
      type Hook = { replayStep(): Promise<void>; state(): { replay: { frame: number } } };
      const hook = (window as unknown as { __civgridScreen: Hook }).__civgridScreen;
      const frames: number[] = [];
      for (let i = 0; i < count; i++) {
        await hook.replayStep();
        const { frame } = hook.state().replay;
        if (!frames.includes(frame)) frames.push(frame);
      }
      return frames;
    }, n);
  }

  it('keeps the heap flat while the frames change', { timeout: 120_000 }, async () => {
    const started = performance.now();
    expect((await hookState(replayPage)).replay.frames).toBe(7);
    await steps(REPLAY_WARM_UP);
    const base = await heapAfterGc(session);
    const baseObjects = await objectHeap(session);
    const samples: number[] = [];
    const frames = new Set<number>();
    for (let i = REPLAY_WARM_UP; i < REPLAY_STEPS; i += 300) {
      for (const frame of await steps(Math.min(300, REPLAY_STEPS - i))) frames.add(frame);
      samples.push(await heapAfterGc(session));
    }
    const finalObjects = await objectHeap(session);
    const final = samples[samples.length - 1];
    const mb = (n: number) => (n / 1e6).toFixed(1);
    console.log(`replay: JS heap after ${REPLAY_WARM_UP} frame changes ${mb(base)} MB; every 300 after: ${samples.map(mb).join(', ')} MB; `
      + `JS objects ${mb(baseObjects)} → ${mb(finalObjects)} MB; ${((performance.now() - started) / 1000).toFixed(0)} s`);
    expect(frames).toEqual(new Set([0, 1, 2, 3, 4, 5, 6]));
    expect((await hookState(replayPage)).replay.active).toBe(true);
    expect(finalObjects).toBeLessThanOrEqual(baseObjects * 1.2);
    expect(final).toBeLessThanOrEqual(base * 1.35);
    expect(realProblems(replayProblems)).toEqual([]);
  });
});
