import { describe, expect, it } from 'vitest';
import { holdTour, pauseRemaining, pauseTour, reconcileTour, startTour, tourNext, tourStep, tourStops, wallScopeParam, wallTop, type TourNode } from '../../web/screen/tour.ts';

const node = (level: string, code: string, name: string, children: TourNode[] = []): TourNode => ({ level, code, name, children });
const district = node('district', '530111', '官渡区', [
  node('street', '530111003', '吴井街道', [node('community', '530111003001', '吴井社区')]),
  node('street', '530111001', '关上街道'),
  node('street', '530111002', '太和街道'),
]);
const city = node('city', '530100', '昆明市', [
  district,
  node('district', '530102', '五华区', [node('street', '530102002', '华山街道'), node('street', '530102001', '护国街道')]),
]);
const ALL = ['district', 'street'] as const;

describe('screen tour', () => {
  it('visits the district, then every street in code order', () => {
    expect(tourStops(district, ALL, 'all').map((s) => s.scope)).toEqual([
      'district:530111', 'street:530111001', 'street:530111002', 'street:530111003',
    ]);
  });

  it('visits only the N worst streets, worst first', () => {
    const stops = tourStops(district, ALL, 2, ['530111002', '530111003', '530111001']);
    expect(stops.map((s) => s.name)).toEqual(['官渡区', '太和街道', '吴井街道']);
  });

  it('goes through a city\'s districts in code order, each followed by its streets', () => {
    expect(tourStops(city, ALL, 'all').map((s) => s.scope)).toEqual([
      'city:530100',
      'district:530102', 'street:530102001', 'street:530102002',
      'district:530111', 'street:530111001', 'street:530111002', 'street:530111003',
    ]);
  });

  it('tours only the configured levels', () => {
    expect(tourStops(city, ['district'], 'all').map((s) => s.code)).toEqual(['530100', '530102', '530111']);
    expect(tourStops(city, ['street'], 'all').map((s) => s.code)).toEqual(['530100', '530102001', '530102002', '530111001', '530111002', '530111003']);
  });

  it('keeps a city\'s N worst streets, worst first within their district', () => {
    const stops = tourStops(city, ALL, 3, ['530111002', '530102002', '530111001', '530102001']);
    expect(stops.map((s) => s.code)).toEqual(['530100', '530102', '530102002', '530111', '530111002', '530111001']);
  });

  it('stands a wall for the unit its ?scope= names, else for the top', () => {
    expect(wallTop([city], wallScopeParam('district:530111'))?.name).toBe('官渡区');
    expect(wallTop([city], wallScopeParam(null))?.name).toBe('昆明市');
    // Unknown, or not a level a wall shows: the top.
    expect(wallTop([city], wallScopeParam('district:530199'))?.name).toBe('昆明市');
    expect(wallScopeParam('community:530111003001')).toBeNull();
    expect(wallScopeParam('district:1;x')).toBeNull();
    expect(wallTop([], null)).toBeNull();
    expect(tourStops(wallTop([city], wallScopeParam('district:530111'))!, ALL, 'all')[0].scope).toBe('district:530111');
  });

  it('moves on when the stop time is up, and wraps around', () => {
    let s = startTour(0, 30);
    expect(tourStep(s, 3, 29_999, 30)).toBe(s);
    s = tourStep(s, 3, 30_000, 30);
    expect(s.index).toBe(1);
    s = tourStep(tourStep(s, 3, 60_000, 30), 3, 90_000, 30);
    expect(s.index).toBe(0);
  });

  it('does not move while an interaction holds it, and gives the stop a full turn after', () => {
    let s = startTour(0, 30);
    s = pauseTour(s, 10_000, 60_000, 30);
    expect(tourStep(s, 3, 69_999, 30).index).toBe(0);
    expect(pauseRemaining(s, 40_000)).toBe(30);
    expect(tourStep(s, 3, 70_000, 30).index).toBe(0);
    expect(tourStep(s, 3, 100_000, 30).index).toBe(1);
  });

  it('holds a stop whose data has not come, and gives it its full time once it has', () => {
    const start = startTour(0, 30);
    const held = holdTour(start, 40_000, 30);
    expect(tourStep(held, 5, 40_000, 30)).toBe(held);
    expect(held.nextAt).toBe(70_000);
    expect(holdTour(held, 40_000, 30)).toBe(held);
    expect(tourStep(held, 5, 70_000, 30).index).toBe(1);
  });

  it('stays put when the tour is off', () => {
    const s = startTour(0, 0);
    expect(tourStep(s, 3, 1e9, 0)).toBe(s);
  });

  it('can be advanced at once', () => {
    expect(tourNext(startTour(0, 30), 3, 5, 30)).toEqual({ index: 1, nextAt: 30_005, pausedUntil: 0 });
  });

  it('stays on the same street when a new ranking reorders the stops', () => {
    const before = tourStops(district, ALL, 2, ['530111002', '530111003']);
    const after = tourStops(district, ALL, 2, ['530111003', '530111002']);
    const s = reconcileTour({ index: 1, nextAt: 0, pausedUntil: 0 }, before, after);
    expect(after[s.index].code).toBe('530111002');
  });

  it('returns to the top when the current street drops out', () => {
    const before = tourStops(district, ALL, 1, ['530111002']);
    const after = tourStops(district, ALL, 1, ['530111003']);
    expect(reconcileTour({ index: 1, nextAt: 0, pausedUntil: 0 }, before, after).index).toBe(0);
  });
});
