import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BulletinArchive } from '../../../server/bulletin/archive.ts';
import { bulletinRoot } from '../../../server/bulletin/files.ts';
import { PdfPrinter } from '../../../server/bulletin/pdf.ts';
import { BulletinSchedule, dueMonth, startBulletinSchedule } from '../../../server/bulletin/schedule.ts';
import { cityApp, type TestApp } from '../../helpers/app.ts';
import { zipEntry } from './helpers.ts';

const json = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const sha = (b: ArrayBuffer) => createHash('sha256').update(Buffer.from(b)).digest('hex');

describe('the archive', () => {
  let t: TestApp;
  const printer = new PdfPrinter('/usr/bin/chromium');
  beforeAll(async () => {
    t = await cityApp({ bulletin: { templateDir: 'data/bulletin', printer } });
  });
  afterAll(async () => {
    await printer.close();
    await t.cleanup();
  });

  test('POST stores a numbered version; the list and the downloads give it back with its hashes', async () => {
    const operator = t.as(await t.tokenFor('operator', 'zhang'));
    const res = await operator('/api/bulletins', json({ period: '2026-11', formats: ['docx', 'xlsx'] }));
    expect(res.status).toBe(201);
    const first = await res.json();
    expect(first).toMatchObject({
      id: 1, number: '2026年第1期', scope: 'district:530111', scopeName: '官渡区', period: '2026-11', author: 'zhang',
      createdAt: '2026-11-25T04:00:00.000Z', formats: ['docx', 'xlsx'],
    });
    // The version the figures were read at: before the archive's own write (and the audit log's).
    expect(first.dataVersion).toBeGreaterThan(0);
    expect(first.dataVersion).toBeLessThan(t.db.version.current);

    const second = await (await operator('/api/bulletins', json({ scope: 'district:530111', period: '2026-10', formats: ['xlsx'] }))).json();
    expect(second).toMatchObject({ id: 2, number: '2026年第2期', formats: ['xlsx'] });
    expect((await (await t.app.request('/api/bulletins')).json()).items.map((r: { id: number }) => r.id)).toEqual([2, 1]);

    const docx = await t.app.request('/api/bulletins/1/docx');
    expect(docx.status).toBe(200);
    expect(docx.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(docx.headers.get('content-disposition')).toBe(
      `attachment; filename="bulletin.docx"; filename*=UTF-8''${encodeURIComponent('官渡区2026年11月（截至11月25日）通报（2026年第1期）.docx')}`,
    );
    const bytes = await docx.arrayBuffer();
    expect(sha(bytes)).toBe(first.hashes.docx);
    // The number is printed in the document.
    expect(await zipEntry(Buffer.from(bytes), 'word/document.xml')).toContain('2026年第1期');
    expect(sha(await (await t.app.request('/api/bulletins/1/xlsx')).arrayBuffer())).toBe(first.hashes.xlsx);
    expect((await t.app.request('/api/bulletins/2/docx')).status).toBe(404);
    expect((await t.app.request('/api/bulletins/1/pdf')).status).toBe(404);
    expect((await t.app.request('/api/bulletins/9/xlsx')).status).toBe(404);
    expect((await t.app.request('/api/bulletins/1/exe')).status).toBe(400);

    const root = bulletinRoot(t.db.path);
    expect((await stat(root)).mode & 0o777).toBe(0o700);
    for (const f of ['1.docx', '1.xlsx', '2.xlsx']) expect((await stat(join(root, f))).mode & 0o777).toBe(0o600);
  });

  test('the PDF is the print view printed by Chromium, stored like the others', async () => {
    const record = await (await t.app.request('/api/bulletins', json({ period: '2026-11', formats: ['pdf'] }))).json();
    const pdf = await t.app.request(`/api/bulletins/${record.id}/pdf`);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const bytes = Buffer.from(await pdf.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(sha(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer)).toBe(record.hashes.pdf);
  });

  test('a viewer cannot generate; bad input is a 400 naming it and stores nothing', async () => {
    const before = (await (await t.app.request('/api/bulletins')).json()).items.length;
    const viewer = t.as(await t.tokenFor('viewer'));
    expect((await viewer('/api/bulletins', json({ period: '2026-11' }))).status).toBe(403);
    expect((await viewer('/api/bulletins')).status).toBe(200);
    for (const [body, named] of [
      [{ period: '2027-03' }, 'period'],
      [{ period: '2025-01-01..2026-11-20' }, 'period'],
      [{ period: '2026-11', scope: 'district:999999' }, 'scope'],
      [{ period: '2026-11', scope: 'nonsense' }, 'scope'],
      [{ period: '2026-11', formats: ['odt'] }, 'formats'],
      [{}, 'period'],
    ] as const) {
      const res = await t.app.request('/api/bulletins', json(body));
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(JSON.stringify(await res.json()), JSON.stringify(body)).toContain(named);
    }
    expect((await (await t.app.request('/api/bulletins')).json()).items.length).toBe(before);
  });
});

describe('the schedule', () => {
  test('the due month: last month from the 1st 08:00 Shanghai on, nothing before', () => {
    expect(dueMonth(new Date('2026-12-01T07:59:59+08:00'))).toBeNull();
    expect(dueMonth(new Date('2026-12-01T08:00:00+08:00'))).toBe('2026-11');
    expect(dueMonth(new Date('2026-12-31T23:59:00+08:00'))).toBe('2026-11');
    expect(dueMonth(new Date('2027-01-01T08:00:00+08:00'))).toBe('2026-12');
  });

  test('fires once on the 1st 08:00 with the injected clock, not twice, not after a restart', async () => {
    let now = new Date('2026-12-01T07:59:00+08:00');
    const t = await cityApp({ now: () => now });
    try {
      const archive = new BulletinArchive(t.db, bulletinRoot(t.db.path));
      const opts = { scope: null, formats: ['xlsx'] as const, log: () => {} };
      const schedule = new BulletinSchedule(t.deps, archive, opts);
      expect(await schedule.tick()).toBeNull();
      now = new Date('2026-12-01T08:00:00+08:00');
      const [made, same] = await Promise.all([schedule.tick(), schedule.tick()]);
      expect(made).toMatchObject({ period: '2026-11', scope: 'district:530111', author: 'schedule', number: '2026年第1期' });
      expect(same).toBe(made);
      now = new Date('2026-12-01T08:01:00+08:00');
      expect(await schedule.tick()).toBeNull();
      expect(await new BulletinSchedule(t.deps, archive, opts).tick()).toBeNull();
      expect(await archive.list()).toHaveLength(1);
      const notice = await (await t.app.request('/api/bulletins/last-month')).json();
      expect(notice).toMatchObject({ period: '2026-11', bulletin: { id: made!.id } });
    } finally {
      await t.cleanup();
    }
  });

  test('CIVGRID_BULLETIN_SCHEDULE=0 starts nothing', async () => {
    const t = await cityApp({ now: () => new Date('2026-12-02T09:00:00+08:00') });
    try {
      const archive = new BulletinArchive(t.db, bulletinRoot(t.db.path));
      expect(startBulletinSchedule({ CIVGRID_BULLETIN_SCHEDULE: '0', CIVGRID_CHROMIUM: '/usr/bin/chromium' }, t.deps, archive, () => {})).toBeNull();
      await new Promise((r) => setTimeout(r, 50));
      expect(await archive.list()).toHaveLength(0);
      expect((await (await t.app.request('/api/bulletins/last-month')).json()).bulletin).toBeNull();
    } finally {
      await t.cleanup();
    }
  });
});
