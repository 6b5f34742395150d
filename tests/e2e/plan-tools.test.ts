/**
 * The planner's other tools in a real browser: freehand redraw, vertex insert / drag / delete
 * (the shared edge moves for both grids), export and re-import of a plan file, the English
 * switch, and what a signed-in user without the planner role sees.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageProblems, launchBrowser, newPage, type PageProblems } from '../helpers/browser';
import { FIXTURE_CITY, startServerProcess, type ServerProcess } from '../helpers/server-process';

const GUANSHANG = '530111001001';
const GUANSHANG_1 = '530111001001001';
const GUANSHANG_2 = '530111001001002';

let browser: Browser;
let server: ServerProcess;
let admin: string;

type Arc = { coordinates: [number, number][]; left: string | null; right: string | null };
type Hook = { project: (x: number, y: number) => { x: number; y: number }; jumpTo: (x: number, y: number, z: number) => void };

beforeAll(async () => {
  [browser, server] = await Promise.all([
    launchBrowser(),
    startServerProcess({ imports: FIXTURE_CITY }),
  ]);
  admin = server.adminToken;
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function tokenFor(role: string): Promise<string> {
  const res = await fetch(`${server.url}/api/users`, {
    method: 'POST',
    headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: `e2e-${role}`, role }),
  });
  return ((await res.json()) as { token: string }).token;
}

/** Opens /plan signed in with `token` (as the sign-in page leaves it in sessionStorage). */
async function open(token: string): Promise<{ page: Page; problems: PageProblems }> {
  const page = await newPage(browser);
  const problems = collectPageProblems(page);
  await page.addInitScript((t) => sessionStorage.setItem('civgrid.token', t), token);
  await page.goto(`${server.url}/plan`);
  await page.locator('[data-map-state="ready"]').waitFor({ timeout: 60_000 });
  return { page, problems };
}

const hook = (page: Page) => ({
  at: (lon: number, lat: number) => page.evaluate(([x, y]) => (window as unknown as { __civgridPlanMap: Hook }).__civgridPlanMap.project(x, y), [lon, lat]),
  jumpTo: async (lon: number, lat: number, zoom: number) => {
    await page.evaluate(([x, y, z]) => (window as unknown as { __civgridPlanMap: Hook }).__civgridPlanMap.jumpTo(x, y, z), [lon, lat, zoom]);
    await page.waitForTimeout(300);
  },
});

async function edits(page: Page, n: number): Promise<void> {
  await page.locator(`[data-testid="timing"][data-count="${n}"]`).waitFor({ state: 'attached', timeout: 30_000 });
  await page.waitForFunction(() => document.querySelector('[data-testid="plan-view"]')?.getAttribute('data-validating') === 'false');
}

async function sharedArc(plan: number): Promise<[number, number][]> {
  const topo = (await (await fetch(`${server.url}/api/plans/${plan}/topology?community=${GUANSHANG}`)).json()) as { arcs: Arc[] }[];
  const shared = topo[0].arcs.filter((a) => a.right !== null);
  expect(shared).toHaveLength(1);
  return shared[0].coordinates;
}

