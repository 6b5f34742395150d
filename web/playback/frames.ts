/**
 * Playback's frame logic, pure: which frame a date falls in and back, how the playback clock
 * advances at a speed, and how the columnar frames answers are read per frame (a unit's value, the
 * colour scale shared by every frame, the frame's heat weights). The workspace's time bar and the
 * big screen's replay both drive their frames through here, so "frame 3 of October" means the same.
 */
import { HOUR, isDay, nextBucketStart, shanghaiClock, shanghaiDate, shanghaiMidnight, type Day, type Interval } from '../../server/domain/time';
import { classedScale, type ChoroplethMetric, type ClassedScale } from '../map/layers/colours';
import { heatPoints, type HeatPoint } from '../map/layers/heat';
import { worldPixelToLonLat, worldSize } from '../../server/domain/mercator';

/** The frame lengths the frames routes know. */
export const PLAYBACK_STEPS = ['hour', 'day', 'week'] as const;
export type PlaybackStep = (typeof PLAYBACK_STEPS)[number];

/** Whether a string is a playback step. */
export function isPlaybackStep(s: unknown): s is PlaybackStep {
  return typeof s === 'string' && (PLAYBACK_STEPS as readonly string[]).includes(s);
}

/** The speeds offered; 1× shows one frame per {@link FRAME_MS}. */
export const SPEEDS = [1, 2, 4, 8] as const;
export type Speed = (typeof SPEEDS)[number];

/** How long one frame stays at 1×: long enough to read the date and the numbers. */
export const FRAME_MS = 1000;

/** Frame starts as epoch milliseconds, parsed once per answer. */
export function frameStarts(frames: readonly string[]): number[] {
  return frames.map((f) => Date.parse(f));
}

/**
 * The index of the frame holding instant `at`: the last frame starting at or before it, clamped to
 * the first and last frame (a date before the period shows its first frame, after it its last).
 * -1 only when there are no frames.
 */
export function frameIndexAt(starts: readonly number[], at: number): number {
  if (!starts.length) return -1;
  let lo = 0;
  let hi = starts.length - 1;
  if (at < starts[0]) return 0;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= at) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * A frame's start as the URL writes it (`t=`): its Shanghai day (`2026-10-03`) for day and week
 * frames, the day and hour (`2026-10-03T14`) for hourly ones.
 */
export function frameKey(start: number, step: PlaybackStep): string {
  const { date, time } = shanghaiClock(start);
  return step === 'hour' ? `${date}T${time.slice(0, 2)}` : date;
}

/** The instant a URL frame key stands for (its Shanghai day or hour), or null when it is not one. */
export function parseFrameKey(key: string | null | undefined): number | null {
  if (!key) return null;
  const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}))?$/.exec(key);
  if (!m || !isDay(m[1])) return null;
  const hour = m[2] === undefined ? 0 : Number(m[2]);
  if (hour > 23) return null;
  return shanghaiMidnight(m[1] as Day).getTime() + hour * HOUR;
}

const STEP_MS: Record<PlaybackStep, number> = { hour: HOUR, day: 24 * HOUR, week: 7 * 24 * HOUR };

/** When frame `index` ends: the next frame's start, or for the last one its start plus a step (Shanghai keeps no daylight saving). */
export function frameEnd(starts: readonly number[], index: number, step: PlaybackStep): number {
  return starts[index + 1] ?? starts[index] + STEP_MS[step];
}

/**
 * The items reported in frame `index` (their `reportedAt` in [start, end)), for the issue points
 * already loaded for the view: a frame change filters them in the browser instead of asking again.
 */
export function reportedInFrame<T extends { reportedAt: string }>(items: readonly T[], starts: readonly number[], index: number, step: PlaybackStep): T[] {
  const start = starts[index];
  if (start === undefined) return [];
  const end = frameEnd(starts, index, step);
  return items.filter((i) => {
    const at = Date.parse(i.reportedAt);
    return at >= start && at < end;
  });
}

