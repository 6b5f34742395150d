import { describe, expect, it } from 'vitest';
import { ringOption, scaleChartOption, wallChartOption } from '../../web/screen/chart-options.ts';
import { trendOption } from '../../web/components/charts/trend-option.ts';
import { DEFAULT_CHART_THEME } from '../../web/components/charts/theme.ts';
import { fitCount } from '../../web/screen/fit.ts';

describe('wall-sized chart options', () => {
  it('scales font sizes, marks and grid margins but not percentages or colours', () => {
    const scaled = scaleChartOption({
      grid: { left: 8, top: '10%' },
      legend: { itemWidth: 12, textStyle: { fontSize: 11, color: '#fff' } },
      series: [{ type: 'bar', barMaxWidth: 14, lineStyle: { width: 2 }, data: [5, 6] }],
    }, 2);
    expect(scaled).toEqual({
      grid: { left: 16, top: '10%' },
      legend: { itemWidth: 24, textStyle: { fontSize: 22, color: '#fff' } },
      series: [{ type: 'bar', barMaxWidth: 28, lineStyle: { width: 4 }, data: [5, 6] }],
    });
  });

  it('leaves data values alone even where they sit beside size keys', () => {
    const scaled = scaleChartOption({ series: [{ data: [{ value: 10, itemStyle: { borderWidth: 1 } }] }] }, 3);
    expect(scaled).toEqual({ series: [{ data: [{ value: 10, itemStyle: { borderWidth: 3 } }] }] });
  });

  it('keeps every chart text at 18 px or more at 1080 px high, twice that at 2160', () => {
    const sizes = (o: unknown): number[] => (Array.isArray(o) ? o.flatMap(sizes) : typeof o === 'object' && o !== null
      ? Object.entries(o).flatMap(([k, v]) => (k === 'fontSize' && typeof v === 'number' ? [v] : sizes(v))) : []);
    const trend = trendOption([{ bucket: '2026-11-01', reported: 3, onTimeRate: 0.5 }], { reported: '上报', onTimeRate: '按期结案率' }, DEFAULT_CHART_THEME);
    const ring = ringOption([{ name: 'a', value: 1, colour: '#fff' }], DEFAULT_CHART_THEME, { value: '50%', label: '立行立改率' });
    for (const option of [trend, ring]) {
      expect(Math.min(...sizes(wallChartOption(option, 1.3, 1)))).toBeGreaterThanOrEqual(18);
      expect(Math.min(...sizes(wallChartOption(option, 1.3, 2)))).toBeGreaterThanOrEqual(36);
    }
  });

  it('draws a donut of the slices with the number in the hole', () => {
    const option = ringOption([{ name: '立行立改', value: 3, colour: '#0f0' }, { name: '限期整改', value: 7, colour: '#00f' }], DEFAULT_CHART_THEME, { value: '30.0%', label: '立行立改率' });
    const series = (option.series as { data: { value: number }[] }[])[0];
    expect(series.data.map((d) => d.value)).toEqual([3, 7]);
    expect((option.title as { text: string }).text).toBe('30.0%');
  });
});

describe('fitting rows', () => {
  it('counts whole rows with gaps between them', () => {
    expect(fitCount(10, 3, 0.5, 99)).toBe(3);
    expect(fitCount(9.9, 3, 0.5, 99)).toBe(2);
  });

  it('never exceeds the maximum or goes negative', () => {
    expect(fitCount(100, 3, 0, 5)).toBe(5);
    expect(fitCount(-4, 3, 0, 5)).toBe(0);
  });
});
