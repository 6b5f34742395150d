import { describe, expect, it, vi } from 'vitest';
import { buildGridChoropleth, type GridCollection } from '../../web/map/layers';
import { HeatmapLayer } from '@deck.gl/aggregation-layers';
import { buildHeatLayer, keepWeightsProgram, needsMaxWeight, weightsOnlyUpdate } from '../../web/map/layers/heat-layer';
import { trendOption } from '../../web/components/charts/trend-option';
import {
  advance, alignFrames, bucketIndexOf, heatFramePoints, heatFrameScale, frameIndexAt, frameKey, frameScale, frameStarts, parseFrameKey, pausedAt, play, reportedInFrame,
  seek, stepBy, unitRows, unitValue, type UnitFrames,
} from '../../web/playback/frames';
import { frameLabel } from '../../web/playback/labels';

/** Three October days as the frames routes give them (ISO starts, Shanghai midnights). */
const DAYS = ['2026-10-01T00:00:00+08:00', '2026-10-02T00:00:00+08:00', '2026-10-03T00:00:00+08:00'];
const starts = frameStarts(DAYS);
const at = (iso: string) => Date.parse(iso);

describe('frame index and date', () => {
  it('finds the frame holding an instant, clamped to the first and last frame', () => {
    expect(frameIndexAt(starts, at('2026-10-02T13:00:00+08:00'))).toBe(1);
    expect(frameIndexAt(starts, at('2026-10-02T00:00:00+08:00'))).toBe(1);
    expect(frameIndexAt(starts, at('2026-10-01T23:59:59+08:00'))).toBe(0);
    expect(frameIndexAt(starts, at('2026-09-15T00:00:00+08:00'))).toBe(0);
    expect(frameIndexAt(starts, at('2026-12-01T00:00:00+08:00'))).toBe(2);
    expect(frameIndexAt([], 0)).toBe(-1);
  });

  it('names a frame by its Shanghai day (hour frames: day and hour) and reads the name back', () => {
    expect(frameKey(starts[2], 'day')).toBe('2026-10-03');
    const hour = at('2026-10-03T14:00:00+08:00');
    expect(frameKey(hour, 'hour')).toBe('2026-10-03T14');
    expect(parseFrameKey('2026-10-03T14')).toBe(hour);
    expect(parseFrameKey('2026-10-03')).toBe(starts[2]);
    for (const bad of ['2026-10-32', '2026-10-03T24', '3 Oct', '', null]) expect(parseFrameKey(bad)).toBeNull();
  });

  it('round-trips every frame through its URL name', () => {
    for (const s of starts) expect(frameIndexAt(starts, parseFrameKey(frameKey(s, 'day'))!)).toBe(starts.indexOf(s));
  });
});

describe('playback clock', () => {
  it('shows one frame per second at 1× and eight at 8×', () => {
    const one = play(pausedAt(0, 1), 10, 0);
    expect(one.dueAt).toBe(1000);
    expect(advance(one, 10, 999)).toBe(one);
    expect(advance(one, 10, 1000).index).toBe(1);
    const eight = play(pausedAt(0, 8), 10, 0);
    expect(eight.dueAt).toBe(125);
    let c = eight;
    for (let t = 125; t <= 1000; t += 125) c = advance(c, 10, t);
    expect(c.index).toBe(8);
  });

  it('never skips a frame after a late tick, and restarts the schedule instead of rushing', () => {
    const c = play(pausedAt(0, 1), 10, 0);
    const late = advance(c, 10, 5000);
    expect(late.index).toBe(1);
    expect(late.dueAt).toBe(6000);
    const slightlyLate = advance(c, 10, 1200);
    expect(slightlyLate.dueAt).toBe(2000);
  });

  it('stops on the last frame, or loops back to the first when asked', () => {
    const end = { ...play(pausedAt(0), 3, 0), index: 2 };
    expect(advance(end, 3, 1000)).toMatchObject({ index: 2, playing: false });
    expect(advance(end, 3, 1000, true)).toMatchObject({ index: 0, playing: true });
  });

  it('plays from the start again when play is pressed on the last frame', () => {
    expect(play(pausedAt(2), 3, 0)).toMatchObject({ index: 0, playing: true });
    expect(play(pausedAt(1), 1, 0).playing).toBe(false);
  });

  it('steps pause and stay inside the frames; scrubbing keeps playing', () => {
    const playing = play(pausedAt(1), 3, 0);
    expect(stepBy(playing, -5, 3)).toMatchObject({ index: 0, playing: false });
    expect(stepBy(playing, 1, 3)).toMatchObject({ index: 2, playing: false });
    expect(seek(playing, 7, 3, 500)).toMatchObject({ index: 2, playing: true, dueAt: 1500 });
  });
});

