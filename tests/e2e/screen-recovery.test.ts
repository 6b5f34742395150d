/**
 * Unattended operation. The server stops under an open /screen and comes back on the same port:
 * the screen must keep its last numbers, say it is reconnecting, and recover by itself — the same
 * page, no reload — with fresh data equal to the API's. And the auto tour moves every panel to the
 * next street by itself, and holds still while someone interacts with the wall.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageProblems, launchBrowser, newContext, type PageProblems } from '../helpers/browser';
import { FIXTURE_CITY, startServerProcess, type ServerProcess } from '../helpers/server-process';
import { hookState, screenReady, waitInPage } from './screen-checks';

let browser: Browser;
let server: ServerProcess;
let page: Page;
let problems: PageProblems;

/** The month row's KPI cells, as shown. */
function monthRow(p: Page): Promise<{ from: string; to: string; values: Record<string, string> }> {
  return p.locator('[data-panel="kpis"] [data-period="month"]').evaluate((row) => ({
    from: row.getAttribute('data-from')!,
    to: row.getAttribute('data-to')!,
    values: Object.fromEntries([...row.querySelectorAll('[data-kpi]')].map((c) => [c.getAttribute('data-kpi')!, c.getAttribute('data-value')!])),
  }));
}

beforeAll(async () => {
  [browser, server] = await Promise.all([launchBrowser(), startServerProcess({ imports: FIXTURE_CITY })]);
  const context = await newContext(browser, { viewport: { width: 1920, height: 1080 } });
  page = await context.newPage();
  problems = collectPageProblems(page);
  await page.goto(`${server.url}/screen?test=1`);
  await screenReady(page);
  await waitInPage(page, () => document.querySelector('[data-testid="screen-connection"]')?.getAttribute('data-connection') === 'live', 30_000, 'the live badge');
});

afterAll(async () => {
  await page?.context().close();
  await browser?.close();
  await server?.stop();
});

describe('/screen when the server goes away and comes back', () => {
  it('keeps its data, shows "reconnecting", then recovers without a reload', async () => {
    await page.evaluate(() => {
      (window as unknown as { __sameDocument: boolean }).__sameDocument = true;
    });
    const before = await monthRow(page);
    const freshBefore = (await hookState(page)).freshAt!;
    // The page's clock is the fixture's (November 2026), whose issues make the month non-trivial.
    expect(before.from).toBe('2026-11-01');
    expect(Number(before.values.reported)).toBeGreaterThan(0);

    await server.restart(async () => {
      await waitInPage(page, () => document.querySelector('[data-testid="screen-connection"]')?.getAttribute('data-connection') === 'reconnecting', 30_000, 'the reconnecting badge');
      await expect(page.getByTestId('screen-connection').textContent()).resolves.toContain('重新连接中');
      // A refresh against the dead server fails; the numbers must stay and the page say so.
      await page.evaluate(() => (window as unknown as { __civgridScreen: { refresh(): Promise<void> } }).__civgridScreen.refresh());
      expect((await hookState(page)).failing).toBe(true);
      expect(await monthRow(page)).toEqual(before);
      await expect(page.getByTestId('screen-freshness').textContent()).resolves.toMatch(/数据截至/);
      expect(await page.locator('[data-screen-state="ready"]').count()).toBe(1);
    });

    // Back without anyone touching it: the live feed reconnects, a refresh succeeds, the badge clears.
    await waitInPage(page, () => {
      const state = (window as unknown as { __civgridScreen: { state(): { failing: boolean; connection: string } } }).__civgridScreen.state();
      return !state.failing && state.connection === 'live';
    }, 60_000, 'the screen to recover');
    expect((await hookState(page)).freshAt).toBeGreaterThan(freshBefore);
    await expect(page.getByTestId('screen-connection').getAttribute('data-connection')).resolves.toBe('live');
    await expect(page.getByTestId('screen-freshness').textContent()).resolves.toMatch(/数据更新/);
    expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);

    const now = await monthRow(page);
    const { kpis } = (await (await fetch(`${server.url}/api/stats/summary?scope=district:530111&from=${now.from}&to=${now.to}`)).json()) as { kpis: Record<string, number | null> };
    for (const [key, value] of Object.entries(now.values)) expect(value, key).toBe(kpis[key] === null ? '' : String(kpis[key]));
  });

  it('has no page errors; console errors are only the outage\'s refused connections', () => {
    expect(problems.pageErrors).toEqual([]);
    const unexpected = [...problems.consoleErrors, ...problems.failedRequests].filter((p) => !/ERR_CONNECTION_REFUSED|ERR_ABORTED|ERR_EMPTY_RESPONSE|ERR_CONNECTION_RESET|ERR_INCOMPLETE_CHUNKED_ENCODING|Failed to load resource/.test(p));
    expect(unexpected).toEqual([]);
  });
});

