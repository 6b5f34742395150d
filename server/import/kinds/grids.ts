import type { MultiPolygon, Polygon } from 'geojson';
import { basename } from 'node:path';
import { bboxOf } from '../../domain/geometry.ts';
import { listValue } from '@duckdb/node-api';
import { appendChange, communityShapes, createDraft, planGrids } from '../../queries/plans.ts';
import { districtRows, neighbourGrids, publishedPlanOf } from '../../queries/published-grids.ts';
import { neighbourFindings, type NeighbourGrid } from '../../plan/neighbours.ts';
import { PlanState, type GridFeature } from '../../plan/state.ts';
import { DEFAULT_VALIDATION, publishFindings, type Finding } from '../../plan/validate.ts';
import { areaKm2 } from '../../spatial/measure.ts';
import { Assigner, reassignAll } from '../assignment.ts';
import type { ImportContext, ImportedPlan, KindHandler } from '../kind.ts';
import type { ImportProblem } from '../problems.ts';
import type { StagingTable } from '../staging.ts';
import { parseId, parseNumber } from '../values.ts';

/**
 * Patrol grids. Each district has its own grid plan, so each grid goes to the plan of its district
 * (by its community): without an explicit plan, the district's published plan, which is created (as
 * 初始方案) on the district's first grid import; issues and sites are then re-assigned to them. What
 * lands in a published plan passes the checks of publishing (不重不漏 in the district, server/plan/
 * validate.ts, and the border with the neighbours' published grids) or the file is refused. With
 * `asDraft` each district's grids go into a new draft copying that district's published plan instead,
 * to be fixed and published in the planner. A plan named by `planId` divides one district: a grid of
 * another district in the file is an error naming it.
 */
