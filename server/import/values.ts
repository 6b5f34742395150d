/**
 * Parsers for property values. Each returns `{ value }` or `{ error }` with a reason fit for a user;
 * timestamps are parsed by the kernel's `parseTimestamp` (server/domain/time.ts).
 */
export type Parsed<T> = { value: T; error?: undefined } | { value?: undefined; error: string };

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
