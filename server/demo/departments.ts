/**
 * The demo's departments (责任单位): in each district fifteen 区直/市直 units of the same kinds under
 * the same short names (五华区城市管理局 and 官渡区城市管理局 are both 城管局) and one office per
 * street; the kind of unit each category goes to by default (暴露垃圾 → 城管局: each issue to its
 * own district's, as the import resolves a category's default) and the unit answering for a key
 * site's surroundings (a school's: 教育局); and a few re-dispatches in every district: cases a
 * department returned as not its own (回退) and the dispatcher sent on to another, through the
 * workflow's own write path, so the timeline shows both dispatches.
 */
import { writeFile } from 'node:fs/promises';
import type { Database } from '../db/database.ts';
import { sqlTimestamp } from '../db/sql-time.ts';
import { HOUR, DAY } from '../domain/time.ts';
import { transition } from '../domain/workflow.ts';
import { applyWorkflowEvent, type NewEvent } from '../queries/issues.ts';
import { districtPrefix } from './city.ts';
import type { Category } from './taxonomy.ts';

/**
 * A kind of unit every district has: its code suffix, full name in the district `d` (五华区) whose
 * stem is `s` (五华), short name and level. Police and environment units are the city's branches.
 */
type DemoDepartment = { suffix: string; name: (d: string, s: string) => string; short: string; kind: '区直单位' | '企业'; level: '区' | '市' };

/** The units of a district, as a 区 names them. */
const DEPARTMENTS: readonly DemoDepartment[] = [
  { suffix: 'CG', name: (d) => `${d}城市管理局`, short: '城管局', kind: '区直单位', level: '区' },
  { suffix: 'SJ', name: (d) => `${d}市场监督管理局`, short: '市场监管局', kind: '区直单位', level: '区' },
  { suffix: 'ZJ', name: (d) => `${d}住房和城乡建设局`, short: '住建局', kind: '区直单位', level: '区' },
  { suffix: 'JJ', name: (_, s) => `昆明市公安局交通警察支队${s}大队`, short: '交警大队', kind: '区直单位', level: '市' },
  { suffix: 'JY', name: (d) => `${d}教育体育局`, short: '教育局', kind: '区直单位', level: '区' },
  { suffix: 'WJ', name: (d) => `${d}卫生健康局`, short: '卫健局', kind: '区直单位', level: '区' },
  { suffix: 'HB', name: (_, s) => `昆明市生态环境局${s}分局`, short: '生态环境分局', kind: '区直单位', level: '市' },
  { suffix: 'YL', name: (d) => `${d}园林绿化局`, short: '园林绿化局', kind: '区直单位', level: '区' },
  { suffix: 'SW', name: (d) => `${d}水务局`, short: '水务局', kind: '区直单位', level: '区' },
  { suffix: 'SWU', name: (d) => `${d}商务局`, short: '商务局', kind: '区直单位', level: '区' },
  { suffix: 'WL', name: (d) => `${d}文化和旅游局`, short: '文旅局', kind: '区直单位', level: '区' },
  { suffix: 'GA', name: (_, s) => `昆明市公安局${s}分局`, short: '公安分局', kind: '区直单位', level: '市' },
  { suffix: 'JT', name: (d) => `${d}交通运输局`, short: '交通运输局', kind: '区直单位', level: '区' },
  { suffix: 'XC', name: (d) => `中共昆明市${d}委宣传部`, short: '区委宣传部', kind: '区直单位', level: '区' },
  { suffix: 'GD', name: (_, s) => `云南电网昆明${s}供电局`, short: '供电局', kind: '企业', level: '市' },
];

/** The kind of unit (code suffix) a 小类 (or, failing that, its 大类) goes to by default. */
const DEFAULTS: Record<string, string> = {
  '01': 'CG', '0104': 'YL', '0107': 'HB',
  '02': 'CG', '0204': 'XC', '0205': 'XC', '0206': 'SJ',
  '03': 'CG', '0303': 'SJ', '0304': 'JJ', '0305': 'JJ',
  '04': 'CG', '0401': 'GA', '0402': 'GA', '0404': 'HB',
  '05': 'ZJ', '0502': 'JT', '0505': 'HB',
  '06': 'ZJ', '0604': 'CG', '0605': 'YL',
  '07': 'SW', '0702': 'JT', '0703': 'YL',
  '11': 'SW', '1103': 'GD',
  '12': 'JT', '1203': 'JJ',
  '13': 'CG', '1302': 'XC',
  '14': 'YL',
};

/**
 * The unit answering for the surroundings of a key site of these types (门前三包): the 市容环境 cases
 * there go to it, and so do the cases 城管局 returns as not its own.
 */
const SITE_DEPARTMENT: Record<string, string> = { school: 'JY', hospital: 'WJ', market: 'SJ', park: 'WL' };

const SHORT = new Map(DEPARTMENTS.map((d) => [d.suffix, d.short]));

/**
 * The department a 市容环境 (01) case at a key site goes to instead of its category's default, by
 * short name (the import takes the district's); null: the default.
 */
export function siteDepartment(siteType: string | null, category: string): string | null {
  const suffix = siteType && category.startsWith('01') ? SITE_DEPARTMENT[siteType] : undefined;
  return suffix ? SHORT.get(suffix)! : null;
}

