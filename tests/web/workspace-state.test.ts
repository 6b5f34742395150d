import { createPinia, setActivePinia } from 'pinia';
import { describe, expect, it } from 'vitest';
import { normaliseRange, presetRange, rangeDays, trendWindow } from '../../server/domain/periods';
import { addDays, isDay, shanghaiDate } from '../../server/domain/time';
import { defaultFilterState, filterParamsOf, periodOf } from '../../web/stores/filters';
import { DEFAULT_LAYERS } from '../../web/stores/layers';
import { useScopeStore } from '../../web/stores/scope';
import { decodeUrlState, encodeUrlState, isDrillStep, mergeQuery, onlyFrameMoved, type UrlState } from '../../web/workspace/url-state';

describe('time presets', () => {
  // 2026-11-25 is a Wednesday.
  const today = '2026-11-25';

  it('maps every preset to an inclusive range ending today', () => {
    expect(presetRange('today', today)).toEqual({ from: today, to: today });
    expect(presetRange('week', today)).toEqual({ from: '2026-11-23', to: today });
    expect(presetRange('month', today)).toEqual({ from: '2026-11-01', to: today });
    expect(presetRange('quarter', today)).toEqual({ from: '2026-10-01', to: today });
    expect(presetRange('year', today)).toEqual({ from: '2026-01-01', to: today });
    expect(presetRange('30d', today)).toEqual({ from: '2026-10-27', to: today });
    expect(presetRange('custom', today)).toBeNull();
  });

  it('starts a week on Monday, also on a Sunday', () => {
    expect(presetRange('week', '2026-11-29')).toEqual({ from: '2026-11-23', to: '2026-11-29' });
  });

  it('takes today from the Shanghai calendar, not the browser clock', () => {
    expect(shanghaiDate(new Date('2026-11-24T16:30:00Z'))).toBe('2026-11-25');
  });

  it('validates and orders custom ranges', () => {
    expect(isDay('2026-02-29')).toBe(false);
    expect(normaliseRange('2026-11-30', '2026-11-01')).toEqual({ from: '2026-11-01', to: '2026-11-30' });
    expect(normaliseRange('2026-11-01', 'soon')).toBeNull();
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(rangeDays({ from: '2026-11-01', to: '2026-11-30' })).toBe(30);
  });

  it('shows at least 30 days of trend, coarser buckets for long periods', () => {
    expect(trendWindow({ from: '2026-11-25', to: '2026-11-25' })).toEqual({ range: { from: '2026-10-27', to: '2026-11-25' }, interval: 'day' });
    expect(trendWindow({ from: '2026-10-01', to: '2026-11-25' }).interval).toBe('day');
    expect(trendWindow({ from: '2026-01-01', to: '2026-11-25' }).interval).toBe('week');
    expect(trendWindow({ from: '2024-01-01', to: '2026-11-25' }).interval).toBe('month');
  });
});

describe('filter state', () => {
  it('falls back to the default preset when a custom range is broken', () => {
    expect(periodOf({ preset: 'custom', from: 'x', to: null }, '2026-11-25')).toEqual(presetRange('30d', '2026-11-25'));
  });

  it('turns the state into API parameters', () => {
    const state = { ...defaultFilterState(), preset: 'month' as const, categories: ['01'], statuses: ['closed'] };
    expect(filterParamsOf(state, '2026-11-25')).toEqual({
      from: '2026-11-01', to: '2026-11-25', category: ['01'], source: [], status: ['closed'], siteType: [],
    });
  });
});