// Each step waits for real frames of software-rendered WebGL; a busy machine makes them slow.
describe('planner tools', { timeout: 120_000 }, () => {
  let page: Page;
  let problems: PageProblems;
  let plan: number;

  beforeAll(async () => {
    ({ page, problems } = await open(admin));
    await page.getByTestId('new-draft').click();
    await page.waitForFunction(() => new URL(location.href).searchParams.has('id'));
    plan = Number(new URL(page.url()).searchParams.get('id'));
    await page.locator(`[data-testid="plan-view"][data-framed="${plan}"]`).waitFor();
    await page.locator('[data-row="grids"] [data-role="draft"]').waitFor();
    await hook(page).jumpTo(102.72, 24.925, 12.5);
  });

  afterAll(async () => {
    await page?.context().close();
  });

  it('redraws 关上社区第1网格 freehand; its neighbour gives up the land and the new edge ends exactly on the community outline', async () => {
    const { at } = hook(page);
    let p = await at(102.71, 24.92);
    await page.mouse.click(p.x, p.y);
    await page.keyboard.press('r');
    const ring: [number, number][] = [[102.699, 24.899], [102.73, 24.899], [102.73, 24.951], [102.699, 24.951]];
    // The outline traced as the hand would: many small moves along each side.
    const path: [number, number][] = [];
    for (let i = 1; i <= ring.length; i++) {
      const [a, b] = [ring[i - 1], ring[i % ring.length]];
      for (let k = 1; k <= 4; k++) path.push([a[0] + ((b[0] - a[0]) * k) / 4, a[1] + ((b[1] - a[1]) * k) / 4]);
    }
    const pixels = await page.evaluate((ps) => ps.map(([x, y]) => (window as unknown as { __civgridPlanMap: Hook }).__civgridPlanMap.project(x, y)), path);
    p = await at(...ring[0]);
    await page.mouse.click(p.x, p.y);
    for (const q of pixels) await page.mouse.move(q.x, q.y);
    p = await at(102.6995, 24.8995);
    await page.mouse.click(p.x, p.y);
    await edits(page, 1);
    const arc = await sharedArc(plan);
    // The shared edge moved from 102.725 to 102.73; its ends sit exactly on the community outline.
    for (const [x] of arc) expect(x).toBeCloseTo(102.73, 6);
    expect(arc[0][1] === 24.9 || arc[0][1] === 24.95).toBe(true);
    expect(arc.at(-1)![1] === 24.9 || arc.at(-1)![1] === 24.95).toBe(true);
  });

  it('inserts a vertex on the shared edge by double-click, drags it (both grids follow), and deletes it', async () => {
    const { at } = hook(page);
    await page.keyboard.press('v');
    await page.locator('[data-testid="tool-vertex"][aria-pressed="true"]').waitFor();
    // The topology arrives with the vertex tool.
    await page.waitForTimeout(1000);
    let p = await at(102.73, 24.925);
    await page.mouse.dblclick(p.x, p.y);
    await edits(page, 2);
    // The new vertex lies where the pointer met the edge, on the edge.
    const inserted = (await sharedArc(plan)).find(([x, y]) => Math.abs(x - 102.73) < 1e-6 && Math.abs(y - 24.925) < 1e-4)!;
    expect(inserted).toBeDefined();

    await page.waitForTimeout(500);
    p = await at(inserted[0], inserted[1]);
    await page.mouse.move(p.x, p.y);
    await page.mouse.down();
    for (let k = 1; k <= 10; k++) await page.mouse.move(p.x + 3 * k, p.y);
    await page.mouse.up();
    await edits(page, 3);
    const moved = (await sharedArc(plan)).find(([x, y]) => y > 24.91 && y < 24.94 && x > 102.731)!;
    expect(moved).toBeDefined();
    const grids = (await (await fetch(`${server.url}/api/plans/${plan}`)).json()) as { grids: { features: { properties: { code: string }; geometry: { coordinates: number[][][] } }[] } };
    for (const code of [GUANSHANG_1, GUANSHANG_2]) {
      const ring = grids.grids.features.find((f) => f.properties.code === code)!.geometry.coordinates[0];
      expect(ring).toContainEqual(moved);
    }

    await page.waitForTimeout(500);
    p = await at(moved[0], moved[1]);
    await page.mouse.click(p.x, p.y);
    await page.keyboard.press('Delete');
    await edits(page, 4);
    expect((await sharedArc(plan)).find(([x, y]) => x === moved[0] && y === moved[1])).toBeUndefined();
  });

  it('undoes and redoes the delete from the keyboard', async () => {
    const has = async () => (await sharedArc(plan)).length;
    const without = await has();
    await page.keyboard.press('Control+z');
    await edits(page, 5);
    expect(await has()).toBe(without + 1);
    await page.keyboard.press('Control+Shift+Z');
    await edits(page, 6);
    expect(await has()).toBe(without);
  });

  it('refuses to drag a pinned outline corner and says why', async () => {
    const { at } = hook(page);
    const p = await at(102.7, 24.9);
    await page.mouse.move(p.x, p.y);
    await page.mouse.down();
    for (let k = 1; k <= 6; k++) await page.mouse.move(p.x + 4 * k, p.y - 4 * k);
    await page.mouse.up();
    // The model knows the corner is pinned: no request, nothing changes, and the reason is shown.
    await expect(page.getByTestId('problem').textContent()).resolves.toMatch(/社区边界的拐点/);
    await expect(page.getByTestId('timing').getAttribute('data-count')).resolves.toBe('6');
  });

  it('exports the draft as GeoJSON and imports the file into an empty draft', async () => {
    await page.keyboard.press('Escape');
    await page.getByTestId('toggle-list').click();
    const row = page.locator(`li[data-plan="${plan}"]`);
    const [download] = await Promise.all([page.waitForEvent('download'), row.getByTestId('export-geojson').click()]);
    expect(download.suggestedFilename()).toBe(`plan-${plan}.geojson`);
    const file = await download.path();
    const exported = JSON.parse(readFileSync(file, 'utf8')) as { features: { properties: { code: string } }[] };
    expect(exported.features).toHaveLength(8);
    const [zip] = await Promise.all([page.waitForEvent('download'), row.getByTestId('export-shapefile').click()]);
    expect(zip.suggestedFilename()).toBe(`plan-${plan}.zip`);
    // A zip starts with the local file header signature PK\x03\x04.
    expect(readFileSync(await zip.path()).subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04]));

    await page.getByTestId('new-empty').click();
    await page.waitForFunction((old) => new URL(location.href).searchParams.get('id') !== String(old), plan);
    const empty = Number(new URL(page.url()).searchParams.get('id'));
    await page.locator('[data-row="grids"] [data-role="draft"]').filter({ hasText: /^0$/ }).waitFor();
    await page.getByTestId('toggle-list').click();
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.locator(`li[data-plan="${empty}"]`).getByTestId('import').click()]);
    await chooser.setFiles({ name: 'plan.geojson', mimeType: 'application/geo+json', buffer: readFileSync(file) });
    await expect(page.getByTestId('notice').textContent()).resolves.toBe('已导入 8 个网格');
    await page.locator('[data-row="grids"] [data-role="draft"]').filter({ hasText: /^8$/ }).waitFor();
  });

  it('switches to English', async () => {
    await page.getByTestId('lang').click();
    await expect(page.getByTestId('tool-split').textContent()).resolves.toMatch(/^Split/);
    await expect(page.getByTestId('tab-metrics').textContent()).resolves.toMatch(/Metrics/);
    await page.getByTestId('lang').click();
    await expect(page.getByTestId('tool-split').textContent()).resolves.toMatch(/^分割/);
  });

  it('renames the imported draft, then discards it', async () => {
    if (!(await page.getByTestId('plan-list').isVisible())) await page.getByTestId('toggle-list').click();
    const current = page.locator('li.is-current');
    await current.getByTestId('rename').click();
    await current.getByTestId('rename-input').fill('导入的方案');
    await current.getByTestId('rename-input').press('Enter');
    await page.getByTestId('plan-name').filter({ hasText: /^导入的方案/ }).waitFor();
    await current.filter({ hasText: '导入的方案' }).waitFor();
    await current.getByTestId('discard').click();
    await page.getByTestId('confirm-accept').click();
    await page.waitForFunction(() => !new URL(location.href).searchParams.has('id'));
    await expect(page.locator('li[data-plan]').allTextContents()).resolves.not.toContainEqual(expect.stringContaining('导入的方案'));
  });

  it('reported no page errors', () => {
    expect(problems.all()).toEqual([]);
  });
});

describe('a signed-in viewer', () => {
  it('may look at plans but is told that drafts need the planner role, with a way to sign in', async () => {
    const { page } = await open(await tokenFor('viewer'));
    try {
      await page.getByTestId('new-draft').click();
      await expect(page.getByTestId('problem').textContent()).resolves.toMatch(/规划员/);
      await expect(page.getByTestId('sign-in-link').getAttribute('href')).resolves.toMatch(/^\/login\?next=/);
    } finally {
      await page.context().close();
    }
  });
});
