import { bboxOf } from '../../domain/geometry.ts';
import { areaKm2 } from '../../spatial/measure.ts';
import { Assigner, publishedPlanId, reassignAll } from '../assignment.ts';
import { type KindHandler } from '../kind.ts';
import { parseId, parseNumber } from '../values.ts';

/**
 * Patrol grids of one grid plan. Without an explicit plan they go into the published plan, which is
 * created (as 初始方案) on the first grid import; issues and sites are then re-assigned to them.
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
    async merge(ctx, staging) {
      const s = ctx.session;
      let planId = ctx.planId ?? (await publishedPlanId(s));
      if (planId === null) {
        const created = await s.one<{ id: number }>(
          `INSERT INTO grid_plans (name, status, author, published_at) VALUES ('初始方案', 'published', 'import', now()::TIMESTAMP) RETURNING id`,
        );
        planId = created!.id;
      } else {
        const plan = await s.one<{ status: string }>('SELECT status FROM grid_plans WHERE id = $id', { id: planId });
        if (!plan) throw new Error(`grid plan ${planId} does not exist`);
        if (plan.status === 'archived') throw new Error(`grid plan ${planId} is archived and can't change`);
      }
      const updated = (await s.one<{ n: number }>(
        `SELECT count(*) AS n FROM grids WHERE plan_id = $plan AND code IN (SELECT id FROM ${staging.name})`, { plan: planId },
      ))!.n;
      await s.run(`DELETE FROM grids WHERE plan_id = $plan AND code IN (SELECT id FROM ${staging.name})`, { plan: planId });
      await s.run(
        `INSERT INTO grids (plan_id, code, name, community, inspector, households, geometry, xmin, ymin, xmax, ymax, area_km2)
         SELECT $plan, id, name, community, inspector, households, geometry, xmin, ymin, xmax, ymax, area_km2 FROM ${staging.name}`,
        { plan: planId },
      );
      if ((await publishedPlanId(s)) === planId) await reassignAll(s, await Assigner.load(s, planId), { sites: false });
      return { inserted: staging.rows - updated, updated };
    },
  };
}
