/**
 * Crash safety of publishing a grid plan: the server is killed with SIGKILL while it archives the
 * published plan, keeps its issue assignment in history and re-assigns every issue and site to
 * the draft; after a restart the old plan or the new one is published, never a mix.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../server/db/database.ts';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.ts';
import { killDuring, killWhenWriting, once, prepareCity, readEverything, timed, trial, writeIssues } from './crash-support.ts';

const ISSUES = 150_000 + 8;
const PUBLISHED = 1;

let base: Awaited<ReturnType<typeof prepareCity>>;
let draft: number;
const cleanups: string[] = [];

const json = (token: string, body?: unknown): RequestInit => ({
  method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
});
const publishUrl = (server: ServerProcess) => `${server.url}/api/plans/${draft}/publish`;

beforeAll(async () => {
  const scratch = await mkdtemp(join(tmpdir(), 'civgrid-crash-data-'));
  cleanups.push(scratch);
  await writeIssues(join(scratch, 'many.ndjson'), ISSUES - 8, 'PB');
  base = await prepareCity([{ file: join(scratch, 'many.ndjson'), kind: 'issues' }]);
  cleanups.push(base.dir);
  // The draft: a copy of the published plan with one grid split, so publishing moves issues.
  const server = await startServerProcess({ dbPath: base.dbPath });
  try {
    const created = await fetch(`${server.url}/api/plans`, json(server.adminToken, { name: '崩溃测试方案' }));
    draft = ((await created.json()) as { id: number }).id;
    const split = { grid: '530111002001001', line: { type: 'LineString', coordinates: [[102.76, 24.89], [102.76, 24.96]] } };
    const res = await fetch(`${server.url}/api/plans/${draft}/split`, json(server.adminToken, split));
    expect(res.status, await res.text()).toBe(200);
  } finally {
    await server.stop();
  }
}, 600_000);

afterAll(async () => {
  for (const dir of cleanups) await rm(dir, { recursive: true, force: true });
});

/** The plans' states and the issue assignment, read straight from the file after the crash. */
async function inspect(dbPath: string) {
  await readEverything(dbPath);
  const db = await Database.open(dbPath);
  try {
    const plans = Object.fromEntries((await db.all<{ id: number; status: string }>('SELECT id, status FROM grid_plans')).map((p) => [p.id, p.status]));
    const published = (await db.all<{ id: number }>(`SELECT id FROM grid_plans WHERE status = 'published'`)).map((p) => p.id);
    const history = (await db.one<{ n: number }>('SELECT count(*) AS n FROM issue_grid_history WHERE plan_id = $p', { p: PUBLISHED }))!.n;
    // Issues whose grid is not a grid of the published plan: must be none, whichever plan it is.
    const stray = (await db.one<{ n: number }>(
      `SELECT count(*) AS n FROM issues i WHERE i.grid_code IS NOT NULL
       AND i.grid_code NOT IN (SELECT code FROM grids WHERE plan_id = (SELECT id FROM grid_plans WHERE status = 'published'))`,
    ))!.n;
    const onSplit = (await db.one<{ n: number }>(`SELECT count(*) AS n FROM issues WHERE grid_code = '530111002001001'`))!.n;
    const publishLogged = (await db.one<{ n: number }>(`SELECT count(*) AS n FROM plan_changes WHERE plan_id = $d AND op = 'publish'`, { d: draft }))!.n;
    return { plans, published, history, stray, onSplit, publishLogged };
  } finally {
    await db.close();
  }
}

/** An undisturbed publish on its own copy: its status, how long it took, and the state it left. */
const undisturbed = once(async () => {
  const { server, dbPath } = await trial(base, cleanups);
  const r = await timed(publishUrl(server), json(server.adminToken));
  await server.stop();
  return { ...r, state: await inspect(dbPath) };
});

/** How long an undisturbed publish takes, for timing the kills. */
async function measuredMs(): Promise<number> {
  const r = await undisturbed();
  expect(r.status, 'the undisturbed publish').toBe(200);
  return r.ms;
}

describe('SIGKILL during a plan publish', () => {
  it('an undisturbed publish succeeds (and tells how long it takes)', async () => {
    const r = await undisturbed();
    expect(r.status).toBe(200);
    expect(r.state).toMatchObject({ published: [draft], history: ISSUES, stray: 0, onSplit: 0, publishLogged: 1 });
  }, 300_000);

  /** Old plan fully in place, or new plan fully in place; then the server carries on. */
  const allOrNothing = async (dbPath: string, answered: number | null): Promise<void> => {
    const s = await inspect(dbPath);
    expect(s.published).toHaveLength(1);
    expect(s.stray).toBe(0);
    if (s.published[0] === PUBLISHED) {
      expect(answered).not.toBe(200);
      expect(s).toMatchObject({ plans: { [PUBLISHED]: 'published', [draft]: 'draft' }, history: 0, publishLogged: 0 });
      expect(s.onSplit).toBeGreaterThan(0);
    } else {
      expect(s).toMatchObject({ plans: { [PUBLISHED]: 'archived', [draft]: 'published' }, history: ISSUES, publishLogged: 1, onSplit: 0 });
    }
    const restarted = await startServerProcess({ dbPath });
    try {
      if (s.published[0] === PUBLISHED) expect((await timed(publishUrl(restarted), json(restarted.adminToken))).status).toBe(200);
      const meta = (await (await fetch(`${restarted.url}/api/meta`)).json()) as { publishedPlan: { id: number } };
      expect(meta.publishedPlan.id).toBe(draft);
    } finally {
      await restarted.stop();
    }
  };

  for (const fraction of [0.5, 0.9]) {
    it(`killed at ${Math.round(fraction * 100)} % of the publish's time`, async () => {
      const afterMs = (await measuredMs()) * fraction;
      const { server, dbPath } = await trial(base, cleanups);
      const { answered } = await killDuring(server, publishUrl(server), json(server.adminToken), afterMs);
      await allOrNothing(dbPath, answered);
    }, 300_000);
  }

  for (const afterMs of [0, 50]) {
    it(`killed ${afterMs} ms after the publish transaction starts writing`, async () => {
      const { server, dbPath } = await trial(base, cleanups);
      const { answered } = await killWhenWriting(server, dbPath, publishUrl(server), json(server.adminToken), afterMs);
      await allOrNothing(dbPath, answered);
    }, 300_000);
  }
});
