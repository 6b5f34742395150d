/** Backups carry the bulletin archive's files with the table listing them; a restore checks and puts them back. */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupDatabase } from '../../../server/backup/backup.ts';
import { readManifest, restoreDatabase } from '../../../server/backup/restore.ts';
import { bulletinRoot } from '../../../server/bulletin/files.ts';
import { PdfPrinter } from '../../../server/bulletin/pdf.ts';
import { Database } from '../../../server/db/database.ts';
import { cityApp, type TestApp } from '../../helpers/app.ts';

const json = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

let t: TestApp;
let dir: string;
let record: { id: number; hashes: Record<string, string> };
// Never started: the formats stored here are made without a browser.
const printer = new PdfPrinter('/usr/bin/chromium');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'civgrid-bulletin-backup-'));
  t = await cityApp({ backupDir: dir, bulletin: { templateDir: 'data/bulletin', printer } });
  const operator = t.as(await t.tokenFor('operator', 'zhang'));
  const res = await operator('/api/bulletins', json({ period: '2026-11', formats: ['docx', 'xlsx'] }));
  expect(res.status).toBe(201);
  record = await res.json();
  expect((await t.app.request('/api/backups', json({ name: 'b1' }))).status).toBe(201);
});
afterAll(async () => {
  await printer.close();
  await t.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe('bulletins in backups', () => {
  it('lists every stored file with the hash the archive recorded', async () => {
    const m = await readManifest(join(dir, 'b1'));
    expect(m.bulletins).toEqual([
      { file: `${record.id}.docx`, sha256: record.hashes.docx },
      { file: `${record.id}.xlsx`, sha256: record.hashes.xlsx },
    ]);
    expect(statSync(join(dir, 'b1', 'bulletins', `${record.id}.xlsx`)).mode & 0o777).toBe(0o600);
  });

  it('restores the files beside the new database, byte for byte, with the table listing them', async () => {
    const target = join(dir, 'restored', 'civgrid.duckdb');
    await restoreDatabase(join(dir, 'b1'), target, { media: join(dir, 'restored', 'media') });
    const folder = bulletinRoot(target);
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    for (const format of ['docx', 'xlsx']) {
      const file = `${record.id}.${format}`;
      expect(readFileSync(join(folder, file)).equals(readFileSync(join(bulletinRoot(t.db.path), file))), file).toBe(true);
      expect(statSync(join(folder, file)).mode & 0o777).toBe(0o600);
    }
    const db = await Database.open(target);
    try {
      expect((await db.one<{ n: number }>('SELECT count(*)::INTEGER AS n FROM bulletins'))!.n).toBe(1);
    } finally {
      await db.close();
    }
  });

  it('refuses a backup whose bulletin file was damaged, restoring nothing', async () => {
    const victim = join(dir, 'b1', 'bulletins', `${record.id}.docx`);
    const good = readFileSync(victim);
    writeFileSync(victim, Buffer.concat([good, Buffer.from([0])]));
    try {
      const target = join(dir, 'damaged', 'civgrid.duckdb');
      await expect(restoreDatabase(join(dir, 'b1'), target, { media: join(dir, 'damaged', 'media') })).rejects.toThrow(/bulletins\/\d+\.docx is damaged/);
      expect(existsSync(target)).toBe(false);
      expect(existsSync(bulletinRoot(target))).toBe(false);
    } finally {
      writeFileSync(victim, good);
    }
  });

  it('never overwrites another bulletin file of the same name in the target folder', async () => {
    const target = join(dir, 'occupied', 'civgrid.duckdb');
    const folder = join(dir, 'occupied', 'bulletins');
    await restoreDatabase(join(dir, 'b1'), join(dir, 'occupied-first', 'civgrid.duckdb'), { media: join(dir, 'occupied-first', 'media'), bulletins: folder });
    writeFileSync(join(folder, `${record.id}.xlsx`), 'another database\'s bulletin');
    await expect(restoreDatabase(join(dir, 'b1'), target, { media: join(dir, 'occupied', 'media'), bulletins: folder })).rejects.toThrow(/exists with other contents/);
    expect(existsSync(target)).toBe(false);
  });

  it('fails a backup when a listed bulletin file is gone or changed, naming it', async () => {
    const file = join(bulletinRoot(t.db.path), `${record.id}.xlsx`);
    await rename(file, `${file}.away`);
    try {
      await expect(backupDatabase(t.db, join(dir, 'b-missing'), new Date(), { bulletins: bulletinRoot(t.db.path) })).rejects.toThrow(/\d+\.xlsx is listed in the database but missing/);
    } finally {
      await rename(`${file}.away`, file);
    }
    const original = readFileSync(file);
    writeFileSync(file, Buffer.concat([original, Buffer.from([0])]));
    try {
      await expect(backupDatabase(t.db, join(dir, 'b-changed'), new Date(), { bulletins: bulletinRoot(t.db.path) })).rejects.toThrow(/does not match the hash the archive recorded/);
    } finally {
      writeFileSync(file, original);
    }
  });
});
