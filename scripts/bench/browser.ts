/**
 * Browser figures: how much JavaScript each route loads before its first data is drawn (gzip, as a
 * server would send it) and how long headless Chromium takes from navigation to that moment.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { launchBrowser, VIEWPORT } from '../../tests/helpers/browser.ts';
import { FIRST_DATA_MARK } from '../../web/first-data.ts';
import { percentile } from './stats.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const WEB_ROOT = join(ROOT, 'dist', 'web');

/** Routes the figures cover: the first pages (the workspace, the wall), and the others for information. */
const ROUTES = ['/', '/screen', '/plan', '/bulletin'] as const;

/** JS of one route. */
export interface RouteJs {
  files: string[];
  rawBytes: number;
  gzipBytes: number;
}

/** One route's browser figures. */
export interface RouteFigures {
  route: string;
  /** JS the route requested before its first data was drawn (entry, preloads, lazy chunks, workers). */
  js: RouteJs;
  /** All JS the route loaded, up to 1.5 s after its first data. */
  jsAll: RouteJs;
  /** Median of the runs, ms from navigation start; null when nothing was drawn in time. */
  firstDataMs: number | null;
  /** How "first data drawn" was detected, or why it is n/a. */
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

/** Raw and gzip (level 9) sizes of bodies as the browser received them, by URL path. */
function bodySizes(bodies: ReadonlyMap<string, Buffer>, paths: Iterable<string> = bodies.keys()): RouteJs {
  let rawBytes = 0;
  let gzipBytes = 0;
  const files: string[] = [];
  for (const path of paths) {
    const buf = bodies.get(path);
    if (!buf) continue;
    rawBytes += buf.length;
    gzipBytes += gzipSync(buf, { level: 9 }).length;
    files.push(path);
  }
  return { files, rawBytes, gzipBytes };
}

/** A script the page requested: its URL path and when the request started (epoch ms). */
export interface ScriptLoad {
  path: string;
  startedAt: number;
}

/**
 * The scripts a page asked for before its first data was drawn (epoch ms), each once: what it
 * needed, or at least wanted, to show that data. Scripts asked for later (a chart's chunk, the
 * heat layer) are not counted, even when their answers come in quickly.
 */
export function scriptsBefore(loads: readonly ScriptLoad[], firstDataAt: number): string[] {
  return [...new Set(loads.filter((l) => l.startedAt <= firstDataAt).map((l) => l.path))];
}

/**
 * The address a route is measured at. In a city the planner first asks which district's plan to
 * open and draws no map until then, so it is measured on one district's plan, as a planner uses it.
 */
export function routeUrl(route: string, planDistrict: string | null): string {
  return route === '/plan' && planDistrict ? `${route}?district=${encodeURIComponent(planDistrict)}` : route;
}

/**
 * Loads each route `runs` times in a fresh browser context (cold HTTP cache, the real clock: the
 * app's performance mark needs the browser's own Performance API). "First data drawn" is the mark
 * the web app sets (web/first-data.ts: a map layer with data painted and, on / and /screen, the
 * KPI figures filled), in ms since navigation start. The route's JS is what it requested before
 * that moment; `jsAll` adds what it loaded in the 1.5 s after. Sizes come from the bodies the
 * browser received, so a rebuild of dist/web during the run can't skew them.
 */
export async function measureBrowser(
  base: string, runs: number, log: (line: string) => void, opts: { timeoutMs?: number; planDistrict?: string | null } = {},
): Promise<RouteFigures[]> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const browser = await launchBrowser();
  try {
    const out: RouteFigures[] = [];
    for (const route of ROUTES) {
      const times: number[] = [];
      const scripts = new Map<string, Buffer>();
      const before = new Set<string>();
      let failure: string | null = null;
      // A script answering 404 means dist/web was rebuilt under the running server.
      const missingScripts = new Set<string>();
      for (let r = 0; r < runs && failure === null; r++) {
        const context = await browser.newContext({ viewport: VIEWPORT, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
        const page = await context.newPage();
        const loads: ScriptLoad[] = [];
        const bodies: Promise<void>[] = [];
        context.on('response', (res) => {
          const url = new URL(res.url());
          if (url.origin !== new URL(base).origin || !/\.m?js$/.test(url.pathname)) return;
          loads.push({ path: url.pathname, startedAt: res.request().timing().startTime });
          if (res.ok()) bodies.push(res.body().then((b) => void scripts.set(url.pathname, b), () => undefined));
          else missingScripts.add(`${url.pathname} (HTTP ${res.status()})`);
        });
        await page.goto(base + routeUrl(route, opts.planDistrict ?? null), { waitUntil: 'commit', timeout: timeoutMs });
        const mark = await page
          .waitForFunction((name) => {
            const entry = performance.getEntriesByName(name, 'mark')[0];
            return entry ? { ms: entry.startTime, at: performance.timeOrigin + entry.startTime } : null;
          }, FIRST_DATA_MARK, { timeout: timeoutMs, polling: 50 })
          .then((handle) => handle.jsonValue(), () => null);
        if (mark) {
          times.push(mark.ms);
          for (const path of scriptsBefore(loads, mark.at)) before.add(path);
        } else failure = `no "${FIRST_DATA_MARK}" mark within ${timeoutMs / 1000} s`;
        // Late chunks and workers complete the JS list; "networkidle" never comes with the SSE stream open.
        await page.waitForTimeout(1_500);
        await Promise.all(bodies);
        await context.close();
      }
      if (missingScripts.size) failure = `scripts missing (was dist/web rebuilt during the run?): ${[...missingScripts].join(', ')}`;
      const figures: RouteFigures = {
        route, js: bodySizes(scripts, before), jsAll: bodySizes(scripts), firstDataMs: times.length ? percentile(times, 50) : null,
        method: failure ? `n/a: ${failure}` : `"${FIRST_DATA_MARK}" performance mark`, runs: times,
      };
      const kb = (js: RouteJs) => `${(js.gzipBytes / 1024).toFixed(0)} KB`;
      log(`browser: ${route}: ${kb(figures.js)} gzip JS before first data (${kb(figures.jsAll)} with what follows) in ${figures.js.files.join(', ')}; first data ${figures.firstDataMs === null ? `n/a (${failure})` : `${figures.firstDataMs.toFixed(0)} ms`}`);
      out.push(figures);
    }
    return out;
  } finally {
    await browser.close();
  }
}