/** Where playback stands. Times are epoch milliseconds. */
export interface PlaybackClock {
  index: number;
  playing: boolean;
  speed: Speed;
  /** When the next frame is due while playing. */
  dueAt: number;
}

/** A paused clock at `index`. */
export function pausedAt(index: number, speed: Speed = 1): PlaybackClock {
  return { index, playing: false, speed, dueAt: 0 };
}

/** Milliseconds one frame stays at a speed. */
export function frameInterval(speed: Speed, frameMs = FRAME_MS): number {
  return frameMs / speed;
}

/**
 * Starts playing from the current frame; from the last frame it starts over at the first (the
 * play button at the end replays, as people expect).
 */
export function play(clock: PlaybackClock, count: number, now: number, frameMs = FRAME_MS): PlaybackClock {
  const index = clock.index >= count - 1 ? 0 : clock.index;
  return { ...clock, index, playing: count > 1, dueAt: now + frameInterval(clock.speed, frameMs) };
}

/**
 * The clock at `now`: the next frame once its time has come. Every frame is shown (a late tick
 * never skips one: a skipped day is a day nobody saw); when a tick is later than a whole frame the
 * schedule restarts from now instead of rushing to catch up. At the end it stops on the last frame,
 * or goes round to the first when `loop`. Same object when nothing changed.
 */
export function advance(clock: PlaybackClock, count: number, now: number, loop = false, frameMs = FRAME_MS): PlaybackClock {
  if (!clock.playing || now < clock.dueAt || count === 0) return clock;
  const interval = frameInterval(clock.speed, frameMs);
  const dueAt = now - clock.dueAt < interval ? clock.dueAt + interval : now + interval;
  if (clock.index + 1 < count) return { ...clock, index: clock.index + 1, dueAt };
  return loop ? { ...clock, index: 0, dueAt } : { ...clock, playing: false };
}

/** A step back or forward (pauses: whoever steps wants to look), clamped to the frames. */
export function stepBy(clock: PlaybackClock, delta: number, count: number): PlaybackClock {
  return { ...clock, playing: false, index: Math.max(0, Math.min(count - 1, clock.index + delta)) };
}

/** Jumps to a frame (scrubbing); keeps playing if it was, from there. */
export function seek(clock: PlaybackClock, index: number, count: number, now: number, frameMs = FRAME_MS): PlaybackClock {
  const i = Math.max(0, Math.min(count - 1, Math.round(index)));
  return { ...clock, index: i, dueAt: now + frameInterval(clock.speed, frameMs) };
}

/** The frames answer of `/api/stats/frames` as playback reads it. */
export interface UnitFrames {
  frames: readonly string[];
  units: readonly string[];
  reported: readonly (readonly number[])[];
  overdue: readonly (readonly number[])[];
  totals: { reported: readonly number[]; overdue: readonly number[] };
}

/** Which counter of the frames colours the grids: the backlog for the overdue metric, else the reports. */
export function frameCounter(metric: ChoroplethMetric): 'reported' | 'overdue' {
  return metric === 'overdue' ? 'overdue' : 'reported';
}

/** Row of each unit code in a frames answer, built once per answer. */
export function unitRows(units: readonly string[]): Map<string, number> {
  return new Map(units.map((code, i) => [code, i]));
}

/**
 * A unit's value in a frame, or null for a unit the answer does not list (drawn as "no data",
 * never as 0: a grid created after the answer has no count, not a zero one).
 */
export function unitValue(answer: UnitFrames, rows: ReadonlyMap<string, number>, counter: 'reported' | 'overdue', code: string, frame: number): number | null {
  const row = rows.get(code);
  return row === undefined ? null : (answer[counter][row]?.[frame] ?? null);
}

/**
 * One colour scale for every frame, from the values of all of them: the same colour means the
 * same count on the 1st and on the 31st, so a grid that reddens really got worse, and the legend
 * stays still while the frames play.
 */
export function frameScale(metric: ChoroplethMetric, answer: UnitFrames): ClassedScale {
  const counter = frameCounter(metric);
  const values: number[] = [];
  for (const row of answer[counter]) for (const v of row) values.push(v);
  return classedScale(counter, values);
}

