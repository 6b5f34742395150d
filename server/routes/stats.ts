import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../app.ts';
import { invalidParameter } from '../domain/errors.ts';
import { levelDepth } from '../domain/scope.ts';
import { CALENDAR_UNITS, DAY } from '../domain/time.ts';
import { EMPTY_COUNTS, finishKpis, scoredRates, type KpiCounts } from '../kpi/definitions.ts';
import { filterQuery, periodDays, type Filters } from '../kpi/filters.ts';
import { totalCounts, type KpiContext, kpiContextOf } from '../kpi/query.ts';
import { rankChange, rankUnits, redAndBlack } from '../kpi/ranking.ts';
import { resolveFilters, scopeInfo, topRegion, type ScopeInfo } from '../kpi/resolve.ts';
import type { RouteDoc } from '../openapi/build.ts';
import { bucketsOf, kpiChange, lastYearComparison, periodLabel, previousComparison, type Period } from '../kpi/timeseries.ts';
import {
  breakdownCounts, breakdownKeys, BREAKDOWNS, bucketCounts, isClockBreakdown, isOverlapping, nullKeyName, RANKING_LEVELS,
  seriesRange, unitCounts, unitsOf,
} from '../queries/stats.ts';
import { queryError } from './validation.ts';

/** More buckets than a chart can show; past it the client must narrow the period or coarsen the interval. */
const MAX_BUCKETS = 400;

const timeseriesQuery = filterQuery.extend({
  interval: z.enum(CALENDAR_UNITS).default('day').describe('bucket: Asia/Shanghai hour (key YYYY-MM-DDTHH:00), day, ISO week (from Monday) or month'),
});
const breakdownQuery = filterQuery.extend({
  by: z.enum(BREAKDOWNS).describe('what a row is; hour and weekday (1 = Monday) of the report, in Asia/Shanghai'),
  level: z.enum(['1', '2']).optional().describe('with by=category: 1 = 大类, 2 = 小类 (default)'),
});
const rankingQuery = filterQuery.extend({
  level: z.enum(RANKING_LEVELS).default('street')
    .describe('the units ranked: districts, streets, communities or grids finer than the scope, or departments (区直单位红黑榜: every department but the street offices, by their cases in the scope)'),
  n: z.coerce.number().int().min(1).max(100).default(10).describe('length of the red and of the black list, 1–100'),
});

const BAD = 'invalid parameter (named in the error)';

/** OpenAPI entries of this route (see server/openapi). */
export const statsDocs: RouteDoc[] = [
  {
    method: 'get', path: '/api/stats/summary', tag: 'stats', query: filterQuery,
    summary: 'KPIs of the scope for the period, with 环比 (the same days of the month before for a period starting on the 1st, else the equal period before) and 同比 (the same dates a year before).',
    description: 'A compared period is judged with the same hindsight as the current one, as of the moment that stands to it as now '
      + 'stands to the period (`asOf`): 同比 as of the same time one calendar year before now, 环比 as of the previous period\'s end minus '
      + 'the time from now to the period\'s end. Then only issues reported by that moment count, deadlines up to it are due, and an issue closed after it was '
      + 'still open (超期未结 then). previous is null without both from and to; without any period (to date) lastYear is '
      + 'everything to date one year before. change: `…Pct` relative change in %, `…Pts` percentage points, `…Delta` difference; '
      + 'null from a zero base or a null rate.',
    responses: { 200: '{scope, period, kpis, previous: {period, asOf, kpis}, lastYear: {period, asOf, kpis}, change: {previous, lastYear}}', 400: BAD },
  },
  {
    method: 'get', path: '/api/stats/timeseries', tag: 'stats', query: timeseriesQuery,
    summary: 'KPIs per time bucket, each bucket taken as the period (reported by report time, due by deadline).',
    description: `Buckets cover the period, empty ones as zeros; without a period, the data range of the filter up to now. `
      + `The first and last bucket are clipped to the period (from/to). At most ${MAX_BUCKETS} buckets.`,
    responses: { 200: '{scope, period, interval, buckets: [{bucket, from, to, kpis}]}', 400: `${BAD}, or more than ${MAX_BUCKETS} buckets` },
  },
  {
    method: 'get', path: '/api/stats/breakdown', tag: 'stats', query: breakdownQuery,
    summary: 'KPIs per category, region, grid, key site, site type, department, source, status, hour or weekday; rows by reported, descending.',
    description: 'key null = outside every grid (网格外), at no key site (点位外) or dispatched to no department (未派遣). hour and weekday list every value in order. '
      + 'With by=site|siteType an issue in several sites counts in each row (overlapping: true): total is the summary, not the sum of rows.',
    responses: { 200: '{scope, period, by, categoryLevel, overlapping, rows: [{key, name, kpis}], total}', 400: BAD },
  },
  {
    method: 'get', path: '/api/stats/ranking', tag: 'stats', query: rankingQuery,
    summary: '红黑榜: the best and the worst n units of the scope by composite score, with the rank change versus the previous period.',
    description: 'Rank 1 = best; ties go to the higher on-time rate, then the smaller code. Units with fewer than minDue cases due '
      + '(data/scoring.json; nothing due: no score at all) are only counted (unranked). Departments are counted by the department each '
      + 'case had at the end of the period (a re-dispatch moves a case from that moment). previousRank needs both from and to: the ranks '
      + 'of the summary\'s 环比 period, judged as of the same moment (previousAsOf); rankChange > 0 means climbed.',
    responses: { 200: '{scope, period, previousPeriod, previousAsOf, level, n, ranked, unranked, minDue, red, black}', 400: BAD },
  },
];

