/**
 * The one error contract: invalid input — a query or path parameter, a JSON body that does not
 * parse or does not match the schema — is 400 on every write route family; domain errors thrown
 * anywhere below a route get their status from one map (server/errors.ts).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../server/app.ts';
import type { Database } from '../../../server/db/database.ts';
import { ConflictError, InvalidInputError, NotFoundError, RuleError } from '../../../server/domain/errors.ts';
import { errorResponse } from '../../../server/errors.ts';
import { cityApp, type TestApp } from '../../helpers/app.ts';

const send = (method: string, body: string) => ({ method, headers: { 'content-type': 'application/json' }, body });

let t: TestApp;
let draft: number;
beforeAll(async () => {
  t = await cityApp();
  draft = ((await (await t.app.request('/api/plans', send('POST', JSON.stringify({ name: 'contract' })))).json()) as { id: number }).id;
});
afterAll(async () => t.cleanup());

type ErrorBody = { error: { code: string; message: string; details?: unknown } };

async function errorOf(path: string, init?: RequestInit): Promise<{ status: number; error: ErrorBody['error'] }> {
  const res = await t.app.request(path, init);
  return { status: res.status, error: ((await res.json()) as ErrorBody).error };
}

// [family, method, path of a JSON write, a body of the wrong shape]
const JSON_WRITES: [string, string, string, unknown][] = [
  ['issues', 'POST', '/api/issues', { clientId: 'c', category: '0101', lon: 'east', lat: 24.97 }],
  ['issue events', 'POST', '/api/issues/I02/events', { type: 'teleported', actor: '甲' }],
  ['plans', 'POST', '/api/plans', { name: '' }],
  ['plan edits', 'POST', '/api/plans/1/merge', { grids: ['one'] }],
  ['users', 'POST', '/api/users', { name: '某人', role: 'superadmin' }],
  ['backups', 'POST', '/api/backups', { name: '../../etc' }],
];

// [family, method, path with one bad query or path parameter, the parameter]
const BAD_PARAMETERS: [string, string, string | (() => string), string][] = [
  ['issues', 'POST', `/api/issues/${'x'.repeat(65)}/events`, 'id'],
  ['plans', 'POST', '/api/plans/draft/undo', 'id'],
  ['plan import', 'POST', () => `/api/plans/${draft}/import?filename=grids.exe`, 'filename'],
  ['users', 'DELETE', '/api/users/first', 'id'],
  ['import', 'POST', '/api/import/people?filename=a.geojson', 'kind'],
  ['import', 'POST', '/api/import/issues?filename=a.geojson&crs=EPSG:4326&crs=EPSG:3857', 'crs'],
];

describe('invalid input is 400 on every write route family', () => {
  for (const [family, method, path] of JSON_WRITES) {
    it(`${family}: broken JSON → 400 invalid_body`, async () => {
      const { status, error } = await errorOf(path, send(method, '{"name": '));
      expect(status).toBe(400);
      expect(error).toMatchObject({ code: 'invalid_body', details: [{ field: null, code: 'malformed_json' }] });
    });
  }

  for (const [family, method, path, body] of JSON_WRITES) {
    it(`${family}: a body of the wrong shape → 400 invalid_body naming the field`, async () => {
      const { status, error } = await errorOf(path, send(method, JSON.stringify(body)));
      expect(status).toBe(400);
      expect(error.code).toBe('invalid_body');
      expect((error.details as { field: string | null }[])[0]!.field).toBeTypeOf('string');
    });
  }

  for (const [family, method, path, parameter] of BAD_PARAMETERS) {
    it(`${family}: a bad ${parameter} → 400 invalid_parameter`, async () => {
      const { status, error } = await errorOf(typeof path === 'string' ? path : path(), { method, body: 'x' });
      expect(status).toBe(400);
      expect(error).toMatchObject({ code: 'invalid_parameter', details: [{ parameter }] });
    });
  }

  it('a rejected import file keeps its report, as a 422 rule refusal', async () => {
    const file = readFileSync('tests/fixtures/bad/broken-json.geojson');
    const { status, error } = await errorOf('/api/import/issues?filename=broken.geojson', { method: 'POST', body: file });
    expect(status).toBe(422);
    expect(error.code).toBe('import_rejected');
    expect(error.details).toMatchObject({ ok: false, errors: [{ code: 'unreadable' }] });
  });
});

describe('domain errors map to their status in one place', () => {
  it('maps each kind', () => {
    const statusOf = (err: unknown) => errorResponse(err)?.status;
    expect(statusOf(new InvalidInputError('x', 'x'))).toBe(400);
    expect(statusOf(new NotFoundError('x', 'x'))).toBe(404);
    expect(statusOf(new ConflictError('x', 'x'))).toBe(409);
    expect(statusOf(new RuleError('x', 'x'))).toBe(422);
    expect(errorResponse(new Error('a bug'))).toBeNull();
  });

  it('a domain error thrown deep in a service reaches the client with its status, code and details', async () => {
    // The KPI service's first query refuses by a rule: nothing in the route catches it.
    const refusing = new Proxy(t.db, {
      get(target, prop, receiver) {
        if (prop === 'one' || prop === 'all') {
          return async () => {
            throw new RuleError('synthetic_rule', 'refused deep in the service', { why: 'a test' });
          };
        }
        return Reflect.get(target, prop, receiver) as unknown;
      },
    }) as Database;
    const res = await createApp({ ...t.deps, db: refusing }).request('/api/stats/summary');
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({ error: { code: 'synthetic_rule', message: 'refused deep in the service', details: { why: 'a test' } } });
  });

  it('real ones: an unknown plan is 404, a taken backup name 409, a line that misses the grid 422', async () => {
    expect(await errorOf('/api/plans/999')).toMatchObject({ status: 404, error: { code: 'plan_not_found' } });
    const backup = send('POST', JSON.stringify({ name: 'contract' }));
    expect((await t.app.request('/api/backups', backup)).status).toBe(201);
    expect(await errorOf('/api/backups', backup)).toMatchObject({ status: 409, error: { code: 'backup_exists' } });
    const line = { type: 'LineString', coordinates: [[0.1, 0.1], [0.2, 0.2]] };
    const split = await errorOf(`/api/plans/${draft}/split`, send('POST', JSON.stringify({ grid: '530111002001001', line })));
    expect(split).toMatchObject({ status: 422, error: { code: 'line_must_cross_twice' } });
  });
});
