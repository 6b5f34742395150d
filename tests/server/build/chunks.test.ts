/**
 * What each page downloads before it can start: the static import closure of the built entry and
 * of a page's own chunk. deck.gl (≈ 260 KB gzip) is for the map; a page without one must not pull it
 * in through a shared helper that happened to land in deck.gl's chunk.
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
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
});