export function gridsHandler(): KindHandler {
  /** Community code → its district (null: a community under no district). */
  let districtOf = new Map<string, string | null>();
  let districts: string[] = [];
  return {
    aliases: {
      code: ['网格编码', '网格编号', '网格代码', 'grid_code', 'gridcode', 'id'],
      name: ['网格名称', '名称', 'grid_name'],
      community: ['社区编码', '所属社区', '社区代码', 'community_code'],
      inspector: ['网格员', '网格长', '巡查员'],
      households: ['户数', '住户数'],
    },
    geometryTypes: ['Polygon', 'MultiPolygon'],
    columns: [
      ['id', 'VARCHAR'], ['name', 'VARCHAR'], ['community', 'VARCHAR'], ['inspector', 'VARCHAR'], ['households', 'INTEGER'],
      ['geometry', 'VARCHAR'], ['xmin', 'DOUBLE'], ['ymin', 'DOUBLE'], ['xmax', 'DOUBLE'], ['ymax', 'DOUBLE'], ['area_km2', 'DOUBLE'],
    ],
    async prepare(ctx) {
      const rows = await ctx.session.all<{ code: string; district: string | null }>(
        `SELECT c.code, d.code AS district FROM regions c LEFT JOIN regions s ON s.code = c.parent
         LEFT JOIN regions d ON d.code = s.parent AND d.level = 'district' WHERE c.level = 'community'`,
      );
      districts = (await districtRows(ctx.session)).map((d) => d.code);
      // A one-district deployment's communities are its district's, whatever their parents say.
      districtOf = new Map(rows.map((r) => [r.code, districts.length === 1 ? districts[0] : r.district]));
    },
    toRow({ props, geometry }, report) {
      const code = props.code === undefined ? undefined : parseId(props.code);
      if (!code) return report('code', 'required', 'grid code is required'), null;
      if (code.error) return report('code', 'invalid', code.error), null;
      const community = props.community === undefined ? undefined : parseId(props.community);
      if (!community) report('community', 'required', 'community code is required');
      else if (community.error) report('community', 'invalid', community.error);
      else if (!districtOf.has(community.value!)) report('community', 'unknown_community', `community "${community.value}" is not a known community; import regions first`);
      else if (!districtOf.get(community.value!)) report('community', 'no_district', `community "${community.value}" lies in no district, so in no district's grid plan`);
      const households = props.households === undefined ? null : parseNumber(props.households, { integer: true, min: 0 });
      if (households?.error) report('households', 'invalid', households.error);
      if (!community?.value || !districtOf.get(community.value) || households?.error) return null;
      const [xmin, ymin, xmax, ymax] = bboxOf(geometry!);
      const name = props.name === undefined ? code.value : String(props.name).trim() || code.value;
      const inspector = props.inspector === undefined ? null : String(props.inspector).trim();
      return [code.value, name, community.value, inspector, households?.value ?? null, JSON.stringify(geometry), xmin, ymin, xmax, ymax, areaKm2(geometry!)];
    },
    async check(ctx, staging) {
      const staged = await stagedGrids(ctx, staging);
      const byDistrict = groupByDistrict(staged, districtOf);
      if (ctx.planId !== undefined) {
        const plan = await namedPlan(ctx);
        for (const [district, grids] of byDistrict) {
          if (district === plan.district) continue;
          for (const g of grids.values()) {
            ctx.problems.add({
              index: g.index, id: g.feature.properties.code, field: 'community', code: 'other_district',
              reason: `grid ${g.feature.properties.code} lies in community ${g.feature.properties.community} of district ${district}, `
                + `but plan ${plan.id} divides district ${plan.district}; import it into a plan of district ${district}`,
            });
          }
        }
        if (byDistrict.size > 1 || !byDistrict.has(plan.district)) return;
      }
      for (const [district, grids] of byDistrict) {
        const target = await targetPlan(ctx, district);
        if (target.status !== 'published') continue;
        const kept = target.id === null ? [] : (await planGrids(ctx.session, target.id)).filter((g) => !grids.has(g.properties.code));
        const state = PlanState.build([...kept, ...[...grids.values()].map((g) => g.feature)], await communityShapes(ctx.session, district));
        const own = publishFindings(state);
        const border = neighbourFindings(state, await neighboursOf(ctx, district), DEFAULT_VALIDATION.toleranceM);
        const errors = [...own.errors, ...border.errors];
        if (errors.length) {
          ctx.problems.add({
            field: 'plan', code: 'plan_not_publishable',
            reason: `with these grids the published plan${byDistrict.size > 1 || districts.length > 1 ? ` of district ${district}` : ''} would fail the checks of publishing (不重不漏: ${errors.length} error(s) below); `
              + 'fix the file, or import it into a new draft plan (--as-draft, asDraft=1) and fix it in the planner',
          });
        }
        for (const f of errors) ctx.problems.add(problemOf(f, grids));
        for (const f of [...own.warnings, ...border.warnings]) ctx.warnings.add(problemOf(f, grids));
      }
    },
    async merge(ctx, staging) {
      const s = ctx.session;
      const staged = await stagedGrids(ctx, staging);
      const plans: ImportedPlan[] = [];
      let updated = 0;
      for (const [district, grids] of groupByDistrict(staged, districtOf)) {
        const plan = await planFor(ctx, district);
        plans.push(plan);
        const codes = [...grids.keys()];
        const before = ctx.asDraft ? (await planGrids(s, plan.id)).filter((g) => grids.has(g.properties.code)) : [];
        const params = { plan: plan.id, codes: listValue(codes) };
        updated += (await s.one<{ n: number }>(`SELECT count(*) AS n FROM grids WHERE plan_id = $plan AND list_contains($codes, code)`, params))!.n;
        await s.run(`DELETE FROM grids WHERE plan_id = $plan AND list_contains($codes, code)`, params);
        await s.run(
          `INSERT INTO grids (plan_id, code, name, community, inspector, households, geometry, xmin, ymin, xmax, ymax, area_km2)
           SELECT $plan, id, name, community, inspector, households, geometry, xmin, ymin, xmax, ymax, area_km2 FROM ${staging.name}
           WHERE list_contains($codes, id)`,
          params,
        );
        if (ctx.asDraft) {
          // Logged like the planner's own draft import: one change, undoable, with the grids it replaced.
          const after = (await planGrids(s, plan.id)).filter((g) => grids.has(g.properties.code));
          await appendChange(s, {
            planId: plan.id, author: ctx.actor, op: 'import', payload: { file: basename(ctx.file), features: grids.size }, before, after,
          });
        }
      }
      if (plans.some((p) => p.status === 'published')) await reassignAll(s, await Assigner.load(s), { sites: false });
      return { inserted: staging.rows - updated, updated, plan: plans[0], plans };
    },
  };
}

/** The plan named by `planId`, which must exist and not be archived. */
async function namedPlan(ctx: ImportContext): Promise<{ id: number; name: string; status: 'published' | 'draft'; district: string }> {
  const plan = await ctx.session.one<{ name: string; status: string; district: string }>('SELECT name, status, district FROM grid_plans WHERE id = $id', { id: ctx.planId! });
  if (!plan) throw new Error(`grid plan ${ctx.planId} does not exist`);
  if (plan.status === 'archived') throw new Error(`grid plan ${ctx.planId} is archived and can't change`);
  return { id: ctx.planId!, name: plan.name, status: plan.status as 'published' | 'draft', district: plan.district };
}

