/**
 * English mode, completely: walks the workspace (a street, an issue and its timeline), the big
 * screen and the planner with `?lang=en` and fails on any Chinese character or full-width
 * punctuation left on screen, except in proper names — the data's own names of places, grids,
 * sites, people, plans, addresses and descriptions, taken from the API. Then switches back to
 * Chinese and checks that `lang` leaves the address.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newPage } from '../helpers/browser';
import { FIXTURE_CITY, startServerProcess, type ServerProcess } from '../helpers/server-process';
import { screenReady } from './screen-checks';

/** The fixture's issues lie in Sep–Nov 2026. */
const PERIOD = 't=custom&from=2026-09-01&to=2026-11-30';
const GUANSHANG = '530111001';
/** CJK ideographs, CJK punctuation (、。「」) and full-width forms (（）：，). */
const CJK = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/;

let browser: Browser;
let server: ServerProcess;
let page: Page;
let properNames: string[] = [];

const api = async <T>(path: string): Promise<T> => (await (await fetch(`${server.url}${path}`)).json()) as T;

/** Every name the data brings (longest first, so a grid name goes before its community's). */
async function loadProperNames(): Promise<string[]> {
  type Named = { name: string; children?: Named[] };
  type Props = Record<string, unknown>;
  const names = new Set<string>();
  const add = (...values: unknown[]) => values.forEach((v) => typeof v === 'string' && v && names.add(v));
  const walk = (nodes: Named[]) => nodes.forEach((n) => (add(n.name), walk(n.children ?? [])));
  const meta = await api<{ regions: Named[]; publishedPlan: { name: string } | null }>('/api/meta');
  walk(meta.regions);
  add(meta.publishedPlan?.name);
  const grids = await api<{ features: { properties: Props }[] }>('/api/grids');
  grids.features.forEach((f) => add(f.properties.name, f.properties.inspector));
  const sites = await api<{ features: { properties: Props }[] }>('/api/sites');
  sites.features.forEach((f) => add(f.properties.name, f.properties.unit));
  const issues = await api<{ items: { id: string; description: string | null; address: string | null; sites: { name: string }[] }[] }>('/api/issues?limit=500');
  for (const i of issues.items) {
    add(i.description, i.address, ...i.sites.map((s) => s.name));
    const detail = await api<{ events: { actor: string | null; note: string | null }[] }>(`/api/issues/${i.id}`);
    detail.events.forEach((e) => add(e.actor, e.note));
  }
  (await api<{ name: string; author: string }[]>('/api/plans')).forEach((p) => add(p.name, p.author));
  return [...names].sort((a, b) => b.length - a.length);
}

/**
 * What a reader sees: visible text and the words of titles, labels and placeholders — except the
 * language switch, which names Chinese in Chinese (中文) so that a Chinese reader finds it.
 */
async function visibleWords(p: Page): Promise<string> {
  return p.evaluate(() => {
    const attrs = [...document.querySelectorAll('[title], [aria-label], [placeholder]')].flatMap((el) =>
      ['title', 'aria-label', 'placeholder'].map((a) => el.getAttribute(a) ?? ''),
    );
    const switchLabel = document.querySelector('[data-testid="lang"]')?.textContent?.trim();
    const text = [document.title, document.body.innerText, ...attrs].join('\n');
    return switchLabel ? text.split(switchLabel).join('') : text;
  });
}

/** Lines with Chinese left after the proper names are taken out. */
async function chineseLeft(p: Page): Promise<string[]> {
  let text = await visibleWords(p);
  for (const name of properNames) text = text.split(name).join('«name»');
  return text.split('\n').filter((line) => CJK.test(line));
}

beforeAll(async () => {
  [browser, server] = await Promise.all([launchBrowser(), startServerProcess({ imports: FIXTURE_CITY })]);
  properNames = await loadProperNames();
  page = await newPage(browser);
});

afterAll(async () => {
  await page?.context().close();
  await browser?.close();
  await server?.stop();
});

describe('English mode', () => {
  it('leaves no Chinese on the workspace, a street, an issue and its timeline', async () => {
    await page.goto(`${server.url}/?lang=en&${PERIOD}&scope=street:${GUANSHANG}`);
    await page.locator('[data-map-state="ready"]').waitFor({ timeout: 60_000 });
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="panel"] [data-state="loading"]').length === 0, null, { timeout: 30_000 });
    expect(await chineseLeft(page)).toEqual([]);
    await page.getByTestId('overdue').locator('button').first().click();
    await page.getByTestId('timeline').locator('li').first().waitFor();
    expect(await chineseLeft(page)).toEqual([]);
  });

  it('leaves no Chinese on the big screen', async () => {
    await page.goto(`${server.url}/screen?lang=en`);
    await screenReady(page);
    expect(await chineseLeft(page)).toEqual([]);
  });

  it('leaves no Chinese in the planner', async () => {
    await page.goto(`${server.url}/plan?lang=en`);
    await page.locator('[data-plan][data-status="published"] [data-testid="open-plan"]').click();
    await page.getByTestId('plan-name').waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid="plan-view"]')?.getAttribute('data-validating') === 'false', null, { timeout: 30_000 });
    expect(await chineseLeft(page)).toEqual([]);
  });

  it('drops ?lang=en from the address when switching back to Chinese', async () => {
    await page.goto(`${server.url}/?lang=en&${PERIOD}`);
    await page.getByTestId('lang').click();
    await page.waitForFunction(() => !new URL(location.href).searchParams.has('lang'));
    await expect(page.getByTestId('lang').textContent()).resolves.toBe('English');
    expect(new URL(page.url()).searchParams.get('from')).toBe('2026-09-01');
  });
});
