import { CATEGORY_KINDS, LIMIT_UNITS } from '../../domain/vocabulary.ts';
import { DepartmentResolver } from '../departments.ts';
import { countExisting, type KindHandler } from '../kind.ts';
import { parseEnum, parseId, parseNumber } from '../values.ts';

/**
 * The issue taxonomy: 大类 (no parent) and 小类 (parent = 大类 code), with time limits and the
 * department an issue of the category goes to when it names none (暴露垃圾 → 城管局).
 */
export function categoriesHandler(): KindHandler {
  let departments: DepartmentResolver;
  return {
    aliases: {
      code: ['编码', '类别编码', '分类编码', 'id'],
      parent: ['上级', '上级编码', '大类编码', 'parent_code'],
      kind: ['类型', '部件事件', 'type'],
      name: ['名称', '类别名称', '分类名称'],
      name_en: ['英文名称', 'english_name', 'name_english'],
      limit: ['时限', '处置时限', 'time_limit'],
      limit_unit: ['时限单位', '单位', 'unit'],
      department: ['默认责任单位', '责任单位', '处置单位', '默认处置单位', 'default_department'],
    },
    geometryTypes: null,
    columns: [['id', 'VARCHAR'], ['parent', 'VARCHAR'], ['kind', 'VARCHAR'], ['name', 'VARCHAR'], ['name_en', 'VARCHAR'], ['time_limit', 'DOUBLE'], ['limit_unit', 'VARCHAR'], ['department', 'VARCHAR']],
    async prepare(ctx) {
      departments = await DepartmentResolver.load(ctx.session, ctx.createDepartments ?? false);
    },
    toRow({ props }, report) {
      const code = props.code === undefined ? undefined : parseId(props.code);
      if (!code) return report('code', 'required', 'code is required'), null;
      if (code.error) return report('code', 'invalid', code.error), null;
      const name = props.name === undefined ? '' : String(props.name).trim();
      if (!name) report('name', 'required', 'name is required');
      const nameEn = props.name_en === undefined ? null : String(props.name_en).trim() || null;
      const parent = props.parent === undefined ? null : parseId(props.parent);
      if (parent?.error) report('parent', 'invalid', parent.error);
      if (parent?.value === code.value) report('parent', 'invalid', 'a category cannot be its own parent');
      const kind = props.kind === undefined ? null : parseEnum(props.kind, CATEGORY_KINDS);
      if (kind?.error) report('kind', 'invalid', kind.error);
      if (!kind && !parent) report('kind', 'required', 'a top-level category (大类) needs kind = component | event');
      const limit = props.limit === undefined ? null : parseNumber(props.limit, { min: 0 });
      if (limit?.error) report('limit', 'invalid', limit.error);
      const unit = props.limit_unit === undefined ? null : parseEnum(props.limit_unit, LIMIT_UNITS);
      if (unit?.error) report('limit_unit', 'invalid', unit.error);
      if (limit && !unit) report('limit_unit', 'required', 'a time limit needs its unit (work_hours, work_days, hours, days)');
      const department = props.department === undefined ? null : departments.resolve(props.department);
      if (department && 'error' in department) return report('department', 'unknown_department', department.error), null;
      if (!name || parent?.error || parent?.value === code.value || kind?.error || (!kind && !parent) || limit?.error || unit?.error || (limit && !unit)) return null;
      return [code.value, parent?.value ?? null, kind?.value ?? null, name, nameEn, limit?.value ?? null, unit?.value ?? null, department?.code ?? null];
    },
    async check(ctx, staging) {
      const orphans = await ctx.session.all<{ idx: number; id: string; parent: string }>(
        `SELECT s._idx AS idx, s.id, s.parent FROM ${staging.name} s
         WHERE s.parent IS NOT NULL
           AND s.parent NOT IN (SELECT id FROM ${staging.name})
           AND s.parent NOT IN (SELECT code FROM categories)
         ORDER BY s._idx LIMIT 200`,
      );
      for (const o of orphans) {
        ctx.problems.add({ index: o.idx, id: o.id, field: 'parent', code: 'unknown_parent', reason: `parent category "${o.parent}" is neither in this file nor in the database` });
      }
    },
    async merge(ctx, staging) {
      await departments.insertCreated(ctx);
      const updated = await countExisting(ctx.session, staging, 'categories', 'code');
      await ctx.session.run(`DELETE FROM categories WHERE code IN (SELECT id FROM ${staging.name})`);
      // 小类 inherit 部件/事件 from their 大类 when the file leaves it out.
      await ctx.session.run(
        `INSERT INTO categories (code, parent, kind, name, name_en, level, time_limit, limit_unit, default_department)
         SELECT s.id, s.parent, coalesce(s.kind, f.kind, c.kind, 'event'), s.name, s.name_en,
                CASE WHEN s.parent IS NULL THEN 1 ELSE 2 END, s.time_limit, s.limit_unit, s.department
         FROM ${staging.name} s
         LEFT JOIN ${staging.name} f ON f.id = s.parent
         LEFT JOIN categories c ON c.code = s.parent`,
      );
      return { inserted: staging.rows - updated, updated };
    },
  };
}
