import { describe, expect, it } from 'vitest';
import { lapDone, replayIdle, replayNext, replayTick, startReplay } from '../../web/screen/replay';
import { applyUrlOverrides, BUNDLED_CONFIG } from '../../web/screen/config';
import { parseScreenConfig } from '../../server/routes/screen-config';

const FRAME = 2000;

describe('the wall\'s replay', () => {
  it('starts after every N tour laps, and only with frames to play', () => {
    let s = replayIdle();
    s = lapDone(s, 2, 7, 0, FRAME);
    expect(s).toMatchObject({ active: false, laps: 1 });
    s = lapDone(s, 2, 7, 0, FRAME);
    expect(s).toMatchObject({ active: true, laps: 0, clock: { index: 0, playing: true } });
    expect(lapDone(replayIdle(), 1, 0, 0, FRAME).active).toBe(false);
  });

  it('shows each day for its seconds, then hands the map back to the tour', () => {
    let s = startReplay(3, 0, FRAME);
    expect(replayTick(s, 3, 1999, FRAME, false)).toBe(s);
    s = replayTick(s, 3, 2000, FRAME, false);
    expect(s.clock.index).toBe(1);
    s = replayTick(s, 3, 4000, FRAME, false);
    expect(s.clock.index).toBe(2);
    s = replayTick(s, 3, 6000, FRAME, false);
    expect(s.active).toBe(false);
  });

  it('loops by itself when the wall does not tour', () => {
    let s = startReplay(2, 0, FRAME);
    s = replayTick(s, 2, 2000, FRAME, true);
    s = replayTick(s, 2, 4000, FRAME, true);
    expect(s).toMatchObject({ active: true, clock: { index: 0 } });
  });

  it('steps one frame on at once for the test hook, wrapping at the end', () => {
    let s = replayNext(replayIdle(), 2, 0, FRAME);
    expect(s).toMatchObject({ active: true, clock: { index: 0 } });
    s = replayNext(s, 2, 0, FRAME);
    s = replayNext(s, 2, 0, FRAME);
    expect(s.clock.index).toBe(0);
  });
});

describe('replay configuration', () => {
  it('is off by default and takes ?replay=7d and ?replayEvery=3', () => {
    expect(parseScreenConfig({ title: 'x' }).replay).toEqual({ days: 0, everyTours: 1, frameSeconds: 2 });
    expect(BUNDLED_CONFIG.replay.days).toBe(0);
    const { config, warnings } = applyUrlOverrides(BUNDLED_CONFIG, new URLSearchParams('replay=7d&replayEvery=3'));
    expect(config.replay).toMatchObject({ days: 7, everyTours: 3 });
    expect(warnings).toEqual([]);
    expect(applyUrlOverrides(BUNDLED_CONFIG, new URLSearchParams('replay=7')).config.replay.days).toBe(7);
  });

  it('skips a bad ?replay with a warning, and a bad file names the field', () => {
    const { config, warnings } = applyUrlOverrides(BUNDLED_CONFIG, new URLSearchParams('replay=40d&replayEvery=0'));
    expect(config.replay.days).toBe(0);
    expect(warnings).toEqual(['ignored ?replay=40d', 'ignored ?replayEvery=0']);
    expect(() => parseScreenConfig({ title: 'x', replay: { days: 90 } })).toThrow(/replay\.days/);
  });
});
