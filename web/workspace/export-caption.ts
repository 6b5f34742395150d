/**
 * The lines under the title of an exported map image: the period, every active filter by name,
 * the coloured metric and when the image was made — so a PNG in a report says what it shows.
 * Pure: state, names and words in, lines out.
 */
import type { DayRange } from '../../server/domain/periods';
import { formatDate } from '../components/format';
import type { FilterState } from '../stores/filters';

/** More names than this in one filter are summarised as "+N". */
const MAX_NAMES = 6;

/** Words of the caption, translated by the caller; `{v}` is replaced by the value. */
export interface CaptionWords {
  period: string;
  range: (from: string, to: string) => string;
  filter: Record<'categories' | 'sources' | 'statuses' | 'siteTypes', string>;
  noFilter: string;
  metric: string | null;
  exportedAt: string;
  separator: string;
  more: (n: number) => string;
}

/** Name lookups for the filter values. */
export interface CaptionNames {
  categories: (code: string) => string;
  sources: (code: string) => string;
  statuses: (code: string) => string;
  siteTypes: (code: string) => string;
}

/** The caption lines of a map export made at `exportedAt` (epoch ms). */
export function exportCaptionLines(
  period: DayRange,
  state: Pick<FilterState, 'categories' | 'sources' | 'statuses' | 'siteTypes'>,
  words: CaptionWords,
  names: CaptionNames,
  exportedAt: number,
  locale: string,
): string[] {
  const fill = (template: string, v: string) => template.replace('{v}', v);
  const lines = [fill(words.period, words.range(formatDate(period.from, 'day', locale), formatDate(period.to, 'day', locale)))];
  const keys = ['categories', 'sources', 'statuses', 'siteTypes'] as const;
  for (const key of keys) {
    const codes = state[key];
    if (!codes.length) continue;
    const shown = codes.slice(0, MAX_NAMES).map(names[key]).join(words.separator);
    lines.push(fill(words.filter[key], codes.length > MAX_NAMES ? `${shown}${words.more(codes.length - MAX_NAMES)}` : shown));
  }
  if (keys.every((k) => !state[k].length)) lines.push(words.noFilter);
  if (words.metric) lines.push(words.metric);
  lines.push(fill(words.exportedAt, formatDate(exportedAt, 'minute', locale)));
  return lines;
}
