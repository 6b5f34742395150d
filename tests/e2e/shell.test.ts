/**
 * The web shell end to end: real server on a fixture DB, real Chromium, real WebGL (SwiftShader).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageProblems, colourStats, launchBrowser, newPage, type PageProblems } from '../helpers/browser';
import { startServerProcess, type ServerProcess } from '../helpers/server-process';

const REGIONS = 'tests/fixtures/e2e/regions-small.geojson';

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

/** Waits until the page has left the loading state; returns the phase and any notice text, for clear failures. */
async function settledPhase(page: Page): Promise<{ phase: string | null; notice: string }> {
  const stage = page.locator('.ws-stage:not([data-phase="loading"])');
  await stage.waitFor({ timeout: 30_000 });
  const notice = (await page.locator('.status-notice').allTextContents()).join(' ').trim();
  return { phase: await stage.getAttribute('data-phase'), notice };
}

describe('shell with the small regions fixture', () => {
  let server: ServerProcess;
  let page: Page;
  let problems: PageProblems;

  beforeAll(async () => {
    server = await startServerProcess({ imports: [{ file: REGIONS, kind: 'regions' }] });
    page = await newPage(browser);
    problems = collectPageProblems(page);
    await page.goto(`${server.url}/`);
    await page.locator('[data-map-state="ready"]').waitFor({ timeout: 30_000 });
  });

  afterAll(async () => {
    await page?.context().close();
    await server?.stop();
  });

  it('shows the product title', async () => {
    await expect(page.title()).resolves.toContain('城市文明网格态势平台');
    await expect(page.locator('h1').textContent()).resolves.toBe('城市文明网格态势平台');
  });

  it('lists both streets, in code order, when searching for 街道', async () => {
    await page.getByTestId('search').fill('街道');
    const names = await page.getByTestId('search-results').locator('.search__name').allTextContents();
    expect(names).toEqual(['关上街道', '吴井街道']);
    await page.getByTestId('search').fill('');
  });

  it('names the district in the header', async () => {
    await expect(page.getByTestId('scope').textContent()).resolves.toContain('官渡区');
  });

  it('draws the basemap: the map canvas is not blank', async () => {
    const canvas = page.locator('canvas.maplibregl-canvas');
    const box = await canvas.boundingBox();
    expect(box?.width).toBeGreaterThan(600);
    expect(box?.height).toBeGreaterThan(400);
    // Hide the HTML overlays so only what WebGL drew is measured.
    const png = await canvas.screenshot({
      style: '.maplibregl-control-container, .legend, .layers { visibility: hidden !important; }',
    });
    const stats = await colourStats(page, png);
    // Outside, two street tints and three kinds of outline at the least.
    expect(stats.distinct).toBeGreaterThanOrEqual(4);
    expect(stats.dominantShare).toBeLessThan(0.8);
  });

  it('opens a street from the search and shows it in the panel', async () => {
    await page.getByTestId('search').fill('吴井');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('panel-name').textContent()).resolves.toBe('吴井街道');
    await expect(page.getByTestId('breadcrumb').textContent()).resolves.toMatch(/官渡区\s*吴井街道/);
  });

  it('logs no console errors, page errors or failed requests', () => {
    expect(problems.all()).toEqual([]);
  });
});

describe('shell with an empty database', () => {
  let server: ServerProcess;

  beforeAll(async () => {
    server = await startServerProcess();
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('says the database is empty instead of drawing a map', async () => {
    const page = await newPage(browser);
    try {
      await page.goto(`${server.url}/`);
      expect(await settledPhase(page)).toMatchObject({ phase: 'empty' });
      await expect(page.getByTestId('notice-empty').locator('h2').textContent()).resolves.toBe('数据库为空');
      await expect(page.locator('[data-map-state]').count()).resolves.toBe(0);
    } finally {
      await page.context().close();
    }
  });

  it('says the server is unreachable when the API cannot be reached', async () => {
    const page = await newPage(browser);
    try {
      await page.route('**/api/**', (route) => route.abort('connectionrefused'));
      await page.goto(`${server.url}/`);
      expect(await settledPhase(page)).toMatchObject({ phase: 'error' });
      await expect(page.getByTestId('notice-error').locator('h2').textContent()).resolves.toBe('无法连接服务器');
    } finally {
      await page.context().close();
    }
  });
});
