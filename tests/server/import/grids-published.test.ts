/**
 * Grids imported into the published plan pass the checks of publishing (不重不漏: overlaps, gaps,
 * grids crossing their community …), or the file is refused with the findings and nothing changes;
 * `asDraft=1` puts the same file into a new draft copying the published plan instead, and says so.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cityApp, type TestApp } from '../../helpers/app.ts';
import { fingerprint } from '../../helpers/db.ts';

const BAD = 'tests/fixtures/bad';

let t: TestApp;

beforeAll(async () => {
  t = await cityApp();
});
afterAll(async () => t.cleanup());

type Problem = { index?: number; id?: string; field?: string; code: string; reason: string };
type Report = { ok: boolean; inserted: number; updated: number; errors: Problem[]; warnings: Problem[]; plan?: { id: number; name: string; status: string; created: boolean } };

const upload = (file: string, query = '', body: string = readFileSync(`${BAD}/${file}`, 'utf8')) =>
  t.app.request(`/api/import/grids?filename=${file}${query}`, { method: 'POST', body });

async function rejected(file: string): Promise<Problem[]> {
  const before = await fingerprint(t.db);
  const res = await upload(file);
  expect(res.status).toBe(422);
  expect(await fingerprint(t.db)).toEqual(before);
  const errors = ((await res.json()) as { error: { details: Report } }).error.details.errors;
  expect(errors[0]).toMatchObject({ field: 'plan', code: 'plan_not_publishable' });
  expect(errors[0]!.reason).toMatch(/--as-draft/);
  return errors.slice(1);
}

describe('POST /api/import/grids into the published plan', () => {
  it('refuses a grid overlapping its neighbour, naming both', async () => {
    expect(await rejected('grids-overlap.geojson')).toEqual([
      expect.objectContaining({ index: 0, id: '530111001001002', field: 'geometry', code: 'overlap', reason: expect.stringMatching(/530111001001001 and 530111001001002 overlap/) }),
    ]);
  });

  it('refuses a grid that leaves part of its community uncovered', async () => {
    expect(await rejected('grids-gap.geojson')).toEqual([expect.objectContaining({ code: 'gap', reason: expect.stringMatching(/community 530111001001 belong to no grid/) })]);
  });

  it('refuses a grid reaching outside its community', async () => {
    expect(await rejected('grids-crossing-community.ndjson')).toEqual([
      expect.objectContaining({ index: 0, id: '530111002001002', code: 'outside_community' }),
    ]);
  });

  it('accepts a file that keeps the plan publishable, and reports its warnings', async () => {
    const fixture = JSON.parse(readFileSync('tests/fixtures/city/grids.geojson', 'utf8')) as { features: { properties: Record<string, unknown> }[] };
    const one = fixture.features.filter((f) => f.properties.code === '530111002002002');
    one[0]!.properties.inspector = '';
    const res = await upload('inspectors.geojson', '', JSON.stringify({ ...fixture, features: one }));
    expect(res.status, await res.clone().text()).toBe(200);
    const report = (await res.json()) as Report;
    expect(report).toMatchObject({ ok: true, updated: 1, plan: { id: 1, status: 'published', created: false } });
    expect(report.warnings).toEqual([expect.objectContaining({ index: 0, id: '530111002002002', field: 'inspector', code: 'no_inspector' })]);
  });
});

describe('POST /api/import/grids?asDraft=1', () => {
  it('puts the file into a new draft copying the published plan and says so; the published plan is unchanged', async () => {
    const published = async () => t.db.all(`SELECT code, geometry FROM grids WHERE plan_id = 1 ORDER BY code`);
    const before = await published();
    const res = await upload('grids-overlap.geojson', '&asDraft=1');
    expect(res.status, await res.clone().text()).toBe(200);
    const report = (await res.json()) as Report;
    expect(report).toMatchObject({ ok: true, updated: 1, plan: { status: 'draft', created: true, name: '导入 grids-overlap.geojson' } });
    expect(await published()).toEqual(before);

    const draft = report.plan!.id;
    expect((await t.db.one<{ n: number }>(`SELECT count(*) AS n FROM grids WHERE plan_id = $draft`, { draft }))!.n).toBe(before.length);
    // The planner sees what publishing would refuse, and can undo the import as one change.
    const validation = (await (await t.app.request(`/api/plans/${draft}/validate`)).json()) as { errors: { code: string }[] };
    expect(validation.errors.map((e) => e.code)).toEqual(['overlap']);
    const changes = (await (await t.app.request(`/api/plans/${draft}/changes`)).json()) as { op: string; before: string[]; after: string[] }[];
    expect(changes.map((c) => c.op)).toEqual(['import', 'create']);
    expect(changes[0]).toMatchObject({ before: ['530111001001002'], after: ['530111001001002'] });
    const undone = await t.app.request(`/api/plans/${draft}/undo`, { method: 'POST' });
    expect(undone.status).toBe(200);
    expect((await (await t.app.request(`/api/plans/${draft}/validate`)).json())).toMatchObject({ errors: [] });
  });
});
