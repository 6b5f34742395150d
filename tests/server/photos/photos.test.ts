/**
 * Evidence photos over the real API, a real DuckDB file and a real media folder: uploads of real
 * JPEG/PNG/WebP files, every check flag, the limits, the closure rule, reports sent with their
 * photos, removal and the images served without metadata.
 */
import exifr from 'exifr';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DAY } from '../../../server/domain/time.ts';
import type { Photo } from '../../../server/queries/photos.ts';
import { cityApp, FIXTURE_NOW, type TestApp } from '../../helpers/app.ts';
import { jpeg, png, pngBomb, webp } from '../../helpers/photos.ts';
import { postJson } from '../issues/helpers.ts';

let t: TestApp;
beforeEach(async () => {
  t = await cityApp();
});
afterEach(async () => t.cleanup());

/** I04 (handled) was reported 2026-11-05 15:00 Shanghai at 102.775, 24.915. */
const I04 = { id: 'I04', reportedAt: new Date('2026-11-05T07:00:00Z'), lon: 102.775, lat: 24.915 };

const upload = (id: string, kind: string, body: Buffer, type = 'image/jpeg', headers: Record<string, string> = {}) =>
  t.app.request(`/api/issues/${id}/photos?kind=${kind}`, { method: 'POST', headers: { 'content-type': type, ...headers }, body: new Uint8Array(body) });
const photoRows = async () => (await t.db.one<{ n: number }>('SELECT count(*)::INTEGER AS n FROM photos'))!.n;
const mediaFiles = () => {
  const base = join(t.deps.photos.store.root, 'photos');
  return readdirSync(base).flatMap((d) => readdirSync(join(base, d)));
};

describe('uploading a photo', () => {
  it('stores a JPEG with EXIF time, GPS and orientation 6, and serves upright WebP sizes without metadata', async () => {
    const takenAt = new Date(I04.reportedAt.getTime() + 3_600_000);
    const res = await upload('I04', 'after', await jpeg({ width: 400, height: 300, takenAt, lon: I04.lon + 0.0003, lat: I04.lat, orientation: 6 }));
    expect(res.status).toBe(201);
    const p = (await res.json()) as Photo;
    expect(p).toMatchObject({ issueId: 'I04', kind: 'after', width: 300, height: 400, takenAt: takenAt.toISOString(), flags: [], uploader: 'test-admin' });
    expect(p.distanceM).toBeGreaterThan(25);
    expect(p.distanceM).toBeLessThan(35);
    expect(p.hash).toMatch(/^[0-9a-f]{64}$/);

    const thumb = await t.app.request(p.urls.thumb);
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get('content-type')).toBe('image/webp');
    expect(thumb.headers.get('cache-control')).toContain('immutable');
    const bytes = Buffer.from(await thumb.arrayBuffer());
    const meta = await sharp(bytes).metadata();
    // Rotated by the orientation (portrait), at most 320 px, and nothing of the EXIF left.
    expect([meta.format, meta.width, meta.height, meta.orientation, meta.exif]).toEqual(['webp', 240, 320, undefined, undefined]);
    expect(await exifr.gps(bytes).catch(() => undefined)).toBeUndefined();
    const view = await sharp(Buffer.from(await (await t.app.request(p.urls.view)).arrayBuffer())).metadata();
    expect([view.width, view.height]).toEqual([300, 400]); // never enlarged

    // The original, as sent, for administrators only.
    const original = await t.app.request(p.urls.original);
    expect(original.headers.get('content-type')).toBe('image/jpeg');
    expect((await exifr.gps(Buffer.from(await original.arrayBuffer()))).latitude).toBeCloseTo(I04.lat, 4);
    const viewer = await t.tokenFor('viewer');
    expect((await t.as(viewer)(p.urls.original)).status).toBe(403);
    expect((await t.as(viewer)(p.urls.thumb)).status).toBe(200);
  });

  it('accepts PNG and WebP (flagged no_exif), also as multipart', async () => {
    const a = (await (await upload('I04', 'before', await png(), 'image/png')).json()) as Photo;
    expect(a.flags).toEqual(['no_exif']);
    const form = new FormData();
    form.append('photo', new Blob([new Uint8Array(await webp())]), 'IMG_0001.webp');
    const res = await t.app.request('/api/issues/I04/photos?kind=other', { method: 'POST', body: form });
    expect(res.status).toBe(201);
    expect((await res.json()) as Photo).toMatchObject({ kind: 'other', filename: 'IMG_0001.webp', flags: ['no_exif'] });
  });

  it('stores the same picture once, and attaching it again to the same issue changes nothing', async () => {
    const img = await png();
    expect((await upload('I04', 'before', img, 'image/png')).status).toBe(201);
    expect((await upload('I04', 'before', img, 'image/png')).status).toBe(200);
    expect(await photoRows()).toBe(1);
    expect(mediaFiles()).toHaveLength(3); // original, thumb, view
  });

  it('lists the photos in the issue detail, 整改前 first', async () => {
    await upload('I04', 'after', await png('#111111'), 'image/png');
    await upload('I04', 'before', await png('#222222'), 'image/png');
    const detail = (await (await t.app.request('/api/issues/I04')).json()) as { photos: Photo[] };
    expect(detail.photos.map((p) => p.kind)).toEqual(['before', 'after']);
  });
});

