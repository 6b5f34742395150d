/** Text of the planner's numbers and days. Pure. */
import { shanghaiDate } from '../../server/domain/time';

/**
 * The metrics window as the form shows it: first and last day (Asia/Shanghai). The answer's `to`
 * is the exclusive end, the midnight after the last day.
 */
export function windowDays(w: { from: string | Date; to: string | Date }): { from: string; to: string } {
  return { from: shanghaiDate(new Date(w.from)), to: shanghaiDate(new Date(w.to).getTime() - 1) };
}

/** An area for people: m² below 0.01 km² (slivers, gaps), km² above. */
export function formatArea(km2: number | null | undefined, locale = 'zh-CN'): string {
  if (typeof km2 !== 'number' || !Number.isFinite(km2)) return '—';
  if (km2 < 0.01) return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(km2 * 1e6)} m²`;
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 3 }).format(km2)} km²`;
}

/**
 * The names the server records as the author of work done by an import run rather than a signed-in
 * person: `cli` (the command line) and `import` (first plans written by earlier versions).
 */
const IMPORT_AUTHORS = new Set(['cli', 'import']);

/** Who made a plan or a change, for people: the user's name, or `imported` for an import run. */
export function authorText(author: string, imported: string): string {
  return IMPORT_AUTHORS.has(author) ? imported : author;
}
