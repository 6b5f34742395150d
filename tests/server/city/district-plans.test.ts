/**
 * Grid plans per district in a two-district city (官渡区 530111 and 测试区 530112): each district has
 * its own published plan, the dashboards read the union of them, a draft is made for one district and
 * checked against it, publishing it leaves the other district's plans, grids and issues alone, and a
 * grid import puts each grid into its district's plan.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../../server/db/migrations.ts';
import type { TestApp } from '../../helpers/app.ts';
import { fingerprint } from '../../helpers/db.ts';
import { FIRST, SECOND, twoDistrictApp } from './two-districts.ts';

type Json = Record<string, any>;

let t: TestApp;
beforeAll(async () => {
  t = await twoDistrictApp();
}, 120_000);
afterAll(async () => t?.cleanup());

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }> {
  const res = await t.app.request(path, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Json };
}

const published = async () => ((await call('GET', '/api/plans')).body as unknown as Json[]).filter((p) => p.status === 'published');
const publishedOf = async (district: string) => (await published()).find((p) => p.district === district)!;

/** Everything of district `d` that publishing another district must not touch, as rows. */
async function districtRows(d: string) {
  const streets = `(SELECT code FROM regions WHERE level = 'street' AND parent = '${d}')`;
  return {
    plans: await t.db.all(`SELECT * FROM grid_plans WHERE district = '${d}' ORDER BY id`),
    grids: await t.db.all(`SELECT g.* FROM grids g JOIN grid_plans p ON p.id = g.plan_id WHERE p.district = '${d}' ORDER BY g.plan_id, g.code`),
    issues: await t.db.all(`SELECT id, grid_code, community, street, outside_grid, site_ids, updated_at FROM issues WHERE street IN ${streets} ORDER BY id`),
    sites: await t.db.all(`SELECT id, grid_code, community, street FROM sites WHERE street IN ${streets} ORDER BY id`),
    history: await t.db.all(`SELECT h.* FROM issue_grid_history h JOIN grid_plans p ON p.id = h.plan_id WHERE p.district = '${d}' ORDER BY h.plan_id, h.issue_id`),
  };
}