describe('/screen with live reports', () => {
  it('shows a report in the ticker within seconds of its ingest, from the live feed alone', async () => {
    const admin = { authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/json' };
    const user = await fetch(`${server.url}/api/users`, { method: 'POST', headers: admin, body: JSON.stringify({ name: '巡查App', role: 'operator' }) });
    const { token } = (await user.json()) as { token: string };
    const refreshesBefore = (await hookState(page)).freshAt;
    const res = await fetch(`${server.url}/api/issues`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ clientId: 'screen-live-1', category: '0101', lon: 102.72, lat: 24.97, description: '大屏实时测试' }),
    });
    expect(res.status).toBe(201);
    const { issue } = (await res.json()) as { issue: { id: string } };
    const entry = page.locator(`[data-panel="ticker"] li[data-id="${issue.id}"]`);
    await entry.waitFor({ timeout: 10_000 });
    await expect(entry.getAttribute('data-kind')).resolves.toBe('new');
    await expect(entry.textContent()).resolves.toContain('暴露垃圾');
    // The newest entry is on top, and it came without a data refresh.
    await expect(page.locator('[data-panel="ticker"] li').first().getAttribute('data-id')).resolves.toBe(issue.id);
    expect((await hookState(page)).freshAt).toBe(refreshesBefore);
  });
});

describe('/screen touring by itself', () => {
  let tourPage: Page;

  beforeAll(async () => {
    const context = await newContext(browser, { viewport: { width: 1920, height: 1080 } });
    tourPage = await context.newPage();
    await tourPage.goto(`${server.url}/screen?test=1&tour=4&pause=20`);
    await screenReady(tourPage);
  });

  afterAll(async () => {
    await tourPage?.context().close();
  });

  it('moves to the next street on its own timer and switches every panel to it', async () => {
    const first = await hookState(tourPage);
    await waitInPage(tourPage, () => (window as unknown as { __civgridScreen: { state(): { stop: number } } }).__civgridScreen.state().stop !== 0, 20_000, 'the tour to move');
    const moved = await hookState(tourPage);
    expect(first.stops).toBe(3);
    expect(moved.scope).toMatch(/^street:/);
    await waitInPage(tourPage, () => {
      const scope = (window as unknown as { __civgridScreen: { state(): { scope: string } } }).__civgridScreen.state().scope;
      const panels = [...document.querySelectorAll<HTMLElement>('[data-panel][data-scope]')];
      return panels.length >= 8 && panels.every((p) => p.dataset.scope === scope);
    }, 20_000, 'every panel to show the new scope');
    await expect(tourPage.getByTestId('screen-scope').textContent()).resolves.toMatch(/街道/);
  });

  it('pauses when someone clicks, and says for how long', async () => {
    await tourPage.mouse.click(960, 700);
    const held = await hookState(tourPage);
    await expect(tourPage.getByTestId('screen-tour').getAttribute('data-paused')).resolves.toBe('true');
    await expect(tourPage.getByTestId('screen-tour').textContent()).resolves.toMatch(/巡游暂停 · \d+秒后继续/);
    // Two stop lengths later it is still on the same stop.
    await tourPage.waitForTimeout(9_000);
    expect((await hookState(tourPage)).stop).toBe(held.stop);
  });
});
