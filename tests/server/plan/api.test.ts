import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../../server/app.ts';
import { cityApp, type Fetch, type TestApp } from '../../helpers/app.ts';

/** One plan's life through the API: draft → edits → undo/redo → validate → metrics → diff → publish. */
const USER = '王规划';
type Json = Record<string, any>;

let t: TestApp;
/** Requests as the planner 王规划 (a real token), so change logs name them. */
let planner: Fetch;
beforeAll(async () => {
  t = await cityApp();
  planner = t.as(await t.tokenFor('planner', USER));
});
afterAll(async () => t.cleanup());

async function call(method: string, path: string, body?: unknown, as = planner): Promise<{ status: number; body: Json }> {
  const res = await as(path, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Json };
}

/** Imports `body` as `filename` into draft `id` through the planner's import route. */
async function importInto(id: number, filename: string, body: BodyInit): Promise<{ status: number; body: Json }> {
  const res = await planner(`/api/plans/${id}/import?filename=${encodeURIComponent(filename)}`, { method: 'POST', body });
  return { status: res.status, body: (await res.json()) as Json };
}

const HEPING_1 = '530111002001001';
const GUANSHANG_1 = '530111001001001';
const GUANSHANG_2 = '530111001001002';
/** A line drawn northwards through 和平路社区第1网格 at 102.76°E; issue I03 (102.765°E) lies east of it. */
const SPLIT_LINE = { type: 'LineString', coordinates: [[102.76, 24.89], [102.76, 24.96]] };

const gridOf = (metrics: Json, code: string): Json => (metrics.grids as Json[]).find((g) => g.code === code)!;

async function issuesPerCommunity() {
  return t.db.all<{ community: string | null; n: number }>('SELECT community, count(*) AS n FROM issues GROUP BY community ORDER BY community');
}

