/**
 * The map key as data: what the on-screen legend shows and what the exported PNG draws, from the
 * same scale object that colours the grids. Pure: scale, layers and words in, rows out.
 */
import { formatValue, percentSign } from '../components/format';
import { SITE_GRADES, type SiteGrade } from '../../server/domain/site-status';
import { HEAT_PALETTE, legendClasses, METRIC_SPECS, NO_DATA_COLOUR, SITE_GRADE_COLOURS, STATUS_COLOURS, type ChoroplethMetric, type ClassedScale } from '../map/layers/colours';

/** One swatch of a legend row. */
export interface LegendItem {
  colour: string;
  text: string;
}

/** One legend row: the layer's name and its swatches, or a colour ramp between two words. */
export interface LegendRow {
  layer: 'grids' | 'sites' | 'issues' | 'heat';
  name: string;
  items: LegendItem[];
  ramp?: { colours: readonly string[]; low: string; high: string };
}

/**
 * The choropleth's classes as swatches: `<10`, `10+` …; rates as whole percent (the breaks are).
 * A count class below 1 is the zero class (class-breaks.ts): "0" says it, "<1" makes people think.
 */
export function choroplethItems(scale: ClassedScale, metric: ChoroplethMetric, locale: string): LegendItem[] {
  const kind = METRIC_SPECS[metric].kind;
  const percent = percentSign(locale);
  const fmt = (v: number | null) =>
    v === null ? '' : kind === 'rate' ? `${Math.round(v * 100)}${percent}` : formatValue(v, kind === 'score' ? 'decimal' : kind, locale);
  const below = (to: number | null) => (kind === 'count' && to === 1 ? '0' : `<${fmt(to)}`);
  return legendClasses(scale).map((c) => ({ colour: c.colour, text: c.from === null ? below(c.to) : `${fmt(c.from)}+` }));
}

/** Words the legend needs, translated by the caller. */
export interface LegendWords {
  metric: string;
  noData: string;
  sites: string;
  issues: string;
  heat: string;
  heatLow: string;
  heatHigh: string;
  siteStatus: Record<SiteGrade, string>;
  issueState: Record<keyof typeof STATUS_COLOURS, string>;
}

/** The rows of the layers that are on, in the legend's order. */
export function legendRows(
  on: (layer: 'grids' | 'sites' | 'issues' | 'heat') => boolean,
  scale: ClassedScale | null,
  metric: ChoroplethMetric,
  words: LegendWords,
  locale: string,
): LegendRow[] {
  const rows: LegendRow[] = [];
  const statuses = (['ok', 'open', 'overdue'] as const);
  if (on('grids') && scale) {
    rows.push({ layer: 'grids', name: words.metric, items: [...choroplethItems(scale, metric, locale), { colour: NO_DATA_COLOUR, text: words.noData }] });
  }
  // Red first, as the markers are drawn.
  if (on('sites')) rows.push({ layer: 'sites', name: words.sites, items: [...SITE_GRADES].reverse().map((g) => ({ colour: SITE_GRADE_COLOURS[g], text: words.siteStatus[g] })) });
  if (on('issues')) rows.push({ layer: 'issues', name: words.issues, items: statuses.map((s) => ({ colour: STATUS_COLOURS[s], text: words.issueState[s] })) });
  if (on('heat')) rows.push({ layer: 'heat', name: words.heat, items: [], ramp: { colours: HEAT_PALETTE, low: words.heatLow, high: words.heatHigh } });
  return rows;
}