describe('plans per district', () => {
  it('lists one published plan per district, each naming its district', async () => {
    const plans = await published();
    expect(plans.map((p) => [p.district, p.districtName, p.grids])).toEqual([[FIRST, '官渡区', 8], [SECOND, '测试区', 8]]);
    const meta = (await call('GET', '/api/meta')).body;
    expect(meta.publishedPlan).toBeNull();
    expect(meta.publishedPlans.map((p: Json) => p.district)).toEqual([FIRST, SECOND]);
  });

  it('draws and counts the union of the published plans: every grid of both districts, with its issues', async () => {
    const fc = (await call('GET', '/api/grids?geometry=0')).body;
    expect(fc.plans).toHaveLength(2);
    expect(fc.plan).toBeNull();
    const codes = (fc.features as Json[]).map((f) => f.properties.code);
    expect(codes.filter((c) => c.startsWith(FIRST))).toHaveLength(8);
    expect(codes.filter((c) => c.startsWith(SECOND))).toHaveLength(8);
    const stored = new Map((await t.db.all<{ grid_code: string; n: number }>(`SELECT grid_code, count(*)::INTEGER AS n FROM issues WHERE grid_code IS NOT NULL GROUP BY 1`)).map((r) => [r.grid_code, r.n]));
    for (const f of fc.features as Json[]) expect(f.properties.reported, f.properties.code).toBe(stored.get(f.properties.code) ?? 0);
    expect([...stored.keys()].some((c) => c.startsWith(SECOND))).toBe(true);
    const scope = (await call('GET', `/api/stats/summary?scope=district:${SECOND}`)).body;
    expect(scope.scope.name).toBe('测试区');
    expect((await call('GET', '/api/health')).body).toMatchObject({ counts: { grids: 16 } });
  });

  it('refuses a draft without a district, or with an unknown one, naming the districts; nothing is written', async () => {
    const before = await fingerprint(t.db);
    const missing = await call('POST', '/api/plans', { name: '草案' });
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body.error)).toMatch(new RegExp(`district.*${FIRST} 官渡区.*${SECOND} 测试区`));
    const unknown = await call('POST', '/api/plans', { name: '草案', district: '530199' });
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body.error)).toMatch(/unknown district 530199/);
    const otherDistrictsPlan = await call('POST', '/api/plans', { name: '草案', district: SECOND, from: (await publishedOf(FIRST)).id });
    expect(otherDistrictsPlan.status).toBe(400);
    expect(await fingerprint(t.db)).toEqual(before);
  });

  it('makes a draft of one district from that district\'s published plan', async () => {
    const { status, body } = await call('POST', '/api/plans', { name: '测试区调整', district: SECOND });
    expect(status).toBe(201);
    expect(body).toMatchObject({ district: SECOND, basedOn: (await publishedOf(SECOND)).id, grids: 8 });
    const grids = (await call('GET', `/api/plans/${body.id}`)).body.grids.features as Json[];
    expect(grids.every((g) => g.properties.code.startsWith(SECOND))).toBe(true);
    expect((await call('GET', `/api/plans/${body.id}/validate`)).body).toMatchObject({ errors: [] });
    await call('DELETE', `/api/plans/${body.id}`);
  });

  it('checks a draft against its own district: a community or grid code of the neighbour is refused', async () => {
    const draft = (await call('POST', '/api/plans', { name: '越界', district: FIRST })).body.id;
    const moved = await call('PUT', `/api/plans/${draft}/grids/${FIRST}001001001`, { community: `${SECOND}001001` });
    expect(moved.status).toBe(422);
    expect(moved.body.error.message).toMatch(/not a community of the plan's district/);
    expect((await call('PUT', `/api/plans/${draft}/grids/${FIRST}001001001`, { code: `${SECOND}001001001` })).status).toBe(200);
    const { errors } = (await call('GET', `/api/plans/${draft}/validate`)).body;
    expect(errors).toEqual([expect.objectContaining({ code: 'duplicate_code', grids: [`${SECOND}001001001`], message: expect.stringMatching(`district ${SECOND}`) })]);
    expect((await call('POST', `/api/plans/${draft}/publish`)).status).toBe(409);
    await call('DELETE', `/api/plans/${draft}`);
  });

  it('publishes one district\'s plan: that district\'s plan is archived and its issues re-assigned; the other district is untouched', async () => {
    const other = await districtRows(SECOND);
    const outgoing = (await publishedOf(FIRST)).id;
    const draft = (await call('POST', '/api/plans', { name: '官渡区合并', district: FIRST })).body.id;
    expect((await call('POST', `/api/plans/${draft}/merge`, { grids: [`${FIRST}001001001`, `${FIRST}001001002`] })).status).toBe(200);
    const done = await call('POST', `/api/plans/${draft}/publish`);
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body).toMatchObject({ archived: outgoing, plan: { status: 'published', district: FIRST } });

    expect(await districtRows(SECOND)).toEqual(other);
    expect((await published()).map((p) => [p.district, p.id]).sort()).toEqual([[FIRST, draft], [SECOND, (await publishedOf(SECOND)).id]]);
    // The merged grid took its neighbour's issues; the history keeps the first district's issues only.
    expect((await t.db.one<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM issues WHERE grid_code = '${FIRST}001001002'`))!.n).toBe(0);
    const history = await t.db.all<{ issue_id: string; street: string | null }>(
      `SELECT h.issue_id, i.street FROM issue_grid_history h JOIN issues i ON i.id = h.issue_id WHERE h.plan_id = $outgoing`, { outgoing },
    );
    expect(history.length).toBeGreaterThan(0);
    expect(history.every((h) => h.street === null || h.street.startsWith(FIRST))).toBe(true);
    const grids = (await call('GET', '/api/grids?geometry=0')).body.features as Json[];
    expect(grids.map((f) => f.properties.code)).not.toContain(`${FIRST}001001002`);
    expect(grids.filter((f) => f.properties.code.startsWith(SECOND))).toHaveLength(8);
  });
});

describe('grid imports into a city', () => {
  const fixtureGrids = () => JSON.parse(readFileSync('tests/fixtures/city/grids.geojson', 'utf8')) as { type: string; features: Json[] };
  /** One grid of each district: the first district's as stored, the second's as the second district has it. */
  async function oneOfEach() {
    const first = fixtureGrids().features.find((f) => f.properties.code === `${FIRST}002002002`)!;
    const row = (await t.db.one<{ geometry: string }>(`SELECT geometry FROM grids g JOIN grid_plans p ON p.id = g.plan_id AND p.status = 'published' WHERE code = '${SECOND}002002002'`))!;
    const second = { type: 'Feature', geometry: JSON.parse(row.geometry), properties: { ...first.properties, code: `${SECOND}002002002`, community: `${SECOND}002002`, inspector: '赵六' } };
    return [{ ...first, properties: { ...first.properties, inspector: '钱七' } }, second];
  }
  const upload = (features: Json[], query = '') =>
    t.app.request(`/api/import/grids?filename=grids.geojson${query}`, { method: 'POST', body: JSON.stringify({ type: 'FeatureCollection', features }) });

  it('puts each grid into its district\'s published plan', async () => {
    const res = await upload(await oneOfEach());
    const report = (await res.json()) as Json;
    expect(res.status, JSON.stringify(report)).toBe(200);
    const [a, b] = [await publishedOf(FIRST), await publishedOf(SECOND)];
    expect(report.plans).toEqual([
      expect.objectContaining({ id: a.id, district: FIRST, created: false }),
      expect.objectContaining({ id: b.id, district: SECOND, created: false }),
    ]);
    const inspectors = await t.db.all(`SELECT plan_id, code, inspector FROM grids WHERE code IN ('${FIRST}002002002', '${SECOND}002002002') AND plan_id IN (${a.id}, ${b.id}) ORDER BY code`);
    expect(inspectors).toEqual([
      { plan_id: a.id, code: `${FIRST}002002002`, inspector: '钱七' },
      { plan_id: b.id, code: `${SECOND}002002002`, inspector: '赵六' },
    ]);
  });

  it('refuses a grid of another district than the named plan\'s, naming it; nothing changes', async () => {
    const draft = (await call('POST', '/api/plans', { name: '导入草案', district: FIRST })).body.id;
    const before = await fingerprint(t.db);
    const res = await upload(await oneOfEach(), `&plan=${draft}`);
    expect(res.status).toBe(422);
    const errors = ((await res.json()) as Json).error.details.errors as Json[];
    expect(errors).toEqual([expect.objectContaining({ index: 1, id: `${SECOND}002002002`, code: 'other_district', reason: expect.stringMatching(`district ${SECOND}.*plan ${draft} divides district ${FIRST}`) })]);
    expect(await fingerprint(t.db)).toEqual(before);
    await call('DELETE', `/api/plans/${draft}`);
  });

  it('puts a file into one new draft per district with asDraft', async () => {
    const res = await upload(await oneOfEach(), '&asDraft=1');
    const report = (await res.json()) as Json;
    expect(res.status, JSON.stringify(report)).toBe(200);
    expect(report.plans.map((p: Json) => [p.district, p.status, p.created])).toEqual([[FIRST, 'draft', true], [SECOND, 'draft', true]]);
    for (const p of report.plans as Json[]) {
      expect((await call('GET', `/api/plans/${p.id}`)).body).toMatchObject({ district: p.district, grids: { features: expect.any(Array) } });
      await call('DELETE', `/api/plans/${p.id}`);
    }
  });
});

describe('the migration to plans per district', () => {
  it('splits a city\'s one plan (and its drafts) by the district of their grids, keeping the ids it can', async () => {
    const [a, b] = [await publishedOf(FIRST), await publishedOf(SECOND)];
    const draft = (await call('POST', '/api/plans', { name: '旧草案', district: FIRST })).body.id;
    // Back to the schema before: one published plan holding both districts' grids, a draft copying it.
    await t.db.run(`UPDATE grids SET plan_id = ${a.id} WHERE plan_id = ${b.id}`);
    await t.db.run(`INSERT INTO grids SELECT * REPLACE (${draft} AS plan_id) FROM grids WHERE plan_id = ${a.id} AND code LIKE '${SECOND}%'`);
    await t.db.run(`DELETE FROM grid_plans WHERE id = ${b.id}`);
    await t.db.run(`UPDATE grid_plans SET based_on = ${a.id} WHERE id = ${draft}`);
    await t.db.run(`ALTER TABLE grid_plans DROP COLUMN district`);
    await t.db.run(`DELETE FROM schema_migrations WHERE version = 10`);
    expect(await migrate(t.db)).toEqual([10]);

    const plans = await t.db.all<{ id: number; status: string; district: string; based_on: number | null; grids: number }>(
      `SELECT p.id, p.status, p.district, p.based_on, (SELECT count(*)::INTEGER FROM grids g WHERE g.plan_id = p.id) AS grids
       FROM grid_plans p WHERE p.status <> 'archived' ORDER BY p.id`,
    );
    // Each plan's id stays with the district holding most of its grids (测试区: 8 against 官渡区's 7 after the merge).
    const part = (status: string, district: string) => plans.find((p) => p.status === status && p.district === district)!;
    expect(part('published', SECOND)).toMatchObject({ id: a.id, grids: 8 });
    expect(part('draft', SECOND)).toMatchObject({ id: draft, grids: 8, based_on: a.id });
    const firstPublished = part('published', FIRST);
    expect(firstPublished).toMatchObject({ grids: 7, based_on: a.basedOn });
    expect(part('draft', FIRST)).toMatchObject({ grids: 7, based_on: firstPublished.id });
    expect((await t.db.one<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM grids WHERE plan_id = ${firstPublished.id} AND code NOT LIKE '${FIRST}%'`))!.n).toBe(0);
  });
});
