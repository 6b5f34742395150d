/**
 * Chart colours from CSS variables, so one chart option builder serves the light workspace and
 * the dark big screen. Variables (with light defaults): --cg-chart-text, --cg-chart-axis,
 * --cg-chart-split, --cg-chart-1 … --cg-chart-4, --cg-chart-font.
 */

/** Resolved chart colours. */
export interface ChartTheme {
  text: string;
  axis: string;
  split: string;
  series: string[];
  font: string;
}

/** Light defaults (the workspace). */
export const DEFAULT_CHART_THEME: ChartTheme = {
  text: '#475467',
  axis: '#98a2b3',
  split: '#eaecf0',
  series: ['#2563eb', '#f59e0b', '#16a34a', '#dc2626'],
  font: 'system-ui, sans-serif',
};

/**
 * The theme as an element sees it; `read` is `getComputedStyle(el).getPropertyValue` (injected so
 * this stays testable without a DOM). Unset variables keep the defaults.
 */
export function chartThemeFrom(read: (name: string) => string): ChartTheme {
  const v = (name: string, fallback: string) => read(name).trim() || fallback;
  return {
    text: v('--cg-chart-text', DEFAULT_CHART_THEME.text),
    axis: v('--cg-chart-axis', DEFAULT_CHART_THEME.axis),
    split: v('--cg-chart-split', DEFAULT_CHART_THEME.split),
    series: DEFAULT_CHART_THEME.series.map((c, i) => v(`--cg-chart-${i + 1}`, c)),
    font: v('--cg-chart-font', v('--cg-font', DEFAULT_CHART_THEME.font)),
  };
}
