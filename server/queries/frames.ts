/**
 * Playback counts per unit and frame (server/kpi/frames.ts): from the KPI engine in one pass when
 * it is loaded, else the KPI rules in SQL, one grouped count per frame and series — the same
 * `countsBy` the rankings use, so a frame's numbers are the rules' by construction.
 */
import type { Frame, FrameCounts, FrameStep } from '../kpi/frames.ts';
import type { Filters } from '../kpi/filters.ts';
import { countsBy, type KpiContext } from '../kpi/query.ts';
import type { RANK_LEVELS } from './stats.ts';

/** The units of a playback's per-unit series: those issues carry in a column of their own. */
export type FrameLevel = (typeof RANK_LEVELS)[number];

/**
 * Reports in each frame and the backlog as of each frame's `asOf`, per unit of `level` (row i:
 * `units[i]`; the last row: the rest of the filter's issues). The backlog has no period: it is
 * "超期未结 to date" judged as of the instant, whatever the frames' period.
 */
export async function frameCounts(
  ctx: KpiContext, f: Filters, level: FrameLevel, units: readonly string[], step: FrameStep, frames: readonly Frame[],
): Promise<FrameCounts> {
  const fromMemory = ctx.engine && (await ctx.engine.frames(f, level, units, step, frames, ctx.now));
  if (fromMemory) return fromMemory;
  const sql: KpiContext = { ...ctx, engine: undefined };
  const n = frames.length;
  const rowOf = new Map(units.map((u, i) => [u, i]));
  const row = (key: string | null) => (key === null ? undefined : rowOf.get(key)) ?? units.length;
  const reported = new Int32Array((units.length + 1) * n);
  const overdue = new Int32Array((units.length + 1) * n);
  for (let k = 0; k < n; k++) {
    const frame = frames[k];
    const [window, backlog] = await Promise.all([
      countsBy(sql, { ...f, start: frame.start, end: frame.end, asOf: null }, { by: level }, { hours: false }),
      countsBy(sql, { ...f, start: null, end: null, asOf: frame.asOf }, { by: level }, { hours: false }),
    ]);
    for (const [key, c] of window) reported[row(key) * n + k] += c.reported;
    for (const [key, c] of backlog) overdue[row(key) * n + k] += c.overdue;
  }
  return { reported, overdue };
}
