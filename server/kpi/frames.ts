/**
 * Playback frames (态势回放): a period cut into hours, days or ISO weeks, the buckets of the time
 * series (timeseries.ts `bucketsOf`), each with the instant its backlog is judged as of. Pure: the
 * counting is the KPI engine's (fast/frames.ts) or the rules' SQL (queries/frames.ts).
 */
import { invalidParameter } from '../domain/errors.ts';
import { DAY, HOUR, SHANGHAI_OFFSET_MS } from '../domain/time.ts';
import { bucketsOf, type Bucket, type Period } from './timeseries.ts';

/** Frame sizes, finest first. */
export const FRAME_STEPS = ['hour', 'day', 'week'] as const;
export type FrameStep = (typeof FRAME_STEPS)[number];

/** Most frames in one answer: a year of days, four days of hours; past it the request is a dump in disguise. */
export const MAX_FRAMES = 400;

/**
 * Most unit × frame values per series (reported, overdue): 10 k grids × 200 days. Bounds the answer
 * (tens of MB of JSON past it) and the work.
 */
export const MAX_UNIT_FRAMES = 2_000_000;

/** The step chosen when none is asked for: hours up to 3 days, days up to 120, else weeks. */
export function autoStep(range: Period): FrameStep {
  const days = (range.end.getTime() - range.start.getTime()) / DAY;
  return days <= 3 ? 'hour' : days <= 120 ? 'day' : 'week';
}

/**
 * One frame: a bucket of the time series (reports counted in [start, end)) and `asOf`, the end of
 * the frame or now when that is earlier: a backlog is never judged in the future, where deadlines
 * that have not come yet would count as missed.
 */
export type Frame = Bucket & { asOf: Date };

/**
 * The frames of a range by `step` (auto when absent). A step that makes more than MAX_FRAMES
 * frames is refused naming the maximum: as too fine when a coarser step fits, else as a period
 * too long for any step.
 */
export function framesOf(range: Period, step: FrameStep | undefined, now: Date): { step: FrameStep; frames: Frame[] } {
  const chosen = step ?? autoStep(range);
  const buckets = bucketsOf(range, chosen, MAX_FRAMES);
  if (!buckets) {
    const coarser = FRAME_STEPS.slice(FRAME_STEPS.indexOf(chosen) + 1).find((s) => bucketsOf(range, s, MAX_FRAMES));
    if (step && coarser) throw invalidParameter('step', `step=${step} makes more than ${MAX_FRAMES} frames (the maximum) of this period; use step=${coarser} or narrow from/to`);
    throw invalidParameter('from', `the period makes more than ${MAX_FRAMES} frames (the maximum) even by ${FRAME_STEPS.at(-1)}; narrow from/to`);
  }
  const at = now.getTime();
  return { step: chosen, frames: buckets.map((b) => ({ ...b, asOf: new Date(Math.min(b.end.getTime(), at)) })) };
}

/** Running sums of each row of `frames` values (window counts → counts from the first frame's start). */
export function cumulate(values: Int32Array, frames: number): Int32Array {
  const out = Int32Array.from(values);
  for (let o = 0; o < out.length; o += frames) for (let k = 1; k < frames; k++) out[o + k] += out[o + k - 1];
  return out;
}

/**
 * Per unit and frame, row-major: `units + 1` rows of one value per frame, the last row for the
 * scope's issues in none of the units (outside every grid). `reported`: reported in the frame;
 * `overdue`: the backlog (超期未结) as of the frame's `asOf`.
 */
export type FrameCounts = { reported: Int32Array; overdue: Int32Array };

/** The slot a frame step's reports are counted by: a local hour for hourly frames, else a local day (a week is seven). */
export const frameSlotMs = (step: FrameStep): number => (step === 'hour' ? HOUR : DAY);

/**
 * The frame of each slot (local hour or day number, `floor((t + 8 h) / slotMs)`): the frame whose
 * span holds the slot's start, -1 for a slot before the first frame or past the last. Frames
 * start on slot boundaries (periods are whole days; days, ISO weeks and hours start on one), so a
 * slot lies in one frame whole.
 */
export function frameOfSlot(frames: readonly Frame[], slotMs: number): (slot: number) => number {
  const known = new Map<number, number>();
  return (slot) => {
    let k = known.get(slot);
    if (k === undefined) {
      const at = slot * slotMs - SHANGHAI_OFFSET_MS;
      k = frames.findIndex((fr) => fr.start.getTime() <= at && at < fr.end.getTime());
      known.set(slot, k);
    }
    return k;
  };
}

/** {@link frameOfSlot} as a table over the slots the frames span: the frame of slot `firstSlot + i` is `frameOf[i]`. */
export function slotFrameTable(frames: readonly Frame[], slotMs: number): { firstSlot: number; frameOf: Int32Array } {
  if (!frames.length) return { firstSlot: 0, frameOf: new Int32Array(0) };
  const slotOf = (t: number) => Math.floor((t + SHANGHAI_OFFSET_MS) / slotMs);
  const firstSlot = slotOf(frames[0].start.getTime());
  const frameOf = frameOfSlot(frames, slotMs);
  return { firstSlot, frameOf: Int32Array.from({ length: slotOf(frames[frames.length - 1].end.getTime() - 1) - firstSlot + 1 }, (_, i) => frameOf(firstSlot + i)) };
}
