import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../app.ts';
import { invalidParameter } from '../domain/errors.ts';
import { levelDepth, type Scope } from '../domain/scope.ts';
import { shanghaiIso } from '../domain/time.ts';
import { filterQuery } from '../kpi/filters.ts';
import { periodLabel } from '../kpi/timeseries.ts';
import { cumulate, FRAME_STEPS, framesOf, MAX_FRAMES, MAX_UNIT_FRAMES } from '../kpi/frames.ts';
import { kpiContextOf } from '../kpi/query.ts';
import { resolveFilters } from '../kpi/resolve.ts';
import type { RouteDoc } from '../openapi/build.ts';
import { frameCounts, type FrameLevel } from '../queries/frames.ts';
import { RANK_LEVELS, seriesRange, unitsOf } from '../queries/stats.ts';
import { jsonWithIntRows } from './int-rows.ts';
import { queryError } from './validation.ts';

/** The step and mode parameters, shared with the heat frames (routes/heat.ts). */
export const frameParams = {
  step: z.enum(FRAME_STEPS).optional()
    .describe(`frame size: Asia/Shanghai hour, day or ISO week; default by the period: hours up to 3 days, days up to 120, else weeks. At most ${MAX_FRAMES} frames`),
  mode: z.enum(['window', 'cumulative']).default('window')
    .describe('window: reports in each frame; cumulative: reports from the period start to the frame end'),
};

const query = filterQuery.extend({
  level: z.enum(RANK_LEVELS).default('grid').describe('the units of the per-unit series: the scope\'s own level or finer (a site scope has none)'),
  ...frameParams,
});

/** OpenAPI entries of this route (see server/openapi). */
export const framesDocs: RouteDoc[] = [
  {
    method: 'get', path: '/api/stats/frames', tag: 'stats', query,
    summary: '态势回放: every frame of the period in one columnar answer — reports per frame and the 超期未结 backlog at each frame\'s end, per unit and in total.',
    description: 'frames are the ISO starts of the frames, the buckets of /api/stats/timeseries for the same step (totals.reported in '
      + 'window mode equals its reported per bucket). reported[u][k]: issues of unit units[u] reported in frame k (window) or from the '
      + 'period start to the end of frame k (cumulative). overdue[u][k]: the backlog at the end of frame k (or at asOf, now, if that is '
      + 'earlier): issues whose deadline had passed and that were not closed by then, cancelled and deferred ones left out — the '
      + 'summary\'s 超期未结 evaluated as of that instant, with no period start; for the frame ending now it is 超期未结 to date. totals '
      + 'count every issue of the filter, those outside the units too. Without from/to the frames cover the data up to now. '
      + `At most ${MAX_FRAMES} frames and ${MAX_UNIT_FRAMES.toLocaleString('en-US')} unit × frame values.`,
    responses: {
      200: '{scope, period, level, step, mode, frames, units, reported, overdue, totals: {reported, overdue}, asOf}',
      400: `invalid parameter (named in the error): a step making more than ${MAX_FRAMES} frames, a level coarser than the scope, too many units × frames`,
    },
  },
];

/** The units of the per-unit series: the scope itself at its own level, none for a site (it is not made of units). */
async function unitCodes(deps: AppDeps, level: FrameLevel, scope: Scope): Promise<string[]> {
  if (scope.level === 'site') return [];
  if (levelDepth(level)! < levelDepth(scope.level)!) throw invalidParameter('level', `must be the scope's level (${scope.level}) or finer`);
  if (level === scope.level) return [scope.id];
  return (await unitsOf(deps.db, level, scope)).map((u) => u.code);
}

/** Column sums of rows of `width` values. */
function columnSums(values: Int32Array, width: number): number[] {
  const out = new Array<number>(width).fill(0);
  for (let o = 0; o < values.length; o += width) for (let k = 0; k < width; k++) out[k] += values[o + k];
  return out;
}

/** `GET /api/stats/frames` — all frames of a playback in one answer. */
export function framesRoutes(deps: AppDeps) {
  return new Hono().get('/', zValidator('query', query, queryError), async (c) => {
    const ctx = kpiContextOf(deps);
    const q = c.req.valid('query');
    const f = await resolveFilters(deps.db, q);
    const range = await seriesRange(ctx, f);
    const { step, frames } = range ? framesOf(range, q.step, ctx.now) : { step: q.step ?? 'day', frames: [] };
    const units = await unitCodes(deps, q.level, f.scope);
    if (units.length * frames.length > MAX_UNIT_FRAMES) {
      throw invalidParameter('level', `${units.length} units × ${frames.length} frames is more than ${MAX_UNIT_FRAMES.toLocaleString('en-US')} values; choose a coarser level or step, or a smaller scope or period`);
    }
    const n = frames.length;
    const counts = await frameCounts(ctx, f, q.level, units, step, frames);
    const reported = q.mode === 'cumulative' ? cumulate(counts.reported, n) : counts.reported;
    return jsonWithIntRows(c, {
      scope: f.scope,
      period: periodLabel(f),
      level: q.level,
      step,
      mode: q.mode,
      frames: frames.map((fr) => shanghaiIso(fr.start)),
      units,
      totals: { reported: columnSums(reported, n), overdue: columnSums(counts.overdue, n) },
      asOf: ctx.now.toISOString(),
    }, {
      reported: { values: reported, width: n, count: units.length },
      overdue: { values: counts.overdue, width: n, count: units.length },
    });
  });
}
