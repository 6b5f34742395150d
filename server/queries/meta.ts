import type { Database } from '../db/database.ts';
import { NoDataError } from '../domain/errors.ts';
import { ISSUE_SOURCES, ISSUE_STATUSES } from '../domain/vocabulary.ts';
import { topRegion, type TopRegion } from '../kpi/resolve.ts';
import { publishedPlans, type PublishedPlan } from './published-grids.ts';

type CategoryNode = { code: string; name: string; nameEn: string | null; kind: string; limit: number | null; limitUnit: string | null; children: CategoryNode[] };
type RegionNode = { code: string; name: string; level: string; children: RegionNode[] };

/** Everything a client needs to build its filters and navigation, in one answer. */
export async function readMeta(db: Database) {
  const [top, categories, siteTypes, regions, range, plans, departments] = await Promise.all([
    // Before any region is imported there is no top yet.
    topRegion(db).catch((err: unknown): TopRegion | null => {
      if (err instanceof NoDataError) return null;
      throw err;
    }),
    db.all<{ code: string; parent: string | null; kind: string; name: string; name_en: string | null; time_limit: number | null; limit_unit: string | null }>(
      'SELECT code, parent, kind, name, name_en, time_limit, limit_unit FROM categories ORDER BY code',
    ),
    db.all<{ code: string; name: string; name_en: string; geometry_kind: string; buffer_m: number; sites: number }>(
      `SELECT t.code, t.name, t.name_en, t.geometry_kind, t.buffer_m, count(s.id) AS sites
       FROM site_types t LEFT JOIN sites s ON s.type = t.code GROUP BY t.code, t.name, t.name_en, t.geometry_kind, t.buffer_m, t.sort ORDER BY t.sort`,
    ),
    db.all<{ code: string; name: string; level: string; parent: string | null }>('SELECT code, name, level, parent FROM regions ORDER BY code'),
    db.one<{ first: Date | null; last: Date | null; issues: number }>('SELECT min(reported_at) AS first, max(reported_at) AS last, count(*) AS issues FROM issues'),
    publishedPlans(db),
    db.all<{ code: string; name: string; short_name: string | null; kind: string }>('SELECT code, name, short_name, kind FROM departments ORDER BY code'),
  ]);
  return {
    /** The top of the hierarchy (the city, or the one district): the default scope and the tree's root. */
    top,
    categories: tree(
      categories.map((c) => ({ code: c.code, parent: c.parent, node: { code: c.code, name: c.name, nameEn: c.name_en, kind: c.kind, limit: c.time_limit, limitUnit: c.limit_unit, children: [] as CategoryNode[] } })),
    ),
    siteTypes: siteTypes.map((t) => ({ code: t.code, name: t.name, nameEn: t.name_en, geometry: t.geometry_kind, bufferM: t.buffer_m, sites: t.sites })),
    statuses: Object.entries(ISSUE_STATUSES).map(([code, names]) => ({ code, name: names[0] })),
    sources: Object.entries(ISSUE_SOURCES).map(([code, names]) => ({ code, name: names[0] })),
    dataRange: { first: range?.first?.toISOString() ?? null, last: range?.last?.toISOString() ?? null, issues: range?.issues ?? 0 },
    /** The published plan when one plan is published (a one-district deployment); a city has one per district. */
    publishedPlan: plans.length === 1 ? planOf(plans[0]) : null,
    /** Every district's published plan. */
    publishedPlans: plans.map((p) => ({ ...planOf(p), district: p.district })),
    departments: departments.map((d) => ({ code: d.code, name: d.name, shortName: d.short_name, kind: d.kind })),
    regions: tree(regions.map((r) => ({ code: r.code, parent: r.parent, node: { code: r.code, name: r.name, level: r.level, children: [] as RegionNode[] } }))),
  };
}

function planOf(p: PublishedPlan) {
  return { id: p.id, name: p.name, publishedAt: p.publishedAt?.toISOString() ?? null, grids: p.grids };
}

/** Links nodes to their parents; a node whose parent is absent becomes a root. */
function tree<N extends { children: N[] }>(items: { code: string; parent: string | null; node: N }[]): N[] {
  const byCode = new Map(items.map((i) => [i.code, i.node]));
  const roots: N[] = [];
  for (const item of items) {
    const parent = item.parent ? byCode.get(item.parent) : undefined;
    if (parent) parent.children.push(item.node);
    else roots.push(item.node);
  }
  return roots;
}
