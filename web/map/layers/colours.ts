/**
 * Colours and classed scales shared by the map layers, the legend and the big screen. Pure: no
 * Vue, DOM or deck.gl, so the same numbers colour the map and explain it in the legend.
 */
import type { SiteGrade } from '../../../server/domain/site-status';
import { classBreaks, classColourIndexes } from './class-breaks';

/** deck.gl colour: [r, g, b] or [r, g, b, a], channels 0–255. */
export type Rgba = [number, number, number, number];

/** `#rrggbb` → `[r, g, b, alpha]`. */
export function hexToRgba(hex: string, alpha = 255): Rgba {
  const n = Number.parseInt(hex.replace('#', ''), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255, alpha];
}

/** The grid choropleth metrics (API property names of `/api/grids`). */
export const CHOROPLETH_METRICS = ['reported', 'overdue', 'onTimeRate', 'density', 'score'] as const;
export type ChoroplethMetric = (typeof CHOROPLETH_METRICS)[number];

/** How a metric is read: whether more is better (it picks the palette) and how to print a value. */
export interface MetricSpec {
  /** True for rates and scores: low values are the problem and get the warm colours. */
  higherIsBetter: boolean;
  kind: 'count' | 'rate' | 'density' | 'score';
}

/** Reading of each choropleth metric. */
export const METRIC_SPECS: Record<ChoroplethMetric, MetricSpec> = {
  reported: { higherIsBetter: false, kind: 'count' },
  overdue: { higherIsBetter: false, kind: 'count' },
  onTimeRate: { higherIsBetter: true, kind: 'rate' },
  density: { higherIsBetter: false, kind: 'density' },
  score: { higherIsBetter: true, kind: 'score' },
};

/**
 * Five classes from calm to alarming (ColorBrewer YlOrRd, readable for red–green colour blindness
 * because it runs light → dark). A "better" metric uses it reversed, so red always means "look here".
 */
export const ALARM_PALETTE = ['#ffffb2', '#fecc5c', '#fd8d3c', '#f03b20', '#bd0026'] as const;

/** Fill of a unit without a value (e.g. an on-time rate with nothing due). */
export const NO_DATA_COLOUR = '#c9ced6';

/** Marker colours of issues: finished / open / overdue. */
export const STATUS_COLOURS = { ok: '#16a34a', open: '#f59e0b', overdue: '#dc2626' } as const;
export type IssueMarkerState = keyof typeof STATUS_COLOURS;

/** Key-site status colours, 红黄绿灯 (server/domain/site-status.ts), in the issues' hues. */
export const SITE_GRADE_COLOURS: Readonly<Record<SiteGrade, string>> = { green: '#16a34a', amber: '#f59e0b', red: '#dc2626' };

/** The heat ramp, transparent-ish blue through to red. */
export const HEAT_PALETTE = ['#2c7bb6', '#00a6ca', '#90eb9d', '#f9d057', '#f29e2e', '#d7191c'] as const;

/** A classed colour scale: `breaks[i]` is the lower bound of class i+1; values below breaks[0] are class 0. */
export interface ClassedScale {
  metric: ChoroplethMetric;
  breaks: number[];
  colours: string[];
}

/**
 * The scale for a metric over the given values (one period's), with the palette oriented so red
 * means "bad"; breaks and colour steps follow class-breaks.ts.
 */
export function classedScale(metric: ChoroplethMetric, values: readonly (number | null | undefined)[]): ClassedScale {
  const spec = METRIC_SPECS[metric];
  const breaks = classBreaks(values, spec.kind);
  const palette = spec.higherIsBetter ? [...ALARM_PALETTE].reverse() : [...ALARM_PALETTE];
  const colours = classColourIndexes(breaks.length + 1, palette.length, spec.kind).map((i) => palette[i]);
  return { metric, breaks, colours };
}

/** Class index of a value (0-based), or -1 for no value. */
export function classOf(scale: ClassedScale, value: number | null | undefined): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return -1;
  let i = 0;
  while (i < scale.breaks.length && value >= scale.breaks[i]) i++;
  return i;
}

/** Fill colour of a value on the scale; the no-data grey for null. */
export function colourOf(scale: ClassedScale, value: number | null | undefined, alpha = 255): Rgba {
  return hexToRgba(classColour(scale, value), alpha);
}

/** The hex colour of a value's class on the scale; the no-data grey when it has none. */
export function classColour(scale: ClassedScale, value: number | null | undefined): string {
  const i = classOf(scale, value);
  return i < 0 ? NO_DATA_COLOUR : scale.colours[i];
}

/** One legend row: colour and the value range it stands for (`to` null = open-ended). */
export interface LegendClass {
  colour: string;
  from: number | null;
  to: number | null;
}

/** The scale as legend rows, lowest class first. */
export function legendClasses(scale: ClassedScale): LegendClass[] {
  return scale.colours.map((colour, i) => ({
    colour,
    from: i === 0 ? null : scale.breaks[i - 1],
    to: i < scale.breaks.length ? scale.breaks[i] : null,
  }));
}