describe('URL state', () => {
  const full: UrlState = {
    scope: { level: 'community', id: '530111002001' },
    issue: 'GD1',
    departments: false,
    inspector: '李娜',
    filters: { preset: 'custom', from: '2026-10-01', to: '2026-11-30', categories: ['01', '0302'], sources: ['hotline'], statuses: ['closed'], siteTypes: ['market'] },
    layers: ['grids', 'heat'],
    metric: 'overdue',
    basemap: 'tianditu',
    view: { lon: 102.7875, lat: 24.925, zoom: 14 },
    playback: null,
  };

  it('round-trips everything it holds', () => {
    expect(decodeUrlState(encodeUrlState(full))).toEqual(full);
  });

  it('leaves defaults out, so the plain workspace has a plain URL', () => {
    const plain: UrlState = { scope: null, issue: null, departments: false, inspector: null, filters: defaultFilterState(), layers: [...DEFAULT_LAYERS], metric: 'reported', basemap: 'offline', view: null, playback: null };
    expect(encodeUrlState(plain)).toEqual({});
    expect(decodeUrlState({})).toEqual(plain);
  });

  it('round-trips the time bar: `play=day&t=2026-10-03` with the period as dates', () => {
    const playing: UrlState = { ...full, playback: { step: 'day', at: '2026-10-03' } };
    const query = encodeUrlState(playing);
    expect(query).toMatchObject({ play: 'day', t: '2026-10-03', from: '2026-10-01', to: '2026-11-30' });
    expect(decodeUrlState(query)).toEqual(playing);
    const hourly: UrlState = { ...full, playback: { step: 'hour', at: '2026-10-03T14' } };
    expect(decodeUrlState(encodeUrlState(hourly))).toEqual(hourly);
  });

  it('opens a link at its frame: the dates make the period custom without `t=custom`', () => {
    const s = decodeUrlState({ play: 'day', t: '2026-10-03', from: '2026-10-01', to: '2026-10-31' });
    expect(s.playback).toEqual({ step: 'day', at: '2026-10-03' });
    expect(s.filters).toMatchObject({ preset: 'custom', from: '2026-10-01', to: '2026-10-31' });
  });

  it('opens a bare link (`?play=day&t=2026-10-03`) on the frame\'s month, not on the default period', () => {
    const s = decodeUrlState({ play: 'day', t: '2026-10-03' }, '2026-12-07');
    expect(s.playback).toEqual({ step: 'day', at: '2026-10-03' });
    expect(s.filters).toMatchObject({ preset: 'custom', from: '2026-10-01', to: '2026-10-31' });
    // the frame's own day for hourly frames; the current month ends today, not in the future
    expect(decodeUrlState({ play: 'hour', t: '2026-10-03T14' }, '2026-12-07').filters).toMatchObject({ from: '2026-10-03', to: '2026-10-03' });
    expect(decodeUrlState({ play: 'auto', t: '2026-12-02' }, '2026-12-07').filters).toMatchObject({ from: '2026-12-01', to: '2026-12-07' });
    expect(decodeUrlState({ play: 'day', t: '2026-02-10' }).filters).toMatchObject({ from: '2026-02-01', to: '2026-02-28' });
    // a preset or no frame keeps the period the link names
    expect(decodeUrlState({ play: 'day', t: 'month' }, '2026-12-07').filters.preset).toBe('month');
    expect(decodeUrlState({ play: 'day' }, '2026-12-07').filters).toEqual(defaultFilterState());
  });

  it('opens a link naming only dates on those dates; a preset in `t` wins, broken dates give the default', () => {
    expect(decodeUrlState({ from: '2026-11-01', to: '2026-11-30' }).filters).toMatchObject({ preset: 'custom', from: '2026-11-01', to: '2026-11-30' });
    expect(decodeUrlState({ from: '2026-11-30', to: '2026-11-01' }).filters).toMatchObject({ preset: 'custom', from: '2026-11-01', to: '2026-11-30' });
    expect(decodeUrlState({ t: 'month', from: '2026-11-01', to: '2026-11-30' }).filters.preset).toBe('month');
    expect(decodeUrlState({ from: '2026-11-01' }).filters).toEqual(defaultFilterState());
    expect(decodeUrlState({ from: '2026-11-01', to: 'soon' }).filters).toEqual(defaultFilterState());
  });

  it('keeps the time bar closed without `play`, and ignores a bad step or frame', () => {
    expect(decodeUrlState({ t: '2026-10-03', from: '2026-10-01', to: '2026-10-31' }).playback).toBeNull();
    expect(decodeUrlState({ play: 'minute' }).playback).toBeNull();
    expect(decodeUrlState({ play: 'day', t: '2026-02-30' }).playback).toEqual({ step: 'day', at: null });
    expect(decodeUrlState({ play: 'hour', t: '2026-10-03T25' }).playback).toEqual({ step: 'hour', at: null });
  });

  it('tells a frame that moved alone (its URL write may wait for the frame to rest) from any other change', () => {
    const at = (frame: string | null, over: Partial<UrlState> = {}): UrlState => ({ ...full, playback: { step: 'day', at: frame }, ...over });
    expect(onlyFrameMoved(at('2026-10-03'), at('2026-10-04'))).toBe(true);
    expect(onlyFrameMoved(at('2026-10-03'), at('2026-10-03'))).toBe(false);
    expect(onlyFrameMoved(at('2026-10-03'), at('2026-10-04', { metric: 'reported' }))).toBe(false);
    expect(onlyFrameMoved(at('2026-10-03'), { ...full, playback: { step: 'week', at: '2026-10-04' } })).toBe(false);
    expect(onlyFrameMoved(full, at('2026-10-04'))).toBe(false);
  });

  it('writes no frame while the period is still a preset (the bar pins it to dates first)', () => {
    const q = encodeUrlState({ ...full, filters: { ...full.filters, preset: 'month' }, playback: { step: 'day', at: '2026-10-03' } });
    expect(q.t).toBe('month');
    expect(q.play).toBe('day');
  });

  it('distinguishes "no layers" from "default layers"', () => {
    expect(decodeUrlState({ layers: '' }).layers).toEqual([]);
  });

  it('ignores broken or unknown values instead of failing', () => {
    const s = decodeUrlState({ scope: 'province:1', t: 'custom', from: '2026-13-01', to: '2026-11-01', layers: 'grids,bogus', metric: 'nope', view: '500,1,2', cat: "01,x'y" });
    expect(s.scope).toBeNull();
    expect(s.filters.preset).toBe('30d');
    expect(s.layers).toEqual(['grids']);
    expect(s.metric).toBe('reported');
    expect(s.view).toBeNull();
    expect(s.filters.categories).toEqual(['01']);
  });

  it('makes a history entry for drill steps only', () => {
    expect(isDrillStep({ scope: null, issue: null }, { scope: { level: 'street', id: '1' }, issue: null })).toBe(true);
    expect(isDrillStep({ scope: null, issue: null }, { scope: null, issue: 'A' })).toBe(true);
    expect(isDrillStep({ scope: { level: 'street', id: '1' }, issue: null }, { scope: { level: 'street', id: '1' }, issue: null })).toBe(false);
  });

  it('keeps query keys it does not own, such as lang', () => {
    expect(mergeQuery({ lang: 'en', scope: 'street:1', metric: 'score' }, { ...full, issue: null })).toMatchObject({ lang: 'en', scope: 'community:530111002001', metric: 'overdue' });
    expect(mergeQuery({ metric: 'score' }, decodeUrlState({}))).toEqual({});
  });
});