describe('plans API round trip', () => {
  let draft: number;
  let perCommunity: { community: string | null; n: number }[];

  it('lists the published plan', async () => {
    const { status, body } = await call('GET', '/api/plans');
    expect(status).toBe(200);
    expect(body).toEqual([expect.objectContaining({ id: 1, name: '初始方案', status: 'published', grids: 8 })]);
    perCommunity = await issuesPerCommunity();
  });

  it('creates a draft copying the published plan, with the author from the token', async () => {
    const { status, body } = await call('POST', '/api/plans', { name: '2027 调整方案' });
    expect(status).toBe(201);
    expect(body).toMatchObject({ name: '2027 调整方案', status: 'draft', basedOn: 1, author: USER, grids: 8 });
    draft = body.id;
    const got = await call('GET', `/api/plans/${draft}`);
    expect(got.body.grids.type).toBe('FeatureCollection');
    expect(got.body.grids.features).toHaveLength(8);
    expect(got.body.history).toEqual({ undo: 0, redo: 0 });
  });

  it('splits a grid; the metrics follow the issue into its new grid', async () => {
    const before = await call('GET', `/api/plans/${draft}/metrics`);
    expect(gridOf(before.body.plan, HEPING_1).issues).toBe(1);
    const { status, body } = await call('POST', `/api/plans/${draft}/split`, { grid: HEPING_1, line: SPLIT_LINE });
    expect(status).toBe(200);
    expect(body).toMatchObject({ added: [`${HEPING_1}-1`, `${HEPING_1}-2`], removed: [HEPING_1], history: { undo: 1, redo: 0 } });
    const after = await call('GET', `/api/plans/${draft}/metrics`);
    expect(gridOf(after.body.plan, `${HEPING_1}-1`).issues).toBe(0);
    expect(gridOf(after.body.plan, `${HEPING_1}-2`).issues).toBe(1);
    expect(after.body.plan.summary.grids).toBe(9);
    expect(after.body.published).toMatchObject({ id: 1, summary: { grids: 8 } });
    expect(after.body.window.days).toBe(90);
  });

  it('merges, undoes and redoes, recording who did what', async () => {
    const merged = await call('POST', `/api/plans/${draft}/merge`, { grids: [GUANSHANG_1, GUANSHANG_2] });
    expect(merged.body).toMatchObject({ removed: [GUANSHANG_2], changed: [GUANSHANG_1] });
    const undone = await call('POST', `/api/plans/${draft}/undo`);
    expect(undone.body).toMatchObject({ added: [GUANSHANG_2], history: { undo: 1, redo: 1 } });
    const redone = await call('POST', `/api/plans/${draft}/redo`);
    expect(redone.body).toMatchObject({ removed: [GUANSHANG_2], history: { undo: 2, redo: 0 } });
    await call('POST', `/api/plans/${draft}/undo`);
    const log = await call('GET', `/api/plans/${draft}/changes`);
    expect(log.body.map((c: Json) => c.op)).toEqual(['undo', 'redo', 'undo', 'merge', 'split', 'create']);
    expect(log.body[3]).toMatchObject({ author: USER, before: [GUANSHANG_2, GUANSHANG_1], after: [GUANSHANG_1] });
  });

  it('keeps undo history across a server restart', async () => {
    const app = createApp(t.deps);
    const restarted: Fetch = async (path, init) => app.request(path, init);
    const undone = await call('POST', `/api/plans/${draft}/undo`, undefined, restarted);
    expect(undone.body).toMatchObject({ added: [HEPING_1], removed: [`${HEPING_1}-1`, `${HEPING_1}-2`] });
    const redone = await call('POST', `/api/plans/${draft}/redo`, undefined, restarted);
    expect(redone.body.added).toEqual([`${HEPING_1}-1`, `${HEPING_1}-2`]);
  });

  it('moves a shared vertex through /vertices, changing both grids', async () => {
    const inserted = await call('POST', `/api/plans/${draft}/vertices`, { op: 'insert', at: [102.725, 24.93] });
    expect(inserted.body.changed.sort()).toEqual([GUANSHANG_1, GUANSHANG_2]);
    const moved = await call('POST', `/api/plans/${draft}/vertices`, { op: 'move', at: [102.725, 24.93], to: [102.73, 24.93] });
    expect(moved.body.changed.sort()).toEqual([GUANSHANG_1, GUANSHANG_2]);
    const topo = await call('GET', `/api/plans/${draft}/topology?community=530111001001`);
    const shared = topo.body[0].arcs.filter((a: Json) => a.right !== null);
    expect(shared).toHaveLength(1);
    expect(shared[0].coordinates).toContainEqual([102.73, 24.93]);
  });

  it('refuses to publish while validation finds an error, and publishes once it is fixed', async () => {
    // Cutting off the south-west corner of 金太社区第2网格 (right of the line) leaves a ~220 m² sliver.
    const cut = await call('POST', `/api/plans/${draft}/split`, { grid: '530111002002002', line: { type: 'LineString', coordinates: [[102.7749, 24.9503], [102.7753, 24.9499]] } });
    expect(cut.status).toBe(200);
    const found = await call('GET', `/api/plans/${draft}/validate`);
    expect(found.body.errors).toEqual([expect.objectContaining({ code: 'sliver', grids: ['530111002002002-2'] })]);
    expect(found.body.errors[0].bbox).toHaveLength(4);
    const refused = await call('POST', `/api/plans/${draft}/publish`);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'validation_failed', details: { errors: [expect.objectContaining({ code: 'sliver' })] } });
    await call('POST', `/api/plans/${draft}/undo`);
    expect((await call('GET', `/api/plans/${draft}/validate`)).body.errors).toEqual([]);
  });

  it('diffs the draft against the published plan', async () => {
    const { body } = await call('GET', `/api/plans/1/diff/${draft}`);
    expect(body.grids.added).toEqual([`${HEPING_1}-1`, `${HEPING_1}-2`]);
    expect(body.grids.removed).toEqual([HEPING_1]);
    expect(body.grids.changed).toEqual(expect.arrayContaining([{ code: GUANSHANG_1, fields: ['geometry'] }]));
    expect(body.issues.flows).toContainEqual({ from: HEPING_1, to: `${HEPING_1}-2`, count: 1 });
    expect(body.issues.moved).toBe(body.issues.flows.reduce((s: number, f: Json) => s + f.count, 0));
  });

  it('publishes in one go: old plan archived, issues re-assigned, old assignment kept in history', async () => {
    const bulk = vi.spyOn(t.db, 'duringImport');
    const { status, body } = await call('POST', `/api/plans/${draft}/publish`);
    expect(status).toBe(200);
    // The district's re-assignment runs under the import memory limit, like a file import.
    expect(bulk).toHaveBeenCalledTimes(1);
    bulk.mockRestore();
    expect(body).toMatchObject({ plan: { id: draft, status: 'published' }, archived: 1, reassigned: { issues: 8, sites: 3 } });
    const plans = await call('GET', '/api/plans');
    expect(plans.body.map((p: Json) => p.status)).toEqual(['archived', 'published']);
    const health = await call('GET', '/api/health');
    expect(health.body.counts.grids).toBe(9);
    expect(await issuesPerCommunity()).toEqual(perCommunity);
    const i03 = await t.db.one<{ grid_code: string }>(`SELECT grid_code FROM issues WHERE id = 'I03'`);
    expect(i03!.grid_code).toBe(`${HEPING_1}-2`);
    const history = await t.db.one<{ grid_code: string }>(`SELECT grid_code FROM issue_grid_history WHERE plan_id = 1 AND issue_id = 'I03'`);
    expect(history!.grid_code).toBe(HEPING_1);
    expect((await t.db.one<{ n: number }>('SELECT count(*) AS n FROM issue_grid_history WHERE plan_id = 1'))!.n).toBe(8);
  });

  it('no longer lets anyone edit the published plan', async () => {
    const { status, body } = await call('POST', `/api/plans/${draft}/merge`, { grids: [GUANSHANG_1, GUANSHANG_2] });
    expect(status).toBe(409);
    expect(body.error.code).toBe('not_editable');
  });

  it('exports GeoJSON that re-imports into an empty draft unchanged', async () => {
    const res = await t.app.request(`/api/plans/${draft}/export?format=geojson`);
    expect(res.headers.get('content-disposition')).toContain(`plan-${draft}.geojson`);
    const exported = (await res.json()) as Json;
    const empty = await call('POST', '/api/plans', { name: '导入方案', empty: true });
    expect(empty.body.grids).toBe(0);
    const imported = await importInto(empty.body.id, 'plan.geojson', JSON.stringify(exported));
    expect(imported.status).toBe(200);
    const n = (exported.features as Json[]).length;
    expect(imported.body).toMatchObject({ ok: true, features: n, seq: expect.any(Number) });
    const back = await call('GET', `/api/plans/${empty.body.id}`);
    expect(back.body.grids.features).toEqual(exported.features);
    expect(back.body.history).toEqual({ undo: 1, redo: 0 });
    const last = (await call('GET', `/api/plans/${empty.body.id}/changes`)).body[0] as Json;
    expect(last).toMatchObject({ op: 'import', author: USER, payload: { file: 'plan.geojson', features: n }, before: [] });
    expect(last.after).toHaveLength(n);
  });

  it('undoes an import into a draft like an edit', async () => {
    const exported = (await (await t.app.request('/api/plans/1/export?format=geojson')).json()) as Json;
    const empty = await call('POST', '/api/plans', { name: '撤销导入', empty: true });
    expect((await importInto(empty.body.id, 'plan.geojson', JSON.stringify(exported))).status).toBe(200);
    const undone = await call('POST', `/api/plans/${empty.body.id}/undo`);
    expect(undone.body.removed).toHaveLength(8);
    expect((await call('GET', `/api/plans/${empty.body.id}`)).body.grids.features).toEqual([]);
    await call('POST', `/api/plans/${empty.body.id}/redo`);
    expect((await call('GET', `/api/plans/${empty.body.id}`)).body.grids.features).toHaveLength(8);
  });

  it('refuses draft imports into a published plan, and rejected files change nothing', async () => {
    const published = await importInto(1, 'plan.geojson', '{"type":"FeatureCollection","features":[]}');
    expect(published.status).toBe(409);
    expect(published.body.error.code).toBe('not_editable');
    const empty = await call('POST', '/api/plans', { name: '坏文件', empty: true });
    const bad = await importInto(empty.body.id, 'plan.geojson', '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":null}]}');
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe('import_rejected');
    expect((await call('GET', `/api/plans/${empty.body.id}`)).body.history).toEqual({ undo: 0, redo: 0 });
  });

  it('exports a zipped Shapefile that re-imports too', async () => {
    const res = await t.app.request(`/api/plans/${draft}/export?format=shapefile`);
    expect(res.headers.get('content-type')).toBe('application/zip');
    const zip = new Uint8Array(await res.arrayBuffer());
    expect(Object.keys(unzipSync(zip)).sort()).toEqual([`plan-${draft}.cpg`, `plan-${draft}.dbf`, `plan-${draft}.prj`, `plan-${draft}.shp`, `plan-${draft}.shx`]);
    const empty = await call('POST', '/api/plans', { name: 'Shapefile 导入', empty: true });
    const imported = await importInto(empty.body.id, 'plan.zip', zip);
    expect(imported.status).toBe(200);
    const back = await call('GET', `/api/plans/${empty.body.id}/metrics`);
    const original = await call('GET', `/api/plans/${draft}/metrics`);
    expect(back.body.plan.grids.map((g: Json) => [g.code, g.name, g.inspector, g.households, g.areaKm2]))
      .toEqual(original.body.plan.grids.map((g: Json) => [g.code, g.name, g.inspector, g.households, g.areaKm2]));
  });

  it('renames and discards a draft', async () => {
    const created = await call('POST', '/api/plans', { name: '草稿' });
    const renamed = await call('PATCH', `/api/plans/${created.body.id}`, { name: '草稿二' });
    expect(renamed.body.name).toBe('草稿二');
    expect((await call('DELETE', `/api/plans/${created.body.id}`)).status).toBe(200);
    expect((await call('GET', `/api/plans/${created.body.id}`)).status).toBe(404);
  });
});

