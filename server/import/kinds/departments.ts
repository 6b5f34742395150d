import { DEPARTMENT_KINDS, DEPARTMENT_LEVELS } from '../../domain/vocabulary.ts';
import { DEPARTMENT_CODE } from '../departments.ts';
import { countExisting, type KindHandler } from '../kind.ts';
import { parseEnum, parseId } from '../values.ts';

/**
 * Departments (责任单位): the 区直/市直 departments, street offices and enterprises that cases are
 * dispatched to. Upserted by code; after the merge, key sites whose accountable unit names a
 * department by name or short name are linked to it.
 */
export function departmentsHandler(): KindHandler {
  return {
    aliases: {
      code: ['编码', '单位编码', '部门编码', '单位代码', 'id'],
      name: ['名称', '单位名称', '部门名称', '全称'],
      short_name: ['简称', '单位简称', 'short', 'abbreviation'],
      kind: ['类型', '单位类型', 'type'],
      parent_level: ['层级', '级别', '隶属层级', 'level'],
    },
    geometryTypes: null,
    columns: [['id', 'VARCHAR'], ['name', 'VARCHAR'], ['short_name', 'VARCHAR'], ['kind', 'VARCHAR'], ['parent_level', 'VARCHAR']],
    async prepare() {},
    toRow({ props }, report) {
      const code = props.code === undefined ? undefined : parseId(props.code);
      if (!code) return report('code', 'required', 'code is required'), null;
      if (code.error) return report('code', 'invalid', code.error), null;
      let ok = true;
      const fail = (field: string, c: string, reason: string) => {
        ok = false;
        report(field, c, reason);
      };
      if (!DEPARTMENT_CODE.test(code.value!)) fail('code', 'invalid', `"${code.value}" is not a department code: 1–64 letters, digits, _ . -`);
      const name = props.name === undefined ? '' : String(props.name).trim();
      if (!name) fail('name', 'required', 'name is required');
      const short = props.short_name === undefined ? null : String(props.short_name).trim() || null;
      const kind = props.kind === undefined ? { value: 'department' as const } : parseEnum(props.kind, DEPARTMENT_KINDS);
      if (kind.error) fail('kind', 'invalid', kind.error);
      const level = props.parent_level === undefined ? { value: 'district' as const } : parseEnum(props.parent_level, DEPARTMENT_LEVELS);
      if (level.error) fail('parent_level', 'invalid', level.error);
      return ok ? [code.value!, name, short, kind.value, level.value] : null;
    },
    async merge(ctx, staging) {
      const s = ctx.session;
      const updated = await countExisting(s, staging, 'departments', 'code');
      await s.run(`DELETE FROM departments WHERE code IN (SELECT id FROM ${staging.name})`);
      await s.run(
        `INSERT INTO departments (code, name, short_name, kind, parent_level) SELECT id, name, short_name, kind, parent_level FROM ${staging.name}`,
      );
      // A site names its accountable unit as text: link those that name a department and are not linked yet.
      await s.run(
        `UPDATE sites SET unit_department = d.code FROM departments d
         WHERE sites.unit_department IS NULL AND sites.unit IS NOT NULL AND (sites.unit = d.name OR sites.unit = d.short_name OR sites.unit = d.code)`,
      );
      return { inserted: staging.rows - updated, updated };
    },
  };
}