describe('the top of the drill path', () => {
  const plain = (scope: UrlState['scope']): UrlState => ({ scope, issue: null, departments: false, inspector: null, filters: defaultFilterState(), layers: [...DEFAULT_LAYERS], metric: 'reported', basemap: 'offline', view: null, playback: null });

  it('carries the level of any scope in a link, a district below a city included', () => {
    expect(encodeUrlState(plain({ level: 'district', id: '530111' })).scope).toBe('district:530111');
    expect(decodeUrlState({ scope: 'district:530111' }).scope).toEqual({ level: 'district', id: '530111' });
    expect(encodeUrlState(plain(null)).scope).toBeUndefined();
  });

  it('keeps the top as no scope, so a link naming a one-district deployment\'s district stays short', () => {
    setActivePinia(createPinia());
    const store = useScopeStore();
    store.replace({ level: 'district', id: '530111' }, null);
    store.setTop({ level: 'district', id: '530111' });
    expect(store.scope).toBeNull();
    store.drill({ level: 'district', id: '530111' });
    expect(store.scope).toBeNull();
  });

  it('keeps a district as a drill step below a city', () => {
    setActivePinia(createPinia());
    const store = useScopeStore();
    store.setTop({ level: 'city', id: '530100' });
    store.drill({ level: 'district', id: '530111' });
    expect(store.scope).toEqual({ level: 'district', id: '530111' });
    store.drill({ level: 'city', id: '530100' });
    expect(store.scope).toBeNull();
  });
});