/** The heat frames answer of `/api/heat/frames`, columnar: one bin list, counts per frame aligned to it. */
export interface HeatFrames {
  frames: readonly string[];
  zoom: number;
  cell: number;
  /** World pixel of the bin grid's north-west corner at `zoom` (as `/api/heat`). */
  origin: [number, number];
  x: readonly number[];
  y: readonly number[];
  /** counts[frame][bin]. */
  counts: readonly (readonly number[])[];
}

/**
 * The bins of a heat frames answer as points at their centres, once per answer: every frame draws
 * these same points, weighted by its own counts (`counts[frame]`, aligned to them).
 */
export function heatFramePoints(heat: HeatFrames): HeatPoint[] {
  return heatPoints({ zoom: heat.zoom, cell: heat.cell, origin: heat.origin, x: [...heat.x], y: [...heat.y], count: new Array<number>(heat.x.length).fill(0) });
}

/**
 * One heat scale for every frame of a heat frames answer, in issues reported per bin (the
 * answer's `cell` pixels square at its `zoom`, `cellMetres` on the ground): the same colour means
 * the same count on the 1st and on the 31st, as the grids' one scale does. The ramp tops out at a
 * high quantile of the bins' counts over all frames, not at the largest: one market's busiest
 * day would leave every other bin of every day pale. Null when no frame has a report.
 */
export interface HeatScale {
  /** Counts per bin at the top of the ramp (drawn for this many and more). */
  top: number;
  /** A bin's edge on the ground, metres (at the bins' latitude). */
  cellMetres: number;
}

/** The quantile of the bins' counts the heat ramp tops out at. */
export const HEAT_TOP_QUANTILE = 0.99;

/** See {@link HeatScale}. */
export function heatFrameScale(heat: HeatFrames, quantile = HEAT_TOP_QUANTILE): HeatScale | null {
  const positive: number[] = [];
  for (const row of heat.counts) for (const n of row) if (n > 0) positive.push(n);
  if (!positive.length) return null;
  positive.sort((a, b) => a - b);
  const top = positive[Math.floor(quantile * (positive.length - 1))];
  // Web Mercator stretches a pixel by 1 / cos(latitude); the bins' middle row is near enough.
  let rows = 0;
  for (const y of heat.y) if (y >= rows) rows = y + 1;
  const midY = heat.origin[1] + (rows * heat.cell) / 2;
  const [, lat] = worldPixelToLonLat(heat.origin[0], midY, heat.zoom);
  const cellMetres = (heat.cell * EARTH_CIRCUMFERENCE_M * Math.cos((lat * Math.PI) / 180)) / worldSize(heat.zoom);
  return { top, cellMetres };
}

/** The equator's length in Web Mercator's sphere, metres. */
const EARTH_CIRCUMFERENCE_M = 2 * Math.PI * 6378137;

/**
 * For each frame of `frames`, the index of the same frame (same start) in `other`, or -1 when
 * `other` lacks it: the heat frames of a view are asked for separately from the grids' frames and
 * may arrive for another period or step for a moment; a frame never shows another frame's heat.
 */
export function alignFrames(frames: readonly string[], other: readonly string[]): number[] {
  const at = new Map(other.map((f, i) => [Date.parse(f), i]));
  return frames.map((f) => at.get(Date.parse(f)) ?? -1);
}

/**
 * The trend bucket holding a frame's day: the index among `bucketStarts` (sorted Shanghai days of
 * `/api/stats/timeseries` buckets of `interval`), or -1 when the day lies outside the chart.
 */
export function bucketIndexOf(bucketStarts: readonly Day[], frameDay: Day, interval: Interval): number {
  for (let i = bucketStarts.length - 1; i >= 0; i--) {
    if (bucketStarts[i] > frameDay) continue;
    const end = shanghaiDate(nextBucketStart(shanghaiMidnight(bucketStarts[i]).getTime(), interval));
    return frameDay < end ? i : -1;
  }
  return -1;
}
