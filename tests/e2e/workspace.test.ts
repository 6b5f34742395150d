/**
 * The leader workspace end to end: real server on the fixture city, real Chromium with WebGL
 * (SwiftShader). Every period is given explicitly in the URL, so the answers do not depend on the
 * day the suite runs.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageProblems, colourStats, launchBrowser, newPage, type PageProblems } from '../helpers/browser';
import { FIXTURE_CITY, startServerProcess, type ServerProcess } from '../helpers/server-process';

/** The fixture's issues lie in Sep–Nov 2026. */
const PERIOD = 't=custom&from=2026-09-01&to=2026-11-30';
const TAIHE = '530111002';
const GUANSHANG = '530111001';

let browser: Browser;
let server: ServerProcess;

beforeAll(async () => {
  [browser, server] = await Promise.all([
    launchBrowser(),
    startServerProcess({ imports: FIXTURE_CITY }),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

type Summary = { scope: { name: string }; kpis: { reported: number; overdue: number; onTimeRate: number | null } };

async function apiSummary(query: string): Promise<Summary> {
  const res = await fetch(`${server.url}/api/stats/summary?${query}`);
  expect(res.status).toBe(200);
  return (await res.json()) as Summary;
}

/** Opens the workspace and waits until the map has drawn and the panel shows numbers. */
async function open(page: Page, query = PERIOD): Promise<void> {
  await page.goto(`${server.url}/?${query}`);
  await page.locator('[data-map-state="ready"]').waitFor({ timeout: 60_000 });
  await settled(page);
}

/** Waits until no panel section is loading (answers replace the previous ones without flicker). */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="panel"] [data-state="loading"]').length === 0, null, { timeout: 30_000 });
  await page.locator('[data-kpi="reported"] [data-role="value"]').waitFor();
}

async function tileValue(page: Page, kpi: string): Promise<string> {
  return ((await page.locator(`[data-kpi="${kpi}"] [data-role="value"]`).textContent()) ?? '').trim();
}

const percent = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(1)}%`);

/**
 * Share of "warm" pixels (red well above blue): the choropleth's yellow-to-red classes have them,
 * the offline basemap's pale tints and grey outlines do not — so this tells whether the deck.gl
 * data layer is in an image, not just the basemap.
 */
async function warmShare(page: Page, png: Buffer): Promise<number> {
  return page.evaluate(async (b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(bitmap, 0, 0);
    const data = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
    let warm = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] - data[i + 2] > 60) warm++;
    return warm / (data.length / 4);
  }, png.toString('base64'));
}

/** The query of the page's current URL. */
function query(page: Page): URLSearchParams {
  return new URL(page.url()).searchParams;
}

/**
 * Screen position of a lon/lat inside the map, from the camera the URL holds (the workspace writes
 * `view=lon,lat,zoom` after every move): MapLibre's Web Mercator with 512-px tiles.
 */
async function screenPoint(page: Page, lon: number, lat: number): Promise<{ x: number; y: number }> {
  await page.waitForFunction(() => new URL(location.href).searchParams.has('view'));
  const [clon, clat, zoom] = query(page).get('view')!.split(',').map(Number);
  const box = (await page.getByTestId('map').boundingBox())!;
  const world = 512 * 2 ** zoom;
  const x = (l: number) => ((l + 180) / 360) * world;
  const y = (p: number) => ((1 - Math.log(Math.tan(Math.PI / 4 + (p * Math.PI) / 360)) / Math.PI) / 2) * world;
  return { x: box.x + box.width / 2 + x(lon) - x(clon), y: box.y + box.height / 2 + y(lat) - y(clat) };
}

describe('workspace on the fixture city', () => {
  let page: Page;
  let problems: PageProblems;

  beforeAll(async () => {
    page = await newPage(browser);
    problems = collectPageProblems(page);
    await open(page);
  });

  afterAll(async () => {
    await page?.context().close();
  });

  it('loads / with the title and the district in the panel', async () => {
    await expect(page.locator('h1').textContent()).resolves.toBe('城市文明网格态势平台');
    await expect(page.getByTestId('panel-name').textContent()).resolves.toBe('官渡区');
  });

  it('draws data on the map: the canvas is not blank', async () => {
    const png = await page.getByTestId('map').screenshot();
    const stats = await colourStats(page, png);
    // Basemap plus five choropleth classes and outlines: a blank or one-colour canvas fails.
    expect(stats.distinct).toBeGreaterThanOrEqual(8);
    expect(stats.dominantShare).toBeLessThan(0.7);
    // …and the choropleth itself is drawn, not only the basemap.
    expect(await warmShare(page, png)).toBeGreaterThan(0.02);
  });

  it('shows the district KPIs the API reports for the same filters', async () => {
    const api = await apiSummary('from=2026-09-01&to=2026-11-30');
    expect(await tileValue(page, 'reported')).toBe(String(api.kpis.reported));
    expect(await tileValue(page, 'overdue')).toBe(String(api.kpis.overdue));
    expect(await tileValue(page, 'onTimeRate')).toBe(percent(api.kpis.onTimeRate));
  });

  it('drills into a street by clicking its polygon, and the panel shows that street', async () => {
    // Inside 金太社区第2网格 of 太和街道.
    const { x, y } = await screenPoint(page, 102.787, 24.975);
    await page.mouse.click(x, y);
    await page.waitForFunction((code) => new URL(location.href).searchParams.get('scope') === `street:${code}`, TAIHE);
    await settled(page);
    await expect(page.getByTestId('panel-name').textContent()).resolves.toBe('太和街道');
    await expect(page.getByTestId('breadcrumb').textContent()).resolves.toMatch(/官渡区\s*太和街道/);
    const api = await apiSummary(`scope=street:${TAIHE}&from=2026-09-01&to=2026-11-30`);
    expect(await tileValue(page, 'reported')).toBe(String(api.kpis.reported));
    expect(await tileValue(page, 'overdue')).toBe(String(api.kpis.overdue));
  });

  it('drills into a street via the search box with the keyboard', async () => {
    await open(page);
    await page.getByTestId('search').fill('关上');
    await expect(page.getByTestId('search-results').locator('[role="option"]').first().getAttribute('data-scope')).resolves.toBe(`street:${GUANSHANG}`);
    await page.keyboard.press('Enter');
    await page.waitForFunction((code) => new URL(location.href).searchParams.get('scope') === `street:${code}`, GUANSHANG);
    await settled(page);
    await expect(page.getByTestId('panel-name').textContent()).resolves.toBe('关上街道');
    const api = await apiSummary(`scope=street:${GUANSHANG}&from=2026-09-01&to=2026-11-30`);
    expect(await tileValue(page, 'reported')).toBe(String(api.kpis.reported));
  });

  it('finds 双桥村综合农贸市场 by typing 双桥 and opens its site panel', async () => {
    await page.getByTestId('search').fill('双桥');
    const options = page.getByTestId('search-results').locator('[role="option"]');
    await expect(options.allTextContents()).resolves.toEqual(expect.arrayContaining([expect.stringContaining('双桥村综合农贸市场')]));
    await options.filter({ hasText: '双桥村综合农贸市场' }).click();
    await page.waitForFunction(() => new URL(location.href).searchParams.get('scope') === 'site:S1');
    await settled(page);
    await expect(page.getByTestId('site-unit').textContent()).resolves.toBe('关上街道办事处');
    const api = await apiSummary('scope=site:S1&from=2026-09-01&to=2026-11-30');
    expect(await tileValue(page, 'reported')).toBe(String(api.kpis.reported));
    // The facts say the site's status and its overdue count — the KPI tile's number, not the open count.
    const site = (await (await fetch(`${server.url}/api/sites?scope=site:S1&from=2026-09-01&to=2026-11-30&geometry=0`)).json()) as {
      features: { properties: { status: string; overdue: number } }[];
    };
    const { status, overdue } = site.features[0].properties;
    await expect(page.getByTestId('site-status').getAttribute('data-status')).resolves.toBe(status);
    await expect(page.getByTestId('site-overdue').getAttribute('data-overdue')).resolves.toBe(String(overdue));
    expect(await tileValue(page, 'overdue')).toBe(String(overdue));
  });

  it('changes the numbers when a filter changes, to what the API says for that filter', async () => {
    await open(page, `${PERIOD}&scope=street:${GUANSHANG}`);
    const before = await tileValue(page, 'reported');
    await page.getByTestId('filter-status').locator('summary').click();
    await page.getByTestId('filter-status').getByLabel('结案').check();
    await page.waitForFunction(() => new URL(location.href).searchParams.get('st') === 'closed');
    await settled(page);
    const api = await apiSummary(`scope=street:${GUANSHANG}&from=2026-09-01&to=2026-11-30&status=closed`);
    expect(await tileValue(page, 'reported')).toBe(String(api.kpis.reported));
    expect(await tileValue(page, 'reported')).not.toBe(before);
  });

  it('restores scope, filters, layers and view from a deep link, and keeps the link after reload', async () => {
    const link = `t=custom&from=2026-10-01&to=2026-11-30&scope=community:530111002001&cat=01&layers=grids,heat&metric=overdue&view=102.78750,24.92500,14.00`;
    await open(page, link);
    await expect(page.getByTestId('panel-name').textContent()).resolves.toBe('和平路社区');
    await expect(page.getByTestId('metric').inputValue()).resolves.toBe('overdue');
    await expect(page.getByTestId('layer-heat').isChecked()).resolves.toBe(true);
    await expect(page.getByTestId('layer-sites').isChecked()).resolves.toBe(false);
    await expect(page.getByTestId('date-from').inputValue()).resolves.toBe('2026-10-01');
    await expect(page.getByTestId('filter-category').locator('.menu__count').textContent()).resolves.toBe('1');
    const api = await apiSummary('scope=community:530111002001&from=2026-10-01&to=2026-11-30&category=01');
    expect(await tileValue(page, 'reported')).toBe(String(api.kpis.reported));
    await page.reload();
    await page.locator('[data-map-state="ready"]').waitFor();
    await settled(page);
    const q = query(page);
    expect(Object.fromEntries(q)).toMatchObject({ scope: 'community:530111002001', cat: '01', layers: 'grids,heat', metric: 'overdue', from: '2026-10-01' });
    expect(q.get('view')).toBe('102.78750,24.92500,14.00');
  });

  it('walks the drill path back with the browser Back button', async () => {
    await open(page);
    await page.getByTestId('search').fill('关上街道');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('scope') === 'street:530111001');
    await settled(page);
    await page.getByTestId('sub-units').getByRole('button', { name: /双桥社区/ }).click();
    await page.waitForFunction(() => new URL(location.href).searchParams.get('scope') === 'community:530111001002');
    await settled(page);
    await expect(page.getByTestId('breadcrumb').textContent()).resolves.toMatch(/官渡区\s*关上街道\s*双桥社区/);
    await page.goBack();
    await page.waitForFunction(() => new URL(location.href).searchParams.get('scope') === 'street:530111001');
    await expect(page.getByTestId('panel-name').textContent()).resolves.toBe('关上街道');
    await page.goBack();
    await page.waitForFunction(() => !new URL(location.href).searchParams.has('scope'));
    await expect(page.getByTestId('panel-name').textContent()).resolves.toBe('官渡区');
  });

  it('goes back up with the breadcrumb', async () => {
    await open(page, `${PERIOD}&scope=grid:530111001002001`);
    await expect(page.getByTestId('breadcrumb').textContent()).resolves.toMatch(/官渡区\s*关上街道\s*双桥社区\s*双桥社区第1网格/);
    await page.getByTestId('breadcrumb').getByRole('button', { name: '关上街道' }).click();
    await page.waitForFunction(() => new URL(location.href).searchParams.get('scope') === 'street:530111001');
    await expect(page.getByTestId('panel-name').textContent()).resolves.toBe('关上街道');
  });

  it('opens an overdue issue with its timeline and responsible grid', async () => {
    await open(page, `${PERIOD}&scope=street:${GUANSHANG}`);
    const first = page.getByTestId('overdue').locator('button').first();
    const id = await first.getAttribute('data-issue');
    await first.click();
    await page.waitForFunction((issue) => new URL(location.href).searchParams.get('issue') === issue, id);
    await page.getByTestId('timeline').locator('li').first().waitFor();
    const text = await page.getByTestId('issue-panel').textContent();
    expect(text).toContain(id!);
    expect(text).toMatch(/网格\s*关上社区第\d网格|网格\s*双桥社区第\d网格/);
    await page.goBack();
    await page.waitForFunction(() => !new URL(location.href).searchParams.has('issue'));
    await expect(page.getByTestId('issue-panel').count()).resolves.toBe(0);
  });

  it('opens the grid inspector\'s record from the grid panel, then the 责任单位 tab', async () => {
    await open(page, `${PERIOD}&scope=grid:530111001002001`);
    await page.getByTestId('inspector-link').click();
    await page.waitForFunction(() => new URL(location.href).searchParams.get('inspector') === '王芳');
    const figure = page.getByTestId('inspector-panel').locator('[data-figure="issues"] strong');
    const res = await fetch(`${server.url}/api/inspectors?from=2026-09-01&to=2026-11-30&name=${encodeURIComponent('王芳')}`);
    const api = (await res.json()) as { rows: { issues: number; grids: string[] }[] };
    await expect(figure.textContent()).resolves.toBe(String(api.rows[0].issues));
    await expect(page.getByTestId('inspector-grids').locator('li').count()).resolves.toBe(api.rows[0].grids.length);
    await page.getByTestId('panel-tabs').locator('[data-tab="departments"]').click();
    await page.waitForFunction(() => new URL(location.href).searchParams.get('tab') === 'dept' && !new URL(location.href).searchParams.has('scope'));
    await page.getByTestId('department-list').waitFor();
  });

  it('links the CSV export to the current scope and filters', async () => {
    await open(page, `${PERIOD}&scope=street:${GUANSHANG}&st=closed`);
    const href = (await page.getByTestId('export-csv').getAttribute('href'))!;
    const url = new URL(href, server.url);
    expect(url.pathname).toBe('/api/export/issues.csv');
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ scope: `street:${GUANSHANG}`, status: 'closed', from: '2026-09-01', to: '2026-11-30' });
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect((await res.text()).split('\r\n').filter(Boolean).length).toBeGreaterThan(1);
  });

  it('exports the map view as a PNG with the basemap and the data layers', async () => {
    await open(page);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-png').click()]);
    expect(download.suggestedFilename()).toMatch(/\.png$/);
    const path = await download.path();
    const { readFile } = await import('node:fs/promises');
    const stats = await colourStats(page, await readFile(path));
    expect(stats.width).toBeGreaterThan(600);
    expect(stats.distinct).toBeGreaterThanOrEqual(8);
    expect(stats.dominantShare).toBeLessThan(0.7);
    // The deck.gl canvas is composited in: the choropleth's warm colours are in the file.
    expect(await warmShare(page, await readFile(path))).toBeGreaterThan(0.02);
  });

  it('switches to English and back', async () => {
    await page.getByTestId('lang').click();
    await expect(page.locator('h1').textContent()).resolves.toContain('civgrid');
    await expect(page.locator('[data-preset="30d"]').textContent()).resolves.toContain('Last 30 days');
    await page.getByTestId('lang').click();
    await expect(page.locator('h1').textContent()).resolves.toBe('城市文明网格态势平台');
  });

  it('logs no console errors, page errors or failed requests', () => {
    // ERR_ABORTED is a request the page itself cancelled: a newer filter superseding an older
    // answer, or the live feed and pending loads cut by the test's own navigations.
    expect(problems.all().filter((p) => !p.endsWith('net::ERR_ABORTED'))).toEqual([]);
    expect(problems.consoleErrors).toEqual([]);
  });
});
