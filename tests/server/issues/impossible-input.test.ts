/**
 * Times no event can have (later than the server's clock plus the allowed skew, or out of workflow
 * order) and 大类 codes as an issue's category are refused alike by live ingest, workflow events
 * and file imports, with the database unchanged. The clock is the injected one (FIXTURE_NOW), not
 * the system time: a time an hour after FIXTURE_NOW lies in the real past, yet is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../server/app.ts';
import { formatProblem } from '../../../server/import/problems.ts';
import { cityApp, FIXTURE_NOW, type TestApp } from '../../helpers/app.ts';
import { fingerprint } from '../../helpers/db.ts';
import { postJson } from './helpers.ts';

let t: TestApp;

beforeAll(async () => {
  t = await cityApp();
});
afterAll(async () => t.cleanup());

type Rejected = { error: { code: string; message: string; details: { field: string | null; code: string; reason: string }[] } };
type ImportRejected = { error: { code: string; details: { file: string; errors: { index?: number; id?: string; field?: string; code: string; reason: string }[] } } };

const MINUTE = 60_000;
/** An instant `minutes` after the test clock, in Shanghai time. */
const later = (minutes: number) => new Date(FIXTURE_NOW.getTime() + minutes * MINUTE).toISOString();
const report = (extra: Record<string, unknown>) => ({ clientId: `t-${Math.random()}`, category: '0101', lon: 102.72, lat: 24.97, reportedAt: '2026-11-20T09:00:00+08:00', ...extra });

/** Runs `send`, expects the database not to change, and returns the answer. */
async function unchanged(send: () => Response | Promise<Response>): Promise<Response> {
  const before = await fingerprint(t.db);
  const res = await send();
  await res.clone().arrayBuffer();
  expect(await fingerprint(t.db)).toEqual(before);
  return res;
}

describe('event times on ingest', () => {
  for (const field of ['closedAt', 'openedAt', 'dispatchedAt', 'reportedAt'] as const) {
    it(`refuses ${field} in 2099 with 422 naming the field`, async () => {
      const status = { closedAt: 'closed', openedAt: 'opened', dispatchedAt: 'dispatched', reportedAt: 'reported' }[field];
      const res = await unchanged(() => postJson(t.app, '/api/issues', report({ status, [field]: '2099-01-01T00:00:00+08:00' })));
      expect(res.status).toBe(422);
      const body = (await res.json()) as Rejected;
      expect(body.error.code).toBe('invalid_issue');
      expect(body.error.details).toContainEqual(expect.objectContaining({ field, code: 'in_future' }));
    });
  }

  it('measures "the future" by the server clock plus 10 minutes of skew, not by the system time', async () => {
    // FIXTURE_NOW + 11 min is long past by the system clock, and still refused.
    const late = await unchanged(() => postJson(t.app, '/api/issues', report({ status: 'closed', closedAt: later(11), immediate: true, reportedAt: later(-60) })));
    expect(late.status).toBe(422);
    expect(((await late.json()) as Rejected).error.details[0]!.reason).toMatch(/closed_at .* is in the future .*10 min/);
    const skewed = await postJson(t.app, '/api/issues', report({ status: 'closed', closedAt: later(9), reportedAt: later(-60) }));
    expect(skewed.status, await skewed.clone().text()).toBe(201);
  });

  it('takes the skew from the app (CIVGRID_CLOCK_SKEW_MINUTES)', async () => {
    const strict = createApp({ ...t.deps, clockSkewMs: 0 });
    const res = await postJson(strict, '/api/issues', report({ reportedAt: later(1) }));
    expect(res.status).toBe(422);
  });

  it('refuses events out of workflow order', async () => {
    const res = await unchanged(() => postJson(t.app, '/api/issues', report({
      status: 'closed', openedAt: '2026-11-20T10:00:00+08:00', dispatchedAt: '2026-11-20T09:30:00+08:00', closedAt: '2026-11-20T12:00:00+08:00',
    })));
    expect(res.status).toBe(422);
    expect(((await res.json()) as Rejected).error.details).toEqual([expect.objectContaining({ field: 'dispatchedAt', code: 'timestamps_out_of_order' })]);
  });

  it('accepts a deadline in the future', async () => {
    const res = await postJson(t.app, '/api/issues', report({ status: 'dispatched', dispatchedAt: '2026-11-20T09:10:00+08:00', deadline: '2027-03-01T00:00:00+08:00' }));
    expect(res.status, await res.clone().text()).toBe(201);
  });

  it('refuses a workflow event later than the server clock plus skew', async () => {
    const res = await unchanged(() => postJson(t.app, '/api/issues/I02/events', { type: 'handled', actor: '甲', at: later(11) }));
    expect(res.status).toBe(422);
    expect(((await res.json()) as Rejected).error.details).toEqual([expect.objectContaining({ field: 'at', code: 'in_future' })]);
  });
});

