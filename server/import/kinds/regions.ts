import { bboxOf } from '../../domain/geometry.ts';
import { REGION_LEVELS, type RegionLevel } from '../../domain/vocabulary.ts';
import { areaKm2 } from '../../spatial/measure.ts';
import { countExisting, type KindHandler } from '../kind.ts';
import { parseEnum, parseId } from '../values.ts';

const PARENT_LEVEL: Record<RegionLevel, RegionLevel | null> = { city: null, district: 'city', street: 'district', community: 'street' };

/** GB/T 2260 codes: 6 digits a district, +3 a street/town, +3 a community/village. */
function levelFromCode(code: string): RegionLevel | null {
  if (/^\d{6}$/.test(code)) return 'district';
  if (/^\d{9}$/.test(code)) return 'street';
  if (/^\d{12}$/.test(code)) return 'community';
  return null;
}

/** Administrative regions: district, streets (街道/镇), communities (社区/村). */
export function regionsHandler(): KindHandler {
  return {
    aliases: {
      code: ['区划代码', '行政区划代码', '编码', 'adcode', 'id'],
      name: ['名称', '区划名称', 'name_zh'],
      level: ['层级', '级别', 'type'],
      parent: ['上级', '上级代码', '上级编码', 'parent_code', 'parentcode'],
    },
    geometryTypes: ['Polygon', 'MultiPolygon'],
    columns: [
      ['id', 'VARCHAR'], ['name', 'VARCHAR'], ['level', 'VARCHAR'], ['parent', 'VARCHAR'], ['geometry', 'VARCHAR'],
      ['xmin', 'DOUBLE'], ['ymin', 'DOUBLE'], ['xmax', 'DOUBLE'], ['ymax', 'DOUBLE'], ['area_km2', 'DOUBLE'],
    ],
    async prepare() {},
    toRow({ props, geometry }, report) {
      const code = props.code === undefined ? undefined : parseId(props.code);
      if (!code) return report('code', 'required', 'code is required'), null;
      if (code.error) return report('code', 'invalid', code.error), null;
      const name = props.name === undefined ? undefined : String(props.name).trim();
      if (!name) report('name', 'required', 'name is required');
      let level: RegionLevel | null = null;
      if (props.level !== undefined) {
        const parsed = parseEnum(props.level, REGION_LEVELS);
        if (parsed.error) report('level', 'invalid', parsed.error);
        else level = parsed.value!;
      } else {
        level = levelFromCode(code.value!);
        if (!level) report('level', 'required', `level is missing and can't be inferred from code "${code.value}"`);
      }
      const parent = props.parent === undefined ? null : parseId(props.parent);
      if (parent?.error) report('parent', 'invalid', parent.error);
      if (level && level !== 'district' && !parent) report('parent', 'required', `a ${level} needs its parent code`);
      if (!name || !level || parent?.error || (level !== 'district' && !parent)) return null;
      const [xmin, ymin, xmax, ymax] = bboxOf(geometry!);
      return [code.value, name, level, parent?.value ?? null, JSON.stringify(geometry), xmin, ymin, xmax, ymax, areaKm2(geometry!)];
    },
    async check(ctx, staging) {
      // A parent must exist in this file or already in the database, one level up.
      const orphans = await ctx.session.all<{ idx: number; id: string; parent: string; level: string; parent_level: string | null }>(
        `SELECT * FROM (
           SELECT s._idx AS idx, s.id, s.parent, s.level, coalesce(f.level, r.level) AS parent_level
           FROM ${staging.name} s
           LEFT JOIN ${staging.name} f ON f.id = s.parent
           LEFT JOIN regions r ON r.code = s.parent
           WHERE s.level <> 'district')
         WHERE parent_level IS NULL
            OR parent_level <> CASE level WHEN 'street' THEN 'district' ELSE 'street' END
         ORDER BY idx LIMIT 200`,
      );
      for (const o of orphans) {
        const expected = PARENT_LEVEL[o.level as RegionLevel];
        if (o.parent_level === null) {
          ctx.problems.add({ index: o.idx, id: o.id, field: 'parent', code: 'unknown_parent', reason: `parent region "${o.parent}" is neither in this file nor in the database` });
        } else if (expected && o.parent_level !== expected) {
          ctx.problems.add({ index: o.idx, id: o.id, field: 'parent', code: 'wrong_parent_level', reason: `a ${o.level}'s parent must be a ${expected}, "${o.parent}" is a ${o.parent_level}` });
        }
      }
    },
    async merge(ctx, staging) {
      const updated = await countExisting(ctx.session, staging, 'regions', 'code');
      await ctx.session.run(`DELETE FROM regions WHERE code IN (SELECT id FROM ${staging.name})`);
      await ctx.session.run(
        `INSERT INTO regions (code, name, level, parent, geometry, xmin, ymin, xmax, ymax, area_km2)
         SELECT id, name, level, parent, geometry, xmin, ymin, xmax, ymax, area_km2 FROM ${staging.name}`,
      );
      return { inserted: staging.rows - updated, updated };
    },
  };
}
