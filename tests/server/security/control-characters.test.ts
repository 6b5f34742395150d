/**
 * Control characters in text are refused on every way in — JSON bodies and imported files —
 * by the one rule of server/domain/text.ts, with the field named; the multi-line fields keep
 * their line breaks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatProblem } from '../../../server/import/problems.ts';
import { cityApp, type TestApp } from '../../helpers/app.ts';
import { fingerprint } from '../../helpers/db.ts';
import { postJson } from '../issues/helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await cityApp();
});
afterAll(async () => t.cleanup());

type Refusal = { error: { code: string; details: { field: string; code: string; reason: string }[] } };
const issue = (n: number, extra: Record<string, unknown>) => ({ clientId: `ctl-${n}`, category: '0101', lon: 102.72, lat: 24.97, reportedAt: '2026-11-25T10:00:00+08:00', ...extra });

describe('control characters over HTTP', () => {
  it('ingest: 400 naming the field and the character, nothing stored', async () => {
    const before = await fingerprint(t.db);
    const res = await postJson(t.app, '/api/issues', issue(1, { description: 'ok', address: '双桥村\u0000 8 号' }));
    expect(res.status).toBe(400);
    const body = (await res.json()) as Refusal;
    expect(body.error.code).toBe('invalid_body');
    expect(body.error.details).toEqual([{ field: 'address', code: 'control_character', reason: 'address contains the control character U+0000 at position 4; it is a single-line field' }]);
    expect(await fingerprint(t.db)).toEqual(before);
  });

  it('ingest: a description keeps its line breaks and tabs', async () => {
    const res = await postJson(t.app, '/api/issues', issue(2, { description: '路边垃圾\r\n已拍照\t待清理' }));
    expect(res.status).toBe(201);
    const row = await t.db.one<{ description: string }>("SELECT description FROM issues WHERE client_id = 'ctl-2'");
    expect(row?.description).toBe('路边垃圾\r\n已拍照\t待清理');
  });

  it('workflow event: the note may span lines, the actor may not', async () => {
    const actor = await postJson(t.app, '/api/issues/I06/events', { type: 'opened', actor: '李\r娜' });
    expect(actor.status).toBe(400);
    expect(((await actor.json()) as Refusal).error.details[0]).toMatchObject({ field: 'actor', code: 'control_character' });
    const note = await postJson(t.app, '/api/issues/I06/events', { type: 'opened', actor: '李娜', note: '已立案\n转城管' });
    expect(note.status).toBe(200);
  });

  it('nested fields are named by their path', async () => {
    const res = await postJson(t.app, '/api/plans', { name: '方案\u001b' });
    expect(((await res.json()) as Refusal).error.details[0]).toMatchObject({ field: 'name', code: 'control_character' });
  });
});

describe('control characters in imported files', () => {
  it('the report names the file, the feature, the field and the character; nothing is written', async () => {
    const before = await fingerprint(t.db);
    const csv = 'id,category,reported_at,lon,lat,description,address\n'
      + 'C1,0101,2026-11-01T09:00:00+08:00,102.72,24.97,"第一行\n第二行",双桥村\n'
      + 'C2,0101,2026-11-01T09:00:00+08:00,102.72,24.97,垃圾\u0000,双桥村\n';
    const res = await t.app.request('/api/import/issues?filename=feed.csv', { method: 'POST', body: csv });
    expect(res.status).toBe(422);
    const report = ((await res.json()) as { error: { details: { file: string; errors: { index: number; id: string; field: string; code: string; reason: string }[] } } }).error.details;
    expect(report.errors).toEqual([{ index: 1, id: 'C2', field: 'description', code: 'control_character', reason: 'description contains the control character U+0000 at position 3; only tab and line breaks are allowed' }]);
    expect(formatProblem(report.file, report.errors[0]!)).toBe('feed.csv: feature #1 (id C2) field description: description contains the control character U+0000 at position 3; only tab and line breaks are allowed [control_character]');
    expect(await fingerprint(t.db)).toEqual(before);
  });

  it('an id with a control character is refused without echoing it', async () => {
    const geojson = JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { id: 'X\u001b[2J', category: '0101', reported_at: '2026-11-01T09:00:00+08:00' }, geometry: { type: 'Point', coordinates: [102.72, 24.97] } }] });
    const res = await t.app.request('/api/import/issues?filename=x.geojson', { method: 'POST', body: geojson });
    const [problem] = ((await res.json()) as { error: { details: { errors: Record<string, unknown>[] } } }).error.details.errors;
    expect(problem).toEqual({ index: 0, field: 'id', code: 'control_character', reason: expect.stringMatching(/^id contains the control character U\+001B/) as unknown });
  });
});
