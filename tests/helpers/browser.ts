/**
 * Headless Chromium for e2e tests: Debian's /usr/bin/chromium (installed by
 * scripts/ensure-chromium.ts) driven by playwright-core, with WebGL through SwiftShader so
 * MapLibre renders on machines without a GPU.
 */
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { FIXTURE_NOW } from './fixture-clock.ts';

/** Debian's Chromium; playwright-core downloads no browser of its own. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** The smallest screen the shell must stay readable on. */
export const VIEWPORT = { width: 1366, height: 768 } as const;

const ARGS = [
  '--no-sandbox',
  // Nothing in a test may reach the internet: no update checks, sync, QUIC probes or first-run pings.
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
  '--no-default-browser-check',
  // Software WebGL. Chromium ≥ 137 refuses the SwiftShader fallback unless it is asked for.
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--ignore-gpu-blocklist',
  // /dev/shm is tiny in containers; Chromium crashes rendering large pages without this.
  '--disable-dev-shm-usage',
];

/** Launches headless Chromium with WebGL working. Close it in `afterAll`. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ARGS });
}

/**
 * A context with zh-CN locale and Shanghai time (1366×768 unless `options` say otherwise) whose
 * clock starts at {@link FIXTURE_NOW} and runs on, like the test server's: "today" and "this
 * month" are the fixture city's whatever day tests run.
 */
export async function newContext(browser: Browser, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: VIEWPORT, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', ...options });
  await context.clock.install({ time: FIXTURE_NOW });
  return context;
}

/** Opens a page in a new {@link newContext}. */
export async function newPage(browser: Browser): Promise<Page> {
  return (await newContext(browser)).newPage();
}

/** Problems a page reported; empty arrays mean a clean run. */
export interface PageProblems {
  /** `console.error` messages. */
  consoleErrors: string[];
  /** Uncaught exceptions and unhandled rejections. */
  pageErrors: string[];
  /** Requests that failed at the network level (not HTTP error statuses), as `METHOD url: reason`. */
  failedRequests: string[];
  /** Everything above in one list, for a single `expect(...).toEqual([])`. */
  all(): string[];
}

/** Starts collecting console errors, page errors and failed requests from `page`. */
export function collectPageProblems(page: Page): PageProblems {
  const problems: PageProblems = {
    consoleErrors: [],
    pageErrors: [],
    failedRequests: [],
    all: () => [...problems.consoleErrors, ...problems.pageErrors, ...problems.failedRequests],
  };
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.consoleErrors.push(`console.error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.pageErrors.push(`pageerror: ${err.message}`));
  page.on('requestfailed', (req) =>
    problems.failedRequests.push(`${req.method()} ${req.url()}: ${req.failure()?.errorText ?? 'failed'}`),
  );
  return problems;
}

/** How varied a PNG's pixels are: enough to tell a drawn map from a blank or single-colour canvas. */
export interface ColourStats {
  width: number;
  height: number;
  /** Distinct colours after quantising each channel to 5 bits (hides anti-aliasing noise). */
  distinct: number;
  /** Share of pixels having the most common colour, 0–1. */
  dominantShare: number;
}

/**
 * Decodes a PNG (e.g. from `locator.screenshot()`) inside the page — Node has no PNG decoder
 * without extra dependencies, the browser has one — and counts its colours.
 */
export async function colourStats(page: Page, png: Buffer): Promise<ColourStats> {
  return page.evaluate(async (b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2d context');
    ctx.drawImage(bitmap, 0, 0);
    const data = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
    const counts = new Map<number, number>();
    for (let i = 0; i < data.length; i += 4) {
      const key = ((data[i] >> 3) << 10) | ((data[i + 1] >> 3) << 5) | (data[i + 2] >> 3);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const pixels = data.length / 4;
    return {
      width: bitmap.width,
      height: bitmap.height,
      distinct: counts.size,
      dominantShare: pixels ? Math.max(...counts.values()) / pixels : 1,
    };
  }, png.toString('base64'));
}
