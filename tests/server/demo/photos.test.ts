/** The demo's evidence photos: a 整改前 for each recent issue, a 整改后 for each closure, reproducible from the seed. */
import exifr from 'exifr';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDemoPhotos } from '../../../server/demo/photos.ts';
import { MediaStore } from '../../../server/media/store.ts';
import { freshDb, importCity } from '../../helpers/db.ts';
import { FIXTURE_NOW } from '../../helpers/fixture-clock.ts';

async function demoPhotos(seed: number) {
  const { db, dir, cleanup } = await freshDb();
  try {
    await importCity(db);
    const store = await MediaStore.open(join(dir, 'media'));
    const n = await loadDemoPhotos(db, store, { seed, issueCount: 20, at: FIXTURE_NOW });
    const rows = await db.all<{ issue_id: string; kind: string; hash: string; status: string; has_exif: boolean }>(
      `SELECT p.issue_id, p.kind, p.hash, i.status, p.has_exif FROM photos p JOIN issues i ON i.id = p.issue_id ORDER BY p.issue_id, p.kind`,
    );
    const original = await store.read(rows.find((r) => r.has_exif)!.hash, 'original');
    return { n, rows, gps: await exifr.gps(original!), thumbs: await Promise.all(rows.map((r) => store.read(r.hash, 'thumb'))) };
  } finally {
    await cleanup();
  }
}

describe('demo photos', () => {
  it('gives every recent issue a 整改前 photo and every closure a 整改后 one, with EXIF near the issue', async () => {
    const { n, rows, gps, thumbs } = await demoPhotos(7);
    const cancelled = rows.filter((r) => r.status === 'cancelled');
    expect(cancelled).toEqual([]);
    const issues = new Set(rows.map((r) => r.issue_id));
    expect(rows.filter((r) => r.kind === 'before')).toHaveLength(issues.size);
    expect(rows.filter((r) => r.kind === 'after').map((r) => r.issue_id)).toEqual(rows.filter((r) => r.kind === 'before' && r.status === 'closed').map((r) => r.issue_id));
    expect(n).toBe(rows.length);
    expect(new Set(rows.map((r) => r.hash)).size).toBe(rows.length);
    expect(gps.latitude).toBeGreaterThan(24.8);
    expect(gps.latitude).toBeLessThan(25.1);
    expect(thumbs.every((t) => t !== null && t.length > 0)).toBe(true);
  });

  it('is reproducible from the seed', async () => {
    const a = await demoPhotos(7);
    const b = await demoPhotos(7);
    expect(b.rows.map((r) => r.hash)).toEqual(a.rows.map((r) => r.hash));
  });
});
