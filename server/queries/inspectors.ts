/**
 * Figures per inspector (网格员): the reports they found, and the issues of the grids they walk.
 * An inspector is a name on the plan's grids (`grids.inspector`); one person may hold several grids.
 * "Found" counts the issues whose report event names them (`issue_events` of type `reported`, its
 * actor): the reporter a file or the patrol app gives, or for a patrol report that names nobody the
 * grid's inspector (README *Properties*). The grid figures are the KPI rules' own counters per grid.
 */
import { listValue } from '@duckdb/node-api';
import { rate, REPORTED_IN_PERIOD } from '../kpi/definitions.ts';
import { issueConditions, periodParams, type Filters } from '../kpi/filters.ts';
import { countsBy, type KpiContext } from '../kpi/query.ts';
import { gridRows } from './geo.ts';

/** One inspector's figures for the filters. */
export type InspectorFigures = {
  name: string;
  /** Codes of the grids they hold under the plan, inside the scope. */
  grids: string[];
  /** Issues reported in the period (and matching the filters) that name them as reporter, wherever they lie. */
  found: number;
  /** Issues reported in the period in their grids. */
  issues: number;
  /** 应结案 in their grids, and of those 按期结案, and the rate (null when nothing was due). */
  due: number;
  onTime: number;
  onTimeRate: number | null;
};

/**
 * Every inspector of the plan's grids inside the scope, by name. A site or department scope narrows
 * the issues only: then every grid is in it, and inspectors with nothing to count are left out.
 */
export async function inspectorFigures(ctx: KpiContext, f: Filters): Promise<InspectorFigures[]> {
  const grids = (await gridRows(ctx.db, f)).filter((g) => g.inspector);
  const byName = new Map<string, string[]>();
  for (const g of grids) byName.set(g.inspector!, [...(byName.get(g.inspector!) ?? []), g.code]);
  const names = [...byName.keys()];
  const [counts, found] = await Promise.all([countsBy(ctx, f, { by: 'grid' }, { hours: false }), foundBy(ctx, f, names)]);
  const rows = names.map((name) => {
    const held = byName.get(name)!;
    let issues = 0;
    let due = 0;
    let onTime = 0;
    for (const code of held) {
      const c = counts.get(code);
      if (!c) continue;
      issues += c.reported;
      due += c.due;
      onTime += c.closed_on_time;
    }
    return { name, grids: held, found: found.get(name) ?? 0, issues, due, onTime, onTimeRate: rate(onTime, due) };
  });
  const narrowsIssuesOnly = f.scope.level === 'site' || f.scope.level === 'department';
  return narrowsIssuesOnly ? rows.filter((r) => r.found > 0 || r.issues > 0 || r.due > 0) : rows;
}

/** Issues reported in the period whose report names one of `names`, by name. */
async function foundBy(ctx: KpiContext, f: Filters, names: string[]): Promise<Map<string, number>> {
  if (!names.length) return new Map();
  const cond = issueConditions(f);
  const { start, end } = periodParams(f, ctx.now);
  const rows = await ctx.db.all<{ name: string; n: number }>(
    `SELECT e.actor AS name, count(DISTINCT i.id)::INTEGER AS n
     FROM issues i JOIN issue_events e ON e.issue_id = i.id AND e.type = 'reported'
     WHERE ${REPORTED_IN_PERIOD} AND ${cond.sql} AND list_contains($names::VARCHAR[], e.actor)
     GROUP BY e.actor`,
    { ...cond.params, start, end, names: listValue(names) },
  );
  return new Map(rows.map((r) => [r.name, r.n]));
}
