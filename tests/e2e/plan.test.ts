/**
 * The planner end to end: real server on the fixture city, real Chromium drawing on the
 * map canvas. A planner creates a draft, splits a grid with a drawn line, merges two grids, undoes,
 * sees the metrics change, makes and fixes a validation error, publishes; afterwards /api/grids
 * shows the new plan and every community still has all its issues. The edit→metrics times the
 * page measured are printed.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageProblems, launchBrowser, newPage, type PageProblems } from '../helpers/browser';
import { FIXTURE_CITY, startServerProcess, type ServerProcess } from '../helpers/server-process';

const HEPING_1 = '530111002001001';
const HEPING_2 = '530111002001002';
const JINTAI_2 = '530111002002002';
/** The fixture's issues lie in Sep–Nov 2026. */
const PERIOD = 'from=2026-09-01&to=2026-11-30';

let browser: Browser;
let server: ServerProcess;
let token: string;

/** A planner token, issued with the admin token the server wrote on first start. */
async function plannerToken(): Promise<string> {
  const res = await fetch(`${server.url}/api/users`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: '王规划', role: 'planner' }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { token: string }).token;
}

beforeAll(async () => {
  [browser, server] = await Promise.all([
    launchBrowser(),
    startServerProcess({ imports: FIXTURE_CITY }),
  ]);
  token = await plannerToken();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

type GridsAnswer = { features: { properties: { code: string; community: string; reported: number } }[] };

async function publishedGrids(): Promise<GridsAnswer> {
  const res = await fetch(`${server.url}/api/grids?geometry=0&${PERIOD}`);
  expect(res.status).toBe(200);
  return (await res.json()) as GridsAnswer;
}

function issuesPerCommunity(g: GridsAnswer): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of g.features) out[f.properties.community] = (out[f.properties.community] ?? 0) + f.properties.reported;
  return out;
}

/** Page position of a map coordinate, through the planner's test hook (present under automation only). */
async function at(page: Page, lon: number, lat: number): Promise<{ x: number; y: number }> {
  return page.evaluate(([x, y]) => (window as unknown as { __civgridPlanMap: { project: (x: number, y: number) => { x: number; y: number } } }).__civgridPlanMap.project(x, y), [lon, lat]);
}

async function clickAt(page: Page, lon: number, lat: number): Promise<void> {
  const p = await at(page, lon, lat);
  await page.mouse.click(p.x, p.y);
  // terra-draw tells clicks from drags by time and distance; give each click its own moment.
  await page.waitForTimeout(150);
}

async function jumpTo(page: Page, lon: number, lat: number, zoom: number): Promise<void> {
  await page.evaluate(([x, y, z]) => (window as unknown as { __civgridPlanMap: { jumpTo: (x: number, y: number, z: number) => void } }).__civgridPlanMap.jumpTo(x, y, z), [lon, lat, zoom]);
  await page.waitForTimeout(300);
}

async function metric(page: Page, row: string): Promise<string> {
  return ((await page.locator(`[data-row="${row}"] [data-role="draft"]`).textContent()) ?? '').trim();
}

/** Waits until the page has measured `n` edits (each edit ends with its metrics on screen) and validation is back. */
async function edits(page: Page, n: number): Promise<number> {
  await page.locator(`[data-testid="timing"][data-count="${n}"]`).waitFor({ state: 'attached', timeout: 30_000 });
  await page.waitForFunction(() => document.querySelector('[data-testid="plan-view"]')?.getAttribute('data-validating') === 'false', null, { timeout: 30_000 });
  return Number(await page.getByTestId('timing').getAttribute('data-ms'));
}

