import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import { AuditLog, auditSettled, type AuditEntry } from '../../../server/audit/log.ts';
import { auditWrites } from '../../../server/audit/middleware.ts';
import type { Database } from '../../../server/db/database.ts';
import { FIXTURE_NOW } from '../../helpers/fixture-clock.ts';
import { freshDb } from '../../helpers/db.ts';

let db: Database;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ db, cleanup } = await freshDb()));
afterAll(async () => cleanup());

const entry = (i: number): AuditEntry => ({
  at: new Date(FIXTURE_NOW.getTime() + i), actor: `巡查员${i}`, userId: i % 2 ? i : null, role: 'operator', ip: '127.0.0.1', method: 'POST', path: '/api/issues',
  action: 'issue.ingest', target: `API20261125${String(i).padStart(6, '0')}`, status: 201, durationMs: 12.4, planId: null, changeSeq: null,
  detail: i % 3 ? { body: { clientId: `c-${i}` } } : undefined,
});

describe('the audit log under load', () => {
  it('writes entries recorded together in one write job, every one of them, in order', async () => {
    const log = new AuditLog(db);
    const before = db.version.of('audit');
    await Promise.all(Array.from({ length: 20 }, (_, i) => log.record(entry(i))));
    // One commit for the twenty, not twenty jobs in the write queue.
    expect(db.version.of('audit') - before).toBe(1);
    const rows = await log.query({ limit: 50 });
    expect(rows.map((r) => r.actor)).toEqual(Array.from({ length: 20 }, (_, i) => `巡查员${19 - i}`));
    expect(rows.at(-1)).toMatchObject({ userId: null, target: 'API20261125000000', status: 201, durationMs: 12, detail: null });
    expect(rows.at(-2)).toMatchObject({ userId: 1, detail: { body: { clientId: 'c-1' } } });
    expect(rows.at(-1)!.at.getTime()).toBe(FIXTURE_NOW.getTime());
  });

  it('records an entry that arrives while a round is written in the next round', async () => {
    const log = new AuditLog(db);
    const first = log.record(entry(100));
    await Promise.resolve();
    const second = log.record(entry(101));
    await Promise.all([first, second]);
    expect((await log.query({ limit: 2 })).map((r) => r.actor)).toEqual(['巡查员101', '巡查员100']);
  });
});

describe('a write and its audit entry', () => {
  it('are answered without waiting for the entry; reads of the log wait for it', async () => {
    const log = new AuditLog(db);
    const app = new Hono().use('*', auditWrites(log, { clientIp: () => '10.0.0.7' }, () => FIXTURE_NOW)).post('/api/things', (c) => c.json({ ok: true }, 201));
    // Another write job holds the queue, as an import or a batch of reports would under load.
    let release!: () => void;
    const holding = db.write([], () => new Promise<void>((r) => (release = r)));
    const res = await app.request('/api/things', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    expect(res.status).toBe(201);
    let read = false;
    const reading = new AuditLog(db).query({ limit: 1 }).then((rows) => ((read = true), rows));
    await new Promise((r) => setTimeout(r, 50));
    expect(read).toBe(false);
    release();
    await holding;
    expect((await reading)[0]).toMatchObject({ path: '/api/things', ip: '10.0.0.7', status: 201, detail: { body: { a: 1 } } });
    await auditSettled(db);
  });
});
