/**
 * What each page downloads before it can start: the static import closure of the built entry and
 * of a page's own chunk. deck.gl (≈ 260 KB gzip) is for the map; a page without one must not pull it
 * in through a shared helper that happened to land in deck.gl's chunk.
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild } from '../../helpers/server-process';

const ASSETS = join(import.meta.dirname, '..', '..', '..', 'dist', 'web', 'assets');

let files: string[] = [];

/** The chunk files a chunk imports statically (`import … from "./x.js"`), transitively, itself included. */
async function staticClosure(start: string): Promise<Set<string>> {
  const seen = new Set<string>();
  const queue = [start];
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const code = await readFile(join(ASSETS, file), 'utf8');
    for (const m of code.matchAll(/(?:from|import)\s*"\.\/([^"]+\.js)"/g)) queue.push(m[1]);
  }
  return seen;
}

/** The one built chunk whose name starts with `prefix-`. */
function chunk(prefix: string): string {
  const found = files.filter((f) => f.startsWith(`${prefix}-`) && f.endsWith('.js'));
  expect(found, `one ${prefix} chunk in ${ASSETS}`).toHaveLength(1);
  return found[0];
}

/** Module workers a chunk names by URL (MapLibre's): the browser fetches them as soon as a map exists. */
async function workersOf(file: string): Promise<string[]> {
  const code = await readFile(join(ASSETS, file), 'utf8');
  return [...code.matchAll(/\/assets\/([\w.-]+\.mjs)\b/g)].map((m) => m[1]);
}

/**
 * Gzip (level 9, as `npm run bench` counts) KB of what a page needs before its first data: the
 * entry, the app (the entry's one `import()` every page waits for), the page's chunk and their
 * static imports, and the workers they start. ECharts, the heat layer and PMTiles load later.
 */
async function firstPageKb(page: string): Promise<{ kb: number; files: string[] }> {
  const needed = new Set([...(await staticClosure(chunk('index'))), ...(await staticClosure(chunk('app'))), ...(await staticClosure(chunk(page)))]);
  for (const file of [...needed]) for (const worker of await workersOf(file)) needed.add(worker);
  let bytes = 0;
  for (const file of needed) bytes += gzipSync(await readFile(join(ASSETS, file)), { level: 9 }).length;
  return { kb: bytes / 1024, files: [...needed].sort() };
}

/**
 * The first pages' JS budget: today ≈ 815 KB gzip (the workspace) and 800 KB (the wall), nearly all MapLibre (+ its worker) and
 * deck.gl. A regression beyond this bound fails; lower it as cuts land (the goal is 600 KB).
 */
const FIRST_PAGE_BUDGET_KB = 860;

beforeAll(async () => {
  await ensureWebBuild();
  files = await readdir(ASSETS);
}, 200_000);

describe('the built pages', () => {
  it('start the sign-in and the bulletin without deck.gl, MapLibre or ECharts', async () => {
    for (const page of ['AuthSignInView', 'BulletinView']) {
      const needed = new Set([...(await staticClosure(chunk('index'))), ...(await staticClosure(chunk(page)))]);
      const heavy = [...needed].filter((f) => /^(deck|maplibre|echarts)-/.test(f));
      expect(heavy, `${page} loads ${[...needed].join(', ')}`).toEqual([]);
    }
  });

  it('the map pages do load deck.gl and MapLibre (the check above can see them)', async () => {
    const needed = await staticClosure(chunk('MapView'));
    expect([...needed].some((f) => f.startsWith('deck-'))).toBe(true);
    expect([...needed].some((f) => f.startsWith('maplibre-'))).toBe(true);
  });

  it(`the workspace and the wall need at most ${FIRST_PAGE_BUDGET_KB} KB gzip of JS before their first data`, async () => {
    for (const page of ['WorkspaceView', 'ScreenView']) {
      const { kb, files } = await firstPageKb(page);
      // The worker is counted: a page that stopped naming it would look lighter than it is.
      expect(files.some((f) => f.endsWith('.mjs')), `${page}: ${files.join(', ')}`).toBe(true);
      expect(kb, `${page}: ${kb.toFixed(0)} KB in ${files.join(', ')}`).toBeLessThanOrEqual(FIRST_PAGE_BUDGET_KB);
    }
  });
});