/** The plan a district's grids go into: the one named, a new draft, or the district's published one (id null: none yet, the import creates it). */
async function targetPlan(ctx: ImportContext, district: string): Promise<{ id: number | null; name: string; status: 'published' | 'draft' }> {
  if (ctx.planId !== undefined) {
    const plan = await namedPlan(ctx);
    return { id: plan.id, name: plan.name, status: ctx.asDraft ? 'draft' : plan.status };
  }
  const id = await publishedPlanOf(ctx.session, district);
  if (id === null) return { id: null, name: '初始方案', status: ctx.asDraft ? 'draft' : 'published' };
  const plan = await ctx.session.one<{ name: string }>('SELECT name FROM grid_plans WHERE id = $id', { id });
  return { id, name: plan!.name, status: ctx.asDraft ? 'draft' : 'published' };
}

/** The plan to write a district's grids into, creating the draft or the district's first published plan. */
async function planFor(ctx: ImportContext, district: string): Promise<ImportedPlan> {
  const s = ctx.session;
  const target = await targetPlan(ctx, district);
  if (ctx.asDraft) {
    const name = `导入 ${basename(ctx.file)}`;
    const id = await createDraft(s, { name, district, from: target.id, author: ctx.actor });
    await appendChange(s, { planId: id, author: ctx.actor, op: 'create', payload: { from: target.id, name, district } });
    return { id, name, status: 'draft', created: true, district };
  }
  if (target.id === null) {
    const created = await s.one<{ id: number }>(
      `INSERT INTO grid_plans (name, status, author, published_at, district) VALUES ('初始方案', 'published', $author, now()::TIMESTAMP, $district) RETURNING id`,
      { district, author: ctx.actor },
    );
    return { id: created!.id, name: '初始方案', status: 'published', created: true, district };
  }
  return { id: target.id, name: target.name, status: target.status, created: false, district };
}

/** The other districts' published grids, for the border checks. */
async function neighboursOf(ctx: ImportContext, district: string): Promise<NeighbourGrid[]> {
  return (await neighbourGrids(ctx.session, district)).map((r) => {
    const geometry = JSON.parse(r.geometry) as Polygon | MultiPolygon;
    return { code: r.code, district: r.district, geometry, bbox: bboxOf(geometry) };
  });
}

/** The file's grids per district (ordered by district code), each by code. */
function groupByDistrict(staged: ReadonlyMap<string, StagedGrid>, districtOf: ReadonlyMap<string, string | null>): Map<string, Map<string, StagedGrid>> {
  const out = new Map<string, Map<string, StagedGrid>>();
  for (const [code, g] of staged) {
    const district = districtOf.get(g.feature.properties.community)!;
    if (!out.has(district)) out.set(district, new Map());
    out.get(district)!.set(code, g);
  }
  return new Map([...out].sort(([a], [b]) => a.localeCompare(b)));
}

type StagedGrid = { index: number; feature: GridFeature };

/** The file's grids by code, with their position in the file. */
async function stagedGrids(ctx: ImportContext, staging: StagingTable): Promise<Map<string, StagedGrid>> {
  const rows = await ctx.session.all<{ idx: number; id: string; name: string; community: string; inspector: string | null; households: number | null; geometry: string }>(
    `SELECT _idx AS idx, id, name, community, inspector, households, geometry FROM ${staging.name} ORDER BY _idx`,
  );
  return new Map(rows.map((r) => [r.id, {
    index: r.idx,
    feature: {
      type: 'Feature', id: r.id,
      properties: { code: r.id, name: r.name, community: r.community, inspector: r.inspector, households: r.households },
      geometry: JSON.parse(r.geometry) as Polygon | MultiPolygon,
    },
  }]));
}

/** The field a finding is about, in the file's terms. */
const FINDING_FIELD: Partial<Record<Finding['code'], string>> = {
  duplicate_code: 'code', empty_code: 'code', unknown_community: 'community', no_inspector: 'inspector',
};

/** A plan finding as an import problem, located at the first of its grids that the file holds. */
function problemOf(f: Finding, staged: ReadonlyMap<string, StagedGrid>): ImportProblem {
  const code = f.grids.find((c) => staged.has(c));
  return {
    index: code === undefined ? undefined : staged.get(code)!.index, id: code,
    field: FINDING_FIELD[f.code] ?? 'geometry', code: f.code, reason: f.message,
  };
}
