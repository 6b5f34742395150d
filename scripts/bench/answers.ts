/**
 * What a right answer of each measured route looks like. The bench times answers, so a route
 * that answers quickly but wrongly (an error, an empty list where the data has rows) must not
 * pass as a figure. The subjects are chosen non-empty (the busiest street and market of the
 * period, see context.ts), so every answer checked here has data.
 */

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const nonEmpty = (v: unknown) => Array.isArray(v) && v.length > 0;
const positive = (v: unknown) => typeof v === 'number' && v > 0;
const reported = (v: unknown) => (isObject(v) && isObject(v.kpis) ? v.kpis.reported : undefined);

/** Per route: a check of the answer's body, and what it means in words for the table. */
const CHECKS: Record<string, { ok: (body: Json) => boolean; expected: string }> = {
  '/api/stats/summary': { ok: (b) => positive(reported(b)), expected: 'kpis.reported > 0' },
  '/api/stats/timeseries': {
    ok: (b) => nonEmpty(b.buckets) && (b.buckets as unknown[]).some((x) => positive(reported(x))),
    expected: 'buckets with reports',
  },
  '/api/stats/breakdown': {
    ok: (b) => nonEmpty(b.rows) && (b.rows as unknown[]).some((r) => positive(reported(r))) && isObject(b.total) && positive(b.total.reported),
    expected: 'rows and a total with reports',
  },
  '/api/stats/ranking': { ok: (b) => nonEmpty(b.red) && nonEmpty(b.black), expected: 'red and black lists' },
  '/api/grids': { ok: (b) => b.type === 'FeatureCollection' && nonEmpty(b.features), expected: 'a FeatureCollection of grids' },
  '/api/grids/values': {
    ok: (b) => typeof b.version === 'string' && isObject(b.values) && nonEmpty(b.values.reported) && (b.values.reported as unknown[]).some(positive),
    expected: 'reported values per grid, some > 0',
  },
  '/api/heat': { ok: (b) => positive(b.total) && nonEmpty(b.count), expected: 'bins with a total > 0' },
  '/api/issues': { ok: (b) => nonEmpty(b.items), expected: 'a page of issues' },
  '/api/stats/frames': {
    ok: (b) => nonEmpty(b.frames) && nonEmpty(b.units) && isObject(b.totals) && (b.totals.reported as unknown[]).some(positive),
    expected: 'frames and units with reports',
  },
  '/api/heat/frames': { ok: (b) => nonEmpty(b.frames) && nonEmpty(b.x) && positive(b.max), expected: 'bins in some frame' },
};

/** Why a 2xx answer to `path` is not a plausible one, or null when it is. */
export function implausibleAnswer(path: string, text: string): string | null {
  const route = path.split('?')[0];
  const check = CHECKS[route];
  if (!check) return `no answer check for ${route}`;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return `${route}: not JSON`;
  }
  return isObject(body) && check.ok(body) ? null : `${route}: expected ${check.expected}`;
}