/** How many open cases the demo re-dispatches in each district. */
const REDISPATCHES = 12;

/** The code of a street's office (街道办事处). */
const streetOffice = (street: string) => `JD${street}`;

/** The code of a district's unit of a kind. */
const departmentCode = (district: string, suffix: string) => `${districtPrefix(district)}${suffix}`;

/** 五华区 → 五华 (the units of the city's branches name the district so). */
const stemOf = (name: string) => (name.length > 2 && /[区县市]$/.test(name) ? name.slice(0, -1) : name);

/**
 * Writes the departments file (Chinese columns, as an office's export has them): each district's
 * units and one 街道办事处 per street.
 */
export async function writeDepartments(
  path: string, districts: readonly { code: string; name: string }[], streets: readonly { code: string; name: string }[],
): Promise<number> {
  const rows = [
    ...districts.flatMap((d) => DEPARTMENTS.map((u) => [departmentCode(d.code, u.suffix), u.name(d.name, stemOf(d.name)), u.short, u.kind, u.level])),
    ...streets.map((s) => [streetOffice(s.code), `${s.name}办事处`, s.name, '街道办', '区']),
  ];
  await writeFile(path, `编码,名称,简称,类型,层级\n${rows.map((r) => r.join(',')).join('\n')}\n`);
  return rows.length;
}

/**
 * The categories with the kind of unit each 小类 goes to by default (its own, else its 大类's), named
 * by its short name: the import gives each issue its own district's unit of that name.
 */
export function withDefaultDepartments(categories: readonly Category[]): (Category & { department?: string })[] {
  return categories.map((c) => {
    const suffix = c.parent === null ? undefined : (DEFAULTS[c.code] ?? DEFAULTS[c.parent]);
    return suffix ? { ...c, department: SHORT.get(suffix)! } : c;
  });
}

/**
 * Re-dispatches, in every district, the most recently dispatched open cases of its 城管局 (one in
 * three of the latest): 回退 an hour after their dispatch as not its own, and dispatched again an
 * hour later to the district's unit for the key site they lie at, or to their street's office. Four
 * in five of those whose new deadline has passed were then handled, verified and closed in time; the
 * rest are still open. Returns how many were re-dispatched.
 */
export async function redispatchDemoCases(db: Database, now: Date): Promise<number> {
  const cases = await db.all<{ id: string; street: string; district: string; dispatched_at: Date; site_type: string | null }>(
    `SELECT * FROM (
       SELECT i.id, i.street, s.parent AS district, i.dispatched_at,
         (SELECT min(x.type) FROM sites x WHERE list_contains(i.site_ids, x.id) AND x.type IN ('school', 'hospital', 'market', 'park')) AS site_type,
         row_number() OVER (PARTITION BY s.parent ORDER BY i.dispatched_at DESC, i.id) AS k
       FROM issues i JOIN regions s ON s.code = i.street
       JOIN departments d ON d.code = i.department AND d.short_name = '城管局'
       WHERE i.status = 'dispatched' AND i.dispatched_at BETWEEN $from::TIMESTAMP AND $latest::TIMESTAMP AND hash(i.id) % 3 = 0)
     WHERE k <= ${REDISPATCHES} ORDER BY district, k`,
    { from: sqlTimestamp(new Date(now.getTime() - 30 * DAY)), latest: sqlTimestamp(new Date(now.getTime() - 3 * HOUR)) },
  );
  const names = new Map((await db.all<{ code: string; name: string }>('SELECT code, name FROM departments')).map((d) => [d.code, d.name]));
  await db.write(['issues'], async (w) => {
    for (const [k, c] of cases.entries()) {
      const suffix = c.site_type ? SITE_DEPARTMENT[c.site_type] : undefined;
      const target = suffix ? departmentCode(c.district, suffix) : streetOffice(c.street);
      const department = { code: target, name: names.get(target) ?? target };
      const returned = c.dispatched_at.getTime() + HOUR;
      const redispatched = returned + HOUR;
      /** Applies one event through the workflow; answers the deadline it leaves. */
      const apply = async (event: NewEvent) => {
        let deadline: number | null = null;
        await applyWorkflowEvent(w, c.id, ({ state, limit }) => {
          const r = transition(state, { event: event.type, at: event.at, limit });
          if (!r.ok) throw new Error(`demo re-dispatch of ${c.id}: ${r.reason}`);
          deadline = r.next.deadline;
          return { next: r.next, event };
        });
        return deadline as number | null;
      };
      await apply({ type: 'returned', at: returned, actor: '城管局派遣员', note: '非本单位职责，申请回退', department: null });
      const deadline = await apply({ type: 'dispatched', at: redispatched, actor: '区数字城管中心', note: '改派', department });
      if (k % 5 === 4 || deadline === null || deadline > now.getTime() - HOUR) continue;
      // Handled, verified and closed within the new time limit, by the department it went to.
      const actor = `${department.name}经办人`;
      for (const [type, share] of [['handled', 0.5], ['verified', 0.7], ['closed', 0.9]] as const) {
        await apply({ type, at: Math.round(redispatched + (deadline - redispatched) * share), actor, note: null, department: null });
      }
    }
  });
  return cases.length;
}
