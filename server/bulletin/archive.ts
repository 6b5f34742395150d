/**
 * The bulletin archive: each generated bulletin stored as a numbered version (2026年第11期 of its
 * scope), with who made it, when, at which data version and the SHA-256 of every file, so a
 * signed bulletin can always be shown to be the one the system produced. Files are kept in a
 * folder beside the database (0700), one 0600 file per format, written whole or not at all.
 */
import { chmod, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { AppDeps } from '../app.ts';
import type { Database } from '../db/database.ts';
import { NotFoundError } from '../domain/errors.ts';
import { sqlTimestamp } from '../db/sql-time.ts';
import { shanghaiDate } from '../domain/time.ts';
import { sha256 } from '../media/store.ts';
import { PRIVATE_DIR, PRIVATE_FILE } from '../file-modes.ts';
import { defaultBulletinSettings } from '../routes/bulletin.ts';
import { buildBulletin } from './content.ts';
import { bulletinFileName } from './files.ts';
import { renderBulletin, type BulletinFormat } from './render.ts';

/** An archived bulletin as the API lists it. */
export interface BulletinRecord {
  id: number;
  /** 2026年第11期: the scope's sequence within the period's year. */
  number: string;
  scope: string;
  scopeName: string;
  period: string;
  /** 2026年11月 as the bulletin names its period. */
  periodLabel: string;
  author: string;
  createdAt: string;
  dataVersion: number;
  formats: BulletinFormat[];
  /** SHA-256 (hex) of each stored file. */
  hashes: Partial<Record<BulletinFormat, string>>;
}

type Row = {
  id: number; number: string; scope: string; scope_name: string; period: string; period_label: string; author: string; created_at: Date; data_version: number; formats: string; hashes: string;
};

const record = (r: Row): BulletinRecord => ({
  id: r.id, number: r.number, scope: r.scope, scopeName: r.scope_name, period: r.period, periodLabel: r.period_label, author: r.author, createdAt: r.created_at.toISOString(),
  dataVersion: r.data_version, formats: JSON.parse(r.formats) as BulletinFormat[], hashes: JSON.parse(r.hashes) as BulletinRecord['hashes'],
});

/** What {@link BulletinArchive.generate} needs besides the request. */
export interface GenerateOptions {
  scope: string | null;
  period: string;
  formats: readonly BulletinFormat[];
  author: string;
}

export class BulletinArchive {
  constructor(
    private readonly db: Database,
    readonly root: string,
  ) {}

  /** Every stored bulletin, newest first. */
  async list(limit = 200): Promise<BulletinRecord[]> {
    return (await this.db.all<Row>('SELECT * FROM bulletins ORDER BY id DESC LIMIT $limit', { limit })).map(record);
  }

  /** One stored bulletin, or a 404. */
  async get(id: number): Promise<BulletinRecord> {
    const row = await this.db.one<Row>('SELECT * FROM bulletins WHERE id = $id', { id });
    if (!row) throw new NotFoundError('not_found', `no bulletin ${id}`);
    return record(row);
  }

  /** Whether a bulletin of `scope` for `period` is stored already (the schedule's once-a-month check). */
  async has(scope: string, period: string): Promise<BulletinRecord | null> {
    const row = await this.db.one<Row>('SELECT * FROM bulletins WHERE scope = $scope AND period = $period ORDER BY id DESC LIMIT 1', { scope, period });
    return row ? record(row) : null;
  }

  /** The bytes of a stored file, or a 404 when the bulletin was not made in that format. */
  async file(id: number, format: BulletinFormat): Promise<{ record: BulletinRecord; bytes: Buffer }> {
    const rec = await this.get(id);
    if (!rec.formats.includes(format)) throw new NotFoundError('not_found', `bulletin ${id} has no ${format} (it has ${rec.formats.join(', ')})`);
    return { record: rec, bytes: await readFile(this.path(id, format)) };
  }

  /**
   * Builds the bulletin, numbers it, renders each format and stores files and record. The number
   * is taken before rendering (outside the write queue: a PDF takes seconds) and checked again in
   * the write job; if another bulletin of the scope took it meanwhile, the files are made again.
   */
  async generate(deps: AppDeps, opts: GenerateOptions, onProgress: (step: string) => void = () => {}): Promise<BulletinRecord> {
    onProgress('content');
    const { templateDir } = deps.bulletin ?? defaultBulletinSettings();
    const bulletin = await buildBulletin(deps, { scope: opts.scope, period: opts.period }, { templateDir });
    const scope = `${bulletin.scope.level}:${bulletin.scope.code}`;
    const year = Number(shanghaiDate(new Date(bulletin.period.from)).slice(0, 4));
    const render = async (seq: number) => {
      const numbered = { ...bulletin, number: numberText(year, seq) };
      const files: [BulletinFormat, Buffer][] = [];
      for (const format of opts.formats) {
        onProgress(format);
        files.push([format, await renderBulletin(numbered, format, deps)]);
      }
      return files;
    };
    let seq = await this.nextSeq(scope, year);
    let files = await render(seq);
    await mkdir(this.root, { recursive: true, mode: PRIVATE_DIR });
    await chmod(this.root, PRIVATE_DIR);
    onProgress('store');
    const id = await this.db.write([], async (w) => {
      const now = await this.nextSeq(scope, year);
      if (now !== seq) files = await render((seq = now));
      const next = (await this.db.one<{ id: number }>('SELECT coalesce(max(id), 0) + 1 AS id FROM bulletins'))!.id;
      const written: string[] = [];
      try {
        for (const [format, bytes] of files) written.push(await this.writeFile(next, format, bytes));
        await w.transaction((tx) => tx.run(
          `INSERT INTO bulletins (id, number, year, seq, scope, scope_name, period, period_label, author, created_at, data_version, formats, hashes)
           VALUES ($id, $number, $year, $seq, $scope, $scopeName, $period, $periodLabel, $author, CAST($createdAt AS TIMESTAMP), $dataVersion, $formats, $hashes)`,
          {
            id: next, number: numberText(year, seq), year, seq, scope, scopeName: bulletin.scope.name,
            period: bulletin.period.text, periodLabel: bulletin.period.label, author: opts.author,
            createdAt: sqlTimestamp(new Date(bulletin.asOf)), dataVersion: bulletin.dataVersion,
            formats: JSON.stringify(files.map(([f]) => f)), hashes: JSON.stringify(Object.fromEntries(files.map(([f, b]) => [f, sha256(b)]))),
          },
        ));
      } catch (err) {
        for (const path of written) await rm(path, { force: true });
        throw err;
      }
      return next;
    });
    return this.get(id);
  }

  private async nextSeq(scope: string, year: number): Promise<number> {
    const row = await this.db.one<{ seq: number }>('SELECT coalesce(max(seq), 0) + 1 AS seq FROM bulletins WHERE scope = $scope AND year = $year', { scope, year });
    return row!.seq;
  }

  private path(id: number, format: BulletinFormat): string {
    return join(this.root, bulletinFileName(id, format));
  }

  /** Writes to a temporary name, flushes and renames, so a reader never sees half a file. */
  private async writeFile(id: number, format: BulletinFormat, bytes: Buffer): Promise<string> {
    const target = this.path(id, format);
    const tmp = `${target}.tmp`;
    const handle = await open(tmp, 'w', PRIVATE_FILE);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await chmod(tmp, PRIVATE_FILE);
    await rename(tmp, target);
    return target;
  }
}

/** 2026年第11期. */
export const numberText = (year: number, seq: number) => `${year}年第${seq}期`;
