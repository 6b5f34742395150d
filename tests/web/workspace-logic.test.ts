import { describe, expect, it } from 'vitest';
import { filterQuery } from '../../web/api/civgrid';
import { chartThemeFrom, DEFAULT_CHART_THEME } from '../../web/components/charts/theme';
import { partialBucket, trendOption } from '../../web/components/charts/trend-option';
import { changeView, formatValue } from '../../web/components/format';
import { withKnownGeometry } from '../../web/stores/feature-merge';
import { checkOf, normaliseTree, toggleTree, type TreeOption } from '../../web/workspace/filter-tree';
import { comparedWords, overdueFor, rankLevelsBelow, topRows, trendCoverage } from '../../web/workspace/panel-logic';

describe('number formatting', () => {
  it('prints rates as percent and missing values as a dash, never 0 %', () => {
    expect(formatValue(0.8956, 'rate')).toBe('89.6%');
    expect(formatValue(null, 'rate')).toBe('—');
    expect(formatValue(12345, 'count')).toBe('12,345');
  });

  it('reads a change with its direction and whether that is good', () => {
    expect(changeView(-4.8, 'pts', 'up')).toEqual({ text: '−4.8个百分点', direction: 'down', good: false });
    expect(changeView(12.5, 'pct', 'down', 'en')).toEqual({ text: '+12.5 %', direction: 'up', good: false });
    expect(changeView(3, 'pct', null).good).toBeNull();
    expect(changeView(null, 'pct', 'up')).toEqual({ text: '—', direction: 'none', good: null });
  });
});

describe('category tree selection', () => {
  const tree: TreeOption[] = [{ value: '01', label: '市容', children: [{ value: '0101', label: 'a' }, { value: '0102', label: 'b' }] }];

  it('sends a fully selected 大类 as its own code', () => {
    expect(toggleTree([], tree, '01')).toEqual(['01']);
    expect(toggleTree(['0101'], tree, '0102')).toEqual(['01']);
    expect(normaliseTree(['0101', '0102'], tree)).toEqual(['01']);
  });

  it('keeps the siblings when one 小类 of a selected 大类 is unchecked', () => {
    expect(toggleTree(['01'], tree, '0101')).toEqual(['0102']);
    expect(toggleTree(['01'], tree, '01')).toEqual([]);
  });

  it('shows a partly selected 大类 as indeterminate', () => {
    expect(checkOf(tree[0], ['0101'])).toBe('some');
    expect(checkOf(tree[0], ['01'])).toBe('all');
    expect(checkOf(tree[0], [])).toBe('none');
  });
});

describe('panel logic', () => {
  it('words how long an issue is overdue', () => {
    const now = Date.parse('2026-11-25T12:00:00Z');
    expect(overdueFor('2026-11-22T11:00:00Z', now)).toEqual({ unit: 'days', n: 3 });
    expect(overdueFor('2026-11-25T09:30:00Z', now)).toEqual({ unit: 'hours', n: 2 });
    expect(overdueFor('2026-11-25T11:59:00Z', now)).toEqual({ unit: 'hours', n: 1 });
  });

  it('ranks the levels below a scope', () => {
    expect(rankLevelsBelow('city')).toEqual(['district', 'street']);
    expect(rankLevelsBelow('district')).toEqual(['street', 'community']);
    expect(rankLevelsBelow('community')).toEqual(['grid']);
    expect(rankLevelsBelow('site')).toEqual([]);
  });

  it('keeps top rows with reports', () => {
    const rows = [{ kpis: { reported: 1 } }, { kpis: { reported: 0 } }, { kpis: { reported: 5 } }];
    expect(topRows(rows, 5).map((r) => r.kpis.reported)).toEqual([5, 1]);
  });
});

describe('geometry reuse', () => {
  const fc = (ids: string[], withGeometry: boolean) => ({
    type: 'FeatureCollection' as const,
    features: ids.map((id) => ({ type: 'Feature' as const, geometry: withGeometry ? { type: 'Point' as const, coordinates: [1, 2] } : null, properties: { id, n: withGeometry ? 0 : 1 } })),
  });

  it('puts known shapes back under fresh properties', () => {
    const merged = withKnownGeometry(fc(['a', 'b'], true), fc(['b'], false), (p) => p.id)!;
    expect(merged.features).toEqual([{ type: 'Feature', geometry: { type: 'Point', coordinates: [1, 2] }, properties: { id: 'b', n: 1 } }]);
  });

  it('gives up when a feature has no known shape', () => {
    expect(withKnownGeometry(fc(['a'], true), fc(['a', 'new'], false), (p) => p.id)).toBeNull();
    expect(withKnownGeometry(null, fc(['a'], false), (p) => p.id)).toBeNull();
  });
});