/** Two grids over the three days. */
const ANSWER: UnitFrames = {
  frames: DAYS,
  units: ['G1', 'G2'],
  reported: [[5, 0, 2], [1, 9, 0]],
  overdue: [[0, 1, 1], [3, 3, 4]],
  totals: { reported: [6, 9, 2], overdue: [3, 4, 5] },
};

describe('choropleth values per frame', () => {
  const rows = unitRows(ANSWER.units);

  it('reads a grid\'s count in a frame, and no value (not zero) for a grid the answer lacks', () => {
    expect(unitValue(ANSWER, rows, 'reported', 'G2', 1)).toBe(9);
    expect(unitValue(ANSWER, rows, 'overdue', 'G1', 2)).toBe(1);
    expect(unitValue(ANSWER, rows, 'reported', 'G9', 1)).toBeNull();
  });

  it('colours every frame on one scale, built from all frames', () => {
    const scale = frameScale('reported', ANSWER);
    expect(scale.metric).toBe('reported');
    // The busiest grid-day (9) sits in the top class whichever frame shows it.
    expect(scale.breaks.at(-1)).toBeLessThanOrEqual(9);
    expect(frameScale('onTimeRate', ANSWER).metric).toBe('reported');
    expect(frameScale('overdue', ANSWER).metric).toBe('overdue');
  });

  it('changes only the fill colours between frames: same data, new trigger', () => {
    const grids: GridCollection = {
      type: 'FeatureCollection',
      features: ['G1', 'G2'].map((code) => ({
        type: 'Feature', geometry: null,
        properties: { code, name: code, community: 'C', street: 'S' },
      })),
    };
    const scale = frameScale('reported', ANSWER);
    const at = (i: number) => buildGridChoropleth({ grids, values: null, metric: 'reported', scale, valueAt: (p) => unitValue(ANSWER, rows, 'reported', p.code, i), valueKey: i });
    const [a, b] = [at(0), at(1)];
    expect(a.id).toBe(b.id);
    expect(a.props.data).toBe(b.props.data);
    expect(a.props.updateTriggers.getFillColor).not.toEqual(b.props.updateTriggers.getFillColor);
    const fill = (layer: typeof a, i: number) => (layer.props.getFillColor as unknown as (f: unknown, o: { index: number }) => number[])(grids.features[i], { index: i });
    expect(fill(a, 0)).not.toEqual(fill(b, 0));
  });
});

