/**
 * The bad-input corpus: every file in tests/fixtures/bad through the HTTP import, and a table of
 * bad requests to every write and read endpoint. Each must get its specific error and leave the
 * database exactly as it was (same row count and checksum in every table).
 */
import iconv from 'iconv-lite';
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cityApp, type TestApp } from '../../helpers/app.ts';
import { fingerprint } from '../../helpers/db.ts';

const BAD = 'tests/fixtures/bad';

let t: TestApp;
let admin: (path: string, init?: RequestInit) => Promise<Response>;
let draft: number;

beforeAll(async () => {
  // A low vertex limit, so the corpus's oversized feature stays a small file.
  t = await cityApp({ importMaxVertices: 1000 }, { anonymous: undefined });
  admin = t.as(await t.tokenFor('admin'));
  const res = await admin('/api/plans', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: '坏输入测试' }) });
  draft = ((await res.json()) as { id: number }).id;
});
afterAll(async () => t.cleanup());

type ErrorBody = { error: { code: string; message: string; details?: unknown } };
type Report = { errors: { code: string; field?: string; index?: number }[] };

/** Runs `send` and checks the database did not change. */
async function unchanged(send: () => Promise<Response>): Promise<Response> {
  const before = await fingerprint(t.db);
  const res = await send();
  await res.clone().arrayBuffer();
  expect(await fingerprint(t.db)).toEqual(before);
  return res;
}