describe('the checks', () => {
  const flagsOf = async (id: string, kind: string, img: Buffer) => ((await (await upload(id, kind, img)).json()) as Photo).flags;

  it('flags a photo taken days before the report as stale, and an after photo before the report', async () => {
    const near = { lon: I04.lon, lat: I04.lat };
    expect(await flagsOf('I04', 'before', await jpeg({ ...near, takenAt: new Date(I04.reportedAt.getTime() - 10 * DAY) }))).toEqual(['stale']);
    expect(await flagsOf('I04', 'before', await jpeg({ ...near, colour: '#010203', takenAt: new Date(I04.reportedAt.getTime() - 2 * DAY) }))).toEqual([]);
    expect(await flagsOf('I04', 'after', await jpeg({ ...near, colour: '#030201', takenAt: new Date(I04.reportedAt.getTime() - 3_600_000) }))).toEqual(['before_report']);
  });

  it('flags a GPS position farther than 150 m from the issue as far', async () => {
    const at = new Date(I04.reportedAt.getTime() + 60_000);
    // 0.002° of latitude is ~222 m; 0.001° is ~111 m.
    const far = (await (await upload('I04', 'before', await jpeg({ takenAt: at, lon: I04.lon, lat: I04.lat + 0.002 }))).json()) as Photo;
    expect(far.flags).toEqual(['far']);
    expect(far.distanceM).toBeGreaterThan(215);
    expect(await flagsOf('I04', 'before', await jpeg({ colour: '#445566', takenAt: at, lon: I04.lon, lat: I04.lat + 0.001 }))).toEqual([]);
  });

  it('flags the same picture on a second issue as reused, not the first', async () => {
    const img = await png('#abcdef');
    expect(((await (await upload('I04', 'after', img, 'image/png')).json()) as Photo).flags).toEqual(['no_exif']);
    expect(((await (await upload('I02', 'after', img, 'image/png')).json()) as Photo).flags).toEqual(['no_exif', 'reused']);
    const first = (await (await t.app.request('/api/issues/I04')).json()) as { photos: Photo[] };
    expect(first.photos[0]!.flags).toEqual(['no_exif']);
  });
});

describe('bad uploads change nothing', () => {
  it('refuses a text file named .jpg and an SVG with 415', async () => {
    const text = await upload('I04', 'before', Buffer.from('just some text, not a picture'), 'image/jpeg', { 'x-filename': 'photo.jpg' });
    expect(text.status).toBe(415);
    expect(((await text.json()) as { error: { code: string } }).error.code).toBe('unsupported_media_type');
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script><rect width="9" height="9"/></svg>');
    expect((await upload('I04', 'before', svg, 'image/svg+xml')).status).toBe(415);
    expect([await photoRows(), mediaFiles()]).toEqual([0, []]);
  });

  it('refuses a 20,000 × 20,000 PNG bomb with 422 before decoding it', async () => {
    const bomb = pngBomb();
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const res = await upload('I04', 'before', bomb, 'image/png');
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('too_many_pixels');
    expect([await photoRows(), mediaFiles()]).toEqual([0, []]);
  });

  it('refuses a photo over the byte limit with 413', async () => {
    const small = await cityApp({ photos: { ...t.deps.photos, maxBytes: 2048 } });
    try {
      const big = await jpeg({ width: 800, height: 600 });
      expect(big.length).toBeGreaterThan(2048);
      const res = await small.app.request('/api/issues/I04/photos?kind=before', { method: 'POST', headers: { 'content-type': 'image/jpeg' }, body: new Uint8Array(big) });
      expect(res.status).toBe(413);
      expect((await small.db.one<{ n: number }>('SELECT count(*)::INTEGER AS n FROM photos'))!.n).toBe(0);
    } finally {
      await small.cleanup();
    }
  });

  it('refuses viewers (403), unknown issues (404) and unknown kinds (400)', async () => {
    const viewer = await t.tokenFor('viewer');
    const asViewer = t.as(viewer);
    expect((await asViewer('/api/issues/I04/photos?kind=before', { method: 'POST', headers: { 'content-type': 'image/png' }, body: new Uint8Array(await png()) })).status).toBe(403);
    expect((await upload('NOPE', 'before', await png(), 'image/png')).status).toBe(404);
    expect((await upload('I04', 'sideways', await png(), 'image/png')).status).toBe(400);
    expect([await photoRows(), mediaFiles()]).toEqual([0, []]);
  });
});

