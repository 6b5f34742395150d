/**
 * ECharts options for the wall. Shared option builders (web/components/charts) are sized for a
 * desk; `scaleChartOption` enlarges an option's text and marks for a wall, and `ringOption` is the
 * screen's donut (source mix, 立行立改 vs 限期整改). Pure: options in, options out.
 */
import type { ChartTheme } from '../components/charts/theme';

/** Option keys whose numbers are pixel sizes. */
const SIZE_KEYS = new Set(['fontSize', 'itemWidth', 'itemHeight', 'itemGap', 'barMaxWidth', 'barWidth', 'symbolSize', 'width', 'borderWidth', 'lineHeight', 'padding']);
/** Keys whose numbers are pixel offsets inside a `grid`. */
const GRID_KEYS = new Set(['left', 'right', 'top', 'bottom']);

/**
 * A copy of `option` with every pixel size multiplied by `factor` (1 = unchanged): font sizes,
 * legend marks, bar widths, line widths, grid margins. Percent strings and colours are untouched.
 */
export function scaleChartOption<T>(option: T, factor: number, key = ''): T {
  if (Array.isArray(option)) {
    // `padding: [4, 8]` and `borderRadius`-style arrays: scale numbers only for size keys.
    return option.map((v) => (typeof v === 'number' ? (SIZE_KEYS.has(key) ? v * factor : v) : scaleChartOption(v, factor, key))) as T;
  }
  if (typeof option !== 'object' || option === null) return option;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(option)) {
    if (typeof v === 'number' && (SIZE_KEYS.has(k) || (key === 'grid' && GRID_KEYS.has(k)))) out[k] = v * factor;
    else out[k] = scaleChartOption(v, factor, k);
  }
  return out as T;
}

/** Smallest chart text on a 1080-px-high wall, in px: legible from the back of a command centre. */
export const WALL_MIN_FONT_PX = 18;

/** A copy of `option` with every `fontSize` raised to at least `minPx`. */
export function withMinFontSize<T>(option: T, minPx: number): T {
  if (Array.isArray(option)) return option.map((v) => withMinFontSize(v, minPx)) as T;
  if (typeof option !== 'object' || option === null) return option;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(option)) out[k] = k === 'fontSize' && typeof v === 'number' ? Math.max(v, minPx) : withMinFontSize(v, minPx);
  return out as T;
}

/**
 * A desk chart option made for the wall: sizes scaled by `factor` × the wall's scale (1 at 1080 px
 * high, 2 at 2160) and no text under {@link WALL_MIN_FONT_PX} × the wall's scale.
 */
export function wallChartOption<T>(option: T, factor: number, wall: number): T {
  return withMinFontSize(scaleChartOption(option, factor * wall), WALL_MIN_FONT_PX * wall);
}

/** One slice of a donut. */
export interface RingSlice {
  name: string;
  value: number;
  colour: string;
}

/**
 * A donut without labels or legend — the panel prints names and numbers beside it in HTML, which
 * stays crisp and never collides — with an optional big number in the hole.
 */
export function ringOption(slices: readonly RingSlice[], theme: ChartTheme, centre: { value: string; label: string } | null): Record<string, unknown> {
  return {
    animation: false,
    textStyle: { fontFamily: theme.font },
    title: centre
      ? {
        text: centre.value, subtext: centre.label, left: 'center', top: 'center', itemGap: 2,
        // The number in the accent colour, its name in the muted text colour: read first, then explained.
        textStyle: { color: theme.series[0], fontSize: 22, fontWeight: 700 },
        subtextStyle: { color: theme.text, fontSize: 12 },
      }
      : undefined,
    series: [
      {
        type: 'pie',
        radius: ['70%', '94%'],
        center: ['50%', '50%'],
        silent: true,
        label: { show: false },
        labelLine: { show: false },
        itemStyle: { borderColor: 'rgba(0,0,0,0.35)', borderWidth: 2 },
        data: slices.map((s) => ({ name: s.name, value: s.value, itemStyle: { color: s.colour } })),
      },
    ],
  };
}
