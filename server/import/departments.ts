/**
 * How imports name a department (责任单位, 处置单位): by its code, its name or its short name, as
 * office exports do. One resolver for every kind that names one (issues, categories, sites), so a
 * name that finds a department in one file finds it in all; and, when the import is allowed to
 * (`--create-departments`), the departments a file names that do not exist yet.
 */
import { createHash } from 'node:crypto';
import type { Session } from '../db/database.ts';
import { districtOfDepartment } from '../domain/department-district.ts';
import type { ImportContext } from './kind.ts';

/** A department code as scopes and filters spell it (`department:CODE`). */
export const DEPARTMENT_CODE = /^[\w.\-]{1,64}$/;

/** Most departments one import may create: a file naming more is almost surely a wrong column. */
export const MAX_CREATED_DEPARTMENTS = 500;

/** What the resolver says about one name: the code it means, or why it means none. */
export type DepartmentLookup = { code: string; created: boolean } | { error: string };

/** The code a new department gets: the text itself when it is a valid code, else a stable one derived from the name. */
function codeFor(text: string): string {
  return DEPARTMENT_CODE.test(text) ? text : `D${createHash('sha1').update(text).digest('hex').slice(0, 10)}`;
}

export class DepartmentResolver {
  /** Code by code, name and short name. */
  private readonly known = new Map<string, string>();
  /** Codes by short name, and the district of each department (department-district.ts). */
  private readonly byShort = new Map<string, string[]>();

  private readonly districtOf = new Map<string, string | null>();
  /** Departments this import will create, code → name, in the order first named. */
  readonly created = new Map<string, string>();

  private constructor(private readonly create: boolean) {}

  /** The departments in the database; `create`: names it does not know become new departments. */
  static async load(session: Session, create: boolean): Promise<DepartmentResolver> {
    const r = new DepartmentResolver(create);
    const rows = await session.all<{ code: string; name: string; short_name: string | null }>('SELECT code, name, short_name FROM departments');
    // Codes win over names: a name equal to another department's code must not hide that code.
    for (const d of rows) {
      if (d.short_name) r.known.set(d.short_name, d.code);
      r.known.set(d.name, d.code);
    }
    for (const d of rows) r.known.set(d.code, d.code);
    const districts = await session.all<{ code: string; name: string }>(`SELECT code, name FROM regions WHERE level = 'district'`);
    for (const d of rows) {
      r.districtOf.set(d.code, districtOfDepartment(d.name, districts));
      if (!d.short_name) continue;
      r.byShort.set(d.short_name, [...(r.byShort.get(d.short_name) ?? []), d.code]);
    }
    return r;
  }

  /** The department a text names (code, name or short name). */
  resolve(raw: unknown): DepartmentLookup {
    const text = String(raw).trim();
    const code = this.known.get(text);
    if (code !== undefined) return { code, created: false };
    if (!this.create) {
      return { error: `department "${text}" is neither the code, the name nor the short name of a department; import departments first, or import with --create-departments (HTTP: createDepartments=1)` };
    }
    const made = codeFor(text);
    if (!this.created.has(made) && this.created.size >= MAX_CREATED_DEPARTMENTS) {
      return { error: `the file names more than ${MAX_CREATED_DEPARTMENTS} unknown departments; import departments first` };
    }
    this.created.set(made, text);
    this.known.set(text, made);
    return { code: made, created: true };
  }

  /**
   * (from, district, to): the department `to` of `district` stands for `from` in an issue of that
   * district, when departments of several districts share a short name (each district's 城管局):
   * a category's default and a file's department name the kind of unit, each district has its own.
   */
  districtRemaps(): [string, string, string][] {
    const out: [string, string, string][] = [];
    for (const codes of this.byShort.values()) {
      if (codes.length < 2) continue;
      for (const to of codes) {
        const district = this.districtOf.get(to);
        if (!district) continue;
        for (const from of codes) if (from !== to && this.districtOf.get(from) !== district) out.push([from, district, to]);
      }
    }
    return out;
  }

  /** Inserts the departments this import named first, and says so in the report's warnings. Call inside the merge. */
  async insertCreated(ctx: ImportContext): Promise<void> {
    for (const [code, name] of this.created) {
      await ctx.session.run(
        `INSERT INTO departments (code, name, kind, parent_level) VALUES ($code, $name, 'department', 'district') ON CONFLICT DO NOTHING`,
        { code, name },
      );
      ctx.warnings.add({ field: 'department', id: code, code: 'department_created', reason: `created department ${code} "${name}" (kind department, district level): check and complete it with a departments import` });
    }
  }
}
