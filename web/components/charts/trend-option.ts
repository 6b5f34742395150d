/**
 * The trend chart: issues reported per bucket as bars, 按期结案率 as a line on a second axis.
 * A bucket that is not over yet (today, this week, this month) or that the period cuts is drawn
 * hatched and labelled "to date", so its low count does not read as a cliff.
 * A pure option builder, so the workspace and the big screen share it and tests can read it.
 */
import { nextBucketStart, shanghaiDate, shanghaiMidnight, type Day, type Interval } from '../../../server/domain/time';
import { formatDate, percentSign } from '../format';
import type { ChartTheme } from './theme';

/** One bucket of `/api/stats/timeseries`, reduced to what the chart draws. */
export interface TrendPoint {
  /** Bucket start, YYYY-MM-DD. */
  bucket: string;
  reported: number;
  onTimeRate: number | null;
  overdue?: number;
  /**
   * The bucket covers only part of its day, week or month: `ongoing` (it holds today, not over yet)
   * or `cut` (the period starts or ends inside it). Absent for a whole bucket.
   */
  partial?: BucketCover;
}

/** Series names and words (translated by the caller). */
export interface TrendLabels {
  reported: string;
  onTimeRate: string;
  overdue?: string;
  /** Marks a partial bucket on the axis and in the tooltip: 至今 / to date. */
  toDate?: string;
}

/** How much of its calendar span a bucket covers. */
export type BucketCover = 'ongoing' | 'cut';

/**
 * Whether a time-series bucket is partial: `ongoing` when it contains `today` (not over yet), `cut`
 * when the period starts or ends inside it (its `from`/`to` as the API clipped them fall inside its
 * week or month); undefined when it is whole.
 */
export function partialBucket(b: { bucket: Day; from?: Day | null; to?: Day | null }, interval: Interval, today: Day): BucketCover | undefined {
  const last = shanghaiDate(nextBucketStart(shanghaiMidnight(b.bucket).getTime(), interval) - 1);
  if (b.bucket <= today && today <= last) return 'ongoing';
  return (b.from ?? b.bucket) > b.bucket || (b.to ?? last) < last ? 'cut' : undefined;
}

/** A bucket's tick: its day (`11-03` / `3 Nov`), or its month for monthly buckets. */
export function bucketLabel(bucket: string, interval: Interval, locale: string): string {
  if (interval !== 'month') return formatDate(bucket, 'dayShort', locale);
  return locale.startsWith('en') ? formatDate(bucket, 'day', locale).replace(/^1 /, '') : bucket.slice(0, 7);
}

/** Bars of a partial bucket: lighter and hatched. */
const partialBar = (colour: string) => ({
  color: colour,
  opacity: 0.45,
  borderColor: colour,
  borderWidth: 1,
  borderType: 'dashed',
  decal: { symbol: 'rect', dashArrayX: [1, 0], dashArrayY: [2, 4], rotation: Math.PI / 4, color: 'rgba(255,255,255,0.55)' },
});

/**
 * ECharts option of the trend chart (type-loose on purpose: echarts' option types are huge);
 * `cursor` is the index of the bucket playback is in (-1: none).
 */
export function trendOption(
  points: readonly TrendPoint[],
  labels: TrendLabels,
  theme: ChartTheme,
  interval: Interval = 'day',
  locale = 'zh-CN',
  cursor = -1,
): Record<string, unknown> {
  const axisLabel = { color: theme.text, fontFamily: theme.font, fontSize: 11 };
  const toDate = labels.toDate ?? '';
  const ticks = points.map((p) => bucketLabel(p.bucket, interval, locale));
  const rate = (p: TrendPoint) => (p.onTimeRate === null ? null : Math.round(p.onTimeRate * 1000) / 10);
  const lastFull = points.length - (points.at(-1)?.partial ? 1 : 0);
  const series: Record<string, unknown>[] = [
    {
      name: labels.reported,
      type: 'bar',
      data: points.map((p) => (p.partial ? { value: p.reported, itemStyle: partialBar(theme.series[0]) } : p.reported)),
      itemStyle: { color: theme.series[0], borderRadius: [2, 2, 0, 0] },
      barMaxWidth: 14,
      // Playback's frame: a vertical line through its bucket, moved by the frame, not redrawn with the data.
      ...(cursor >= 0 && cursor < points.length
        ? { markLine: { silent: true, symbol: 'none', animation: false, label: { show: false }, lineStyle: { color: theme.series[3], width: 2, type: 'solid' }, data: [{ xAxis: cursor }] } }
        : {}),
    },
    {
      name: labels.onTimeRate,
      type: 'line',
      yAxisIndex: 1,
      // The rate of a bucket that is not over is drawn on its own dashed stretch below.
      data: points.map((p, i) => (i < lastFull ? rate(p) : null)),
      connectNulls: true,
      symbol: 'none',
      // No smoothing: with few issues per day the rate jumps, and a spline would overshoot 100 %.
      lineStyle: { color: theme.series[2], width: 2 },
      itemStyle: { color: theme.series[2] },
    },
  ];
  if (lastFull < points.length && lastFull > 0) {
    series.push({
      name: labels.onTimeRate,
      type: 'line',
      yAxisIndex: 1,
      data: points.map((p, i) => (i >= lastFull - 1 ? rate(p) : null)),
      symbol: 'none',
      lineStyle: { color: theme.series[2], width: 2, type: 'dashed' },
      itemStyle: { color: theme.series[2] },
    });
  }
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
    tooltip: {
      trigger: 'axis',
      confine: true,
      formatter: (items: { dataIndex: number; seriesIndex: number; seriesName: string; marker: string; value: unknown }[]) => {
        const first = items[0];
        if (!first) return '';
        const p = points[first.dataIndex];
        const head = `${ticks[first.dataIndex]}${p?.partial === 'ongoing' && toDate ? ` ${toDate}` : ''}`;
        // The dashed stretch repeats the rate line's name: one row per name.
        const seen = new Set<string>();
        const rows = items
          .filter((it) => it.value !== null && it.value !== undefined && !seen.has(it.seriesName) && Boolean(seen.add(it.seriesName)))
          .map((it) => {
            const v = typeof it.value === 'object' && it.value !== null && 'value' in it.value ? (it.value as { value: unknown }).value : it.value;
            return `${it.marker}${it.seriesName} ${v}${it.seriesName === labels.onTimeRate ? percentSign(locale) : ''}`;
          });
        return [head, ...rows].join('<br/>');
      },
    },
    xAxis: {
      type: 'category',
      data: points.map((p, i) => (p.partial === 'ongoing' && toDate ? `${ticks[i]}\n${toDate}` : ticks[i])),
      axisLine: { lineStyle: { color: theme.axis } },
      axisTick: { show: false },
      // ECharts spaces the ticks to fit; the newest bucket (the partial one) is always labelled.
      axisLabel: { ...axisLabel, showMaxLabel: true },
    },
    yAxis: [
      { type: 'value', minInterval: 1, splitLine: { lineStyle: { color: theme.split } }, axisLabel },
      { type: 'value', min: 0, max: 100, splitLine: { show: false }, axisLabel: { ...axisLabel, formatter: `{value}${percentSign(locale)}` } },
    ],
    series,
  };
}
