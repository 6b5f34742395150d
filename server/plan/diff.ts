/**
 * What changes between two plans: grids added, removed and changed, which key sites move to
 * another grid, and how many issues flow from which old grid to which new one.
 */
import type { IssuePoints, PointAssignment, SitePoints } from './points.ts';
import type { GridAttrs, PlanState } from './state.ts';

/** The answer of GET /api/plans/:a/diff/:b. */
export type PlanDiff = {
  grids: { added: string[]; removed: string[]; changed: { code: string; fields: string[] }[]; unchanged: number };
  sites: { moved: { id: string; name: string; type: string; from: string | null; to: string | null }[] };
  issues: { total: number; moved: number; flows: { from: string | null; to: string | null; count: number }[] };
};

const FIELDS: (keyof GridAttrs)[] = ['name', 'community', 'inspector', 'households'];

/** Compares plan `a` (e.g. the published one) with plan `b` (e.g. a draft). */
export function diffPlans(a: PlanState, b: PlanState, asgA: PointAssignment, asgB: PointAssignment, issues: IssuePoints, sites: SitePoints): PlanDiff {
  const added = b.codes().filter((c) => !a.attrs.has(c));
  const removed = a.codes().filter((c) => !b.attrs.has(c));
  const changed: PlanDiff['grids']['changed'] = [];
  let unchanged = 0;
  for (const code of b.codes()) {
    const x = a.attrs.get(code);
    if (!x) continue;
    const y = b.attrs.get(code)!;
    const fields: string[] = FIELDS.filter((f) => x[f] !== y[f]);
    if (JSON.stringify(a.geometry(code)?.coordinates) !== JSON.stringify(b.geometry(code)?.coordinates)) fields.unshift('geometry');
    if (fields.length) changed.push({ code, fields });
    else unchanged++;
  }

  const moved: PlanDiff['sites']['moved'] = [];
  for (let i = 0; i < sites.ids.length; i++) {
    const from = asgA.codeOf(asgA.sites[i]);
    const to = asgB.codeOf(asgB.sites[i]);
    if (from !== to) moved.push({ id: sites.ids[i], name: sites.names[i], type: sites.types[i], from, to });
  }

  // Slot pairs packed into one number: slots stay far below 2^20 (a plan has thousands of grids).
  const flows = new Map<number, number>();
  let movedIssues = 0;
  for (let i = 0; i < issues.count; i++) {
    const from = asgA.codeOf(asgA.issues[i]);
    const to = asgB.codeOf(asgB.issues[i]);
    if (from === to) continue;
    movedIssues++;
    const key = (asgA.issues[i] + 1) * 2 ** 20 + (asgB.issues[i] + 1);
    flows.set(key, (flows.get(key) ?? 0) + 1);
  }
  const flowList = [...flows].map(([key, count]) => {
    const sa = Math.floor(key / 2 ** 20) - 1;
    const sb = (key % 2 ** 20) - 1;
    return { from: asgA.codeOf(sa), to: asgB.codeOf(sb), count };
  }).sort((x, y) => y.count - x.count);

  return {
    grids: { added, removed, changed, unchanged },
    sites: { moved },
    issues: { total: issues.count, moved: movedIssues, flows: flowList },
  };
}
