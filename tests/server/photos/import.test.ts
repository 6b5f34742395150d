/**
 * Bulk photo import: a zip or a folder, placed by a CSV manifest or by file names, checked whole
 * before anything is written, then attached in one write job through the photo service — and on
 * any bad input, or a failure while writing, neither rows nor files are left.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parsePhotoKind } from '../../../server/domain/photos.ts';
import { fromFileName } from '../../../server/import/photos/plan.ts';
import { runPhotoImport, type PhotoImportOptions, type PhotoImportReport } from '../../../server/import/photos/run.ts';
import { attachStagedPhotos, stagePhoto, type PhotoSettings } from '../../../server/media/photo-service.ts';
import type { Photo } from '../../../server/queries/photos.ts';
import { zipEntries } from '../../helpers/fixture-writers.ts';
import { cityApp, FIXTURE_NOW, type Fetch, type TestApp } from '../../helpers/app.ts';
import { jpeg, png, pngBomb, webp } from '../../helpers/photos.ts';

let t: TestApp;
let dir: string;
beforeEach(async () => {
  t = await cityApp();
  dir = mkdtempSync(join(tmpdir(), 'civgrid-photo-import-'));
});
afterEach(async () => {
  rmSync(dir, { recursive: true, force: true });
  await t.cleanup();
});

/** I01 (closed) was reported 2026-11-02 09:00 Shanghai at 102.72, 24.97. */
const I01 = { reportedAt: new Date('2026-11-02T01:00:00Z'), lon: 102.72, lat: 24.97 };

const photoRows = async () => (await t.db.one<{ n: number }>('SELECT count(*)::INTEGER AS n FROM photos'))!.n;
/** Every file under the media store (placed photos and anything staged in tmp/). */
const mediaFiles = () => readdirSync(t.deps.photos.store.root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name);

const run = (path: string, opts: Partial<PhotoImportOptions> = {}, settings: PhotoSettings = t.deps.photos) =>
  runPhotoImport(t.db, settings, { path, actor: 'cli', now: () => FIXTURE_NOW, maxTotalBytes: 64 * 1024 * 1024, ...opts });

const writeZip = (entries: Record<string, Uint8Array | string>) => {
  const path = join(dir, 'photos.zip');
  writeFileSync(path, zipEntries(entries));
  return path;
};
const writeFolder = (entries: Record<string, Uint8Array | string>) => {
  const root = join(dir, 'folder');
  for (const [name, data] of Object.entries(entries)) {
    mkdirSync(join(root, name, '..'), { recursive: true });
    writeFileSync(join(root, name), data);
  }
  return root;
};
const issuePhotos = async (id: string) => ((await (await t.app.request(`/api/issues/${id}`)).json()) as { photos: Photo[] }).photos;
const problems = (r: PhotoImportReport) => r.errors.map((e) => [e.file, e.code]);

/** Asserts a rejected import wrote nothing: no row, no file, nothing left staged. */
async function expectNothingWritten(r: PhotoImportReport) {
  expect(r.ok).toBe(false);
  expect([await photoRows(), mediaFiles()]).toEqual([0, []]);
}

describe('what a bundle says', () => {
  it('reads the issue and kind from a file name, in English or Chinese', () => {
    expect(fromFileName('I0042_before_1.jpg')).toEqual({ issueId: 'I0042', kind: 'before' });
    expect(fromFileName('sub/A_B_after_12.JPEG')).toEqual({ issueId: 'A_B', kind: 'after' });
    expect(fromFileName('I7_整改后.png')).toEqual({ issueId: 'I7', kind: 'after' });
    expect(fromFileName('I7_other.webp')).toEqual({ issueId: 'I7', kind: 'other' });
    expect([fromFileName('IMG_0412.jpg'), fromFileName('I7_before_1.gif'), fromFileName('_before.jpg')]).toEqual([null, null, null]);
  });

  it('knows the kinds by their English and Chinese names', () => {
    expect(['before', ' After ', '整改前', '整改后', '其他', 'OTHER'].map(parsePhotoKind)).toEqual(['before', 'after', 'before', 'after', 'other', 'other']);
    expect([parsePhotoKind('during'), parsePhotoKind('')]).toEqual([null, null]);
  });
});