// [file, import kind, problem code, field (undefined: not checked)]
const FILES: [string, string, string, string | null | undefined][] = [
  ['broken-json.geojson', 'issues', 'unreadable', undefined],
  ['categories-bad-limit-unit.json', 'categories', 'invalid', 'limit_unit'],
  ['categories-duplicate-codes.json', 'categories', 'duplicate_id', 'id'],
  ['categories-unknown-parent.json', 'categories', 'unknown_parent', 'parent'],
  ['grids-bowtie-multipolygon.geojson', 'grids', 'self_intersection', 'geometry'],
  ['grids-broken-line.ndjson', 'grids', 'unreadable', 'line 2'],
  ['grids-crossing-community.ndjson', 'grids', 'plan_not_publishable', 'plan'],
  ['grids-duplicate-codes.geojson', 'grids', 'duplicate_id', 'id'],
  ['grids-line-break-in-name.geojson', 'grids', 'control_character', 'name'],
  ['grids-gap.geojson', 'grids', 'plan_not_publishable', 'plan'],
  ['grids-overlap.geojson', 'grids', 'plan_not_publishable', 'plan'],
  ['grids-out-of-range.ndjson', 'grids', 'out_of_range', 'geometry'],
  ['grids-ring-too-short.geojson', 'grids', 'ring_too_short', 'geometry'],
  ['grids-self-intersection.geojson', 'grids', 'self_intersection', 'geometry'],
  ['grids-shapefile-without-dbf.zip', 'grids', 'unreadable', undefined],
  ['grids-string-coordinates.geojson', 'grids', 'bad_coordinates', 'geometry'],
  ['grids-unclosed-ring.geojson', 'grids', 'ring_not_closed', 'geometry'],
  ['grids-unknown-community.geojson', 'grids', 'unknown_community', 'community'],
  ['grids-wrong-geometry-type.geojson', 'grids', 'type_not_allowed', 'geometry'],
  ['grids-hole-outside-shell.geojson', 'grids', 'hole_outside_shell', 'geometry'],
  ['grids-holes-nested.geojson', 'grids', 'holes_overlap', 'geometry'],
  ['grids-overlapping-parts.geojson', 'grids', 'parts_overlap', 'geometry'],
  ['grids-ring-open-in-z.geojson', 'grids', 'ring_not_closed', 'geometry'],
  ['grids-bbox-mismatch.geojson', 'grids', 'bad_bbox', 'geometry'],
  ['grids-crs-on-geometry.geojson', 'grids', 'crs_on_geometry', 'geometry'],
  ['grids-too-many-vertices.geojson', 'grids', 'too_many_vertices', 'geometry'],
  ['grids-outside-regions.geojson', 'grids', 'outside_regions', 'geometry'],
  ['grids-projected-without-prj.zip', 'grids', 'crs_undetermined', 'crs'],
  ['issues-closed-in-future.geojson', 'issues', 'in_future', 'closed_at'],
  ['issues-dispatched-before-opened.csv', 'issues', 'timestamps_out_of_order', 'dispatched_at'],
  ['issues-dispatched-in-future.ndjson', 'issues', 'in_future', 'dispatched_at'],
  ['issues-duplicate-ids.geojson', 'issues', 'duplicate_id', 'id'],
  ['issues-escape-in-address.csv', 'issues', 'control_character', 'address'],
  ['issues-impossible-date.csv', 'issues', 'invalid_timestamp', 'reported_at'],
  ['issues-impossible-date.geojson', 'issues', 'invalid_timestamp', 'reported_at'],
  ['issues-infinite-coordinates.csv', 'issues', 'bad_coordinates', 'geometry'],
  ['issues-missing-category.geojson', 'issues', 'required', 'category'],
  ['issues-mixed-encoding.csv', 'issues', 'mixed_encoding', undefined],
  ['issues-nul-in-description.geojson', 'issues', 'control_character', 'description'],
  ['issues-nan-coordinates.csv', 'issues', 'bad_coordinates', 'geometry'],
  ['issues-not-a-featurecollection.geojson', 'issues', 'unreadable', undefined],
  ['issues-opened-in-future.csv', 'issues', 'in_future', 'opened_at'],
  ['issues-out-of-range.csv', 'issues', 'out_of_range', 'geometry'],
  ['issues-out-of-range.geojson', 'issues', 'out_of_range', 'geometry'],
  ['issues-polygon-geometry.geojson', 'issues', 'type_not_allowed', 'geometry'],
  ['issues-sql-in-values.geojson', 'issues', 'unknown_category', 'category'],
  ['issues-swapped-lonlat.csv', 'issues', 'lonlat_swapped', 'geometry'],
  ['issues-swapped-lonlat.geojson', 'issues', 'lonlat_swapped', 'geometry'],
  ['issues-timestamps-out-of-order.geojson', 'issues', 'timestamps_out_of_order', 'closed_at'],
  ['issues-top-level-category.csv', 'issues', 'not_a_leaf', 'category'],
  ['issues-top-level-category.geojson', 'issues', 'not_a_leaf', 'category'],
  ['issues-truncated.geojson', 'issues', 'unreadable', undefined],
  ['issues-unknown-category.geojson', 'issues', 'unknown_category', 'category'],
  ['issues-unknown-source.geojson', 'issues', 'invalid', 'source'],
  ['issues-unknown-status.csv', 'issues', 'invalid', 'status'],
  ['issues-year-out-of-range.ndjson', 'issues', 'invalid_timestamp', 'reported_at'],
  ['regions-duplicate-codes.geojson', 'regions', 'duplicate_id', 'id'],
  ['regions-missing-geometry.geojson', 'regions', 'missing', 'geometry'],
  ['regions-unknown-parent.geojson', 'regions', 'unknown_parent', 'parent'],
  ['regions-wrong-level.geojson', 'regions', 'invalid', 'level'],
  ['sites-geometry-collection.geojson', 'sites', 'type_not_allowed', 'geometry'],
  ['sites-not-a-zip.zip', 'sites', 'unreadable', undefined],
  ['sites-null-coordinates.geojson', 'sites', 'bad_coordinates', 'geometry'],
  ['sites-unknown-type.geojson', 'sites', 'unknown_site_type', 'type'],
];

