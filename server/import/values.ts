/** Parsers for property values. Each returns `{ value }` or `{ error }` with a reason fit for a user. */
export type Parsed<T> = { value: T; error?: undefined } | { value?: undefined; error: string };

const SHANGHAI_OFFSET = '+08:00';
const ISO_LIKE = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Parses an ISO 8601-like timestamp to epoch milliseconds. Without an offset it means Asia/Shanghai
 * (DESIGN §6). Impossible calendar values (2024-02-30, 25:00) are errors, not silently rolled over.
 */
export function parseTimestamp(raw: unknown): Parsed<number> {
  if (raw instanceof Date) return Number.isFinite(raw.getTime()) ? { value: raw.getTime() } : { error: 'invalid date' };
  if (typeof raw !== 'string') return { error: `expected an ISO 8601 timestamp, got ${JSON.stringify(raw)}` };
  const m = ISO_LIKE.exec(raw.trim());
  if (!m) return { error: `"${raw}" is not an ISO 8601 timestamp` };
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  const parts = [Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s)];
  const [year, month, day, hour, minute, second] = parts;
  const probe = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  if (
    probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day ||
    probe.getUTCHours() !== hour || probe.getUTCMinutes() !== minute || probe.getUTCSeconds() !== second
  ) {
    return { error: `"${raw}" is not a valid date/time` };
  }
  const offset = zone ? (zone.toUpperCase() === 'Z' ? 'Z' : zone.replace(/^([+-]\d{2})(\d{2})$/, '$1:$2')) : SHANGHAI_OFFSET;
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const iso = `${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}${frac}${offset}`;
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return { error: `"${raw}" is not a valid date/time` };
  if (year < 1990 || year > 2100) return { error: `"${raw}" is outside 1990–2100` };
  return { value: ms };
}

const TRUE_WORDS = new Set(['true', '1', 'yes', 'y', 't', '是', '立行立改']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'n', 'f', '否', '限期整改']);

/** Parses a boolean written as true/false, 1/0, yes/no or 是/否. */
export function parseBoolean(raw: unknown): Parsed<boolean> {
  if (typeof raw === 'boolean') return { value: raw };
  const word = String(raw).trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return { value: true };
  if (FALSE_WORDS.has(word)) return { value: false };
  return { error: `"${raw}" is not a boolean (true/false, 1/0, 是/否)` };
}

/** Parses a finite number, optionally requiring an integer and a minimum. */
export function parseNumber(raw: unknown, opts: { integer?: boolean; min?: number } = {}): Parsed<number> {
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw.trim()) : NaN;
  if (!Number.isFinite(n)) return { error: `"${raw}" is not a number` };
  if (opts.integer && !Number.isInteger(n)) return { error: `${n} is not an integer` };
  if (opts.min !== undefined && n < opts.min) return { error: `${n} is below ${opts.min}` };
  return { value: n };
}

/** Ids and codes: strings or integers, trimmed; numbers keep their digits (no exponent, no ".0"). */
export function parseId(raw: unknown): Parsed<string> {
  if (typeof raw === 'number' && Number.isSafeInteger(raw)) return { value: String(raw) };
  if (typeof raw === 'string' && raw.trim() !== '') return { value: raw.trim() };
  return { error: `expected a string or integer id, got ${JSON.stringify(raw)}` };
}

/** Maps a value onto an enumeration through its synonyms (English codes and Chinese labels). */
export function parseEnum<T extends string>(raw: unknown, synonyms: Record<T, readonly string[]>): Parsed<T> {
  const word = String(raw).trim().toLowerCase();
  for (const [code, names] of Object.entries(synonyms) as [T, readonly string[]][]) {
    if (word === code || names.some((n) => n.toLowerCase() === word)) return { value: code };
  }
  return { error: `"${raw}" is not one of ${Object.keys(synonyms).join(', ')}` };
}
