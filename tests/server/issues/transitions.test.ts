import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { totalCounts } from '../../../server/kpi/query.ts';
import { resolveFilters } from '../../../server/kpi/resolve.ts';
import { cityApp, FIXTURE_NOW, type TestApp } from '../../helpers/app.ts';
import { png } from '../../helpers/photos.ts';
import { postJson } from './helpers.ts';

let t: TestApp | undefined;

beforeEach(async () => {
  await t?.cleanup();
  t = await cityApp();
});
afterAll(async () => t?.cleanup());

type Row = { status: string; opened_at: Date | null; dispatched_at: Date | null; deadline: Date | null; closed_at: Date | null; immediate: boolean; rework_count: number };
const row = async (id: string) =>
  (await t!.db.one<Row>(`SELECT status, opened_at, dispatched_at, deadline, closed_at, immediate, rework_count FROM issues WHERE id = $id`, { id }))!;
const events = async (id: string) =>
  t!.db.all<{ seq: number; type: string; actor: string; note: string | null }>(`SELECT seq, type, actor, note FROM issue_events WHERE issue_id = $id ORDER BY seq`, { id });
const post = (id: string, body: Record<string, unknown>) => postJson(t!.app, `/api/issues/${id}/events`, { actor: '张伟', ...body });
/** Attaches an 整改后 photo: 核查 and 结案 need one. */
const afterPhoto = async (id: string) => {
  const res = await t!.app.request(`/api/issues/${id}/photos?kind=after`, { method: 'POST', headers: { 'content-type': 'image/png' }, body: new Uint8Array(await png()) });
  expect(res.status).toBe(201);
};

