/**
 * Number and date formatting and KPI change reading shared by KPI tiles, rankings, charts, lists and
 * timelines (workspace, big screen and planner). Pure: locale in, text out.
 */
import { isDay, shanghaiClock, type Day } from '../../server/domain/time';

/** How a value is printed. */
export type ValueKind = 'count' | 'rate' | 'hours' | 'score' | 'density' | 'decimal';

/** The percent sign as each language writes it: `78.5%` in Chinese, `78.5 %` (with a space) in English. */
export function percentSign(locale: string): string {
  return locale.startsWith('en') ? ' %' : '%';
}

/** Formats a KPI value; null (e.g. a rate with nothing due) prints as an em dash, never 0 %. */
export function formatValue(value: number | null | undefined, kind: ValueKind, locale = 'zh-CN'): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '—';
  switch (kind) {
    case 'count':
      return new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(value);
    case 'rate':
      return `${new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value * 100)}${percentSign(locale)}`;
    case 'hours':
    case 'score':
      return new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value);
    case 'density':
    case 'decimal':
      return new Intl.NumberFormat(locale, { maximumFractionDigits: value >= 100 ? 0 : value >= 10 ? 1 : 2 }).format(value);
  }
}

/** How a change is expressed: relative %, percentage points, or an absolute delta in the KPI's unit. */
export type ChangeUnit = 'pct' | 'pts' | 'abs';

/** Which way is good for a KPI; null when neither is (more reports may mean more patrols). */
export type Better = 'up' | 'down' | null;

/** A change ready to show: its text, its direction and whether that direction is good. */
export interface ChangeView {
  text: string;
  direction: 'up' | 'down' | 'flat' | 'none';
  /** true = good, false = bad, null = neutral or unknown. */
  good: boolean | null;
}

/** Reads a change from the API (`reportedPct`, `onTimeRatePts`, `scoreDelta` …) for display. */
export function changeView(delta: number | null | undefined, unit: ChangeUnit, better: Better, locale = 'zh-CN'): ChangeView {
  if (typeof delta !== 'number' || !Number.isFinite(delta)) return { text: '—', direction: 'none', good: null };
  // The direction is that of the number shown: a change printed as 0.0 is flat, never a red ▼ −0.0.
  const shown = (Math.sign(delta) * Math.round(Math.abs(delta) * 10)) / 10;
  const direction = shown > 0 ? 'up' : shown < 0 ? 'down' : 'flat';
  const abs = new Intl.NumberFormat(locale, { maximumFractionDigits: 1, minimumFractionDigits: unit === 'abs' ? 0 : 1 }).format(Math.abs(shown));
  const suffix = unit === 'pct' ? percentSign(locale) : unit === 'pts' ? (locale.startsWith('zh') ? '个百分点' : ' pts') : '';
  const sign = direction === 'up' ? '+' : direction === 'down' ? '−' : '±';
  const good = direction === 'flat' || better === null ? null : (direction === 'up') === (better === 'up');
  return { text: `${sign}${abs}${suffix}`, direction, good };
}

/** The KPIs a tile can show, with how they are printed and compared (keys of the API's `change`). */
export const KPI_DISPLAY = {
  reported: { kind: 'count', change: 'reportedPct', unit: 'pct', better: null },
  due: { kind: 'count', change: 'duePct', unit: 'pct', better: null },
  closed: { kind: 'count', change: 'closedPct', unit: 'pct', better: null },
  closureRate: { kind: 'rate', change: 'closureRatePts', unit: 'pts', better: 'up' },
  onTimeRate: { kind: 'rate', change: 'onTimeRatePts', unit: 'pts', better: 'up' },
  immediateRate: { kind: 'rate', change: 'immediateRatePts', unit: 'pts', better: 'up' },
  overdue: { kind: 'count', change: 'overduePct', unit: 'pct', better: 'down' },
  reworkRate: { kind: 'rate', change: 'reworkRatePts', unit: 'pts', better: 'down' },
  medianHours: { kind: 'hours', change: 'medianHoursDelta', unit: 'abs', better: 'down' },
  score: { kind: 'score', change: 'scoreDelta', unit: 'abs', better: 'up' },
  density: { kind: 'density', change: null, unit: 'abs', better: null },
} as const satisfies Record<string, { kind: ValueKind; change: string | null; unit: ChangeUnit; better: Better }>;

export type DisplayedKpi = keyof typeof KPI_DISPLAY;

const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** What of a date is shown: the whole day, the day without its year (the year is on screen elsewhere), or with the time to the minute. */
export type DateStyle = 'day' | 'dayShort' | 'minute' | 'minuteShort' | 'time';

/**
 * The one date format of each language, in Asia/Shanghai (the office's clock): Chinese as GB/T 7408
 * writes it (`2026-11-03`, `2026-11-03 10:05`, `11-03`), English as day, month, year
 * (`3 Nov 2026`, `3 Nov 2026, 10:05`, `3 Nov`). `at` is an instant (ISO text, epoch ms, Date) or a
 * calendar day `YYYY-MM-DD`; a missing or unreadable value prints as an em dash.
 */
export function formatDate(at: string | number | Date | null | undefined, style: DateStyle, locale = 'zh-CN'): string {
  if (at === null || at === undefined || at === '') return '—';
  let date: Day;
  let time = '';
  if (typeof at === 'string' && isDay(at)) date = at;
  else {
    const t = at instanceof Date ? at.getTime() : typeof at === 'number' ? at : Date.parse(at);
    if (!Number.isFinite(t)) return '—';
    const clock = shanghaiClock(t);
    date = clock.date;
    time = clock.time.slice(0, 5);
  }
  if (style === 'time') return time || '—';
  const [y, m, d] = date.split('-');
  const withTime = (style === 'minute' || style === 'minuteShort') && time;
  const short = style === 'dayShort' || style === 'minuteShort';
  if (!locale.startsWith('en')) return `${short ? `${m}-${d}` : date}${withTime ? ` ${time}` : ''}`;
  const day = `${Number(d)} ${MONTHS_EN[Number(m) - 1]}${short ? '' : ` ${y}`}`;
  return withTime ? `${day}${short ? '' : ','} ${time}` : day;
}
