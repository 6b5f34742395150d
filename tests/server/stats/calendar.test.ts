/** The pure rules behind the statistics: buckets, comparison periods, change and ranking order. */
import { describe, expect, it } from 'vitest';
import { shanghaiMidnight } from '../../../server/domain/time.ts';
import { EMPTY_COUNTS, finishKpis, type Kpis } from '../../../server/kpi/definitions.ts';
import { rankChange, rankUnits, redAndBlack } from '../../../server/kpi/ranking.ts';
import { loadScoring } from '../../../server/kpi/score.ts';
import { bucketsOf, kpiChange, lastYearComparison, lastYearPeriod, periodLabel, previousComparison, previousPeriod } from '../../../server/kpi/timeseries.ts';

/** The period of inclusive Shanghai days from … to. */
const days = (from: string, to: string) => ({ start: shanghaiMidnight(from), end: new Date(shanghaiMidnight(to).getTime() + 86_400_000) });

describe('bucketsOf', () => {
  it('cuts months at their real lengths, across a year end', () => {
    const buckets = bucketsOf(days('2025-12-15', '2026-03-02'), 'month', 400)!;
    expect(buckets.map((b) => [b.key, periodLabel(b).from, periodLabel(b).to])).toEqual([
      ['2025-12-01', '2025-12-15', '2025-12-31'],
      ['2026-01-01', '2026-01-01', '2026-01-31'],
      ['2026-02-01', '2026-02-01', '2026-02-28'],
      ['2026-03-01', '2026-03-01', '2026-03-02'],
    ]);
  });

  it('starts days at Shanghai midnight (16:00 UTC the day before)', () => {
    const [first] = bucketsOf(days('2026-11-21', '2026-11-21'), 'day', 400)!;
    expect(first.start.toISOString()).toBe('2026-11-20T16:00:00.000Z');
    expect(first.end.toISOString()).toBe('2026-11-21T16:00:00.000Z');
  });

  it('gives up past the maximum instead of building every bucket', () => {
    expect(bucketsOf(days('2026-01-01', '2026-01-10'), 'day', 10)).toHaveLength(10);
    expect(bucketsOf(days('2026-01-01', '2026-01-11'), 'day', 10)).toBeNull();
  });

  it('is empty for an empty range', () => {
    const at = shanghaiMidnight('2026-01-01');
    expect(bucketsOf({ start: at, end: at }, 'week', 400)).toEqual([]);
  });
});

