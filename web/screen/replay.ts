/**
 * The wall's 态势回放, pure: when a replay starts (after every N tour laps, or on its own in a
 * loop when the wall does not tour) and how its frames advance, on the playback clock the
 * workspace's time bar uses (web/playback/frames.ts). The store calls these once a second.
 */
import { advance, pausedAt, play, type PlaybackClock } from '../playback/frames';

/** Where the wall's replay stands. */
export interface ReplayState {
  /** Whether the map shows the replay's frame now. */
  active: boolean;
  clock: PlaybackClock;
  /** Tour laps finished since the last replay. */
  laps: number;
}

/** No replay running. */
export function replayIdle(): ReplayState {
  return { active: false, clock: pausedAt(0), laps: 0 };
}

/** A replay from its first frame. */
export function startReplay(count: number, now: number, frameMs: number): ReplayState {
  return { active: count > 0, clock: { ...play(pausedAt(0), count, now, frameMs), playing: count > 0 }, laps: 0 };
}

/**
 * The tour came back to its first stop: one more lap, and a replay when `everyTours` laps are
 * done and there are frames to play. Same object when nothing starts.
 */
export function lapDone(state: ReplayState, everyTours: number, count: number, now: number, frameMs: number): ReplayState {
  const laps = state.laps + 1;
  return laps >= everyTours && count > 0 ? startReplay(count, now, frameMs) : { ...state, laps };
}

/**
 * A tick of the wall's clock: the next frame when its time has come. Between tours the replay
 * ends after its last frame (the tour goes on); without a tour it loops. Same object when unchanged.
 */
export function replayTick(state: ReplayState, count: number, now: number, frameMs: number, loop: boolean): ReplayState {
  if (!state.active) return state;
  const clock = advance(state.clock, count, now, loop, frameMs);
  if (clock === state.clock) return state;
  return clock.playing ? { ...state, clock } : { ...state, active: false, clock: pausedAt(0) };
}

/** One frame on at once (the test hook and a wall driven by hand), from wherever the replay is. */
export function replayNext(state: ReplayState, count: number, now: number, frameMs: number): ReplayState {
  if (!state.active) return startReplay(count, now, frameMs);
  const index = (state.clock.index + 1) % Math.max(1, count);
  return { ...state, clock: { ...state.clock, index, dueAt: now + frameMs } };
}
