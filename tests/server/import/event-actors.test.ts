import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Database } from '../../../server/db/database.ts';
import { migrate } from '../../../server/db/migrations.ts';
import { readMeta } from '../../../server/queries/meta.ts';
import { freshDb, importCity, importOk } from '../../helpers/db.ts';

let db: Database;
let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ db, dir, cleanup } = await freshDb()));
afterEach(async () => cleanup());

type Event = { seq: number; type: string; actor: string | null; imported: boolean };
const events = (id: string) => db.all<Event>('SELECT seq, type, actor, imported FROM issue_events WHERE issue_id = $id ORDER BY seq', { id });

/** One issue in grid 530111001002001 (inspector in the fixture city), as CSV. */
function issueCsv(extra: Record<string, string>): string {
  const base: Record<string, string> = {
    id: 'N1', category: '0101', status: 'closed', reported_at: '2026-11-02 09:00', dispatched_at: '2026-11-02 09:10',
    closed_at: '2026-11-02 10:00', lon: '102.72', lat: '24.97', ...extra,
  };
  const path = join(dir, `issue-${Object.keys(extra).join('-') || 'plain'}.csv`);
  writeFileSync(path, `${Object.keys(base).join(',')}\n${Object.values(base).join(',')}\n`);
  return path;
}

describe('who did each imported step', () => {
  it('names the reporter, dispatcher and closer the file gives', async () => {
    await importCity(db);
    await importOk(db, { kind: 'issues', path: issueCsv({ source: 'hotline', reporter: '市民王某', dispatcher: '赵敏', closer: '孙丽' }) });
    expect(await events('N1')).toEqual([
      { seq: 1, type: 'reported', actor: '市民王某', imported: true },
      { seq: 3, type: 'dispatched', actor: '赵敏', imported: true },
      { seq: 9, type: 'closed', actor: '孙丽', imported: true },
    ]);
  });

  it("credits a patrol report without a reporter to the grid's inspector and leaves unknown people empty", async () => {
    await importCity(db);
    const inspector = (await db.one<{ inspector: string }>(
      `SELECT g.inspector FROM issues i JOIN grids g ON g.code = i.grid_code WHERE i.id = 'I01'`,
    ))!.inspector;
    await importOk(db, { kind: 'issues', path: issueCsv({ source: 'patrol' }) });
    const [reported, dispatched] = await events('N1');
    expect(reported).toMatchObject({ type: 'reported', actor: inspector });
    expect(inspector).toBeTruthy();
    expect(dispatched).toMatchObject({ type: 'dispatched', actor: null, imported: true });
  });

  it('replaces only imported events when a file is imported again', async () => {
    await importCity(db);
    await importOk(db, { kind: 'issues', path: issueCsv({ source: 'hotline', dispatcher: '赵敏' }) });
    await db.run(`INSERT INTO issue_events (issue_id, seq, type, occurred_at, actor, note) VALUES ('N1', 10, 'rework', now()::TIMESTAMP, '张伟', NULL)`);
    await importOk(db, { kind: 'issues', path: issueCsv({ source: 'hotline', dispatcher: '钱进' }) });
    expect((await events('N1')).map((e) => [e.type, e.actor])).toEqual([['reported', null], ['dispatched', '钱进'], ['closed', null], ['rework', '张伟']]);
  });
});

describe('English category names', () => {
  it('keeps a category file\'s English names and serves them in /api/meta', async () => {
    await importCity(db);
    const path = join(dir, 'categories.json');
    writeFileSync(path, JSON.stringify([
      { code: '03', kind: 'event', name: '测试大类' },
      { code: '0301', parent: '03', name: '测试小类', name_en: 'Test minor', limit: 1, limit_unit: 'days' },
    ]));
    await importOk(db, { kind: 'categories', path });
    const meta = await readMeta(db);
    const major = meta.categories.find((c) => c.code === '03')!;
    expect(major.nameEn).toBeNull();
    expect(major.children).toEqual([expect.objectContaining({ code: '0301', name: '测试小类', nameEn: 'Test minor' })]);
  });
});

describe('migrating events recorded before actors were named', () => {
  it("turns the old 'import' placeholder into an imported event with nobody named, and keeps real names", async () => {
    const old = await Database.open(join(dir, 'v4.duckdb'));
    try {
      await migrate(old, 4);
      await old.run(`INSERT INTO issue_events (issue_id, seq, type, occurred_at, actor) VALUES
        ('A', 1, 'reported', now()::TIMESTAMP, 'import'), ('A', 2, 'opened', now()::TIMESTAMP, '张伟')`);
      await migrate(old);
      expect(await old.all('SELECT seq, actor, imported FROM issue_events ORDER BY seq')).toEqual([
        { seq: 1, actor: null, imported: true },
        { seq: 2, actor: '张伟', imported: false },
      ]);
    } finally {
      await old.close();
    }
  });
});