describe('comparison periods', () => {
  it('环比 of a period starting on the 1st is the same days of the month(s) before (上月同期)', () => {
    const previous = (from: string, to: string) => periodLabel(previousPeriod(days(from, to)));
    expect(previous('2026-10-01', '2026-10-31')).toEqual({ from: '2026-09-01', to: '2026-09-30' });
    expect(previous('2026-03-01', '2026-03-31')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(previous('2026-03-01', '2026-03-30')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(previous('2028-03-01', '2028-03-31')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(previous('2026-05-01', '2026-05-30')).toEqual({ from: '2026-04-01', to: '2026-04-30' });
    expect(previous('2026-04-01', '2026-04-30')).toEqual({ from: '2026-03-01', to: '2026-03-31' });
    expect(previous('2026-12-01', '2026-12-07')).toEqual({ from: '2026-11-01', to: '2026-11-07' });
    expect(previous('2026-01-01', '2026-01-15')).toEqual({ from: '2025-12-01', to: '2025-12-15' });
    expect(previous('2026-10-01', '2026-12-31')).toEqual({ from: '2026-07-01', to: '2026-09-30' });
    expect(previous('2026-01-01', '2026-12-31')).toEqual({ from: '2025-01-01', to: '2025-12-31' });
  });

  it('环比 of any other period is the equal length right before', () => {
    expect(periodLabel(previousPeriod(days('2026-03-02', '2026-03-31')))).toEqual({ from: '2026-01-31', to: '2026-03-01' });
    expect(periodLabel(previousPeriod(days('2026-11-30', '2026-12-06')))).toEqual({ from: '2026-11-23', to: '2026-11-29' });
    const start = shanghaiMidnight('2026-12-01');
    const notDayAligned = previousPeriod({ start, end: new Date('2026-12-07T04:00:00Z') });
    expect(notDayAligned.end).toEqual(start);
    expect(start.getTime() - notDayAligned.start.getTime()).toBe(new Date('2026-12-07T04:00:00Z').getTime() - start.getTime());
  });

  it('同比 is the same dates a year before, 29 February becoming the 28th', () => {
    expect(periodLabel(lastYearPeriod(days('2028-02-01', '2028-02-29')))).toEqual({ from: '2027-02-01', to: '2027-02-28' });
    expect(periodLabel(lastYearPeriod(days('2028-02-29', '2028-03-31')))).toEqual({ from: '2027-02-28', to: '2027-03-31' });
  });

  it('judge each compared period as of the moment that stands to it as now to the period', () => {
    const now = new Date('2026-12-07T04:00:00Z');
    const month = days('2026-12-01', '2026-12-07');
    // 环比: 1–7 November, as of the same time on 7 November.
    const previous = previousComparison(month, now);
    expect({ ...periodLabel(previous), asOf: previous.asOf.toISOString() }).toEqual({ from: '2026-11-01', to: '2026-11-07', asOf: '2026-11-07T04:00:00.000Z' });
    // A week: 7 days back, as of 7 days before now.
    const week = previousComparison(days('2026-11-30', '2026-12-07'), now);
    expect({ ...periodLabel(week), asOf: week.asOf.toISOString() }).toEqual({ from: '2026-11-22', to: '2026-11-29', asOf: '2026-11-29T04:00:00.000Z' });
    // 同比: the same dates, as of the same moment one calendar year before; to date, everything until then.
    const lastYear = lastYearComparison(month, now);
    expect({ ...periodLabel(lastYear), asOf: lastYear.asOf.toISOString() }).toEqual({ from: '2025-12-01', to: '2025-12-07', asOf: '2025-12-07T04:00:00.000Z' });
    expect(lastYearComparison(null, now)).toEqual({ start: null, end: null, asOf: new Date('2025-12-07T04:00:00Z') });
  });
});

const scoring = loadScoring();
const kpis = (counts: Partial<typeof EMPTY_COUNTS>): Kpis => finishKpis({ ...EMPTY_COUNTS, ...counts }, { scoring });

describe('kpiChange', () => {
  it('gives percent for counts and points for rates', () => {
    const now = kpis({ reported: 15, due: 10, closed: 9 });
    const before = kpis({ reported: 10, due: 10, closed: 6 });
    expect(kpiChange(now, before)).toMatchObject({ reportedPct: 50, duePct: 0, closedPct: 50, closureRatePts: 30 });
  });

  it('is null from a zero base or a null rate', () => {
    expect(kpiChange(kpis({ reported: 3, due: 1 }), kpis({}))).toMatchObject({ reportedPct: null, closureRatePts: null, scoreDelta: null });
  });
});

describe('rankUnits', () => {
  const unit = (code: string, score: number | null, onTimeRate: number | null, due = 10) => ({ code, kpis: { score, onTimeRate, due } });

  it('ranks by score, then by on-time rate, then by code, and skips units without a score', () => {
    const ranks = rankUnits([unit('B', 80, 0.5), unit('A', 80, 0.5), unit('C', 80, 0.9), unit('D', 95, 0.1), unit('E', null, null)]);
    expect([...ranks.entries()]).toEqual([['D', 1], ['C', 2], ['A', 3], ['B', 4]]);
  });

  it('leaves unranked a unit with fewer cases due than the minimum, however good its score', () => {
    const units = [unit('A', 100, 1, 3), unit('B', 70, 0.6, 40), unit('C', 60, 0.5, 5), unit('D', 90, 0.9, 4)];
    expect([...rankUnits(units, 5).entries()]).toEqual([['B', 1], ['C', 2]]);
    expect([...rankUnits(units).entries()]).toEqual([['A', 1], ['D', 2], ['B', 3], ['C', 4]]);
  });

  it('measures rank change as places climbed', () => {
    expect(rankChange(1, 3)).toBe(2);
    expect(rankChange(3, 1)).toBe(-2);
    expect(rankChange(1, null)).toBeNull();
  });

  it('fills the red list best-first and the black list worst-first, skipping the unranked', () => {
    const units = [{ code: 'x', rank: 2 }, { code: 'y', rank: null }, { code: 'z', rank: 1 }, { code: 'w', rank: 3 }];
    const { red, black } = redAndBlack(units, 2);
    expect(red.map((u) => u.code)).toEqual(['z', 'x']);
    expect(black.map((u) => u.code)).toEqual(['w', 'x']);
  });
});
