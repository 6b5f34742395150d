/**
 * The trend chart: issues reported per bucket as bars, 按期结案率 as a line on a second axis.
 * A pure option builder, so the workspace and the big screen share it and tests can read it.
 */
import type { ChartTheme } from './theme';

/** One bucket of `/api/stats/timeseries`, reduced to what the chart draws. */
export interface TrendPoint {
  /** Bucket start, YYYY-MM-DD. */
  bucket: string;
  reported: number;
  onTimeRate: number | null;
  overdue?: number;
}

/** Series names (translated by the caller). */
export interface TrendLabels {
  reported: string;
  onTimeRate: string;
  overdue?: string;
}

/** `2026-11-03` → `11-03`: the year is in the period picker, not on every tick. */
export function shortDay(bucket: string): string {
  return bucket.length >= 10 ? bucket.slice(5, 10) : bucket;
}

/** ECharts option of the trend chart (type-loose on purpose: echarts' option types are huge). */
export function trendOption(points: readonly TrendPoint[], labels: TrendLabels, theme: ChartTheme): Record<string, unknown> {
  const axisLabel = { color: theme.text, fontFamily: theme.font, fontSize: 11 };
  const series: Record<string, unknown>[] = [
    {
      name: labels.reported,
      type: 'bar',
      data: points.map((p) => p.reported),
      itemStyle: { color: theme.series[0], borderRadius: [2, 2, 0, 0] },
      barMaxWidth: 14,
    },
    {
      name: labels.onTimeRate,
      type: 'line',
      yAxisIndex: 1,
      data: points.map((p) => (p.onTimeRate === null ? null : Math.round(p.onTimeRate * 1000) / 10)),
      connectNulls: true,
      symbol: 'none',
      // No smoothing: with few issues per day the rate jumps, and a spline would overshoot 100 %.
      lineStyle: { color: theme.series[2], width: 2 },
      itemStyle: { color: theme.series[2] },
    },
  ];
  if (labels.overdue) {
    series.push({
      name: labels.overdue,
      type: 'line',
      data: points.map((p) => p.overdue ?? 0),
      symbol: 'none',
      lineStyle: { color: theme.series[3], width: 1.5, type: 'dashed' },
      itemStyle: { color: theme.series[3] },
    });
  }
  return {
    animation: false,
    textStyle: { fontFamily: theme.font },
    grid: { left: 8, right: 8, top: 28, bottom: 4, containLabel: true },
    legend: { top: 0, right: 0, itemWidth: 12, itemHeight: 8, textStyle: { color: theme.text, fontSize: 11 } },
    tooltip: { trigger: 'axis', confine: true },
    xAxis: {
      type: 'category',
      data: points.map((p) => shortDay(p.bucket)),
      axisLine: { lineStyle: { color: theme.axis } },
      axisTick: { show: false },
      axisLabel,
    },
    yAxis: [
      { type: 'value', minInterval: 1, splitLine: { lineStyle: { color: theme.split } }, axisLabel },
      { type: 'value', min: 0, max: 100, splitLine: { show: false }, axisLabel: { ...axisLabel, formatter: '{value}%' } },
    ],
    series,
  };
}