describe('plans API errors', () => {
  it('names the missing plan and grid', async () => {
    expect((await call('GET', '/api/plans/999')).body.error).toMatchObject({ code: 'plan_not_found', details: { parameter: 'id' } });
    const { body: plan } = await call('POST', '/api/plans', { name: 'errors', from: 1 });
    const missing = await call('POST', `/api/plans/${plan.id}/split`, { grid: 'NOPE', line: SPLIT_LINE });
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ code: 'grid_not_found', details: { grids: ['NOPE'] } });
  });

  it('answers 422 with the grid and place for a line that does not cross the grid twice', async () => {
    const { body: plan } = await call('POST', '/api/plans', { name: 'errors 2', from: 1 });
    const { status, body } = await call('POST', `/api/plans/${plan.id}/split`, { grid: HEPING_1, line: { type: 'LineString', coordinates: [[102.76, 24.89], [102.76, 24.92]] } });
    expect(status).toBe(422);
    expect(body.error).toMatchObject({ code: 'line_must_cross_twice', details: { parameter: 'line', grids: [HEPING_1] } });
    expect(body.error.details.location).toHaveLength(2);
  });

  it('answers 400 naming an invalid body field', async () => {
    const { body: plan } = await call('POST', '/api/plans', { name: 'errors 3', from: 1 });
    const { status, body } = await call('POST', `/api/plans/${plan.id}/vertices`, { op: 'move', at: [102.7, 24.9] });
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ code: 'invalid_body', details: [{ field: 'to' }] });
  });

  it('accepts writes from planners only', async () => {
    const viewer = t.as(await t.tokenFor('operator'));
    expect((await call('POST', '/api/plans', { name: 'x' }, viewer)).status).toBe(403);
    expect((await call('POST', '/api/plans/1/import?filename=x.geojson', {}, viewer)).status).toBe(403);
    expect((await call('GET', '/api/plans', undefined, viewer)).status).toBe(200);
  });

  it('refuses to publish an empty draft', async () => {
    const { body: plan } = await call('POST', '/api/plans', { name: 'empty', empty: true });
    const { status, body } = await call('POST', `/api/plans/${plan.id}/publish`);
    expect(status).toBe(409);
    expect(body.error.code).toBe('empty_plan');
  });

  it('answers 409 to undo with nothing to undo', async () => {
    const { body: plan } = await call('POST', '/api/plans', { name: 'errors 4', from: 1 });
    const { status, body } = await call('POST', `/api/plans/${plan.id}/undo`);
    expect(status).toBe(409);
    expect(body.error.code).toBe('nothing_to_undo');
  });
});