describe('heat frames', () => {
  it('aligns the heat answer\'s frames to the grids\' frames by start, -1 where it lacks one', () => {
    expect(alignFrames(DAYS, [DAYS[1], DAYS[2]])).toEqual([-1, 0, 1]);
    expect(alignFrames(DAYS, ['2026-09-30T16:00:00.000Z'])).toEqual([0, -1, -1]);
  });

  it('draws every bin of the answer at its centre, once for all frames', () => {
    const heat = { frames: DAYS, zoom: 10, cell: 8, origin: [0, 0] as [number, number], x: [0, 1], y: [0, 0], counts: [[1, 0], [0, 2], [0, 0]] };
    const points = heatFramePoints(heat);
    expect(points).toHaveLength(2);
    expect(points[1].position[0]).toBeGreaterThan(points[0].position[0]);
  });

  it('weights the same points by the frame\'s counts', () => {
    const points = [{ position: [102.7, 25] as [number, number], weight: 0 }, { position: [102.8, 25] as [number, number], weight: 0 }];
    const counts = [[4, 0], [0, 7]];
    const layer = (f: number) => buildHeatLayer({ points, weights: counts[f], weightsKey: f });
    const getWeight = (l: ReturnType<typeof layer>) => l.props.getWeight as (d: unknown, info: { index: number }) => number;
    expect(getWeight(layer(1))(points[1], { index: 1 })).toBe(7);
    expect(getWeight(layer(0))(points[1], { index: 1 })).toBe(0);
    expect(layer(0).props.data).toBe(layer(1).props.data);
    expect(layer(0).props.updateTriggers.getWeight).not.toEqual(layer(1).props.updateTriggers.getWeight);
  });

  it('redraws only the weight map for a frame\'s new weights: no new weights program, no new bounds', () => {
    expect(weightsOnlyUpdate(true, false, false)).toBe(true);
    // New bins (a new data object or moved points) are new data, as deck.gl has it.
    expect(weightsOnlyUpdate(true, true, false)).toBe(false);
    expect(weightsOnlyUpdate(true, false, true)).toBe(false);
    expect(weightsOnlyUpdate(false, false, false)).toBe(false);

    const points = [{ position: [102.7, 25] as [number, number], weight: 0 }];
    const layer = buildHeatLayer({ points, weights: [1], weightsKey: 1 });
    const parent = vi.spyOn(HeatmapLayer.prototype, '_getChangeFlags').mockReturnValue({ dataChanged: 'attribute changed' });
    const state: Record<string, unknown> = { positionAttributeName: 'positions', changedAttributes: { weights: {} } };
    Object.assign(layer, { state, setState: (s: Record<string, unknown>) => Object.assign(state, s) });
    const opts = { changeFlags: { dataChanged: false } } as unknown as Parameters<typeof layer._getChangeFlags>[0];
    expect(layer._getChangeFlags(opts).dataChanged).toBe(false);
    expect(state.isWeightMapDirty).toBe(true);
    // Moved points go through deck.gl's own path (bounds, program).
    state.changedAttributes = { positions: {}, weights: {} };
    expect(layer._getChangeFlags(opts).dataChanged).toBe('attribute changed');
    parent.mockRestore();
  });

  it('keeps its weights program for new bins (no compile per refresh) and skips the densest-texel pass under a fixed ramp', () => {
    expect(keepWeightsProgram(true, 'webgl')).toBe(true);
    expect(keepWeightsProgram(false, 'webgl')).toBe(false);
    // WebGPU's layout is instanced and built with the program.
    expect(keepWeightsProgram(true, 'webgpu')).toBe(false);
    expect(needsMaxWeight([0.5, 10])).toBe(false);
    expect(needsMaxWeight(null)).toBe(true);
    expect(needsMaxWeight([0, 0])).toBe(true);
    const layer = buildHeatLayer({ points: [], weights: [], weightsKey: 0, top: 10 });
    expect(needsMaxWeight(layer.props.colorDomain)).toBe(false);
  });
});