describe('importing photos', () => {
  it('attaches a zip by its Chinese manifest, with the flags an upload gets', async () => {
    const stale = await jpeg({ takenAt: new Date(I01.reportedAt.getTime() - 10 * 86_400_000), lon: I01.lon, lat: I01.lat });
    const far = await jpeg({ takenAt: new Date(I01.reportedAt.getTime() + 3_600_000), lon: I01.lon + 0.01, lat: I01.lat, colour: '#204060' });
    const path = writeZip({
      'batch/清单.csv': '事件编号,文件,类型\nI01,现场/a.jpg,整改前\nI01,现场/b.jpg,整改后\nI04,c.png,其他\n',
      'batch/现场/a.jpg': stale, 'batch/现场/b.jpg': far, 'batch/c.png': await png(),
    });
    const progress: string[] = [];
    const r = await run(path, { onProgress: (p) => progress.push(`${p.stage} ${p.done}/${p.total}`) });
    expect(r).toMatchObject({ ok: true, kind: 'photos', photos: 3, attached: 3, unchanged: 0, errorCount: 0 });
    expect(r.jobId).toBeGreaterThan(0);
    expect(progress).toEqual(['checking 0/3', 'checking 1/3', 'checking 2/3', 'checking 3/3', 'writing 0/3', 'writing 3/3']);
    const photos = await issuePhotos('I01');
    expect(photos.map((p) => [p.kind, p.filename, p.flags, p.uploader])).toEqual([
      ['before', 'a.jpg', ['stale'], 'cli'],
      ['after', 'b.jpg', ['far'], 'cli'],
    ]);
    expect((await issuePhotos('I04')).map((p) => [p.kind, p.flags])).toEqual([['other', ['no_exif']]]);
    expect((await t.app.request(photos[0].urls.thumb)).status).toBe(200);
    expect(readdirSync(join(t.deps.photos.store.root, 'tmp'))).toEqual([]);
  });

  it('attaches a folder by its file names, and importing it again changes nothing', async () => {
    const path = writeFolder({
      'I01_before_1.jpg': await jpeg(), 'day2/I01_after_1.png': await png('#335533'), 'I04_整改前.webp': await webp(), '.DS_Store': 'x', 'Thumbs.db': 'x',
    });
    expect(await run(path)).toMatchObject({ ok: true, photos: 3, attached: 3, unchanged: 0 });
    expect((await issuePhotos('I01')).map((p) => p.kind)).toEqual(['before', 'after']);
    expect(await run(path)).toMatchObject({ ok: true, photos: 3, attached: 0, unchanged: 3 });
    expect(await photoRows()).toBe(3);
  });

  it('checks every photo and names each bad one with its reason, writing nothing', async () => {
    const noisy = await sharp({ create: { width: 200, height: 200, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 60 } } }).png().toBuffer();
    const path = writeZip({
      'manifest.csv': [
        'issue,file,kind',
        'I01,good.jpg,before',
        'I99,ghost.jpg,after',
        'I01,good.jpg,during',
        'I01,missing.jpg,after',
        'I01,text.jpg,after',
        'I01,bomb.png,after',
        'I01,big.png,after',
        'I01,broken.jpg,after',
        'I01,good.jpg,before',
        'I01,,after',
      ].join('\n'),
      'good.jpg': await jpeg(), 'ghost.jpg': await jpeg({ colour: '#101010' }), 'text.jpg': 'not a picture at all',
      'bomb.png': pngBomb(20_000), 'big.png': noisy, 'broken.jpg': Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(300, 7)]),
      'stray.jpg': await jpeg({ colour: '#202020' }),
    });
    const r = await run(path, {}, { ...t.deps.photos, maxBytes: noisy.length - 1 });
    expect(r.errors.filter((e) => e.file === 'manifest.csv').map((e) => [e.line, e.code])).toEqual([
      [4, 'unknown_kind'], [5, 'missing_file'], [10, 'duplicate_row'], [11, 'missing_value'],
    ]);
    expect(problems(r).filter(([file]) => file !== 'manifest.csv')).toEqual([
      ['stray.jpg', 'not_in_manifest'],
      ['ghost.jpg', 'unknown_issue'],
      ['text.jpg', 'not_an_image'],
      ['bomb.png', 'too_many_pixels'],
      ['big.png', 'too_large'],
      ['broken.jpg', 'undecodable'],
    ]);
    expect(r.errors.find((e) => e.code === 'unknown_issue')?.reason).toBe('no issue I99');
    await expectNothingWritten(r);
  });

  it('refuses a file whose name says no issue and kind, when there is no manifest', async () => {
    const r = await run(writeFolder({ 'I01_before_1.jpg': await jpeg(), 'IMG_0412.jpg': await jpeg({ colour: '#445566' }) }));
    expect(problems(r)).toEqual([['IMG_0412.jpg', 'unplaced_file']]);
    await expectNothingWritten(r);
  });

  it('drops the photos it staged when a later one is bad', async () => {
    const r = await run(writeFolder({ 'I01_before_1.jpg': await jpeg(), 'I01_before_2.jpg': 'GIF89a, not accepted' }));
    expect(problems(r)).toEqual([['I01_before_2.jpg', 'not_an_image']]);
    await expectNothingWritten(r);
  });

  it('refuses more than one manifest', async () => {
    const r = await run(writeZip({ 'a.csv': 'issue,file,kind\n', 'b.csv': 'issue,file,kind\n', 'I01_before.jpg': await jpeg() }));
    expect(problems(r)).toEqual([[undefined, 'several_manifests']]);
    await expectNothingWritten(r);
  });

  it('refuses a zip bomb by its declared sizes, before inflating anything', async () => {
    // 3 MB of zeros deflate to a few KB.
    const r = await run(writeZip({ 'I01_before_1.jpg': new Uint8Array(3 * 1024 * 1024) }), { maxTotalBytes: 1024 * 1024 });
    expect(problems(r)).toEqual([[undefined, 'too_large']]);
    await expectNothingWritten(r);
  });

  it('refuses a zip whose entries inflate to more than they declare', async () => {
    const zip = Buffer.from(zipEntries({ 'I01_before_1.jpg': await jpeg() }));
    // Declare 100 bytes uncompressed in the local header and the central directory.
    zip.writeUInt32LE(100, 22);
    zip.writeUInt32LE(100, zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])) + 24);
    const path = join(dir, 'lying.zip');
    writeFileSync(path, zip);
    const r = await run(path);
    expect(problems(r)).toEqual([['I01_before_1.jpg', 'unreadable']]);
    await expectNothingWritten(r);
  });

  it('refuses too many files, a file that is no zip, and a link in a folder', async () => {
    const many = await run(writeZip({ 'I01_before_1.jpg': await jpeg(), 'I01_before_2.jpg': await png(), 'I01_after_1.jpg': await webp() }), { maxFiles: 2 });
    expect(problems(many)).toEqual([[undefined, 'too_many_files']]);
    const notZip = join(dir, 'photos.zip');
    writeFileSync(notZip, 'hello');
    expect(problems(await run(notZip))).toEqual([[undefined, 'unreadable']]);
    const folder = writeFolder({ 'I01_before_1.jpg': await jpeg() });
    symlinkSync('/etc/hostname', join(folder, 'I01_after_1.jpg'));
    const linked = await run(folder);
    expect(problems(linked)).toEqual([[undefined, 'symlink']]);
    expect(linked.errors[0].reason).toMatch(/I01_after_1\.jpg is a symbolic link/);
    await expectNothingWritten(linked);
  });

  it('takes every file of a failed write back out, keeping photos other issues hold', async () => {
    const kept = await png('#606060');
    const held = await t.app.request('/api/issues/I04/photos?kind=before', { method: 'POST', headers: { 'content-type': 'image/png' }, body: new Uint8Array(kept) });
    expect(held.status).toBe(201);
    const s = t.deps.photos;
    const at = FIXTURE_NOW.getTime();
    const batch = [
      { photo: await stagePhoto(kept, s), attachment: { issueId: 'I01', kind: 'before' as const, filename: null, uploader: 'cli', at } },
      { photo: await stagePhoto(await png('#616161'), s), attachment: { issueId: 'I01', kind: 'after' as const, filename: null, uploader: 'cli', at } },
      { photo: await stagePhoto(await png('#626262'), s), attachment: { issueId: 'NOPE', kind: 'after' as const, filename: null, uploader: 'cli', at } },
    ];
    await expect(t.db.write(['photos'], (w) => attachStagedPhotos(w, s.store, batch))).rejects.toThrow(/no issue NOPE/);
    expect(await photoRows()).toBe(1);
    expect(await s.store.hashes()).toEqual([batch[0].photo.hash]);
    expect(readdirSync(join(s.store.root, 'tmp'))).toEqual([]);
  });

  it('takes a zip over HTTP (admin only) and answers a rejection with the report', async () => {
    const body = new Uint8Array(zipEntries({ 'I01_before_1.jpg': await jpeg(), 'I99_after_1.jpg': await jpeg({ colour: '#123456' }) }));
    const admin: Fetch = async (path, init) => t.app.request(path, init);
    const post = (filename: string, as = admin) => as(`/api/import/photos?filename=${filename}`, { method: 'POST', body });
    const rejected = await post('photos.zip');
    expect(rejected.status).toBe(422);
    const error = ((await rejected.json()) as { error: { code: string; details: PhotoImportReport } }).error;
    expect([error.code, problems(error.details)]).toEqual(['import_rejected', [['I99_after_1.jpg', 'unknown_issue']]]);
    await expectNothingWritten(error.details);
    expect((await post('photos.csv')).status).toBe(400);
    expect((await post('photos.zip', t.as(await t.tokenFor('operator')))).status).toBe(403);
    const ok = await t.app.request('/api/import/photos?filename=p.zip', { method: 'POST', body: new Uint8Array(zipEntries({ 'I01_before_1.jpg': await jpeg() })) });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ ok: true, file: 'p.zip', attached: 1 });
  });
});
