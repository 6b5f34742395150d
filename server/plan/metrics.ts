/**
 * Workload balance of a plan: per grid the issues per 30 days over a window, overdue issues, key
 * sites by type, area, perimeter and households; per plan the spread of the workload. The counts
 * are the KPI rules' reported and overdue (server/domain/kpi-rules.ts), counted by the KPI
 * engine's loops over the plan's grid of each issue.
 */
import { area, length, lineString } from '@turf/turf';
import type { MultiPolygon, Polygon } from 'geojson';
import { addDays, DAY, shanghaiDate } from '../domain/time.ts';
import { periodOf } from '../kpi/filters.ts';
import { countRowsBy } from '../kpi/fast/count.ts';
import type { IssuePoints, PointAssignment, SitePoints } from './points.ts';
import type { PlanState } from './state.ts';

/** A metrics window in epoch milliseconds: reports in [start, end), deadlines in [start, dueEnd). */
export type MetricsWindow = { start: number; end: number; dueEnd: number; days: number };

/** The metrics of one grid. */
export type GridMetrics = {
  code: string;
  name: string;
  community: string;
  inspector: string | null;
  households: number | null;
  areaKm2: number;
  perimeterKm: number;
  /** Issues reported in the window. */
  issues: number;
  /** Workload: issues per 30 days over the window. */
  issuesPer30d: number;
  overdue: number;
  /** Key sites by type code. */
  sites: Record<string, number>;
  /** Outside the target band around the plan mean: 'above', 'below', or null. */
  band: 'above' | 'below' | null;
};

/** The balance of a whole plan. */
export type PlanSummary = {
  grids: number;
  issues: number;
  /** Mean, maximum and spread of issuesPer30d over the grids. */
  mean: number;
  max: number;
  maxOverMean: number | null;
  /** Coefficient of variation (population standard deviation / mean). */
  cv: number | null;
  band: { ratio: number; low: number; high: number; above: string[]; below: string[]; outside: number };
};

/** Per-grid metrics and the plan summary. */
export type PlanMetrics = { grids: GridMetrics[]; summary: PlanSummary };

/**
 * The window for `from`/`to` (YYYY-MM-DD, Asia/Shanghai, `to` inclusive); without them the last
 * 90 days up to today. Deadlines count until `now` at the latest (a future deadline is not due).
 */
export function metricsWindow(from: string | undefined, to: string | undefined, now: Date): MetricsWindow {
  const last = to ?? shanghaiDate(now);
  const first = from ?? addDays(last, -89);
  const { start, end } = periodOf({ from: first, to: last });
  return { start: start!.getTime(), end: end!.getTime(), dueEnd: Math.min(end!.getTime(), now.getTime()), days: (end!.getTime() - start!.getTime()) / DAY };
}

const measures = new WeakMap<object, { areaKm2: number; perimeterKm: number }>();

/** Area and perimeter of a grid, memoised per geometry object (unchanged grids keep theirs across edits). */
function measure(g: Polygon | MultiPolygon): { areaKm2: number; perimeterKm: number } {
  let m = measures.get(g);
  if (!m) {
    const rings = g.type === 'Polygon' ? g.coordinates : g.coordinates.flat();
    const perimeterKm = rings.reduce((s, r) => s + length(lineString(r), { units: 'kilometers' }), 0);
    m = { areaKm2: round(area(g) / 1e6, 6), perimeterKm: round(perimeterKm, 3) };
    measures.set(g, m);
  }
  return m;
}

/** Computes the metrics of a plan from its point assignment. `band` is the ± ratio around the mean (0.3 = ±30 %). */
export function planMetrics(state: PlanState, asg: PointAssignment, issues: IssuePoints, sites: SitePoints, window: MetricsWindow, band: number): PlanMetrics {
  const counts = countRowsBy(issues, issues.count, asg.issues, asg.codes.length, window, issues.codes);
  const siteCounts = new Map<number, Record<string, number>>();
  for (let i = 0; i < sites.ids.length; i++) {
    const s = asg.sites[i];
    if (s < 0) continue;
    const counts = siteCounts.get(s) ?? {};
    counts[sites.types[i]] = (counts[sites.types[i]] ?? 0) + 1;
    siteCounts.set(s, counts);
  }
  const per30 = 30 / window.days;
  const grids: GridMetrics[] = state.codes().map((code) => {
    const a = state.attrs.get(code)!;
    const slot = asg.slotOf(code) ?? -1;
    const n = slot < 0 ? 0 : counts[slot].reported;
    return {
      code, name: a.name, community: a.community, inspector: a.inspector, households: a.households,
      ...measure(state.geometry(code)!),
      issues: n, issuesPer30d: round(n * per30, 2), overdue: slot < 0 ? 0 : counts[slot].overdue,
      sites: siteCounts.get(slot) ?? {}, band: null,
    };
  });
  return { grids, summary: summarise(grids, band) };
}

/** Mean, max/mean, coefficient of variation and the grids outside mean × (1 ± band); marks each grid's band. */
function summarise(grids: GridMetrics[], band: number): PlanSummary {
  const values = grids.map((g) => g.issuesPer30d);
  const n = values.length;
  const mean = n ? values.reduce((s, v) => s + v, 0) / n : 0;
  const max = n ? Math.max(...values) : 0;
  const sd = n ? Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / n) : 0;
  const low = mean * (1 - band);
  const high = mean * (1 + band);
  const above: string[] = [];
  const below: string[] = [];
  for (const g of grids) {
    if (mean > 0 && g.issuesPer30d > high) (g.band = 'above'), above.push(g.code);
    else if (mean > 0 && g.issuesPer30d < low) (g.band = 'below'), below.push(g.code);
  }
  return {
    grids: n,
    issues: grids.reduce((s, g) => s + g.issues, 0),
    mean: round(mean, 2),
    max: round(max, 2),
    maxOverMean: mean > 0 ? round(max / mean, 3) : null,
    cv: mean > 0 ? round(sd / mean, 3) : null,
    band: { ratio: band, low: round(low, 2), high: round(high, 2), above, below, outside: above.length + below.length },
  };
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
