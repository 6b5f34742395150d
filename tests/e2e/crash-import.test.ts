/**
 * Crash safety of imports: the server is killed with SIGKILL in the middle of a large import
 * through the API, restarted, and must hold either all of the file or none of it, in a database
 * that reads back completely.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.ts';
import { killDuring, killWhenWriting, once, prepareCity, readEverything, timed, trial, writeIssues } from './crash-support.ts';

const ISSUES = 150_000;
const FIXTURE_ISSUES = 8;
/** Jobs of the fixture city's own five imports. */
const CITY_JOBS = 5;

let base: Awaited<ReturnType<typeof prepareCity>>;
let file: Uint8Array;
const cleanups: string[] = [];

/** POST of the big file with the admin token. */
const upload = (server: ServerProcess): RequestInit => ({
  method: 'POST',
  headers: { authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/octet-stream' },
  body: file as BodyInit,
});
const importUrl = (server: ServerProcess) => `${server.url}/api/import/issues?filename=big-issues.ndjson`;

beforeAll(async () => {
  base = await prepareCity();
  cleanups.push(base.dir);
  const path = join(base.dir, 'big-issues.ndjson');
  await writeIssues(path, ISSUES, 'CR');
  file = new Uint8Array(await readFile(path));
}, 300_000);

afterAll(async () => {
  for (const dir of cleanups) await rm(dir, { recursive: true, force: true });
});

/** An undisturbed import on its own copy: its status, how long it took, and the rows it left. */
const undisturbed = once(async () => {
  const { server, dbPath } = await trial(base, cleanups);
  const r = await timed(importUrl(server), upload(server));
  await server.stop();
  return { ...r, issues: (await readEverything(dbPath)).issues };
});

/** How long an undisturbed import takes, for timing the kills. */
async function measuredMs(): Promise<number> {
  const r = await undisturbed();
  expect(r.status, 'the undisturbed import').toBe(200);
  return r.ms;
}

describe('SIGKILL during a large import', () => {
  it('an undisturbed import of the file succeeds (and tells how long it takes)', async () => {
    const r = await undisturbed();
    expect(r.status).toBe(200);
    expect(r.issues).toBe(FIXTURE_ISSUES + ISSUES);
  }, 300_000);

  /** After a crash: the file is all there (with its job record) or not at all, and the server takes it again. */
  const allOrNothing = async (dbPath: string, answered: number | null): Promise<void> => {
    const rows = await readEverything(dbPath);
    expect([FIXTURE_ISSUES, FIXTURE_ISSUES + ISSUES]).toContain(rows.issues);
    if (answered === 200) expect(rows.issues).toBe(FIXTURE_ISSUES + ISSUES);
    // The job record commits with the rows: one job exactly when the rows are there.
    expect(rows.import_jobs - CITY_JOBS).toBe(rows.issues === FIXTURE_ISSUES ? 0 : 1);

    const restarted = await startServerProcess({ dbPath });
    try {
      const health = (await (await fetch(`${restarted.url}/api/health`)).json()) as { counts: { issues: number } };
      expect(health.counts.issues).toBe(rows.issues);
      // The server works on after the crash: it takes the same file again.
      expect((await timed(importUrl(restarted), upload(restarted))).status).toBe(200);
      const after = (await (await fetch(`${restarted.url}/api/health`)).json()) as { counts: { issues: number } };
      expect(after.counts.issues).toBe(FIXTURE_ISSUES + ISSUES);
    } finally {
      await restarted.stop();
    }
  };

  for (const fraction of [0.5, 0.9]) {
    it(`killed at ${Math.round(fraction * 100)} % of the import's time`, async () => {
      const afterMs = (await measuredMs()) * fraction;
      const { server, dbPath } = await trial(base, cleanups);
      const { answered } = await killDuring(server, importUrl(server), upload(server), afterMs);
      await allOrNothing(dbPath, answered);
    }, 300_000);
  }

  for (const afterMs of [0, 100]) {
    it(`killed ${afterMs} ms after the merge transaction starts writing`, async () => {
      const { server, dbPath } = await trial(base, cleanups);
      const { answered } = await killWhenWriting(server, dbPath, importUrl(server), upload(server), afterMs);
      await allOrNothing(dbPath, answered);
    }, 300_000);
  }
});
