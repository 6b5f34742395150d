import type { MultiPolygon, Polygon } from 'geojson';
import { basename } from 'node:path';
import { bboxOf } from '../../domain/geometry.ts';
import { appendChange, communityShapes, createDraft, planGrids } from '../../queries/plans.ts';
import { PlanState, type GridFeature } from '../../plan/state.ts';
import { publishFindings, type Finding } from '../../plan/validate.ts';
import { areaKm2 } from '../../spatial/measure.ts';
import { Assigner, publishedPlanId, reassignAll } from '../assignment.ts';
import type { ImportContext, ImportedPlan, KindHandler } from '../kind.ts';
import type { ImportProblem } from '../problems.ts';
import type { StagingTable } from '../staging.ts';
import { parseId, parseNumber } from '../values.ts';

/**
 * Patrol grids of one grid plan. Without an explicit plan they go into the published plan, which is
 * created (as 初始方案) on the first grid import; issues and sites are then re-assigned to them.
 * What lands in the published plan passes the checks of publishing (不重不漏, server/plan/validate.ts)
 * or the file is refused; with `asDraft` the grids go into a new draft copying the published plan
 * instead, to be fixed and published in the planner.
 */
export function gridsHandler(): KindHandler {
  let communities = new Set<string>();
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
      const rows = await ctx.session.all<{ code: string }>(`SELECT code FROM regions WHERE level = 'community'`);
      communities = new Set(rows.map((r) => r.code));
    },
    toRow({ props, geometry }, report) {
      const code = props.code === undefined ? undefined : parseId(props.code);
      if (!code) return report('code', 'required', 'grid code is required'), null;
      if (code.error) return report('code', 'invalid', code.error), null;
      const community = props.community === undefined ? undefined : parseId(props.community);
      if (!community) report('community', 'required', 'community code is required');
      else if (community.error) report('community', 'invalid', community.error);
      else if (!communities.has(community.value!)) report('community', 'unknown_community', `community "${community.value}" is not a known community; import regions first`);
      const households = props.households === undefined ? null : parseNumber(props.households, { integer: true, min: 0 });
      if (households?.error) report('households', 'invalid', households.error);
      if (!community?.value || !communities.has(community.value) || households?.error) return null;
      const [xmin, ymin, xmax, ymax] = bboxOf(geometry!);
      const name = props.name === undefined ? code.value : String(props.name).trim() || code.value;
      const inspector = props.inspector === undefined ? null : String(props.inspector).trim();
      return [code.value, name, community.value, inspector, households?.value ?? null, JSON.stringify(geometry), xmin, ymin, xmax, ymax, areaKm2(geometry!)];
    },
    async check(ctx, staging) {
      const target = await targetPlan(ctx);
      if (target.status !== 'published') return;
      const staged = await stagedGrids(ctx, staging);
      const kept = target.id === null ? [] : (await planGrids(ctx.session, target.id)).filter((g) => !staged.has(g.properties.code));
      const state = PlanState.build([...kept, ...[...staged.values()].map((s) => s.feature)], await communityShapes(ctx.session));
      const { errors, warnings } = publishFindings(state);
      if (errors.length) {
        ctx.problems.add({
          field: 'plan', code: 'plan_not_publishable',
          reason: `with these grids the published plan would fail the checks of publishing (不重不漏: ${errors.length} error(s) below); `
            + 'fix the file, or import it into a new draft plan (--as-draft, asDraft=1) and fix it in the planner',
        });
      }
      for (const f of errors) ctx.problems.add(problemOf(f, staged));
      for (const f of warnings) ctx.warnings.add(problemOf(f, staged));
    },
    async merge(ctx, staging) {
      const s = ctx.session;
      const target = await targetPlan(ctx);
      let plan: ImportedPlan;
      if (ctx.asDraft) {
        const name = `导入 ${basename(ctx.file)}`;
        const id = await createDraft(s, { name, from: target.id, author: ctx.actor });
        await appendChange(s, { planId: id, author: ctx.actor, op: 'create', payload: { from: target.id, name } });
        plan = { id, name, status: 'draft', created: true };
      } else if (target.id === null) {
        const created = await s.one<{ id: number }>(
          `INSERT INTO grid_plans (name, status, author, published_at) VALUES ('初始方案', 'published', 'import', now()::TIMESTAMP) RETURNING id`,
        );
        plan = { id: created!.id, name: '初始方案', status: 'published', created: true };
      } else {
        plan = { id: target.id, name: target.name, status: target.status, created: false };
      }
      const before = ctx.asDraft ? await planGrids(s, plan.id) : [];
      const updated = (await s.one<{ n: number }>(
        `SELECT count(*) AS n FROM grids WHERE plan_id = $plan AND code IN (SELECT id FROM ${staging.name})`, { plan: plan.id },
      ))!.n;
      await s.run(`DELETE FROM grids WHERE plan_id = $plan AND code IN (SELECT id FROM ${staging.name})`, { plan: plan.id });
      await s.run(
        `INSERT INTO grids (plan_id, code, name, community, inspector, households, geometry, xmin, ymin, xmax, ymax, area_km2)
         SELECT $plan, id, name, community, inspector, households, geometry, xmin, ymin, xmax, ymax, area_km2 FROM ${staging.name}`,
        { plan: plan.id },
      );
      if (ctx.asDraft) {
        // Logged like the planner's own draft import: one change, undoable, with the grids it replaced.
        const codes = new Set((await s.all<{ id: string }>(`SELECT id FROM ${staging.name}`)).map((r) => r.id));
        const after = (await planGrids(s, plan.id)).filter((g) => codes.has(g.properties.code));
        await appendChange(s, {
          planId: plan.id, author: ctx.actor, op: 'import', payload: { file: basename(ctx.file), features: staging.rows },
          before: before.filter((g) => codes.has(g.properties.code)), after,
        });
      }
      if (plan.status === 'published') await reassignAll(s, await Assigner.load(s, plan.id), { sites: false });
      return { inserted: staging.rows - updated, updated, plan };
    },
  };
}

/** The plan an import writes into: the one named, a new draft, or the published one (id null: none yet, the import creates it). */
async function targetPlan(ctx: ImportContext): Promise<{ id: number | null; name: string; status: 'published' | 'draft' }> {
  const s = ctx.session;
  const id = ctx.planId ?? (await publishedPlanId(s));
  if (id === null) return { id: null, name: '初始方案', status: ctx.asDraft ? 'draft' : 'published' };
  const plan = await s.one<{ name: string; status: string }>('SELECT name, status FROM grid_plans WHERE id = $id', { id });
  if (!plan) throw new Error(`grid plan ${id} does not exist`);
  if (plan.status === 'archived') throw new Error(`grid plan ${id} is archived and can't change`);
  return { id, name: plan.name, status: ctx.asDraft ? 'draft' : (plan.status as 'published' | 'draft') };
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