// Each step waits for real frames of software-rendered WebGL; a busy machine makes them slow.
describe('planner on the fixture city', { timeout: 120_000 }, () => {
  let page: Page;
  let problems: PageProblems;
  const timings: Record<string, number> = {};
  let before: Record<string, number>;

  beforeAll(async () => {
    before = issuesPerCommunity(await publishedGrids());
    page = await newPage(browser);
    problems = collectPageProblems(page);
    // Signed in through the sign-in page, as a planner would be; the typed client then sends the token.
    await page.goto(`${server.url}/login?next=/plan`);
    await page.getByTestId('token-input').fill(token);
    await page.getByTestId('sign-in-button').click();
    await page.getByTestId('identity').waitFor();
    await page.getByTestId('continue').click();
    await page.waitForURL(/\/plan$/);
    await page.locator('[data-map-state="ready"]').waitFor({ timeout: 60_000 });
  });

  afterAll(async () => {
    console.log(`edit → metrics on screen (ms, headless Chromium with software WebGL): ${JSON.stringify(timings)}`);
    await page?.context().close();
  });

  it('lists the published plan and creates a draft from it', async () => {
    await expect(page.locator('[data-plan][data-status="published"] [data-testid="open-plan"]').textContent()).resolves.toBe('初始方案');
    await page.getByTestId('new-name').fill('2027 调整方案');
    await page.getByTestId('new-draft').click();
    await page.waitForFunction(() => new URL(location.href).searchParams.get('id') === '2');
    await expect(page.getByTestId('plan-status').textContent()).resolves.toBe('草稿');
    await page.locator('[data-testid="plan-view"][data-framed="2"]').waitFor();
    await page.locator('[data-row="grids"] [data-role="draft"]').waitFor();
    expect(await metric(page, 'grids')).toBe('8');
    await expect(page.locator('[data-row="grids"] [data-role="published"]').textContent()).resolves.toBe('8');
  });

  it('splits 和平路社区第1网格 with a line drawn across it, and the metrics follow', async () => {
    await jumpTo(page, 102.75, 24.95, 12);
    const cv = await metric(page, 'cv');
    await page.keyboard.press('s');
    await expect(page.getByTestId('tool-split').getAttribute('aria-pressed')).resolves.toBe('true');
    await clickAt(page, 102.76, 24.895);
    await clickAt(page, 102.76, 24.955);
    await page.keyboard.press('Enter');
    timings.split = await edits(page, 1);
    expect(await metric(page, 'grids')).toBe('9');
    expect(await metric(page, 'cv')).not.toBe(cv);
    await expect(page.getByTestId('undo').textContent()).resolves.toContain('1');
  });

  it('merges the two grids of 关上社区 by clicking them', async () => {
    await page.keyboard.press('m');
    await clickAt(page, 102.71, 24.92);
    await clickAt(page, 102.74, 24.92);
    timings.merge = await edits(page, 2);
    expect(await metric(page, 'grids')).toBe('8');
  });

  it('undoes the merge with the button, and the metrics change back', async () => {
    const cv = await metric(page, 'cv');
    await page.getByTestId('undo').click();
    timings.undo = await edits(page, 3);
    expect(await metric(page, 'grids')).toBe('9');
    expect(await metric(page, 'cv')).not.toBe(cv);
    await expect(page.getByTestId('redo').textContent()).resolves.toContain('1');
  });

  it('flags a sliver left by a careless split, blocks publishing, zooms to it, and clears once it is merged back', async () => {
    // Cut the south-west corner off 金太社区第2网格: a ~220 m² triangle.
    await page.keyboard.press('Escape');
    await jumpTo(page, 102.7751, 24.9501, 18);
    await page.keyboard.press('s');
    await clickAt(page, 102.7749, 24.9503);
    await clickAt(page, 102.7753, 24.9499);
    await page.keyboard.press('Enter');
    timings.sliver = await edits(page, 4);
    await expect(page.getByTestId('publish').isDisabled()).resolves.toBe(true);
    await page.getByTestId('tab-validation').click();
    const finding = page.locator('[data-testid="finding"][data-code="sliver"]');
    await expect(finding.textContent()).resolves.toMatch(/面积过小/);
    await jumpTo(page, 102.75, 24.95, 12);
    await finding.getByTestId('finding-zoom').click();
    await page.waitForFunction(() => (window as unknown as { __civgridPlanMap: { zoom: () => number } }).__civgridPlanMap.zoom() > 16, null, { timeout: 10_000 });

    await jumpTo(page, 102.7751, 24.9501, 18);
    await page.keyboard.press('m');
    await clickAt(page, 102.7756, 24.9506);
    await clickAt(page, 102.77507, 24.95007);
    timings.fix = await edits(page, 5);
    await page.getByTestId('validation-clean').waitFor();
    await expect(page.getByTestId('publish').isDisabled()).resolves.toBe(false);
  });

  it('warns about a grid left without an inspector until one is named again', async () => {
    await page.keyboard.press('Escape');
    await jumpTo(page, 102.75, 24.95, 12);
    await clickAt(page, 102.79, 24.92);
    await page.getByTestId('tab-attrs').click();
    await expect(page.getByTestId('attr-code').inputValue()).resolves.toBe(HEPING_2);
    await page.getByTestId('attr-inspector').fill('');
    await page.getByTestId('attr-save').click();
    timings.attrs = await edits(page, 6);
    await page.getByTestId('tab-validation').click();
    await expect(page.locator('[data-testid="finding"][data-code="no_inspector"]').textContent()).resolves.toContain('和平路社区第2网格');
    // A warning does not block publishing.
    await expect(page.getByTestId('publish').isDisabled()).resolves.toBe(false);
    await page.getByTestId('tab-attrs').click();
    await page.getByTestId('attr-inspector').fill('李娜');
    await page.getByTestId('attr-save').click();
    await edits(page, 7);
    await page.getByTestId('tab-validation').click();
    await page.getByTestId('validation-clean').waitFor();
  });

  it('shows what publishing would change against the published plan', async () => {
    await page.getByTestId('tab-diff').click();
    await expect(page.getByTestId('diff-added').textContent()).resolves.toMatch(/新增 3/);
    await expect(page.getByTestId('diff-removed').textContent()).resolves.toMatch(/删除 2/);
    const api = (await (await fetch(`${server.url}/api/plans/1/diff/2`)).json()) as { issues: { moved: number; total: number } };
    expect(api.issues.moved).toBeGreaterThan(0);
    await expect(page.getByTestId('diff-issues').textContent()).resolves.toBe(`${api.issues.moved} / ${api.issues.total} 件问题改变所属网格`);
  });

  it('publishes; /api/grids then serves the new grids and every community keeps its issues', async () => {
    await page.getByTestId('publish').click();
    // Publishing asks in a dialog: Esc backs out, the confirm button publishes.
    const dialog = page.getByTestId('confirm-dialog');
    await dialog.waitFor();
    await expect(page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).resolves.toBe('confirm-cancel');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await expect(page.getByTestId('plan-status').textContent()).resolves.not.toMatch(/已发布/);
    await page.getByTestId('publish').click();
    await page.getByTestId('confirm-accept').click();
    await page.locator('[data-testid="plan-status"]').filter({ hasText: '已发布' }).waitFor({ timeout: 30_000 });
    await expect(page.getByTestId('notice').textContent()).resolves.toMatch(/8 件问题/);

    const after = await publishedGrids();
    const codes = after.features.map((f) => f.properties.code).sort();
    expect(codes).toHaveLength(9);
    expect(codes).toEqual(expect.arrayContaining([`${HEPING_1}-1`, `${HEPING_1}-2`, `${JINTAI_2}-1`]));
    expect(codes).not.toContain(HEPING_1);
    expect(codes).not.toContain(JINTAI_2);
    expect(issuesPerCommunity(after)).toEqual(before);
    const plans = (await (await fetch(`${server.url}/api/plans`)).json()) as { id: number; status: string }[];
    expect(plans.map((p) => [p.id, p.status])).toEqual([[1, 'archived'], [2, 'published']]);
  });

  it('measured every edit and reported no page errors', () => {
    for (const ms of Object.values(timings)) expect(ms).toBeGreaterThan(0);
    expect(problems.all()).toEqual([]);
  });
});
