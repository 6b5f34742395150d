/** Backups carry the photo files with their hashes; a restore checks them and puts them back beside the database. */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readManifest, restoreDatabase } from '../../../server/backup/restore.ts';
import { Database } from '../../../server/db/database.ts';
import { MediaStore } from '../../../server/media/store.ts';
import { cityApp, type TestApp } from '../../helpers/app.ts';
import { jpeg, png } from '../../helpers/photos.ts';

let t: TestApp;
let dir: string;
const hashes: string[] = [];

beforeAll(async () => {
  t = await cityApp({ backupDir: mkdtempSync(join(tmpdir(), 'civgrid-photo-backup-')) });
  dir = t.deps.backupDir!;
  for (const [id, kind, img] of [['I04', 'before', await png()], ['I04', 'after', await jpeg({ lon: 102.775, lat: 24.915 })], ['I02', 'before', await png()]] as const) {
    const res = await t.app.request(`/api/issues/${id}/photos?kind=${kind}`, { method: 'POST', headers: { 'content-type': 'image/jpeg' }, body: new Uint8Array(img) });
    hashes.push(((await res.json()) as { hash: string }).hash);
  }
  const res = await t.app.request('/api/backups', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'b1' }) });
  expect(res.status).toBe(201);
});
afterAll(async () => {
  await t.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe('photos in backups', () => {
  it('lists every stored picture once, with the hashes of its files', async () => {
    const m = await readManifest(join(dir, 'b1'));
    expect(m.media.map((e) => e.hash).sort()).toEqual([...new Set(hashes)].sort());
    expect(m.media).toHaveLength(2);
  });

  it('restores the rows and the files, byte for byte', async () => {
    const target = join(dir, 'restored', 'civgrid.duckdb');
    const media = join(dir, 'restored', 'media');
    await restoreDatabase(join(dir, 'b1'), target, { media });
    const db = await Database.open(target);
    try {
      expect((await db.one<{ n: number }>('SELECT count(*)::INTEGER AS n FROM photos'))!.n).toBe(3);
    } finally {
      await db.close();
    }
    const store = await MediaStore.open(media);
    expect(await store.hashes()).toEqual([...new Set(hashes)].sort());
    for (const h of new Set(hashes)) {
      for (const file of ['original', 'thumb', 'view'] as const) {
        expect(readFileSync(store.path(h, file)).equals(readFileSync(t.deps.photos.store.path(h, file))), `${h} ${file}`).toBe(true);
      }
    }
  });

  it('refuses a backup whose photo file was damaged, restoring nothing', async () => {
    const copyDir = join(dir, 'b1');
    const m = await readManifest(copyDir);
    const victim = join(copyDir, 'media', `${m.media[0]!.hash}.thumb.webp`);
    const good = readFileSync(victim);
    writeFileSync(victim, Buffer.concat([good, Buffer.from([0])]));
    try {
      const target = join(dir, 'damaged', 'civgrid.duckdb');
      await expect(restoreDatabase(copyDir, target, { media: join(dir, 'damaged', 'media') })).rejects.toThrow(/thumb\.webp is damaged/);
      expect(existsSync(target)).toBe(false);
      expect(existsSync(join(dir, 'damaged', 'media'))).toBe(false);
    } finally {
      writeFileSync(victim, good);
    }
  });
});
