/**
 * Browser figures: how much JavaScript each route loads (gzip, as a server would send it) and how
 * long headless Chromium takes from navigation to the first data drawn.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { launchBrowser, newPage } from '../../tests/helpers/browser.ts';
import { percentile } from './stats.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const WEB_ROOT = join(ROOT, 'dist', 'web');

/** Routes the figures cover. */
const ROUTES = ['/', '/screen'] as const;

/** JS of one route. */
export interface RouteJs {
  files: string[];
  rawBytes: number;
  gzipBytes: number;
}

/** One route's browser figures. */
export interface RouteFigures {
  route: string;
  /** JS fetched while loading the route (entry, preloads, lazy chunks, workers). */
  js: RouteJs;
  /** Median of the runs, ms from navigation start; null when nothing was drawn in time. */
  firstDataMs: number | null;
  /** How "first data drawn" was detected. */
  method: string;
  runs: number[];
}

/** Script and module-preload URLs referenced by an HTML page, in order (what every route loads first). */
export function entryScripts(html: string): string[] {
  const out: string[] = [];
  for (const m of html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"[^>]*>/g)) out.push(m[1]);
  for (const m of html.matchAll(/<link\b[^>]*\brel="modulepreload"[^>]*>/g)) {
    const href = /\bhref="([^"]+)"/.exec(m[0]);
    if (href) out.push(href[1]);
  }
  return [...new Set(out)];
}

/** Raw and gzip (level 9) sizes of built files given as URL paths under dist/web. */
function jsSizes(paths: readonly string[], root = WEB_ROOT): RouteJs {
  let rawBytes = 0;
  let gzipBytes = 0;
  const files: string[] = [];
  for (const p of paths) {
    const file = join(root, decodeURIComponent(p.split('?')[0]).replace(/^\//, ''));
    if (!existsSync(file)) continue;
    const buf = readFileSync(file);
    rawBytes += buf.length;
    gzipBytes += gzipSync(buf, { level: 9 }).length;
    files.push(p);
  }
  return { files, rawBytes, gzipBytes };
}

/** The entry JS from dist/web/index.html (the part common to every route). */
export function entryJs(root = WEB_ROOT): RouteJs | null {
  const index = join(root, 'index.html');
  if (!existsSync(index)) return null;
  return jsSizes(entryScripts(readFileSync(index, 'utf8')), root);
}

/** API calls that are not data on the map: the live stream never completes, health/meta draw nothing. */
const NOT_DATA = /\/api\/(events|health|meta)\b/;

/** Raw and gzip (level 9) sizes of bodies as the browser received them, by URL path. */
function bodySizes(bodies: ReadonlyMap<string, Buffer>): RouteJs {
  let rawBytes = 0;
  let gzipBytes = 0;
  for (const buf of bodies.values()) {
    rawBytes += buf.length;
    gzipBytes += gzipSync(buf, { level: 9 }).length;
  }
  return { files: [...bodies.keys()], rawBytes, gzipBytes };
}

/**
 * Loads each route `runs` times in a fresh browser context (cold HTTP cache). "First data drawn"
 * is `window.__civgridFirstData` (ms since navigation start) when the web app sets it, else the
 * later of the first successful data response from /api and a <canvas> existing. JS sizes come
 * from the bodies the browser received, so a rebuild of dist/web during the run can't skew them.
 */
export async function measureBrowser(base: string, runs: number, log: (line: string) => void, timeoutMs = 30_000): Promise<RouteFigures[]> {
  const browser = await launchBrowser();
  try {
    const out: RouteFigures[] = [];
    for (const route of ROUTES) {
      const times: number[] = [];
      const scripts = new Map<string, Buffer>();
      let method = 'first /api data response + <canvas> present';
      let failure: string | null = null;
      // A script answering 404 means dist/web was rebuilt under the running server.
      const missingScripts = new Set<string>();
      for (let r = 0; r < runs && failure === null; r++) {
        const page = await newPage(browser);
        const context = page.context();
        let firstApi: number | null = null;
        let t0 = 0;
        const bodies: Promise<void>[] = [];
        context.on('response', (res) => {
          const url = new URL(res.url());
          if (url.origin !== new URL(base).origin) return;
          if (/\.m?js$/.test(url.pathname)) {
            if (res.ok()) bodies.push(res.body().then((b) => void scripts.set(url.pathname, b), () => undefined));
            else missingScripts.add(`${url.pathname} (HTTP ${res.status()})`);
          }
          if (firstApi === null && url.pathname.startsWith('/api/') && !NOT_DATA.test(url.pathname) && res.ok()) firstApi = performance.now() - t0;
        });
        t0 = performance.now();
        await page.goto(base + route, { waitUntil: 'commit', timeout: timeoutMs });
        let drawn: number | null = null;
        const hasCanvas = await page.waitForSelector('canvas', { state: 'attached', timeout: timeoutMs }).then(() => true, () => false);
        const canvasAt = performance.now() - t0;
        const deadline = performance.now() + timeoutMs;
        while (hasCanvas && firstApi === null && performance.now() < deadline) await page.waitForTimeout(20);
        const mark = await page.evaluate(() => (window as unknown as { __civgridFirstData?: number }).__civgridFirstData ?? null);
        if (typeof mark === 'number') {
          method = 'window.__civgridFirstData mark';
          drawn = mark;
        } else if (!hasCanvas) failure = `no <canvas> within ${timeoutMs / 1000} s`;
        else if (firstApi === null) failure = `no successful /api data response within ${timeoutMs / 1000} s`;
        else drawn = Math.max(canvasAt, firstApi);
        // Late chunks and workers complete the JS list; "networkidle" never comes with the SSE stream open.
        await page.waitForTimeout(1_500);
        await Promise.all(bodies);
        await context.close();
        if (drawn !== null) times.push(drawn);
      }
      const figures: RouteFigures = {
        route, js: bodySizes(scripts), firstDataMs: times.length ? percentile(times, 50) : null,
        method: failure && !times.length ? `n/a: ${failure}` : method, runs: times,
      };
      log(`browser: ${route}: ${(figures.js.gzipBytes / 1024).toFixed(0)} KB gzip JS in ${figures.js.files.join(', ')}; first data ${figures.firstDataMs === null ? `n/a (${failure})` : `${figures.firstDataMs.toFixed(0)} ms`}`);
      out.push(figures);
    }
    return out;
  } finally {
    await browser.close();
  }
}