describe('bad files through POST /api/import/:kind', () => {
  it('covers every file of the corpus', () => {
    expect(readdirSync(BAD).sort()).toEqual(FILES.map(([f]) => f).sort());
  });

  for (const [file, kind, code, field] of FILES) {
    it(`${file} → 422 ${code}`, async () => {
      const res = await unchanged(() => admin(`/api/import/${kind}?filename=${encodeURIComponent(file)}`, { method: 'POST', body: readFileSync(`${BAD}/${file}`) }));
      expect(res.status).toBe(422);
      const body = (await res.json()) as ErrorBody & { error: { details: Report } };
      expect(body.error.code).toBe('import_rejected');
      const problem = body.error.details.errors[0]!;
      expect(problem.code, JSON.stringify(body.error.details.errors)).toBe(code);
      if (field !== undefined) expect(problem.field ?? null).toBe(field);
    });
  }

  it('a GBK row far past the encoding sniff is still refused as mixed_encoding', async () => {
    let rows = 'id,category,source,status,reported_at,lon,lat,description\n';
    for (let i = 0; rows.length < 70_000; i++) rows += `L${i},0101,patrol,reported,2026-11-01T09:00:00+08:00,102.72,24.97,路边垃圾第${i}处\n`;
    const body = Buffer.concat([Buffer.from(rows), iconv.encode('G1,0101,patrol,reported,2026-11-01T09:00:00+08:00,102.72,24.97,乱张贴\n', 'gbk')]);
    const big = await cityApp({ importMaxBytes: 1024 * 1024 });
    try {
      const res = await big.app.request('/api/import/issues?filename=late.csv', { method: 'POST', body });
      const details = ((await res.json()) as { error: { details: Report } }).error.details;
      expect(details.errors[0]!.code).toBe('mixed_encoding');
    } finally {
      await big.cleanup();
    }
  });
});

const json = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
const put = (body: unknown) => ({ ...json(body), method: 'PUT' });
const issue = (extra: Record<string, unknown>) => ({ clientId: `bad-${Math.random()}`, category: '0101', lon: 102.72, lat: 24.97, ...extra });
const SQL = `0101' OR '1'='1'; DROP TABLE issues; --`;
const BOWTIE = { type: 'Polygon', coordinates: [[[102.76, 24.9], [102.77, 24.91], [102.77, 24.9], [102.76, 24.91], [102.76, 24.9]]] };

