/**
 * Browser figure of the grid choropleth: from a filter click in the workspace to the first frame
 * deck.gl draws with the new values (the web app's render probe, web/map/render-probe.ts), and what
 * each click and the one geometry load fetch. The map keeps its grid shapes; only values travel.
 * `npm run bench` runs it in its browser stage; alone, against any server:
 *
 *   tsx scripts/bench/repaint.ts --url http://127.0.0.1:8080 [--clicks 15]
 */
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { launchBrowser, newPage } from '../../tests/helpers/browser.ts';
import { percentile } from './stats.ts';

/** Two periods the clicks alternate between, so every click changes the filter. */
const PRESETS = ['quarter', 'week'] as const;

/** The repaint figures; null figures when the map never drew grids. */
export interface RepaintFigures {
  grids: number | null;
  /** Click → frame drawn with the new values, ms, one per click. */
  runs: number[];
  /** The part of each run until the values answer was read in the page (request, server, queue). */
  valuesRuns: number[];
  /** Bytes of `/api/grids/values` per click (as sent: the server does not compress it). */
  valuesBytes: number | null;
  /** Bytes of the grid geometry file as sent (gzip), once per version. */
  geometryBytes: number | null;
  error?: string;
}

type Probe = { renderedAt: number; gridValues: string | null } | undefined;

/**
 * Notes in the page when a values answer has been read (`window.__civgridValuesAt`), to split a
 * run into waiting for the answer and drawing it. A string: the bundler's helpers do not exist there.
 */
const VALUES_PROBE = `(() => {
  const fetch0 = window.fetch;
  window.fetch = function (input, init) {
    return fetch0.call(this, input, init).then((res) => {
      if (String(res.url).includes('/api/grids/values')) {
        const json = res.json.bind(res);
        res.json = () => json().then((body) => { window.__civgridValuesAt = performance.now(); return body; });
      }
      return res;
    });
  };
})()`;
const probe = (page: Page) => page.evaluate(() => (window as unknown as { __civgridMapRender?: Probe }).__civgridMapRender ?? null);

/** Loads the workspace, waits for the grids, then clicks a period preset `runs` times. */
export async function measureRepaint(base: string, runs: number, log: (line: string) => void, timeoutMs = 60_000): Promise<RepaintFigures> {
  const index = (await (await fetch(`${base}/api/geometry`)).json()) as { grids?: { features: number } };
  const browser = await launchBrowser();
  const valueSizes: number[] = [];
  let geometryBytes: number | null = null;
  try {
    const page = await newPage(browser);
    await page.addInitScript(VALUES_PROBE);
    page.on('response', (res) => {
      const path = new URL(res.url()).pathname;
      if (path === '/api/grids/values' && res.ok()) void res.body().then((b) => valueSizes.push(b.length), () => undefined);
      if (path.startsWith('/api/geometry/grids/') && res.ok()) geometryBytes = Number(res.headers()['content-length'] ?? Number.NaN);
    });
    await page.goto(`${base}/`, { timeout: timeoutMs });
    await page.waitForFunction(() => (window as unknown as { __civgridMapRender?: Probe }).__civgridMapRender?.gridValues, null, { timeout: timeoutMs });
    // The first load's other panels and labels settle before the clicks are timed.
    await page.waitForTimeout(2_000);
    valueSizes.length = 0;
    const times: number[] = [];
    const valuesTimes: number[] = [];
    for (let r = 0; r < runs; r++) {
      const before = (await probe(page))?.gridValues ?? null;
      const t0 = await page.evaluate((preset) => {
        (window as unknown as { __civgridValuesAt?: number | null }).__civgridValuesAt = null;
        const button = document.querySelector<HTMLButtonElement>(`[data-preset="${preset}"]`);
        const at = performance.now();
        button?.click();
        return button ? at : null;
      }, PRESETS[r % PRESETS.length]);
      if (t0 === null) throw new Error('no period preset button in the workspace');
      await page.waitForFunction((b) => {
        const p = (window as unknown as { __civgridMapRender?: Probe }).__civgridMapRender;
        return p && p.gridValues !== b;
      }, before, { timeout: timeoutMs });
      times.push((await probe(page))!.renderedAt - t0);
      const valuesAt = await page.evaluate(() => (window as unknown as { __civgridValuesAt?: number | null }).__civgridValuesAt ?? null);
      if (valuesAt !== null) valuesTimes.push(valuesAt - t0);
      await page.waitForTimeout(500);
    }
    const figures: RepaintFigures = {
      grids: index.grids?.features ?? null, runs: times, valuesRuns: valuesTimes,
      valuesBytes: valueSizes.length ? percentile(valueSizes, 50) : null, geometryBytes,
    };
    log(`browser: grid repaint after a filter click p50 ${percentile(times, 50).toFixed(0)} ms (max ${Math.max(...times).toFixed(0)}; values in the page after ${percentile(valuesTimes, 50).toFixed(0)} ms) at ${figures.grids} grids; `
      + `${((figures.valuesBytes ?? 0) / 1024).toFixed(1)} KB values per click, geometry ${((geometryBytes ?? 0) / 1024).toFixed(0)} KB once`);
    return figures;
  } catch (err) {
    const error = (err as Error).message.split('\n')[0];
    log(`browser: grid repaint n/a (${error})`);
    return { grids: index.grids?.features ?? null, runs: [], valuesRuns: [], valuesBytes: null, geometryBytes, error };
  } finally {
    await browser.close();
  }
}

/** The figures in the `--json` document. */
export function repaintJson(f: RepaintFigures | undefined) {
  if (!f) return null;
  const p50 = f.runs.length ? Math.round(percentile(f.runs, 50)) : null;
  return {
    grids: f.grids, repaint_p50_ms: p50, repaint_p95_ms: f.runs.length ? Math.round(percentile(f.runs, 95)) : null, repaint_max_ms: f.runs.length ? Math.round(Math.max(...f.runs)) : null, target_ms: 200,
    values_in_page_p50_ms: f.valuesRuns.length ? Math.round(percentile(f.valuesRuns, 50)) : null,
    values_kb: f.valuesBytes === null ? null : Math.round(f.valuesBytes / 102.4) / 10,
    geometry_kb: f.geometryBytes === null || Number.isNaN(f.geometryBytes) ? null : Math.round(f.geometryBytes / 1024),
    ...(f.error ? { error: f.error } : {}),
  };
}

/** The line of the printed report. */
export function repaintLine(f: RepaintFigures | undefined): string[] {
  const j = repaintJson(f);
  if (!j) return [];
  if (j.repaint_p50_ms === null) return ['', `grid repaint after a filter click: n/a — ${j.error ?? 'not measured'}`];
  return ['', `grid repaint after a filter click: p50 ${j.repaint_p50_ms} ms (values read after ${j.values_in_page_p50_ms} ms), p95 ${j.repaint_p95_ms} ms, max ${j.repaint_max_ms} ms (target ≤ 200) at ${j.grids} grids; `
    + `${j.values_kb} KB of values per click, ${j.geometry_kb} KB of geometry once per version (gzip)`];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({ options: { url: { type: 'string' }, clicks: { type: 'string', default: '15' } } });
  if (!values.url) {
    console.error('usage: tsx scripts/bench/repaint.ts --url URL [--clicks N]');
    process.exit(2);
  }
  const figures = await measureRepaint(values.url.replace(/\/$/, ''), Number(values.clicks), console.log);
  console.log(JSON.stringify(repaintJson(figures)));
}
