import { listValue } from '@duckdb/node-api';
import type { Session } from '../../db/database.ts';
import type { Point } from 'geojson';
import { workCalendar } from '../../calendar.ts';
import { addTimeLimit } from '../../domain/deadline.ts';
import { issueCategoryProblem, type CategoryNode } from '../../domain/taxonomy.ts';
import { parseTimestamp } from '../../domain/time.ts';
import { ISSUE_SOURCES, ISSUE_STATUSES, type LimitUnit } from '../../domain/vocabulary.ts';
import { issueTimeProblems, type EventTime, type IssueTimes } from '../../domain/workflow.ts';
import { Assigner } from '../assignment.ts';
import { DepartmentResolver } from '../departments.ts';
import { countExisting, type FieldReporter, type KindHandler } from '../kind.ts';
import { parseBoolean, parseEnum, parseId, parseNumber } from '../values.ts';
import { PUBLISHED_GRIDS } from '../../queries/published-grids.ts';
import { timed } from '../timing.ts';
import { issueTimesOkSql, sqlText } from '../bulk/sql.ts';

/**
 * One field's rule of an issue record: the value to store, or a call of `fail` (then the value is
 * meaningless). `raw` is the mapped property, undefined when the record leaves it empty.
 */
type FieldCheck<T> = (raw: unknown, fail: FieldReporter) => T | undefined;
type IssueFieldChecks<C> = {
  category: FieldCheck<C>; source: FieldCheck<string>; status: FieldCheck<string>; immediate: FieldCheck<boolean>;
  rework_count: FieldCheck<number>; department: FieldCheck<string>;
};

/** Fields whose few distinct values the bulk path checks once each, with the same rules as a record. */
export type IssueLookupField = keyof IssueFieldChecks<unknown>;

/**
 * The rules of {@link issuesHandler} for the bulk path (server/import/bulk.ts): the same checks,
 * applied to a column's distinct values and, over column vectors, to times and points.
 * Valid after `prepare`.
 */
export type IssueBulkRules = {
  /** The stored value of one distinct raw value (undefined: the field is empty), or null when a record holding it is refused. */
  check(field: IssueLookupField, raw: string | undefined): { value: string | number | boolean | null } | null;
  fields: IssueFieldChecks<{ code: string }>;
  /** The department an issue of this category goes to when the record names none. */
  categoryDepartment(code: string): string | null;
  /**
   * The time rules of a record as an SQL condition (true: it breaks none): `ms` names a time's
   * epoch-ms column, `status` the stored status, `hasClosedAt` whether the record gives a closing
   * time; `$latest` stands for {@link latest}.
   */
  timesSql(ms: (f: EventTime | 'deadline') => string, status: string, hasClosedAt: string): string;
  /** The latest event time a record may give (epoch ms): now plus the clock skew. */
  latest(): number;
  /** The deadline stored for a valid record of category `code`. */
  deadline(times: IssueTimes, code: string): number | null;
  assigner(): Assigner;
};

type Category = CategoryNode & { limit: number | null; unit: LimitUnit | null; problem: string | null; department: string | null };

/** The status a record may only have with a closing time. */
const CLOSED_NEEDS_TIME = 'closed';

/** The record's time fields by the workflow's names for them. */
const TIME_FIELDS = {
  reportedAt: 'reported_at', openedAt: 'opened_at', dispatchedAt: 'dispatched_at', closedAt: 'closed_at', deadline: 'deadline',
} as const satisfies Record<EventTime | 'deadline', string>;
/**
 * The transitions an import can reconstruct from timestamps: sequence number, type and who did it
 * (a staging-table SQL expression; NULL when the file names nobody). A patrol report without a
 * reporter is the grid inspector's: patrolling the grid is that person's job.
 */
const EVENT_FROM_TIME = [
  ['reported_at', 1, 'reported', `coalesce(s.reporter, CASE WHEN s.source = 'patrol' THEN s.inspector END)`],
  ['opened_at', 2, 'opened', 's.dispatcher'],
  ['dispatched_at', 3, 'dispatched', 's.dispatcher'],
  ['closed_at', 9, 'closed', 's.closer'],
] as const;

/**
 * Issues (问题/案件). Each is assigned to grid/community/street and key sites on arrival; the deadline
 * comes from the category's time limit when the record has none; the department (责任单位) is the
 * one the record names (code, name or short name), else its category's default; the import records
 * the workflow events its timestamps imply, marked `imported`, naming the reporter, dispatcher and
 * closer the file gives, and on the report and the dispatch the department (the one the case had
 * from its report, until a re-dispatch moves it: the department as of an instant reads these).
 */