describe('closing needs an 整改后 photo', () => {
  const event = (id: string, type: string) => postJson(t.app, `/api/issues/${id}/events`, { type, actor: '李娜' });

  it('refuses 核查 and 结案 without one (409 naming the rule), allows them with one', async () => {
    const res = await event('I04', 'verified');
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { code: string; details: unknown } }).error).toMatchObject({
      code: 'after_photo_required', details: { event: 'verified', rule: 'close_needs_after_photo' },
    });
    // A 整改前 photo is not evidence of the fix.
    await upload('I04', 'before', await png('#101010'), 'image/png');
    expect((await event('I04', 'verified')).status).toBe(409);
    await upload('I04', 'after', await png('#202020'), 'image/png');
    expect((await event('I04', 'verified')).status).toBe(200);
    expect((await event('I04', 'closed')).status).toBe(200);
  });

  it('lets a deployment turn the rule off', async () => {
    const off = await cityApp({ photos: { ...t.deps.photos, closeNeedsAfterPhoto: false } });
    try {
      const res = await postJson(off.app, '/api/issues/I04/events', { type: 'verified', actor: '李娜' });
      expect(res.status).toBe(200);
    } finally {
      await off.cleanup();
    }
  });
});

describe('a report sent with its photos', () => {
  const report = (photos: [string, Buffer, string][], clientId = 'app-77') => {
    const form = new FormData();
    form.append('issue', JSON.stringify({ clientId, id: 'P1', category: '0201', lon: 102.72, lat: 24.97, reportedAt: '2026-11-25T11:00:00+08:00' }));
    for (const [field, bytes, name] of photos) form.append(field, new Blob([new Uint8Array(bytes)]), name);
    return t.app.request('/api/issues', { method: 'POST', body: form });
  };

  it('creates the issue and attaches the photos in one request, idempotent on clientId', async () => {
    const img = await jpeg({ takenAt: new Date(FIXTURE_NOW.getTime() - 3_600_000), lon: 102.72, lat: 24.97 });
    const first = await report([['before', img, 'a.jpg']]);
    expect(first.status).toBe(201);
    const body = (await first.json()) as { issue: { id: string; photos: Photo[] } };
    expect(body.issue.photos).toHaveLength(1);
    expect(body.issue.photos[0]).toMatchObject({ kind: 'before', filename: 'a.jpg', flags: [] });
    const again = await report([['before', img, 'a.jpg']]);
    expect(again.status).toBe(200);
    expect(await photoRows()).toBe(1);
    expect((await t.db.one<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM issues WHERE id = 'P1'`))!.n).toBe(1);
  });

  it('refuses the whole report when one photo is bad: no issue, no photo', async () => {
    const res = await report([['before', await png(), 'ok.png'], ['after', Buffer.from('not an image'), 'bad.jpg']]);
    expect(res.status).toBe(415);
    expect((await t.db.one<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM issues WHERE id = 'P1'`))!.n).toBe(0);
    expect([await photoRows(), mediaFiles()]).toEqual([0, []]);
  });

  it('names a broken issue field', async () => {
    const form = new FormData();
    form.append('issue', JSON.stringify({ clientId: 'x', category: '0201', lon: 'east', lat: 24.97 }));
    const res = await t.app.request('/api/issues', { method: 'POST', body: form });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain('issue.lon');
  });
});

describe('taking a photo off and listing the latest', () => {
  it('removes the row, and the files once no issue holds the picture (admin only)', async () => {
    const img = await png('#777777');
    const p = (await (await upload('I04', 'before', img, 'image/png')).json()) as Photo;
    await upload('I02', 'before', img, 'image/png');
    const operator = await t.tokenFor('operator');
    expect((await t.as(operator)(`/api/issues/I04/photos/${p.hash}`, { method: 'DELETE' })).status).toBe(403);
    expect((await t.app.request(`/api/issues/I04/photos/${p.hash}`, { method: 'DELETE' })).status).toBe(204);
    expect(existsSync(t.deps.photos.store.path(p.hash, 'original'))).toBe(true); // I02 still holds it
    expect((await t.app.request(`/api/issues/I02/photos/${p.hash}`, { method: 'DELETE' })).status).toBe(204);
    expect([await photoRows(), mediaFiles()]).toEqual([0, []]);
    expect((await t.app.request(p.urls.thumb)).status).toBe(404);
    expect((await t.app.request(`/api/issues/I02/photos/${p.hash}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('lists the latest photos of a scope and the closures with a before and after pair', async () => {
    await upload('I01', 'before', await png('#010101'), 'image/png');
    await upload('I01', 'after', await png('#020202'), 'image/png');
    await upload('I04', 'before', await png('#030303'), 'image/png');
    const latest = (await (await t.app.request('/api/photos?limit=2')).json()) as { photos: Photo[] };
    expect(latest.photos).toHaveLength(2);
    const pairs = (await (await t.app.request('/api/photos?pairs=1')).json()) as { pairs: { issueId: string; before: Photo; after: Photo }[] };
    // I04 is not closed: only I01's closure has its pair.
    expect(pairs.pairs.map((p) => [p.issueId, p.before.kind, p.after.kind])).toEqual([['I01', 'before', 'after']]);
  });
});
