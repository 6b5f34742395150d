import { bboxOf } from '../../domain/geometry.ts';
import { REGION_LEVELS, type RegionLevel } from '../../domain/vocabulary.ts';
import { areaKm2 } from '../../spatial/measure.ts';
import { countExisting, type ImportContext, type KindHandler } from '../kind.ts';
import { parseEnum, parseId } from '../values.ts';

const PARENT_LEVEL: Record<RegionLevel, RegionLevel | null> = { city: null, district: 'city', street: 'district', community: 'street' };

/** GB/T 2260 codes: 6 digits ending in 00 a city, other 6 digits a district, +3 a street/town, +3 a community/village. */
function levelFromCode(code: string): RegionLevel | null {
  if (/^\d{4}00$/.test(code)) return 'city';
  if (/^\d{6}$/.test(code)) return 'district';
  if (/^\d{9}$/.test(code)) return 'street';
  if (/^\d{12}$/.test(code)) return 'community';
  return null;
}

/** The levels whose parent must be in this file or the database (a city's and a district's are checked on their own). */
const NEEDS_PARENT: readonly RegionLevel[] = ['street', 'community'];

/** A city's districts share the first four digits of its code (530100 holds 5301xx). */
const CITY_PREFIX = 4;

/** Administrative regions: a city (市), districts (区/县), streets (街道/镇), communities (社区/村). */
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
      const needsParent = level !== null && NEEDS_PARENT.includes(level);
      if (needsParent && !parent) report('parent', 'required', `a ${level} needs its parent code`);
      if (!name || !level || parent?.error || (needsParent && !parent)) return null;
      const [xmin, ymin, xmax, ymax] = bboxOf(geometry!);
      return [code.value, name, level, parent?.value ?? null, JSON.stringify(geometry), xmin, ymin, xmax, ymax, areaKm2(geometry!)];
    },
    async check(ctx, staging) {
      // A street's or community's parent must exist in this file or already in the database, one level up.
      const expectedSql = `CASE s.level ${NEEDS_PARENT.map((l) => `WHEN '${l}' THEN '${PARENT_LEVEL[l]}'`).join(' ')} END`;
      const orphans = await ctx.session.all<{ idx: number; id: string; parent: string; level: string; parent_level: string | null }>(
        `SELECT * FROM (
           SELECT s._idx AS idx, s.id, s.parent, s.level, coalesce(f.level, r.level) AS parent_level, ${expectedSql} AS expected
           FROM ${staging.name} s
           LEFT JOIN ${staging.name} f ON f.id = s.parent
           LEFT JOIN regions r ON r.code = s.parent
           WHERE s.level IN (${NEEDS_PARENT.map((l) => `'${l}'`).join(', ')}))
         WHERE parent_level IS NULL OR parent_level <> expected
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
      await checkTop(ctx, staging.name);
    },
    async merge(ctx, staging) {
      const updated = await countExisting(ctx.session, staging, 'regions', 'code');
      await ctx.session.run(`DELETE FROM regions WHERE code IN (SELECT id FROM ${staging.name})`);
      await ctx.session.run(
        `INSERT INTO regions (code, name, level, parent, geometry, xmin, ymin, xmax, ymax, area_km2)
         SELECT id, name, level, parent, geometry, xmin, ymin, xmax, ymax, area_km2 FROM ${staging.name}`,
      );
      // A district imported alone, or before its city, hangs under the city once there is one.
      await ctx.session.run(
        `UPDATE regions SET parent = c.code FROM (SELECT code FROM regions WHERE level = 'city') c
         WHERE regions.level = 'district' AND regions.parent IS DISTINCT FROM c.code`,
      );
      return { inserted: staging.rows - updated, updated };
    },
  };
}

type TopRow = { idx: number | null; id: string; level: 'city' | 'district'; parent: string | null };

/**
 * A deployment holds one city with its districts, or one district alone: a second city (in the file
 * or beside one already imported), a district outside the city's code prefix or under another parent,
 * and two districts without a city are refused, naming the codes.
 */
async function checkTop(ctx: ImportContext, staging: string): Promise<void> {
  // The file's cities and districts, and those of the database the file does not replace.
  const rows = await ctx.session.all<TopRow>(
    `SELECT _idx AS idx, id, level, parent FROM ${staging} WHERE level IN ('city', 'district')
     UNION ALL
     SELECT NULL, code, level, parent FROM regions WHERE level IN ('city', 'district') AND code NOT IN (SELECT id FROM ${staging})
     ORDER BY idx NULLS FIRST, id LIMIT 10000`,
  );
  const problem = (row: TopRow, field: string, code: string, reason: string) =>
    ctx.problems.add({ index: row.idx ?? undefined, id: row.id, field, code, reason });
  const cities = rows.filter((r) => r.level === 'city');
  const districts = rows.filter((r) => r.level === 'district');
  const inFile = (r: TopRow) => r.idx !== null;
  if (cities.length > 1) {
    const codes = cities.map((c) => c.id).join(', ');
    for (const c of cities.filter(inFile)) problem(c, 'code', 'second_city', `a deployment holds one city; this would make it hold ${codes}`);
    return;
  }
  const city = cities[0];
  if (!city) {
    if (districts.length > 1) {
      const codes = districts.map((d) => d.id).join(', ');
      for (const d of districts.filter(inFile)) {
        problem(d, 'code', 'no_city', `districts ${codes} need their city (a code ending in 00) in this file or already imported`);
      }
    }
    return;
  }
  const prefix = city.id.slice(0, CITY_PREFIX);
  for (const d of districts) {
    if (d.id.slice(0, CITY_PREFIX) !== prefix) {
      // A district already imported that the new city cannot hold is the city's problem.
      if (inFile(d)) problem(d, 'code', 'outside_city', `district ${d.id} lies outside city ${city.id} (its districts' codes start with ${prefix})`);
      else problem(city, 'code', 'outside_city', `city ${city.id} cannot hold district ${d.id}, already imported (its districts' codes start with ${prefix})`);
    } else if (inFile(d) && d.parent !== null && d.parent !== city.id) {
      problem(d, 'parent', 'wrong_parent', `district ${d.id}'s parent must be the city ${city.id}, not "${d.parent}"`);
    }
  }
}
