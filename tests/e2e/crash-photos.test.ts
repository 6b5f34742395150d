/**
 * Crash safety of photo uploads: the server is SIGKILLed while several large photos are being
 * uploaded, restarted on the same database and media folder, and then every photo row must have
 * its files and every stored file a row — an upload lands whole or leaves nothing.
 */
import { readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../server/db/database.ts';
import { jpeg } from '../helpers/photos.ts';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.ts';
import { once, prepareCity, trial } from './crash-support.ts';

const PHOTOS = 8;
const ISSUES = ['I01', 'I02', 'I03', 'I04'];

let base: Awaited<ReturnType<typeof prepareCity>>;
let images: Buffer[];
const cleanups: string[] = [];

beforeAll(async () => {
  base = await prepareCity();
  cleanups.push(base.dir);
  // 6-megapixel JPEGs of distinct colours: decoding and resizing them takes the server a while.
  images = await Promise.all(Array.from({ length: PHOTOS }, (_, k) => jpeg({ width: 3000, height: 2000, colour: `#${(k * 29 + 16).toString(16).padStart(2, '0')}5060` })));
}, 300_000);

afterAll(async () => {
  for (const dir of cleanups) await rm(dir, { recursive: true, force: true });
});

/** Sends every photo at once; resolves with the statuses that came back (null: no answer). */
function uploadAll(server: ServerProcess): Promise<(number | null)[]> {
  return Promise.all(images.map((img, k) => fetch(`${server.url}/api/issues/${ISSUES[k % ISSUES.length]}/photos?kind=before`, {
    method: 'POST', headers: { authorization: `Bearer ${server.adminToken}`, 'content-type': 'image/jpeg' }, body: new Uint8Array(img),
  }).then(async (r) => (await r.arrayBuffer(), r.status), () => null)));
}

/** Rows and stored originals after a restart: the rows' hashes, and the hashes with files. */
async function storedState(dbPath: string): Promise<{ rows: string[]; files: string[] }> {
  const db = await Database.open(dbPath);
  let rows: string[];
  try {
    rows = (await db.all<{ hash: string }>('SELECT DISTINCT hash FROM photos ORDER BY hash')).map((r) => r.hash);
  } finally {
    await db.close();
  }
  const root = join(dirname(dbPath), 'media', 'photos');
  const names = readdirSync(root).flatMap((d) => readdirSync(join(root, d)));
  const files = names.filter((n) => /^[0-9a-f]{64}$/.test(n)).sort();
  // Every original has both derived sizes, and nothing else is left (no temp files).
  for (const h of files) expect(names).toEqual(expect.arrayContaining([`${h}.thumb.webp`, `${h}.view.webp`]));
  expect(names).toHaveLength(files.length * 3);
  return { rows, files };
}

const undisturbed = once(async () => {
  const { server, dbPath } = await trial(base, cleanups);
  const t0 = performance.now();
  const statuses = await uploadAll(server);
  const ms = performance.now() - t0;
  await server.stop();
  return { ms, statuses, state: await storedState(dbPath) };
});

describe('SIGKILL during photo uploads', () => {
  it('undisturbed, every upload lands with its files', async () => {
    const r = await undisturbed();
    expect(r.statuses).toEqual(Array(PHOTOS).fill(201));
    expect(r.state.rows).toHaveLength(PHOTOS);
    expect(r.state.files).toEqual(r.state.rows);
  });

  for (const fraction of [0.25, 0.5, 0.8]) {
    it(`killed at ${fraction * 100} % of the uploads' time, leaves rows and files in step after a restart`, async () => {
      const { ms } = await undisturbed();
      const { server, dbPath } = await trial(base, cleanups);
      const uploads = uploadAll(server);
      await new Promise((r) => setTimeout(r, ms * fraction));
      server.kill('SIGKILL');
      await server.exited;
      const statuses = await uploads;
      // The restart removes files an upload left without a row.
      const again = await startServerProcess({ dbPath });
      await again.stop();
      const state = await storedState(dbPath);
      expect(state.files).toEqual(state.rows);
      // Every upload that was answered 201 is there.
      expect(state.rows.length).toBeGreaterThanOrEqual(statuses.filter((s) => s === 201).length);
    });
  }
});
