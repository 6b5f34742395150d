/** Parses token lifetimes as people type them: `90d`, `12h`, `2w`, or an ISO date/time. */
import { DAY, HOUR, withShanghaiZone } from '../domain/time.ts';

const UNITS: Record<string, number> = { m: 60_000, h: HOUR, d: DAY, w: 7 * DAY, y: 365 * DAY };

/**
 * The expiry instant for `text` relative to `now`: a duration (`30m`, `12h`, `90d`, `2w`, `1y`)
 * or an absolute ISO 8601 date/time in the future. Throws with a readable message otherwise.
 */
export function parseExpiry(text: string, now: Date): Date {
  const t = text.trim();
  const m = /^(\d{1,5})\s*([mhdwy])$/i.exec(t);
  if (m) {
    const ms = Number(m[1]) * UNITS[m[2]!.toLowerCase()]!;
    if (ms <= 0) throw new Error(`expiry ${text} must be longer than zero`);
    return new Date(now.getTime() + ms);
  }
  const iso = withShanghaiZone(t);
  const at = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(iso) ? new Date(iso) : new Date(Number.NaN);
  if (Number.isNaN(at.getTime())) throw new Error(`expiry ${text} is neither a duration like 90d/12h/2w nor an ISO date`);
  if (at.getTime() <= now.getTime()) throw new Error(`expiry ${text} is in the past`);
  return at;
}
