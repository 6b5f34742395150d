/**
 * Display names of coded things — categories, site types, statuses, sources — in the UI's language.
 * English names come from `/api/meta` (site types always have one; a category has one when its
 * file gave it); a category without one shows its Chinese name with its code, so an English reader
 * can still quote it. Pure: tables and locale in, text out.
 */

/** A coded thing with its Chinese and (maybe) English name. */
export interface Named {
  code: string;
  name: string;
  nameEn?: string | null;
  children?: readonly Named[];
}

/** Codes to names, built once from `/api/meta`. */
export type NameTable = ReadonlyMap<string, Named>;

/** Indexes a list or tree of named things by code (children included). */
export function nameTable(items: readonly Named[] | null | undefined): NameTable {
  const out = new Map<string, Named>();
  const walk = (list: readonly Named[]) => {
    for (const item of list) {
      out.set(item.code, item);
      if (item.children) walk(item.children);
    }
  };
  walk(items ?? []);
  return out;
}

/**
 * The name of `code` in `locale`: the English name when there is one; in English without one, the
 * Chinese name followed by the code (`乱涂写 (0202)`); an unknown code prints as itself.
 */
export function displayName(table: NameTable, code: string | null | undefined, locale: string, fallback?: string | null): string {
  if (!code) return fallback ?? '—';
  const item = table.get(code);
  if (!item) return fallback ?? code;
  if (!locale.startsWith('en')) return item.name;
  return item.nameEn?.trim() || `${item.name} (${code})`;
}

/**
 * Departments' short names by code (城管局 for 官渡区城市管理局), the full name where none is given:
 * lists and the wall name departments short so their figures stay in view.
 */
export function departmentShortNames(departments: readonly { code: string; name: string; shortName?: string | null }[] | null | undefined): Map<string, string> {
  return new Map((departments ?? []).map((d) => [d.code, d.shortName?.trim() || d.name]));
}

/**
 * A department as a ranking list names it: short, and after its district's name when the list
 * holds several districts' departments — a city's, where 五华区城管局 and 官渡区城管局 are both 城管局.
 */
export function departmentListName(
  shortNames: ReadonlyMap<string, string> | undefined, entry: { code: string; name: string; parent?: { name: string } | null }, scopeLevel: string | undefined,
): string {
  const short = shortNames?.get(entry.code) ?? entry.name;
  const district = entry.parent?.name;
  return scopeLevel === 'city' && district && !short.startsWith(district) ? `${district}${short}` : short;
}
