/**
 * Plain-text tables and number formatting for the benchmark report. Pure.
 */

/** A cell: text, a number (formatted by the column), or null for "n/a". */
export type Cell = string | number | null;

/** Column alignment: numbers read best right-aligned. */
export type Align = 'left' | 'right';

/**
 * Display width in a terminal: CJK and full-width characters take two columns, so Chinese street
 * names do not push the columns out of line.
 */
export function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    w += (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6) ? 2 : 1;
  }
  return w;
}

function pad(text: string, width: number, align: Align): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return align === 'right' ? fill + text : text + fill;
}

/**
 * Renders rows under a header with a rule, columns separated by two spaces; null cells print as
 * `n/a`. `align` defaults to left for the first column and right for the others.
 */
export function formatTable(header: readonly string[], rows: readonly (readonly Cell[])[], align?: readonly Align[]): string {
  const text = rows.map((r) => header.map((_, i) => cellText(r[i])));
  const widths = header.map((h, i) => Math.max(displayWidth(h), ...text.map((r) => displayWidth(r[i]))));
  const alignOf = (i: number): Align => align?.[i] ?? (i === 0 ? 'left' : 'right');
  const line = (cells: readonly string[]) => cells.map((c, i) => pad(c, widths[i], alignOf(i))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...text.map(line)].join('\n');
}

function cellText(c: Cell | undefined): string {
  if (c === null || c === undefined) return 'n/a';
  if (typeof c === 'number') return Number.isFinite(c) ? formatNumber(c) : 'n/a';
  return c;
}

/** A number with sensible precision: 3 significant digits below 100, thousands separators above. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return 'n/a';
  const a = Math.abs(v);
  if (a >= 100 || Number.isInteger(v)) return Math.round(v).toLocaleString('en-US');
  if (a >= 10) return v.toFixed(1);
  if (a >= 1) return v.toFixed(2);
  if (a === 0) return '0';
  return v.toPrecision(2);
}

/** Milliseconds, or n/a. */
export function ms(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? 'n/a' : `${formatNumber(v)} ms`;
}

/** A rate per second with k/M suffixes: `1.23 M/s`. */
export function rate(v: number | null | undefined, unit = ''): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return 'n/a';
  const suffix = unit ? ` ${unit}/s` : '/s';
  if (v >= 1e6) return `${(v / 1e6).toFixed(2)} M${suffix}`;
  if (v >= 1e3) return `${(v / 1e3).toFixed(1)} k${suffix}`;
  return `${v.toFixed(0)}${suffix}`;
}

/** Bytes as KB/MB with one decimal. */
export function bytes(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return 'n/a';
  if (v >= 1024 * 1024) return `${(v / 1024 / 1024).toFixed(1)} MB`;
  if (v >= 1024) return `${(v / 1024).toFixed(1)} KB`;
  return `${v} B`;
}

/** A civgrid/PostGIS ratio as `0.12 (8.3× faster)`; n/a when either side is missing. */
export function ratioText(r: number | null | undefined): string {
  if (r === null || r === undefined || !Number.isFinite(r)) return 'n/a';
  const speed = r <= 1 ? `${formatNumber(1 / r)}× faster` : `${formatNumber(r)}× slower`;
  return `${r.toFixed(r < 0.01 ? 4 : 3)} (${speed})`;
}