describe('charts', () => {
  it('reads its colours from CSS variables with light defaults', () => {
    const vars: Record<string, string> = { '--cg-chart-text': ' #fff ', '--cg-chart-2': '#0ff' };
    const theme = chartThemeFrom((name) => vars[name] ?? '');
    expect(theme.text).toBe('#fff');
    expect(theme.series).toEqual([DEFAULT_CHART_THEME.series[0], '#0ff', ...DEFAULT_CHART_THEME.series.slice(2)]);
  });

  it('draws reports as bars and the on-time rate in percent on the second axis', () => {
    const option = trendOption(
      [{ bucket: '2026-11-01', reported: 4, onTimeRate: 0.756 }, { bucket: '2026-11-02', reported: 0, onTimeRate: null }],
      { reported: '上报数', onTimeRate: '按期结案率' },
      DEFAULT_CHART_THEME,
    ) as { series: { type: string; data: unknown[]; yAxisIndex?: number }[]; xAxis: { data: string[] } };
    expect(option.xAxis.data).toEqual(['11-01', '11-02']);
    expect(option.series.map((s) => s.type)).toEqual(['bar', 'line']);
    expect(option.series[1]).toMatchObject({ yAxisIndex: 1, data: [75.6, null] });
  });

  it('hatches a partial last bucket and marks it "to date" on the axis', () => {
    const option = trendOption(
      [{ bucket: '2026-11-23', reported: 40, onTimeRate: 0.9 }, { bucket: '2026-11-30', reported: 3, onTimeRate: 0.5, partial: 'ongoing' }],
      { reported: 'Reported', onTimeRate: 'On-time rate', toDate: 'to date' },
      DEFAULT_CHART_THEME, 'week', 'en',
    ) as { series: { type: string; data: unknown[]; lineStyle?: { type?: string } }[]; xAxis: { data: string[] } };
    expect(option.xAxis.data).toEqual(['23 Nov', '30 Nov\nto date']);
    expect(option.series[0].data[0]).toBe(40);
    expect(option.series[0].data[1]).toMatchObject({ value: 3, itemStyle: { borderType: 'dashed', decal: expect.any(Object) } });
    // The solid rate line stops at the last full bucket; a dashed stretch reaches the partial one.
    expect(option.series[1].data).toEqual([90, null]);
    expect(option.series[2]).toMatchObject({ type: 'line', data: [90, 50], lineStyle: { type: 'dashed' } });
  });

  it('calls a bucket ongoing when it holds today and cut when the period cuts it', () => {
    const today = '2026-12-07';
    expect(partialBucket({ bucket: '2026-12-07' }, 'day', today)).toBe('ongoing');
    expect(partialBucket({ bucket: '2026-12-06' }, 'day', today)).toBeUndefined();
    expect(partialBucket({ bucket: '2026-11-30', from: '2026-11-30', to: '2026-12-06' }, 'week', today)).toBeUndefined();
    // 本年 starts on a Thursday: its first ISO week is cut.
    expect(partialBucket({ bucket: '2025-12-29', from: '2026-01-01', to: '2026-01-04' }, 'week', today)).toBe('cut');
    expect(partialBucket({ bucket: '2026-12-01', from: '2026-12-01', to: '2026-12-07' }, 'month', today)).toBe('ongoing');
  });

  it('labels a cut bucket without "to date"', () => {
    const option = trendOption(
      [{ bucket: '2026-01-01', reported: 3, onTimeRate: 0.5, partial: 'cut' }, { bucket: '2026-01-05', reported: 40, onTimeRate: 0.9 }],
      { reported: '上报数', onTimeRate: '按期结案率', toDate: '至今' },
      DEFAULT_CHART_THEME, 'week',
    ) as { series: { data: unknown[] }[]; xAxis: { data: string[] } };
    expect(option.xAxis.data).toEqual(['01-01', '01-05']);
    expect(option.series[0].data[0]).toMatchObject({ value: 3, itemStyle: { borderType: 'dashed' } });
  });

  it('titles the trend by what it covers, not always "30 days"', () => {
    expect(trendCoverage('year', { from: '2026-01-01', to: '2026-12-07' })).toEqual({ covers: 'year', interval: 'week' });
    expect(trendCoverage('today', { from: '2026-12-07', to: '2026-12-07' })).toEqual({ covers: 'last30', interval: 'day' });
    expect(trendCoverage('custom', { from: '2024-01-01', to: '2026-06-30' })).toEqual({ covers: { from: '2024-01-01', to: '2026-06-30' }, interval: 'month' });
  });
});

describe('API parameters', () => {
  it('leaves out unset filters and keeps lists as repeated parameters', () => {
    expect(filterQuery({ scope: 'street:1', from: '2026-11-01', category: [], status: ['closed', 'handled'], to: undefined })).toEqual({
      scope: 'street:1', from: '2026-11-01', status: ['closed', 'handled'],
    });
  });
});

describe('what a change under a KPI compares with', () => {
  it('names the compared dates and the moment they are judged as of, in the reader’s language', () => {
    const previous = { period: { from: '2026-11-01', to: '2026-11-07' }, asOf: '2026-11-07T04:00:00.000Z' };
    expect(comparedWords(previous, 'zh-CN')).toEqual({ from: '2026-11-01', to: '2026-11-07', asOf: '2026-11-07 12:00' });
    expect(comparedWords(previous, 'en')).toEqual({ from: '1 Nov 2026', to: '7 Nov 2026', asOf: '7 Nov 2026, 12:00' });
    expect(comparedWords({ period: { from: null, to: null }, asOf: '2025-11-07T04:00:00.000Z' }, 'zh-CN')).toBeNull();
    expect(comparedWords(null, 'zh-CN')).toBeNull();
  });
});
