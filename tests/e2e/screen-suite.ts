/**
 * The big screen at given wall sizes against the fixture city: layout (every panel inside the
 * viewport, nothing overflowing, no clipped text), the map drawn, every number equal to the
 * API's, and a clean console. Registered by screen-layout.test.ts and screen-wide.test.ts, which
 * split the sizes so each file stays within a couple of minutes on software WebGL.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCount, formatRate } from '../../web/screen/format';
import { collectPageProblems, colourStats, launchBrowser, newContext, type PageProblems } from '../helpers/browser';
import { FIXTURE_NOW } from '../helpers/fixture-clock';
import { FIXTURE_CITY, startServerProcess, type ServerProcess } from '../helpers/server-process';
import { layoutProblems, overlappingText, screenReady } from './screen-checks';


/** Requests the screen cancels on purpose (a newer heat view, a newer refresh) are not failures. */
export function realProblems(problems: PageProblems): string[] {
  return problems.all().filter((p) => !p.includes('net::ERR_ABORTED'));
}

type Json = Record<string, unknown>;

async function api(server: ServerProcess, path: string): Promise<Json> {
  const res = await fetch(`${server.url}${path}`);
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return (await res.json()) as Json;
}

/** Registers the checks for each `[width, height]`. */
export function describeScreenAt(sizes: [number, number][]): void {
  let browser: Browser;
  let server: ServerProcess;

  beforeAll(async () => {
    [browser, server] = await Promise.all([launchBrowser(), startServerProcess({ imports: FIXTURE_CITY })]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  for (const [width, height] of sizes) {
    describe(`/screen at ${width}×${height}`, () => {
      let page: Page;
      let problems: PageProblems;

      beforeAll(async () => {
        const context = await newContext(browser, { viewport: { width, height } });
        page = await context.newPage();
        problems = collectPageProblems(page);
        await page.goto(`${server.url}/screen?test=1`);
        await screenReady(page);
      });

      afterAll(async () => {
        await page?.context().close();
      });

      it('shows every panel, inside the viewport, with nothing overflowing or clipped', async () => {
        const panels = await page.locator('[data-panel]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.panel));
        expect(new Set(panels)).toEqual(new Set(['kpis', 'trend', 'categories', 'sources', 'immediate', 'ranking', 'sites', 'photos', 'ticker', 'map']));
        expect(await layoutProblems(page)).toEqual([]);
        expect(await overlappingText(page)).toEqual([]);
      });

      it('uses more panel columns on wider walls', async () => {
        const columns = Number(await page.locator('.screen').getAttribute('data-columns'));
        expect(columns).toBe(width / height > 2.5 ? 4 : 2);
      });

      it('draws the map: the canvas is not blank', async () => {
        const map = page.getByTestId('screen-map');
        await page.addStyleTag({ content: '[data-testid="screen-legend"], [data-testid="screen-scope"] { visibility: hidden !important; }' });
        // The middle of the map, where the district is: a full-frame screenshot costs ~30 s at 8K in software GL.
        const box = (await map.boundingBox())!;
        const clip = { x: box.x + box.width / 4, y: box.y + box.height / 4, width: box.width / 2, height: box.height / 2 };
        const stats = await colourStats(page, await page.screenshot({ clip }));
        expect(stats.distinct).toBeGreaterThan(30);
        expect(stats.dominantShare).toBeLessThan(0.9);
        const layers = await map.getAttribute('data-layers');
        expect(layers).toMatch(/grid-choropleth:8 .*screen-street-lines:2 .*region-labels:\d/);
      });

      it('shows the API\'s headline KPIs for today, this month and this year', async () => {
        const rows = await page.locator('[data-panel="kpis"] [data-period]').evaluateAll((els) =>
          els.map((row) => ({
            from: row.getAttribute('data-from')!, to: row.getAttribute('data-to')!,
            cells: [...row.querySelectorAll('[data-kpi]')].map((c) => ({ key: c.getAttribute('data-kpi')!, value: c.getAttribute('data-value')!, text: c.textContent!.trim() })),
          })));
        expect(rows).toHaveLength(3);
        let nonZero = 0;
        for (const row of rows) {
          const { kpis } = (await api(server, `/api/stats/summary?scope=district:530111&from=${row.from}&to=${row.to}`)) as { kpis: Record<string, number | null> };
          expect(row.cells).toHaveLength(7);
          for (const cell of row.cells) {
            const expected = kpis[cell.key];
            expect(cell.value, `${row.from}..${row.to} ${cell.key}`).toBe(expected === null ? '' : String(expected));
            expect(cell.text).toBe(cell.key.endsWith('Rate') ? formatRate(expected) : formatCount(expected));
            if (expected) nonZero++;
          }
        }
        // The fixture's November issues make this month's and this year's rows non-trivial.
        expect(nonZero).toBeGreaterThan(4);
      });

      it('shows the API\'s ranking, categories, sources and key-site counts', async () => {
        const summary = await page.evaluate(() => {
          const panel = (name: string) => document.querySelector(`[data-panel="${name}"]`)!;
          return {
            ranking: [...panel('ranking').querySelectorAll('[data-list]')].map((l) => ({
              list: l.getAttribute('data-list'),
              rows: [...l.querySelectorAll('[data-code]')].map((r) => ({ code: r.getAttribute('data-code'), score: r.getAttribute('data-score') })),
            })),
            categories: [...panel('categories').querySelectorAll('[data-key]')].map((r) => ({ key: r.getAttribute('data-key'), text: r.querySelector('[data-role="value"]')?.textContent?.trim() })),
            sources: [...panel('sources').querySelectorAll('[data-key]')].map((r) => ({ key: r.getAttribute('data-key'), value: Number(r.getAttribute('data-value')) })),
            sites: [...panel('sites').querySelectorAll('[data-type]')].map((r) => ({
              type: r.getAttribute('data-type'), total: Number(r.getAttribute('data-total')), amber: Number(r.getAttribute('data-amber')), red: Number(r.getAttribute('data-red')),
            })),
          };
        });
        // The panels' window: the 30 Shanghai days up to today, by the clock server and page share.
        const day = new Date(FIXTURE_NOW.getTime() + 8 * 3_600_000);
        const to = day.toISOString().slice(0, 10);
        const from = new Date(day.getTime() - 29 * 86_400_000).toISOString().slice(0, 10);
        const q = `scope=district:530111&from=${from}&to=${to}`;
        const ranking = (await api(server, `/api/stats/ranking?${q}&level=street&n=5`)) as { red: Json[]; black: Json[] };
        for (const list of summary.ranking) {
          const expected = ranking[list.list as 'red' | 'black'].slice(0, list.rows.length);
          expect(list.rows).toEqual(expected.map((e) => ({ code: e.code, score: e.score === null ? '' : String(e.score) })));
        }
        expect(summary.ranking.flatMap((l) => l.rows).length).toBeGreaterThan(0);
        const categories = (await api(server, `/api/stats/breakdown?${q}&by=category`)) as { rows: { key: string; kpis: { reported: number } }[] };
        const topCategories = categories.rows.filter((r) => r.kpis.reported > 0).slice(0, summary.categories.length);
        expect(summary.categories).toEqual(topCategories.map((r) => ({ key: r.key, text: formatCount(r.kpis.reported) })));
        expect(summary.categories.length).toBeGreaterThan(0);
        const sources = (await api(server, `/api/stats/breakdown?${q}&by=source`)) as { rows: { key: string; kpis: { reported: number } }[] };
        expect(summary.sources).toEqual(sources.rows.filter((r) => r.kpis.reported > 0).map((r) => ({ key: r.key, value: r.kpis.reported })));
        const sites = (await api(server, `/api/sites?${q}&type=market,school,back_alley,residential&geometry=0`)) as { features: { properties: { type: string; status: string } }[] };
        for (const row of summary.sites) {
          const ofType = sites.features.filter((f) => f.properties.type === row.type);
          expect(row, row.type!).toEqual({
            type: row.type, total: ofType.length,
            amber: ofType.filter((f) => f.properties.status === 'amber').length,
            red: ofType.filter((f) => f.properties.status === 'red').length,
          });
        }
      });

      it('logs no console errors, page errors or failed requests', () => {
        expect(realProblems(problems)).toEqual([]);
      });
    });
  }
}