export function issuesHandler(): KindHandler & { bulk: IssueBulkRules } {
  let categories = new Map<string, Category>();
  let assigner: Assigner;
  let now = 0;
  let skewMs = 0;
  let departments: DepartmentResolver;
  const calendar = workCalendar();
  const fields: IssueFieldChecks<Category> = {
    category(raw, fail) {
      const category = raw === undefined ? undefined : parseId(raw);
      if (!category) return fail('category', 'required', 'category is required'), undefined;
      if (category.error) return fail('category', 'invalid', category.error), undefined;
      const known = categories.get(category.value!);
      if (!known) return fail('category', 'unknown_category', `category "${category.value}" is not in the taxonomy; import categories first`), undefined;
      if (known.problem) return fail('category', 'not_a_leaf', known.problem), undefined;
      return known;
    },
    source(raw, fail) {
      const source = raw === undefined ? { value: 'patrol' as const } : parseEnum(raw, ISSUE_SOURCES);
      if (source.error) fail('source', 'invalid', source.error);
      return source.value;
    },
    status(raw, fail) {
      const status = raw === undefined ? { value: 'reported' as const } : parseEnum(raw, ISSUE_STATUSES);
      if (status.error) fail('status', 'invalid', status.error);
      return status.value;
    },
    immediate(raw, fail) {
      const immediate = raw === undefined ? { value: false } : parseBoolean(raw);
      if (immediate.error) fail('immediate', 'invalid', immediate.error);
      return immediate.value;
    },
    rework_count(raw, fail) {
      const rework = raw === undefined ? { value: 0 } : parseNumber(raw, { integer: true, min: 0 });
      if (rework.error) fail('rework_count', 'invalid', rework.error);
      return rework.value;
    },
    department(raw, fail) {
      const department = raw === undefined ? null : departments.resolve(raw);
      if (department && 'error' in department) return fail('department', 'unknown_department', department.error), undefined;
      return department?.code;
    },
  };
  /** The time rules of one record; `hasClosedAt`: the record gives a closing time (valid or not). */
  const timeProblems = (times: IssueTimes, status: string | undefined, hasClosedAt: boolean) => {
    const problems: { field: string; code: string; reason: string }[] = issueTimeProblems(times, now, skewMs, (f) => TIME_FIELDS[f])
      .map((p) => ({ ...p, field: TIME_FIELDS[p.field] }));
    if (status === CLOSED_NEEDS_TIME && !hasClosedAt) problems.push({ field: 'closed_at', code: 'required', reason: 'a closed issue needs closed_at' });
    return problems;
  };
  /** The record's own deadline, else its category's time limit from the dispatch (or the report). */
  const deadlineOf = (times: IssueTimes, category: Category) => {
    const clockStart = times.dispatchedAt ?? times.reportedAt!;
    return times.deadline ?? (category.limit !== null && category.unit ? addTimeLimit(clockStart, category.limit, category.unit, calendar) : null);
  };
  return {
    aliases: {
      id: ['编号', '案件编号', '问题编号', '案卷号', 'issue_id', 'case_id'],
      client_id: ['客户端编号', 'clientid'],
      category: ['类别', '小类', '问题类别', '案件类别', '小类编码', 'category_code'],
      source: ['来源', '问题来源', '案件来源'],
      status: ['状态', '案件状态', '办理状态'],
      reported_at: ['上报时间', '发现时间', 'reported', 'report_time'],
      opened_at: ['立案时间', 'opened'],
      dispatched_at: ['派遣时间', 'dispatched'],
      deadline: ['截止时间', '处置时限', '整改期限', 'due_at'],
      closed_at: ['结案时间', 'closed'],
      immediate: ['立行立改', '是否立行立改'],
      rework_count: ['返工次数', 'rework', 'reworks'],
      description: ['描述', '问题描述', '案件描述'],
      address: ['地址', '位置', '发生地址'],
      reporter: ['上报人', '发现人', 'reported_by'],
      dispatcher: ['派遣人', '受理人', '派遣员', 'dispatched_by'],
      closer: ['结案人', '办结人', 'closed_by'],
      department: ['处置单位', '责任单位', '承办单位', '处置部门', '责任部门', 'department_code', 'dept'],
    },
    geometryTypes: ['Point'],
    columns: [
      ['id', 'VARCHAR'], ['client_id', 'VARCHAR'], ['category', 'VARCHAR'], ['source', 'VARCHAR'], ['status', 'VARCHAR'],
      ['immediate', 'BOOLEAN'], ['rework_count', 'INTEGER'],
      ['reported_ms', 'BIGINT'], ['opened_ms', 'BIGINT'], ['dispatched_ms', 'BIGINT'], ['deadline_ms', 'BIGINT'], ['closed_ms', 'BIGINT'],
      ['lon', 'DOUBLE'], ['lat', 'DOUBLE'], ['grid_code', 'VARCHAR'], ['community', 'VARCHAR'], ['street', 'VARCHAR'],
      ['outside_grid', 'BOOLEAN'], ['site_ids', 'VARCHAR[]'], ['description', 'VARCHAR'], ['address', 'VARCHAR'],
      ['reporter', 'VARCHAR'], ['dispatcher', 'VARCHAR'], ['closer', 'VARCHAR'], ['department', 'VARCHAR'],
    ],
    async prepare(ctx) {
      const rows = await ctx.session.all<{ code: string; name: string; parent: string | null; time_limit: number | null; limit_unit: LimitUnit | null; default_department: string | null }>(
        'SELECT code, name, parent, time_limit, limit_unit, default_department FROM categories ORDER BY code',
      );
      const children = new Map<string, CategoryNode[]>();
      for (const r of rows) if (r.parent !== null) children.set(r.parent, [...(children.get(r.parent) ?? []), r]);
      categories = new Map(rows.map((r) => {
        const node = { code: r.code, name: r.name, parent: r.parent };
        return [r.code, { ...node, limit: r.time_limit, unit: r.limit_unit, department: r.default_department, problem: issueCategoryProblem(node, children.get(r.code) ?? []) }];
      }));
      ({ now, clockSkewMs: skewMs } = ctx);
      assigner = await Assigner.cached(ctx.session, ctx.version);
      departments = await DepartmentResolver.load(ctx.session, ctx.createDepartments ?? false);
    },
    toRow({ props, geometry }, report) {
      let ok = true;
      const fail = (field: string, code: string, reason: string) => {
        ok = false;
        report(field, code, reason);
      };
      const id = props.id === undefined ? undefined : parseId(props.id);
      if (!id) return report('id', 'required', 'issue id is required'), null;
      if (id.error) return report('id', 'invalid', id.error), null;

      const category = fields.category(props.category, fail);
      const source = fields.source(props.source, fail);
      const status = fields.status(props.status, fail);
      const times: IssueTimes = {};
      for (const [key, field] of Object.entries(TIME_FIELDS) as [keyof IssueTimes, string][]) {
        if (props[field] === undefined) continue;
        const t = parseTimestamp(props[field]);
        if (t.error) fail(field, 'invalid_timestamp', t.error);
        else times[key] = t.value;
      }
      if (props.reported_at === undefined) fail('reported_at', 'required', 'reported_at is required');
      for (const p of timeProblems(times, status, props.closed_at !== undefined)) fail(p.field, p.code, p.reason);
      const immediate = fields.immediate(props.immediate, fail);
      const rework = fields.rework_count(props.rework_count, fail);
      const department = fields.department(props.department, fail);
      if (!ok) return null;

      const limit = category!;
      const deadline = deadlineOf(times, limit);
      const [lon, lat] = (geometry as Point).coordinates;
      const place = assigner.place(lon, lat);
      const text = (v: unknown) => (v === undefined ? null : String(v).trim() || null);
      return [
        id.value, text(props.client_id), limit.code, source, status, immediate, rework,
        times.reportedAt, times.openedAt, times.dispatchedAt, deadline, times.closedAt,
        lon, lat, place.grid, place.community, place.street, place.outsideGrid, assigner.sitesAt(lon, lat),
        text(props.description), text(props.address),
        text(props.reporter), text(props.dispatcher), text(props.closer),
        department ?? limit.department,
      ];
    },
    bulk: {
      fields,
      check: (field, raw) => {
        let ok = true;
        const value = fields[field](raw, () => (ok = false));
        return ok ? { value: value as string | number | boolean | null } : null;
      },
      categoryDepartment: (code) => categories.get(code)?.department ?? null,
      timesSql: (ms, status, hasClosedAt) =>
        `(${issueTimesOkSql(ms, '$latest')} AND (${status} IS DISTINCT FROM ${sqlText(CLOSED_NEEDS_TIME)} OR ${hasClosedAt}))`,
      latest: () => now + skewMs,
      deadline: (times, code) => deadlineOf(times, categories.get(code)!),
      assigner: () => assigner,
    },
    async merge(ctx, staging) {
      const s = ctx.session;
      const updated = ctx.newOnly ? 0 : await timed('merge: existing ids', () => countExisting(s, staging, 'issues', 'id'));
      const ms = (c: string) => `CASE WHEN ${c} IS NULL THEN NULL ELSE epoch_ms(${c}) END`;
      await departments.insertCreated(ctx);
      // Each district has its own unit of a short name (城管局): an issue named to, or defaulting to,
      // another district's goes to its own district's. Read through a small table of (street, from, to)
      // joined where the rows are read: updating millions of staged rows inside the transaction made
      // every later scan of staging about twice as slow.
      const remaps = departments.districtRemaps();
      const moved = `${staging.name}_moved`;
      let rows = staging.name;
      if (remaps.length) {
        await s.run(
          `CREATE OR REPLACE TEMP TABLE ${moved} AS SELECT st.code AS street, r.from_code, r.to_code
           FROM (SELECT unnest($from::VARCHAR[]) AS from_code, unnest($district::VARCHAR[]) AS district, unnest($to::VARCHAR[]) AS to_code) r
           JOIN regions st ON st.parent = r.district`,
          { from: listValue(remaps.map((r) => r[0])), district: listValue(remaps.map((r) => r[1])), to: listValue(remaps.map((r) => r[2])) },
        );
        rows = `(SELECT t.* REPLACE (coalesce(m.to_code, t.department) AS department) FROM ${staging.name} t
          LEFT JOIN ${moved} m ON m.street = t.street AND m.from_code = t.department)`;
      }
      if (!ctx.newOnly) await timed('merge: delete issues', () => s.run(`DELETE FROM issues WHERE id IN (SELECT id FROM ${staging.name})`));
      // Stored in time order: the dashboards filter by period first, and DuckDB prunes row groups by
      // min/max. A file already in that order (exports and feeds are) is appended as staged: sorting
      // every column of millions of rows was most of a large import's merge.
      const ordered = await timed('merge: time order', () => inTimeOrder(s, staging.name));
      await timed('merge: insert issues', () => s.run(
        `INSERT INTO issues (id, client_id, category, source, status, immediate, rework_count, reported_at, opened_at,
           dispatched_at, deadline, closed_at, lon, lat, grid_code, community, street, outside_grid, site_ids, description, address, department)
         SELECT id, client_id, category, source, status, immediate, rework_count, ${ms('reported_ms')}, ${ms('opened_ms')},
           ${ms('dispatched_ms')}, ${ms('deadline_ms')}, ${ms('closed_ms')}, lon, lat, grid_code, community, street,
           outside_grid, site_ids, description, address, department
         FROM ${rows}${ordered ? '' : ' ORDER BY reported_ms'}`,
      ));
      if (!ctx.newOnly) await timed('merge: delete events', () => s.run(`DELETE FROM issue_events WHERE imported AND issue_id IN (SELECT id FROM ${staging.name})`));
      const event = (seq: number, type: string, ms: string, actor: string, department: string) =>
        `{seq: ${seq}, type: ${type}, ms: ${ms}, actor: ${actor}, department: ${department}}`;
      const events = EVENT_FROM_TIME.map(([col, seq, type, actor]) =>
        event(seq, `'${type}'`, `s.${col.replace('_at', '_ms')}`, actor, type === 'dispatched' || type === 'reported' ? 's.department' : 'NULL::VARCHAR'));
      // Terminal states without a timestamp of their own are dated at the last known transition.
      events.push(event(9, 's.status', `CASE WHEN s.status IN ('cancelled', 'deferred') THEN greatest(s.reported_ms, coalesce(s.dispatched_ms, 0)) END`, 's.closer', 'NULL::VARCHAR'));
      // One scan of staging yields every event of a row (a UNION per event type scanned it once per type).
      await timed('merge: insert events', () => s.run(
        `INSERT INTO issue_events (issue_id, seq, type, occurred_at, actor, department, imported)
         SELECT id, e.seq, e.type, epoch_ms(e.ms), e.actor, e.department, true
         FROM (SELECT s.id, unnest([${events.join(', ')}]) AS e
           FROM (SELECT st.id, st.reported_ms, st.opened_ms, st.dispatched_ms, st.closed_ms, st.status, st.source, st.department,
             st.reporter, st.dispatcher, st.closer, g.inspector FROM ${rows} st
             LEFT JOIN ${PUBLISHED_GRIDS} g ON g.code = st.grid_code) s)
         WHERE e.ms IS NOT NULL`,
      ));
      const outside = (await s.one<{ n: number }>(`SELECT count(*) AS n FROM ${staging.name} WHERE outside_grid`))!.n;
      await s.run(`DROP TABLE IF EXISTS temp.${moved}`);
      return { inserted: staging.rows - updated, updated, outsideGrid: outside };
    },
  };
}

/** Whether staging's rows, in the order a scan returns them, are in reported time order. */
export async function inTimeOrder(s: Session, staging: string): Promise<boolean> {
  const back = await s.one<{ n: number }>(
    `SELECT count(*) AS n FROM (SELECT reported_ms < lag(reported_ms) OVER (ORDER BY rowid) AS back FROM ${staging}) WHERE back`,
  );
  return back!.n === 0;
}
