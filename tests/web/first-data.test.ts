import { afterEach, describe, expect, it, vi } from 'vitest';
import { afterFirstData, firstDataTracker, layerHasData } from '../../web/first-data';

describe('first data drawn', () => {
  it('marks once, when every part the view expects has been drawn', () => {
    let marks = 0;
    const tracker = firstDataTracker(() => marks++);
    tracker.expect(['map', 'kpis']);
    tracker.drawn('map');
    tracker.drawn('map');
    expect(marks).toBe(0);
    tracker.drawn('kpis');
    expect(marks).toBe(1);
    expect(tracker.done).toBe(true);
    tracker.expect(['bulletin']);
    tracker.drawn('bulletin');
    tracker.drawn('kpis');
    expect(marks).toBe(1);
  });

  it('waits for a view to say what it shows, and a view opened before the mark starts over', () => {
    let marks = 0;
    const tracker = firstDataTracker(() => marks++);
    tracker.drawn('map');
    expect(marks).toBe(0);
    tracker.expect(['map', 'kpis']);
    tracker.drawn('kpis');
    // The map drawn before the view was opened belonged to no view that asked for it.
    expect(marks).toBe(0);
    tracker.expect(['bulletin']);
    tracker.drawn('bulletin');
    expect(marks).toBe(1);
  });

  it('counts a layer as data only when it is visible and holds features, rows or columns', () => {
    expect(layerHasData({ props: { data: [1] } })).toBe(true);
    expect(layerHasData({ props: { data: [] } })).toBe(false);
    expect(layerHasData({ props: { data: [1], visible: false } })).toBe(false);
    expect(layerHasData({ props: { data: { type: 'FeatureCollection', features: [{}] } } })).toBe(true);
    expect(layerHasData({ props: { data: { type: 'FeatureCollection', features: [] } } })).toBe(false);
    expect(layerHasData({ props: { data: { length: 3, attributes: {} } } })).toBe(true);
    expect(layerHasData({ props: { data: null } })).toBe(false);
    expect(layerHasData({ props: {} })).toBe(false);
  });

  afterEach(() => vi.useRealTimers());

  it('lets what can wait load when the first data is drawn, or after the longest wait when it never is', async () => {
    vi.useFakeTimers();
    const drawn = firstDataTracker(() => undefined);
    let loaded = false;
    void afterFirstData(drawn, 3_000).then(() => (loaded = true));
    drawn.expect(['kpis']);
    drawn.drawn('kpis');
    await vi.advanceTimersByTimeAsync(0);
    expect(loaded).toBe(true);

    const never = firstDataTracker(() => undefined);
    let late = false;
    void afterFirstData(never, 3_000).then(() => (late = true));
    await vi.advanceTimersByTimeAsync(2_999);
    expect(late).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(late).toBe(true);
  });
});
