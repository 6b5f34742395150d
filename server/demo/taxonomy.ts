/**
 * The demo's problem taxonomy (data/taxonomy.json): 大类 with 2-digit codes and 小类 with 4-digit
 * codes, each 小类 with its time limit. The file is already in the canonical categories format
 * (README's *Properties*), so it can be imported as is.
 */
import { readFileSync } from 'node:fs';

export type LimitUnit = 'work_hours' | 'work_days' | 'hours' | 'days';

/** One category row, exactly as written to categories.json. */
export interface Category {
  code: string;
  parent: string | null;
  kind: 'component' | 'event';
  name: string;
  /** The English UI's name. */
  name_en: string;
  limit: number | null;
  limit_unit: LimitUnit | null;
}

const UNITS: readonly string[] = ['work_hours', 'work_days', 'hours', 'days'];

/**
 * Checks the shape rules the generator relies on: 大类 are 2 digits without parent or limit,
 * 小类 are their parent's code plus 2 digits, share its kind and carry a positive limit.
 * Throws with every problem listed.
 */
export function validateTaxonomy(rows: readonly Category[]): void {
  const problems: string[] = [];
  const majors = new Map(rows.filter((r) => r.parent === null).map((r) => [r.code, r]));
  const seen = new Set<string>();
  for (const r of rows) {
    if (seen.has(r.code)) problems.push(`${r.code}: duplicate code`);
    seen.add(r.code);
    if (r.kind !== 'component' && r.kind !== 'event') problems.push(`${r.code}: bad kind ${r.kind}`);
    if (!r.name_en?.trim()) problems.push(`${r.code}: needs an English name (name_en)`);
    if (r.parent === null) {
      if (!/^\d{2}$/.test(r.code)) problems.push(`${r.code}: 大类 code must be 2 digits`);
      continue;
    }
    const major = majors.get(r.parent);
    if (!major) problems.push(`${r.code}: unknown parent ${r.parent}`);
    else if (major.kind !== r.kind) problems.push(`${r.code}: kind differs from its 大类`);
    if (!new RegExp(`^${r.parent}\\d{2}$`).test(r.code)) problems.push(`${r.code}: 小类 code must be parent + 2 digits`);
    if (!(typeof r.limit === 'number' && r.limit > 0) || !UNITS.includes(r.limit_unit ?? '')) problems.push(`${r.code}: needs a positive limit and a limit_unit`);
  }
  if (problems.length) throw new Error(`invalid taxonomy:\n${problems.join('\n')}`);
}

/** Reads and validates data/taxonomy.json. */
export function loadTaxonomy(): Category[] {
  const rows = JSON.parse(readFileSync(new URL('../../data/taxonomy.json', import.meta.url), 'utf8')) as Category[];
  validateTaxonomy(rows);
  return rows;
}