describe('POST /api/issues/:id/events', () => {
  it('opens and dispatches a report, restarting the clock at dispatch', async () => {
    expect((await post('I06', { type: 'opened', at: '2026-11-25T10:00:00+08:00' })).status).toBe(200);
    const res = await post('I06', { type: 'dispatched', note: '派城管中队' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { issue: { status: string; deadline: string; events: unknown[] }; event: Record<string, unknown> };
    expect(body.event).toEqual({ seq: 3, type: 'dispatched', at: FIXTURE_NOW.toISOString(), actor: '张伟', imported: false, note: '派城管中队', department: null });
    // 0101 allows 2 working hours from the dispatch (Wednesday 12:00 Shanghai), not from the report two weeks ago.
    expect(body.issue).toMatchObject({ status: 'dispatched', deadline: '2026-11-25T06:00:00.000Z', overdue: false });
    expect(body.issue.events).toHaveLength(3);
    expect(await row('I06')).toMatchObject({
      status: 'dispatched', opened_at: new Date('2026-11-25T02:00:00Z'), dispatched_at: FIXTURE_NOW, deadline: new Date('2026-11-25T06:00:00Z'),
    });
    expect(await events('I06')).toEqual([
      { seq: 1, type: 'reported', actor: '王芳', note: null },
      { seq: 2, type: 'opened', actor: '张伟', note: null },
      { seq: 3, type: 'dispatched', actor: '张伟', note: '派城管中队' },
    ]);
  });

  it('publishes issue.updated with the issue and the event', async () => {
    await post('I06', { type: 'opened' });
    const [e] = t!.deps.bus.since(0);
    expect(e.type).toBe('issue.updated');
    expect(e.data).toMatchObject({ issue: { id: 'I06', status: 'opened' }, event: { type: 'opened', seq: 2 } });
  });

  it('an illegal transition → 409 naming from and to, and nothing changes', async () => {
    const before = [await row('I06'), await events('I06')];
    const res = await post('I06', { type: 'handled' });
    expect(res.status).toBe(409);
    const body = (await res.json()) as { error: { code: string; message: string; details: unknown } };
    expect(body.error).toMatchObject({ code: 'illegal_transition', details: { event: 'handled', from: 'reported', to: 'handled' } });
    expect(body.error.message).toMatch(/reported.*handled/);
    expect([await row('I06'), await events('I06')]).toEqual(before);
    expect(t!.deps.bus.lastSeq).toBe(0);
  });

  it('a closed issue accepts nothing more', async () => {
    for (const type of ['opened', 'closed', 'cancelled', 'reworked', 'returned']) {
      expect((await post('I01', { type })).status, type).toBe(409);
    }
  });

  it('handles, verifies, fails verification (rework) and closes on the second try', async () => {
    await afterPhoto('I04');
    for (const type of ['verified', 'reworked', 'handled', 'verified', 'closed']) {
      expect((await post('I04', { type })).status, type).toBe(200);
    }
    expect(await row('I04')).toMatchObject({ status: 'closed', rework_count: 1, closed_at: FIXTURE_NOW, immediate: false });
  });

  it('立行立改: closing a fresh report within 24 h flags it immediate and counts in the rate', async () => {
    const created = await postJson(t!.app, '/api/issues', { clientId: 'spot-1', id: 'N1', category: '0201', lon: 102.72, lat: 24.97, reportedAt: '2026-11-25T11:00:00+08:00' });
    expect(created.status).toBe(201);
    const f = await resolveFilters(t!.db, { from: '2026-11-25', to: '2026-11-25' });
    const ctx = { db: t!.db, now: FIXTURE_NOW, scoring: t!.deps.scoring };
    expect((await totalCounts(ctx, f)).immediate).toBe(0);
    await afterPhoto('N1');
    expect((await post('N1', { type: 'closed', note: '当场整改' })).status).toBe(200);
    expect(await row('N1')).toMatchObject({ status: 'closed', immediate: true, closed_at: FIXTURE_NOW });
    expect((await totalCounts(ctx, f)).immediate).toBe(1);
  });

  it('立行立改 after 24 h → 409', async () => {
    const res = await post('I02', { type: 'closed' });
    expect(res.status).toBe(409);
    expect(await row('I02')).toMatchObject({ status: 'dispatched', closed_at: null });
  });

  it('extends the deadline, which needs a later one', async () => {
    expect((await post('I02', { type: 'extended' })).status).toBe(422);
    expect((await post('I02', { type: 'extended', deadline: '2026-11-01T00:00:00+08:00' })).status).toBe(422);
    const res = await post('I02', { type: 'extended', deadline: '2026-11-30T18:00:00+08:00', note: '需协调产权单位' });
    expect(res.status).toBe(200);
    expect(await row('I02')).toMatchObject({ status: 'dispatched', deadline: new Date('2026-11-30T10:00:00Z') });
    expect(((await res.json()) as { issue: { overdue: boolean } }).issue.overdue).toBe(false);
  });

  it('returns one step and resumes a deferred issue where its timestamps say', async () => {
    expect((await post('I02', { type: 'returned' })).status).toBe(200);
    expect(await row('I02')).toMatchObject({ status: 'opened', dispatched_at: null });
    expect((await post('I08', { type: 'resumed' })).status).toBe(200);
    expect((await row('I08')).status).toBe('dispatched');
  });

  it('cancels an open issue (注销)', async () => {
    expect((await post('I08', { type: 'cancelled', note: '重复上报' })).status).toBe(200);
    expect((await row('I08')).status).toBe('cancelled');
  });

  it('refuses an event dated before the last one, or in the future', async () => {
    const early = await post('I02', { type: 'handled', at: '2026-11-03T10:00:00+08:00' });
    expect(early.status).toBe(422);
    expect(((await early.json()) as { error: { details: { field: string; code: string }[] } }).error.details[0]).toMatchObject({ field: 'at', code: 'out_of_order' });
    expect((await post('I02', { type: 'handled', at: '2026-12-25T10:00:00+08:00' })).status).toBe(422);
    expect((await row('I02')).status).toBe('dispatched');
  });

  it('validates the body and the issue id', async () => {
    expect((await post('I02', { type: 'teleported' })).status).toBe(400);
    expect((await postJson(t!.app, '/api/issues/I02/events', { type: 'handled' })).status).toBe(400);
    expect((await post('I02', { type: 'handled', at: 'yesterday' })).status).toBe(400);
    const missing = await post('NOPE', { type: 'opened' });
    expect(missing.status).toBe(404);
  });

  it('concurrent transitions of one issue apply one at a time', async () => {
    const results = await Promise.all([post('I06', { type: 'opened' }), post('I06', { type: 'opened' }), post('I06', { type: 'opened' })]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    expect((await events('I06')).map((e) => e.seq)).toEqual([1, 2]);
  });
});