// [name, path, init (or a function of the draft plan id), status, error code]
type Case = [string, string | (() => string), RequestInit | undefined, number, string];
const REQUESTS: Case[] = [
  ['ingest: broken JSON', '/api/issues', json('{"clientId": "x", "category": '), 400, 'invalid_body'],
  ['ingest: NaN coordinate', '/api/issues', json('{"clientId":"n","category":"0101","lon":NaN,"lat":24.97}'), 400, 'invalid_body'],
  ['ingest: coordinate as text "NaN"', '/api/issues', json(issue({ lon: 'NaN' })), 400, 'invalid_body'],
  ['ingest: latitude out of range', '/api/issues', json(issue({ lat: 95 })), 422, 'invalid_issue'],
  ['ingest: swapped lon/lat', '/api/issues', json(issue({ lon: 24.97, lat: 102.72 })), 422, 'invalid_issue'],
  ['ingest: unknown category', '/api/issues', json(issue({ category: '9999' })), 422, 'invalid_issue'],
  ['ingest: SQL in the category', '/api/issues', json(issue({ category: SQL })), 400, 'invalid_body'],
  ['ingest: impossible date', '/api/issues', json(issue({ reportedAt: '2026-02-30T10:00:00+08:00' })), 422, 'invalid_issue'],
  ['ingest: report from the future', '/api/issues', json(issue({ reportedAt: '2030-01-01T10:00:00+08:00' })), 422, 'invalid_issue'],
  ['ingest: closed in 2099', '/api/issues', json(issue({ status: 'closed', reportedAt: '2026-11-20T10:00:00+08:00', closedAt: '2099-01-01T00:00:00+08:00' })), 422, 'invalid_issue'],
  ['ingest: opened in 2099', '/api/issues', json(issue({ status: 'opened', reportedAt: '2026-11-20T10:00:00+08:00', openedAt: '2099-01-01T00:00:00+08:00' })), 422, 'invalid_issue'],
  ['ingest: dispatched in 2099', '/api/issues', json(issue({ status: 'dispatched', reportedAt: '2026-11-20T10:00:00+08:00', dispatchedAt: '2099-01-01T00:00:00+08:00' })), 422, 'invalid_issue'],
  ['ingest: dispatched before opened', '/api/issues', json(issue({ status: 'dispatched', reportedAt: '2026-11-20T10:00:00+08:00', openedAt: '2026-11-20T12:00:00+08:00', dispatchedAt: '2026-11-20T11:00:00+08:00' })), 422, 'invalid_issue'],
  ['ingest: a 大类 as category', '/api/issues', json(issue({ category: '01' })), 422, 'invalid_issue'],
  ['ingest: id of another issue', '/api/issues', json(issue({ id: 'I01' })), 409, 'duplicate_id'],
  ['ingest: id with a path in it', '/api/issues', json(issue({ id: '../../I01' })), 400, 'invalid_body'],
  ['ingest: body over 1 MB', '/api/issues', json(issue({ description: 'x'.repeat(1_100_000) })), 413, 'too_large'],
  ['ingest: array instead of object', '/api/issues', json([issue({})]), 400, 'invalid_body'],
  ['ingest: NUL in the description', '/api/issues', json(issue({ description: '路边垃圾\u0000已清理' })), 400, 'invalid_body'],
  ['ingest: escape sequence in the address', '/api/issues', json(issue({ address: '双桥村\u001b[2J' })), 400, 'invalid_body'],
  ['ingest: line break in the address', '/api/issues', json(issue({ address: '双桥村\n8号' })), 400, 'invalid_body'],
  ['ingest: NUL in the clientId', '/api/issues', json(issue({ clientId: 'app-1\u0000' })), 400, 'invalid_body'],
  ['ingest: C1 control in the source', '/api/issues', json(issue({ source: 'patrol\u0085' })), 400, 'invalid_body'],
  ['event: NUL in the note', '/api/issues/I02/events', json({ type: 'opened', actor: '甲', note: '已立案\u0000' }), 400, 'invalid_body'],
  ['event: line break in the actor', '/api/issues/I02/events', json({ type: 'opened', actor: '甲\n乙' }), 400, 'invalid_body'],
  ['event: illegal transition', '/api/issues/I01/events', json({ type: 'dispatched', actor: '甲' }), 409, 'illegal_transition'],
  ['event: unknown type', '/api/issues/I02/events', json({ type: 'teleported', actor: '甲' }), 400, 'invalid_body'],
  ['event: SQL as issue id', `/api/issues/${encodeURIComponent("I01' OR '1'='1")}/events`, json({ type: 'opened', actor: '甲' }), 404, 'not_found'],
  ['event: impossible date', '/api/issues/I02/events', json({ type: 'opened', actor: '甲', at: '2026-13-01T00:00:00' }), 400, 'invalid_body'],
  ['event: handled in 2099', '/api/issues/I02/events', json({ type: 'handled', actor: '甲', at: '2099-01-01T00:00:00+08:00' }), 422, 'invalid_event'],
  ['import: unknown kind', '/api/import/people?filename=a.geojson', { method: 'POST', body: '{}' }, 400, 'invalid_parameter'],
  ['import: executable file name', `/api/import/sites?filename=${encodeURIComponent('..\\..\\windows\\evil.exe')}`, { method: 'POST', body: 'MZ' }, 400, 'invalid_parameter'],
  ['import: no body', '/api/import/sites?filename=a.geojson', { method: 'POST' }, 400, 'empty_body'],
  ['import: issues as a draft', '/api/import/issues?filename=a.geojson&asDraft=1', { method: 'POST', body: '{}' }, 400, 'invalid_parameter'],
  ['import: a draft and a plan at once', '/api/import/grids?filename=a.geojson&asDraft=1&plan=1', { method: 'POST', body: '{}' }, 400, 'invalid_parameter'],
  ['import: file over the cap', '/api/import/issues?filename=big.geojson', { method: 'POST', body: 'x'.repeat(70 * 1024) }, 413, 'too_large'],
  ['import: bad CRS', '/api/import/issues?filename=a.geojson&crs=EPSG:99999', { method: 'POST', body: readFileSync(`${BAD}/issues-unknown-category.geojson`) }, 422, 'import_rejected'],
  ['plans: broken JSON', '/api/plans', json('{"name":'), 400, 'invalid_body'],
  ['plans: edit the published plan', '/api/plans/1/grids/530111001001001', put({ name: '改名' }), 409, 'not_editable'],
  ['plans: split with a point', () => `/api/plans/${draft}/split`, json({ grid: '530111002001001', line: { type: 'Point', coordinates: [102.76, 24.9] } }), 400, 'invalid_body'],
  ['plans: self-intersecting outline', () => `/api/plans/${draft}/grids/530111002001001`, put({ geometry: BOWTIE }), 422, 'invalid_geometry'],
  ['plans: vertex at NaN', () => `/api/plans/${draft}/vertices`, json('{"op":"move","at":[NaN,24.9],"to":[102.7,24.9]}'), 400, 'invalid_body'],
  ['plans: vertex out of range', () => `/api/plans/${draft}/vertices`, json({ op: 'delete', at: [302.7, 24.9] }), 400, 'invalid_body'],
  ['plans: NUL in a draft name', '/api/plans', json({ name: '方案\u0000二' }), 400, 'invalid_body'],
  ['plans: escape in an inspector', () => `/api/plans/${draft}/grids/530111002001001`, put({ inspector: '王\u001b[0m' }), 400, 'invalid_body'],
  ['import: control character in the file name', `/api/import/issues?filename=${encodeURIComponent('a\u0007.geojson')}`, { method: 'POST', body: '{}' }, 400, 'invalid_parameter'],
  ['users: unknown role', '/api/users', json({ name: '某人', role: 'superadmin' }), 400, 'invalid_body'],
  ['users: revoke with SQL', `/api/users/${encodeURIComponent('1 OR 1=1')}`, { method: 'DELETE' }, 400, 'invalid_parameter'],
  ['backups: path traversal in the name', '/api/backups', json({ name: '../../etc' }), 400, 'invalid_body'],
  ['read: SQL in scope', `/api/stats/summary?scope=${encodeURIComponent("street:1' OR '1'='1")}`, undefined, 400, 'invalid_parameter'],
  ['read: SQL in category', `/api/issues?category=${encodeURIComponent(SQL)}`, undefined, 400, 'invalid_parameter'],
  ['read: impossible date', '/api/stats/summary?from=2026-02-30', undefined, 400, 'invalid_parameter'],
  ['read: NaN in bbox', '/api/issues?bbox=NaN,24,103,25', undefined, 400, 'invalid_parameter'],
  ['read: bbox out of range', '/api/issues?bbox=200,24,201,25', undefined, 400, 'invalid_parameter'],
  ['read: forged cursor', '/api/issues?cursor=eyJ4IjoxfQ', undefined, 400, 'invalid_parameter'],
  ['read: zoom not a number', '/api/heat?zoom=abc&bbox=102.7,24.9,102.8,25', undefined, 400, 'invalid_parameter'],
  ['read: unknown scope', '/api/stats/summary?scope=street:999999999', undefined, 400, 'invalid_parameter'],
  ['read: unknown API path', '/api/nothing', undefined, 404, 'not_found'],
  ['read: known API path with a trailing slash', '/api/health/', undefined, 404, 'not_found'],
  ['write: unknown API path', '/api/nothing', json({ name: 'x' }), 404, 'not_found'],
  ['read: SQL in the audit actor answers nothing', `/api/audit?actor=${encodeURIComponent("' OR 1=1 --")}`, undefined, 200, ''],
];

describe('bad requests', () => {
  it('the corpus has at least 40 files and requests', () => {
    expect(FILES.length + REQUESTS.length).toBeGreaterThanOrEqual(80);
  });

  for (const [name, path, init, status, code] of REQUESTS) {
    it(`${name} → ${status} ${code}`, async () => {
      const url = typeof path === 'function' ? path() : path;
      const res = await unchanged(() => admin(url, init));
      const text = await res.text();
      expect(res.status, text.slice(0, 300)).toBe(status);
      if (code) expect((JSON.parse(text) as ErrorBody).error.code).toBe(code);
      else expect(JSON.parse(text)).toMatchObject({ items: [] });
      // Errors name what was wrong but never echo internals.
      expect(text).not.toMatch(/\bat \S+\.ts:\d+|SELECT |INSERT |duckdb/i);
    });
  }
});