function invalid(parameter: string, reason: string): never {
  throw invalidParameter(parameter, reason);
}

/** The period when both ends are given; 环比 and rank change need one. */
const closedPeriod = (f: Filters): Period | null => (f.start && f.end ? { start: f.start, end: f.end } : null);

const scopeOut = (info: ScopeInfo) => ({ level: info.level, id: info.id, name: info.name });

/**
 * `/api/stats/*` — the analytics: summary with 环比/同比, time series, breakdowns and
 * the 红黑榜. Every number is a KPI of server/kpi, counted with that module's aggregates.
 */
export function statsRoutes(deps: AppDeps) {
  const context = (): KpiContext => kpiContextOf(deps);
  /** Filters and what the scope is; resolveFilters has already rejected an unknown scope. */
  const resolve = async (q: z.infer<typeof filterQuery>) => {
    const f = await resolveFilters(deps.db, q);
    return { f, info: (await scopeInfo(deps.db, f.scope))! };
  };
  const finish = (counts: KpiCounts | undefined, info: { areaKm2: number | null; grids: number | null }, days: number | null) =>
    finishKpis(counts ?? EMPTY_COUNTS, { areaKm2: info.areaKm2, grids: info.grids, periodDays: days, scoring: deps.scoring });

  return new Hono()
    .get('/summary', zValidator('query', filterQuery, queryError), async (c) => {
      const ctx = context();
      const { f, info } = await resolve(c.req.valid('query'));
      const kpisOf = async (p: Pick<Filters, 'start' | 'end' | 'asOf'>) => finish(await totalCounts(ctx, { ...f, ...p }), info, periodDays(p));
      const period = closedPeriod(f);
      const previous = period && previousComparison(period, ctx.now);
      // Half-open periods have no 同比; "to date" has.
      const lastYear = period || (!f.start && !f.end) ? lastYearComparison(period, ctx.now) : null;
      const [kpis, previousKpis, lastYearKpis] = await Promise.all([
        kpisOf(f), previous && kpisOf(previous), lastYear && kpisOf(lastYear),
      ]);
      const compared = (p: { start: Date | null; end: Date | null; asOf: Date }, k: typeof kpis) => ({ period: periodLabel(p), asOf: p.asOf.toISOString(), kpis: k });
      return c.json({
        scope: scopeOut(info),
        period: periodLabel(f),
        kpis,
        previous: previous && previousKpis ? compared(previous, previousKpis) : null,
        lastYear: lastYear && lastYearKpis ? compared(lastYear, lastYearKpis) : null,
        change: {
          previous: previousKpis ? kpiChange(kpis, previousKpis) : null,
          lastYear: lastYearKpis ? kpiChange(kpis, lastYearKpis) : null,
        },
      });
    })
    .get('/timeseries', zValidator('query', timeseriesQuery, queryError), async (c) => {
      const ctx = context();
      const q = c.req.valid('query');
      const { f, info } = await resolve(q);
      const range = await seriesRange(ctx, f);
      const buckets = range ? bucketsOf(range, q.interval, MAX_BUCKETS) : [];
      if (!buckets) invalid('interval', `more than ${MAX_BUCKETS} ${q.interval} buckets; narrow from/to or choose a coarser interval`);
      const counts = range && buckets.length ? await bucketCounts(ctx, { ...f, ...range }, q.interval, buckets) : new Map<string | null, KpiCounts>();
      return c.json({
        scope: scopeOut(info),
        period: periodLabel(f),
        interval: q.interval,
        buckets: buckets.map((b) => ({
          bucket: b.key,
          ...periodLabel(b),
          kpis: finish(counts.get(b.key), info, (b.end.getTime() - b.start.getTime()) / DAY),
        })),
      });
    })
    .get('/breakdown', zValidator('query', breakdownQuery, queryError), async (c) => {
      const ctx = context();
      const q = c.req.valid('query');
      if (q.level && q.by !== 'category') invalid('level', 'applies to by=category only');
      const { f, info } = await resolve(q);
      const categoryLevel = q.level === '1' ? 1 : 2;
      const [{ rows: counts, total }, keys] = await Promise.all([
        breakdownCounts(ctx, f, q.by, categoryLevel),
        topRegion(deps.db).then((top) => breakdownKeys(deps.db, q.by, { level: top.level, id: top.code })),
      ]);
      const days = periodDays(f);
      const row = (key: string | null) => {
        const known = key === null ? undefined : keys.get(key);
        return {
          key,
          name: key === null ? nullKeyName(q.by) : (known?.name ?? key),
          kpis: finish(counts.get(key), known ?? { areaKm2: null, grids: null }, days),
        };
      };
      const rows = isClockBreakdown(q.by)
        ? [...keys.keys()].map(row)
        : [...counts.entries()]
          // A unit met only by pruning (reported earlier, deadline still ahead) has nothing to show.
          .filter(([, k]) => k.reported > 0 || k.due > 0)
          .map(([key]) => row(key))
          .sort((a, b) => b.kpis.reported - a.kpis.reported || b.kpis.due - a.kpis.due || compareKeys(a.key, b.key));
      return c.json({
        scope: scopeOut(info),
        period: periodLabel(f),
        by: q.by,
        categoryLevel: q.by === 'category' ? categoryLevel : null,
        // Site rows may share issues, so the total is the scope's, not the sum of the rows.
        overlapping: isOverlapping(q.by),
        rows,
        total: finish(total, info, days),
      });
    })
    .get('/ranking', zValidator('query', rankingQuery, queryError), async (c) => {
      const ctx = context();
      const q = c.req.valid('query');
      const { f, info } = await resolve(q);
      if (f.scope.level === 'grid' || f.scope.level === 'site' || f.scope.level === 'department') invalid('scope', 'a ranking needs a city, district, street or community scope');
      // Departments are ranked by their cases inside any such scope; the map's units must be finer than it.
      if (q.level !== 'department' && levelDepth(q.level)! <= levelDepth(f.scope.level)!) invalid('level', `must be finer than the scope (${f.scope.level})`);
      const units = await unitsOf(deps.db, q.level, f.scope);
      const period = closedPeriod(f);
      const previous = period && previousComparison(period, ctx.now);
      const ranksOf = (counts: Map<string | null, KpiCounts>) =>
        rankUnits(units.map((u) => {
          const c = counts.get(u.code) ?? EMPTY_COUNTS;
          // Just what ranking reads: copying every rate of 10 k grids cost 5× the scoring.
          const { score, onTimeRate } = scoredRates(c, deps.scoring);
          return { code: u.code, kpis: { score, onTimeRate, due: c.due } };
        }), deps.scoring.minDue);
      // Ranks need counts and scores only: full KPI records and medians are worked out for the 2n
      // listed units alone (for 10 k grids, medians for all took a third of the time, records a fifth).
      // The current period is ranked, and its listed units counted, while the previous one still counts.
      const current = unitCounts(ctx, f, q.level, { hours: false }).then(async (now) => {
        const ranks = ranksOf(now);
        // rankUnits lists the codes in rank order.
        const lists = redAndBlack([...ranks].map(([code, rank]) => ({ code, rank })), q.n);
        const listed = [...new Set([...lists.red, ...lists.black].map((e) => e.code))];
        const hours = listed.length ? await unitCounts(ctx, f, q.level, { hours: true, only: listed }) : new Map<string | null, KpiCounts>();
        return { now, ranks, lists, hours };
      });
      const [{ now, ranks, lists, hours }, previousRanks] = await Promise.all([
        current,
        previous && unitCounts(ctx, { ...f, ...previous }, q.level, { hours: false }).then(ranksOf),
      ]);
      const unitOf = new Map(units.map((u) => [u.code, u]));
      const entry = ({ code, rank }: { code: string; rank: number }) => {
        const unit = unitOf.get(code)!;
        // Counts as ranked (a report may have landed since); the medians from the second count.
        const counts = { ...now.get(code)!, median_hours: hours.get(code)?.median_hours ?? null, mean_hours: hours.get(code)?.mean_hours ?? null };
        const kpis = finish(counts, unit, periodDays(f));
        const previousRank = previousRanks?.get(code) ?? null;
        return {
          code, name: unit.name, parent: unit.parent, score: kpis.score, scoreParts: kpis.scoreParts, kpis,
          rank, previousRank, rankChange: rankChange(rank, previousRank),
        };
      };
      return c.json({
        scope: scopeOut(info),
        period: periodLabel(f),
        previousPeriod: previous ? periodLabel(previous) : null,
        previousAsOf: previous ? previous.asOf.toISOString() : null,
        level: q.level,
        n: q.n,
        ranked: ranks.size,
        unranked: units.length - ranks.size,
        minDue: deps.scoring.minDue,
        red: lists.red.map(entry),
        black: lists.black.map(entry),
      });
    });
}

/** Keys in code order, the NULL key ("网格外") last. */
function compareKeys(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}
