/**
 * The demo district's departments (责任单位): fifteen 区直/市直 units and one office per street, the
 * department each category goes to by default (暴露垃圾 → 城管局) and the unit answering for a key
 * site's surroundings (a school's: 教育局), and a few re-dispatches: cases a
 * department returned as not its own (回退) and the dispatcher sent on to another, through the
 * workflow's own write path, so the timeline shows both dispatches.
 */
import { writeFile } from 'node:fs/promises';
import type { Database } from '../db/database.ts';
import { sqlTimestamp } from '../db/sql-time.ts';
import { HOUR, DAY } from '../domain/time.ts';
import { transition } from '../domain/workflow.ts';
import { applyWorkflowEvent, type NewEvent } from '../queries/issues.ts';
import type { Category } from './taxonomy.ts';

type DemoDepartment = { code: string; name: string; short: string; kind: '区直单位' | '街道办' | '企业'; level: '区' | '市' };

/** The district's departments, as a 区 names them; the police and environment units belong to the city. */
const DEPARTMENTS: readonly DemoDepartment[] = [
  { code: 'GDCG', name: '官渡区城市管理局', short: '城管局', kind: '区直单位', level: '区' },
  { code: 'GDSJ', name: '官渡区市场监督管理局', short: '市场监管局', kind: '区直单位', level: '区' },
  { code: 'GDZJ', name: '官渡区住房和城乡建设局', short: '住建局', kind: '区直单位', level: '区' },
  { code: 'GDJJ', name: '昆明市公安局交通警察支队官渡大队', short: '交警大队', kind: '区直单位', level: '市' },
  { code: 'GDJY', name: '官渡区教育体育局', short: '教育局', kind: '区直单位', level: '区' },
  { code: 'GDWJ', name: '官渡区卫生健康局', short: '卫健局', kind: '区直单位', level: '区' },
  { code: 'GDHB', name: '昆明市生态环境局官渡分局', short: '生态环境分局', kind: '区直单位', level: '市' },
  { code: 'GDYL', name: '官渡区园林绿化局', short: '园林绿化局', kind: '区直单位', level: '区' },
  { code: 'GDSW', name: '官渡区水务局', short: '水务局', kind: '区直单位', level: '区' },
  { code: 'GDSWU', name: '官渡区商务局', short: '商务局', kind: '区直单位', level: '区' },
  { code: 'GDWL', name: '官渡区文化和旅游局', short: '文旅局', kind: '区直单位', level: '区' },
  { code: 'GDGA', name: '昆明市公安局官渡分局', short: '公安分局', kind: '区直单位', level: '市' },
  { code: 'GDJT', name: '官渡区交通运输局', short: '交通运输局', kind: '区直单位', level: '区' },
  { code: 'GDXC', name: '中共昆明市官渡区委宣传部', short: '区委宣传部', kind: '区直单位', level: '区' },
  { code: 'GDGD', name: '云南电网昆明官渡供电局', short: '供电局', kind: '企业', level: '市' },
];

/** The department a 小类 (or, failing that, its 大类) goes to by default. */
const DEFAULTS: Record<string, string> = {
  '01': 'GDCG', '0104': 'GDYL', '0107': 'GDHB',
  '02': 'GDCG', '0204': 'GDXC', '0205': 'GDXC', '0206': 'GDSJ',
  '03': 'GDCG', '0303': 'GDSJ', '0304': 'GDJJ', '0305': 'GDJJ',
  '04': 'GDCG', '0401': 'GDGA', '0402': 'GDGA', '0404': 'GDHB',
  '05': 'GDZJ', '0502': 'GDJT', '0505': 'GDHB',
  '06': 'GDZJ', '0604': 'GDCG', '0605': 'GDYL',
  '07': 'GDSW', '0702': 'GDJT', '0703': 'GDYL',
  '11': 'GDSW', '1103': 'GDGD',
  '12': 'GDJT', '1203': 'GDJJ',
  '13': 'GDCG', '1302': 'GDXC',
  '14': 'GDYL',
};

/**
 * The unit answering for the surroundings of a key site of these types (门前三包): the 市容环境 cases
 * there go to it, and so do the cases 城管局 returns as not its own.
 */
const SITE_DEPARTMENT: Record<string, string> = { school: 'GDJY', hospital: 'GDWJ', market: 'GDSJ', park: 'GDWL' };

/** The department a 市容环境 (01) case at a key site goes to instead of its category's default; null: the default. */
export function siteDepartment(siteType: string | null, category: string): string | null {
  return siteType && category.startsWith('01') ? (SITE_DEPARTMENT[siteType] ?? null) : null;
}

/** How many open cases the demo re-dispatches. */
const REDISPATCHES = 60;

/** The code of a street's office (街道办事处). */
const streetOffice = (street: string) => `JD${street}`;

/**
 * Writes the departments file (Chinese columns, as an office's export has them): the units above
 * and one 街道办事处 per street.
 */
export async function writeDepartments(path: string, streets: readonly { code: string; name: string }[]): Promise<number> {
  const rows = [
    ...DEPARTMENTS.map((d) => [d.code, d.name, d.short, d.kind, d.level]),
    ...streets.map((s) => [streetOffice(s.code), `${s.name}办事处`, s.name, '街道办', '区']),
  ];
  await writeFile(path, `编码,名称,简称,类型,层级\n${rows.map((r) => r.join(',')).join('\n')}\n`);
  return rows.length;
}

/** The categories with the department each 小类 goes to by default (its own, else its 大类's). */
export function withDefaultDepartments(categories: readonly Category[]): (Category & { department?: string })[] {
  return categories.map((c) => {
    const department = c.parent === null ? undefined : (DEFAULTS[c.code] ?? DEFAULTS[c.parent]);
    return department ? { ...c, department } : c;
  });
}

/**
 * Re-dispatches the most recently dispatched open cases of 城管局 (one in three of the latest):
 * 回退 an hour after their dispatch as not its own, and dispatched again an hour later to the
 * department of the key site they lie at, or to their street's office. Four in five of those whose
 * new deadline has passed were then handled, verified and closed in time; the rest are still open.
 * Returns how many were re-dispatched.
 */
export async function redispatchDemoCases(db: Database, now: Date): Promise<number> {
  const cases = await db.all<{ id: string; street: string | null; dispatched_at: Date; site_type: string | null }>(
    `SELECT i.id, i.street, i.dispatched_at,
       (SELECT min(s.type) FROM sites s WHERE list_contains(i.site_ids, s.id) AND s.type IN ('school', 'hospital', 'market', 'park')) AS site_type
     FROM issues i
     WHERE i.status = 'dispatched' AND i.department = 'GDCG' AND i.street IS NOT NULL
       AND i.dispatched_at BETWEEN $from::TIMESTAMP AND $latest::TIMESTAMP AND hash(i.id) % 3 = 0
     ORDER BY i.dispatched_at DESC, i.id LIMIT ${REDISPATCHES}`,
    { from: sqlTimestamp(new Date(now.getTime() - 30 * DAY)), latest: sqlTimestamp(new Date(now.getTime() - 3 * HOUR)) },
  );
  const names = new Map((await db.all<{ code: string; name: string }>('SELECT code, name FROM departments')).map((d) => [d.code, d.name]));
  await db.write(['issues'], async (w) => {
    for (const [k, c] of cases.entries()) {
      const target = (c.site_type && SITE_DEPARTMENT[c.site_type]) || streetOffice(c.street!);
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