describe('heat colour scale', () => {
  /** 100 bins over two days: 99 bins of 1 to 99 issues on day one, one busy market of 500 on day two. */
  const heat = {
    frames: DAYS.slice(0, 2), zoom: 13, cell: 8, origin: [1_637_000, 879_000] as [number, number],
    x: Array.from({ length: 100 }, (_, i) => i), y: new Array<number>(100).fill(0),
    counts: [[...Array.from({ length: 99 }, (_, i) => i + 1), 0], [...new Array<number>(99).fill(0), 500]],
  };

  it('is one ramp for every frame, topping out at a high quantile of all frames\' counts, not at the busiest bin', () => {
    const scale = heatFrameScale(heat)!;
    // The same top whichever frame is shown: it is a property of the answer, not of a frame.
    expect(scale.top).toBe(99);
    expect(heatFrameScale({ ...heat, counts: [heat.counts[1], heat.counts[0]] })!.top).toBe(scale.top);
    expect(heatFrameScale(heat, 1)!.top).toBe(500);
    expect(heatFrameScale({ ...heat, counts: [new Array<number>(100).fill(0)] })).toBeNull();
  });

  it('says how large a bin is on the ground (8 px at zoom 13 near Kunming: about 150 m)', () => {
    const { cellMetres } = heatFrameScale(heat)!;
    expect(cellMetres).toBeGreaterThan(130);
    expect(cellMetres).toBeLessThan(160);
  });

  it('draws the fixed ramp as counts per bin; without one the layer keeps its own per-picture ramp', () => {
    const points = [{ position: [102.7, 25] as [number, number], weight: 0 }];
    const fixed = buildHeatLayer({ points, weights: [3], weightsKey: 0, top: 40 });
    expect(fixed.props.aggregation).toBe('MEAN');
    expect(fixed.props.colorDomain).toEqual([2, 40]);
    const own = buildHeatLayer({ points });
    expect(own.props.aggregation).toBe('SUM');
    expect(own.props.colorDomain).toBeNull();
  });
});

describe('issue points and the trend cursor', () => {
  it('keeps the loaded issues reported in the frame', () => {
    const items = [
      { id: 'a', reportedAt: '2026-10-01T23:59:00+08:00' },
      { id: 'b', reportedAt: '2026-10-02T00:00:00+08:00' },
      { id: 'c', reportedAt: '2026-10-03T23:00:00+08:00' },
    ];
    expect(reportedInFrame(items, starts, 1, 'day').map((i) => i.id)).toEqual(['b']);
    // The last frame ends one step after its start.
    expect(reportedInFrame(items, starts, 2, 'day').map((i) => i.id)).toEqual(['c']);
  });

  it('puts the cursor on the bucket holding the frame\'s day', () => {
    expect(bucketIndexOf(['2026-09-28', '2026-10-05'], '2026-10-03', 'week')).toBe(0);
    expect(bucketIndexOf(['2026-09-28', '2026-10-05'], '2026-10-05', 'week')).toBe(1);
    expect(bucketIndexOf(['2026-09-28', '2026-10-05'], '2026-10-20', 'week')).toBe(-1);
    expect(bucketIndexOf(['2026-10-01', '2026-10-02'], '2026-09-30', 'day')).toBe(-1);
  });

  it('draws the cursor as a line on the trend chart, and none without a frame', () => {
    const theme = { text: '#000', axis: '#000', split: '#000', font: 'sans', series: ['#1', '#2', '#3', '#4'] };
    const points = [{ bucket: '2026-10-01', reported: 1, onTimeRate: null }, { bucket: '2026-10-02', reported: 2, onTimeRate: null }];
    const labels = { reported: 'r', onTimeRate: 'o' };
    const bars = (cursor?: number) => (trendOption(points, labels, theme, 'day', 'zh-CN', cursor).series as { markLine?: { data: unknown[] } }[])[0];
    expect(bars(1).markLine?.data).toEqual([{ xAxis: 1 }]);
    expect(bars().markLine).toBeUndefined();
  });
});

describe('frame labels', () => {
  const weekdays = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
  it('names a day with its weekday, an hour with its span, a week with its last day', () => {
    expect(frameLabel(starts[2], 'day', 'en', weekdays)).toBe('Saturday 3 Oct 2026');
    expect(frameLabel(starts[2], 'day', 'zh-CN', ['日', '一', '二', '三', '四', '五', '星期六'])).toBe('2026-10-03 星期六');
    expect(frameLabel(at('2026-10-03T14:00:00+08:00'), 'hour', 'zh-CN', weekdays)).toBe('2026-10-03 14:00–15:00');
    expect(frameLabel(at('2026-09-28T00:00:00+08:00'), 'week', 'zh-CN', weekdays)).toBe('2026-09-28 – 10-04');
  });
});