/** POSTs a file to the import endpoint. */
const importFile = (kind: string, filename: string, body: string) => t.app.request(`/api/import/${kind}?filename=${filename}`, { method: 'POST', body });

describe('event times in file imports', () => {
  const files: [string, string, string][] = [
    ['late.csv', 'closed_at', `id,category,status,reported_at,dispatched_at,closed_at,lon,lat\nT1,0101,closed,2026-11-20T09:00:00+08:00,2026-11-20T09:30:00+08:00,2026-11-20T10:00:00+08:00,102.72,24.97\nT2,0101,closed,2026-11-20T09:00:00+08:00,2026-11-20T09:30:00+08:00,${later(60)},102.72,24.97\n`],
    ['late.ndjson', 'dispatched_at', `${JSON.stringify({ type: 'Feature', properties: { id: 'T1', category: '0101', status: 'dispatched', reported_at: '2026-11-20T09:00:00+08:00', dispatched_at: later(60) }, geometry: { type: 'Point', coordinates: [102.72, 24.97] } })}\n`],
    ['late.geojson', 'opened_at', JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { id: 'T1', category: '0101', status: 'opened', reported_at: '2026-11-20T09:00:00+08:00', opened_at: later(60) }, geometry: { type: 'Point', coordinates: [102.72, 24.97] } }] })],
  ];
  for (const [file, field, body] of files) {
    it(`rejects ${file} whole, naming file, feature, id, field and reason`, async () => {
      const res = await unchanged(() => importFile('issues', file, body));
      expect(res.status).toBe(422);
      const { details } = ((await res.json()) as ImportRejected).error;
      const problem = details.errors[0]!;
      expect(problem).toMatchObject({ field, code: 'in_future' });
      const line = formatProblem(details.file, problem);
      expect(line).toMatch(new RegExp(`^${file.replace('.', '\\.')}: feature #${file.endsWith('.csv') ? 1 : 0} \\(id T${file.endsWith('.csv') ? 2 : 1}\\) field ${field}: ${field} .* is in the future`));
    });
  }
});

describe('a 大类 as category', () => {
  it('is refused on ingest, naming its 小类', async () => {
    const res = await unchanged(() => postJson(t.app, '/api/issues', report({ category: '01' })));
    expect(res.status).toBe(422);
    const { details } = ((await res.json()) as Rejected).error;
    expect(details).toEqual([expect.objectContaining({ field: 'category', code: 'not_a_leaf' })]);
    expect(details[0]!.reason).toMatch(/"01" \(市容环境\) is a 大类.*0101 暴露垃圾, 0102 乱张贴小广告/);
  });

  it('is refused in a file import', async () => {
    const res = await unchanged(() => importFile('issues', 'major.csv', 'id,category,reported_at,lon,lat\nM1,0101,2026-11-20T09:00:00+08:00,102.72,24.97\nM2,02,2026-11-20T09:00:00+08:00,102.72,24.97\n'));
    expect(res.status).toBe(422);
    const problem = ((await res.json()) as ImportRejected).error.details.errors[0]!;
    expect(problem).toMatchObject({ index: 1, id: 'M2', field: 'category', code: 'not_a_leaf' });
    expect(problem.reason).toMatch(/is a 大类.*0201 占道经营/);
  });

  it('is refused when it has no 小类 at all', async () => {
    const added = await importFile('categories', 'lonely.json', JSON.stringify([{ code: '09', kind: 'event', name: '孤立大类' }]));
    expect(added.status).toBe(200);
    const res = await unchanged(() => postJson(t.app, '/api/issues', report({ category: '09' })));
    expect(res.status).toBe(422);
    expect(((await res.json()) as Rejected).error.details[0]!.reason).toMatch(/大类 without any 小类/);
  });
});
