/**
 * Issue records: keyset-paged lists (API and CSV export), the detail with its timeline, and the
 * reads and writes of ingest and workflow transitions. Every value is a SQL parameter.
 */
import { listValue, type DuckDBValue } from '@duckdb/node-api';
import type { Database, Session, Writer } from '../db/database.ts';
import { sqlShanghai, sqlTimestamp } from '../db/sql-time.ts';
import { CONDITIONS } from '../domain/kpi-rules.ts';
import { parseTimestamp } from '../domain/time.ts';
import { ISSUE_SOURCES, STATUS_LABELS, type IssueStatus, type LimitUnit } from '../domain/vocabulary.ts';
import { workCalendar } from '../calendar.ts';
import { allowedEvents, type IssueState, type TimeLimit, type WorkflowEvent } from '../domain/workflow.ts';
import { issueConditions, type Filters } from '../kpi/filters.ts';
import { conditionSql } from '../kpi/rules-sql.ts';
import type { KpiEngine } from '../kpi/fast/engine.ts';
import { noteDepartmentMove } from '../kpi/last-move.ts';
import { PUBLISHED_GRIDS } from './published-grids.ts';

export type Ref = { code: string; name: string };
export type GridRef = Ref & { inspector: string | null };
export type SiteRef = { id: string; name: string; type: string };

/** An issue as lists, the live feed and the detail show it. Times are ISO 8601 UTC. */
export type IssueItem = {
  id: string;
  category: string;
  categoryName: string | null;
  source: string;
  status: IssueStatus;
  statusName: string;
  immediate: boolean;
  reportedAt: string;
  dispatchedAt: string | null;
  deadline: string | null;
  closedAt: string | null;
  /** 超期未结 now: open (not closed, cancelled or deferred) with its deadline passed — the KPI's rule per issue. */
  overdue: boolean;
  lon: number;
  lat: number;
  grid: GridRef | null;
  community: Ref | null;
  street: Ref | null;
  /** 责任单位: the department the issue is dispatched to now. */
  department: Ref | null;
  sites: SiteRef[];
  description: string | null;
  address: string | null;
};

/** A row before its key sites are looked up. */
type IssueRow = Omit<IssueItem, 'sites'> & { siteIds: string[] };

/**
 * One step of an issue's timeline. `actor` names the person, or is null when an imported record
 * named nobody; `imported` says the event was reconstructed from a file's timestamps.
 */
export type TimelineEvent = {
  seq: number; type: string; at: string; actor: string | null; imported: boolean; note: string | null;
  /** The department a dispatch sent the case to (a re-dispatch names another); null on other events. */
  department: Ref | null;
};

export type IssueDetail = IssueItem & {
  clientId: string | null;
  openedAt: string | null;
  reworkCount: number;
  outsideGrid: boolean;
  events: TimelineEvent[];
  /** Workflow events legal now, for action buttons. */
  allowedEvents: WorkflowEvent[];
};

/** Orders of the issue list: newest report first, or oldest deadline first (no deadline last); ties by id. */
export const ISSUE_SORTS = ['reported', 'deadline'] as const;
export type IssueSort = (typeof ISSUE_SORTS)[number];

/**
 * Position after the last row of a page: its sort column (`reported_at` or `deadline`) exactly as
 * DuckDB prints it (µs kept; null = no deadline) and its id. Only meaningful with the same sort.
 */
export type IssueCursor = { key: string | null; id: string };
export type BBox = { minLon: number; minLat: number; maxLon: number; maxLat: number };

type ItemRecord = {
  id: string; category: string; category_name: string | null; source: string; status: IssueStatus; immediate: boolean;
  reported_at: Date; sort_key: string | null; dispatched_at: Date | null; deadline: Date | null; closed_at: Date | null;
  overdue: boolean | null; lon: number; lat: number; grid_code: string | null; grid_name: string | null; inspector: string | null;
  community: string | null; community_name: string | null; street: string | null; street_name: string | null;
  department: string | null; department_name: string | null;
  site_ids: string[]; description: string | null; address: string | null;
};
type DetailRecord = ItemRecord & { client_id: string | null; opened_at: Date | null; rework_count: number; outside_grid: boolean };

const SOURCE_LABELS = Object.fromEntries(Object.entries(ISSUE_SOURCES).map(([code, names]) => [code, names[0]]));

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The column each order sorts by, and the ORDER BY over the alias `a` (`i` or `p`); the id breaks ties. */
const SORT_COLUMN: Record<IssueSort, string> = { reported: 'reported_at', deadline: 'deadline' };
const orderBy = (sort: IssueSort, a: string) =>
  sort === 'reported' ? `${a}.reported_at DESC, ${a}.id DESC` : `${a}.deadline ASC NULLS LAST, ${a}.id ASC`;

/**
 * The top-N keys of the filtered issues in `sort` order. Only the key columns go through the sort,
 * and the rest is fetched for those rows alone: the time-sorted table lets that second scan skip
 * row groups, where a top-N over all columns would read every column of every matching row.
 */
function keysSql(where: string, limit: string, sort: IssueSort = 'reported'): string {
  return `keys AS (SELECT i.reported_at, i.id FROM issues i WHERE ${where} ORDER BY ${orderBy(sort, 'i')} LIMIT ${limit})`;
}

/**
 * 超期未结 now, per issue: the overdue KPI's condition with no start and the deadlines counted up
 * to `$now` — open (not closed, cancelled or deferred) with its deadline passed.
 */
const OVERDUE = conditionSql(CONDITIONS.overdue, { dueEnd: '$now::TIMESTAMP' });

/** Issue rows of `keys` with the names of their category, grid, community and street, in `sort` order. */
function itemsSql(where: string, limit: string, extraColumns = '', sort: IssueSort = 'reported'): string {
  return `
    WITH ${keysSql(where, limit, sort)},
    page AS (
      SELECT i.id, i.category, i.source, i.status, i.immediate, i.reported_at, i.${SORT_COLUMN[sort]}::VARCHAR AS sort_key,
        i.dispatched_at, i.deadline, i.closed_at, i.lon, i.lat, i.grid_code, i.community, i.street, i.department, i.site_ids,
        i.description, i.address, ${OVERDUE} AS overdue ${extraColumns}
      FROM issues i JOIN keys k ON k.reported_at = i.reported_at AND k.id = i.id)
    SELECT p.*, c.name AS category_name, g.name AS grid_name, g.inspector, m.name AS community_name, s.name AS street_name,
      d.name AS department_name
    FROM page p
    LEFT JOIN departments d ON d.code = p.department
    LEFT JOIN categories c ON c.code = p.category
    LEFT JOIN ${PUBLISHED_GRIDS} g ON g.code = p.grid_code
    LEFT JOIN regions m ON m.code = p.community
    LEFT JOIN regions s ON s.code = p.street
    ORDER BY ${orderBy(sort, 'p')}`;
}

function toRow(r: ItemRecord): IssueRow {
  const ref = (code: string | null, name: string | null) => (code ? { code, name: name ?? code } : null);
  return {
    id: r.id, category: r.category, categoryName: r.category_name, source: r.source, status: r.status,
    statusName: STATUS_LABELS[r.status] ?? r.status, immediate: r.immediate, reportedAt: r.reported_at.toISOString(),
    dispatchedAt: iso(r.dispatched_at), deadline: iso(r.deadline), closedAt: iso(r.closed_at), overdue: r.overdue === true,
    lon: r.lon, lat: r.lat,
    grid: r.grid_code ? { code: r.grid_code, name: r.grid_name ?? r.grid_code, inspector: r.inspector } : null,
    community: ref(r.community, r.community_name), street: ref(r.street, r.street_name),
    department: ref(r.department, r.department_name),
    siteIds: r.site_ids, description: r.description, address: r.address,
  };
}

export type PageOptions = {
  bbox?: BBox;
  /** Position after the previous page; it must come from a page in the same `sort`. */
  after?: IssueCursor;
  limit: number;
  now: Date;
  /** Default `reported` (newest first). */
  sort?: IssueSort;
  /**
   * Only the issues overdue now (超期未结) that the overdue KPI counts for the period: the period
   * then bounds the deadline (the KPI's due rule) instead of `reported_at`.
   */
  overdue?: boolean;
  /**
   * A time at or before the report of the page's last row (`sort` reported), from the KPI engine:
   * it changes no answer, and lets DuckDB skip the row groups of older reports.
   */
  reportedFloor?: Date;
};

/** WHERE and parameters of one page: the filters, the period, the bbox, the overdue filter and the keyset position. */
function pageWhere(f: Filters, opts: PageOptions): { where: string; params: Record<string, DuckDBValue> } {
  const cond = issueConditions(f);
  const where = [cond.sql];
  const params: Record<string, DuckDBValue> = { ...cond.params, now: sqlTimestamp(opts.now) };
  if (opts.overdue) {
    // The overdue KPI's own condition: due in [start, min(end, now)), not closed (an open period has
    // no start). A deadline is never before its report (import and workflow refuse it), so
    // reported_at < end holds too and prunes row groups.
    const dueEnd = f.end && f.end < opts.now ? f.end : opts.now;
    params.dueEnd = sqlTimestamp(dueEnd);
    where.push(conditionSql(CONDITIONS.overdue, { dueEnd: '$dueEnd::TIMESTAMP', ...(f.start && { start: '$start::TIMESTAMP' }) }));
    if (f.start) params.start = sqlTimestamp(f.start);
    if (f.end) (where.push('i.reported_at < $end::TIMESTAMP'), (params.end = sqlTimestamp(f.end)));
  } else {
    if (f.start) (where.push('i.reported_at >= $start::TIMESTAMP'), (params.start = sqlTimestamp(f.start)));
    if (f.end) (where.push('i.reported_at < $end::TIMESTAMP'), (params.end = sqlTimestamp(f.end)));
  }
  if (opts.reportedFloor) (where.push('i.reported_at >= $reportedFloor::TIMESTAMP'), (params.reportedFloor = sqlTimestamp(opts.reportedFloor)));
  if (opts.bbox) {
    where.push('i.lon BETWEEN $minLon AND $maxLon AND i.lat BETWEEN $minLat AND $maxLat');
    Object.assign(params, opts.bbox);
  }
  if (opts.after) {
    where.push(afterSql(opts.sort ?? 'reported', opts.after));
    Object.assign(params, opts.after.key === null ? { afterId: opts.after.id } : { afterKey: opts.after.key, afterId: opts.after.id });
  }
  return { where: where.join(' AND '), params };
}

/** The rows after the cursor in `sort` order (see {@link orderBy}); `$afterKey` and `$afterId` hold the cursor. */
function afterSql(sort: IssueSort, after: IssueCursor): string {
  if (sort === 'reported') {
    return '(i.reported_at < $afterKey::TIMESTAMP OR (i.reported_at = $afterKey::TIMESTAMP AND i.id < $afterId))';
  }
  // Deadline ascending with the issues without one last: after a null deadline only nulls with a greater id follow.
  if (after.key === null) return '(i.deadline IS NULL AND i.id > $afterId)';
  return '(i.deadline > $afterKey::TIMESTAMP OR (i.deadline = $afterKey::TIMESTAMP AND i.id > $afterId) OR i.deadline IS NULL)';
}

/**
 * One page of the filtered issues in `opts.sort` order — (reported_at DESC, id DESC) by default,
 * (deadline ASC NULLS LAST, id ASC) for `deadline` — after `opts.after`. `next` is set when more rows follow.
 */
export async function issuePage(db: Database, f: Filters, opts: PageOptions): Promise<{ items: IssueItem[]; next: IssueCursor | null }> {
  const { where, params } = pageWhere(f, opts);
  // One row beyond the page tells whether another page exists without a count query.
  const records = await db.all<ItemRecord>(itemsSql(where, '$limit', '', opts.sort), { ...params, limit: opts.limit + 1 });
  const more = records.length > opts.limit;
  const page = more ? records.slice(0, opts.limit) : records;
  const last = page[page.length - 1];
  return { items: await withSites(db, page.map(toRow)), next: more && last ? { key: last.sort_key, id: last.id } : null };
}

/** A SQL string literal of a constant from the code (vocabulary labels), never of user input. */
const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** `CASE expr WHEN code THEN label … ELSE expr END` for one of the closed vocabularies. */
const labelled = (expr: string, labels: Record<string, string>) =>
  `CASE ${expr} ${Object.entries(labels).map(([code, label]) => `WHEN ${literal(code)} THEN ${literal(label)}`).join(' ')} ELSE ${expr} END`;

/**
 * One CSV cell (RFC 4180) of a text expression: NULL becomes empty; text Excel would run as a
 * formula (leading = + - @ or a control character) gets an apostrophe, since descriptions come
 * from the public via 12345; cells with a quote, comma, line break or edge space are quoted.
 */
function csvCell(expr: string): string {
  const safe = `(CASE WHEN regexp_matches(${expr}, '^[=+\\-@\\t\\r]') THEN '''' || ${expr} ELSE ${expr} END)`;
  return `coalesce(CASE WHEN regexp_matches(${safe}, '[",\\r\\n]|^\\s|\\s$') THEN '"' || replace(${safe}, '"', '""') || '"' ELSE ${safe} END, '')`;
}

/** `YYYY-MM-DD HH:mm:ss` in Asia/Shanghai (UTC+8, no daylight saving), as Chinese offices read times. */
const shanghai = (column: string) => `coalesce(strftime(${sqlShanghai(column)}, '%Y-%m-%d %H:%M:%S'), '')`;
const yesNo = (expr: string) => `CASE WHEN ${expr} THEN '是' ELSE '否' END`;

/** Header of the CSV export (Chinese, as the offices name the fields). */
export const CSV_HEADERS = ['编号', '类别', '来源', '状态', '立行立改', '上报时间', '派遣时间', '截止时间', '结案时间', '超期', '街道', '社区', '网格', '经度', '纬度', '地址', '描述', '责任单位'];

/** The export's cells in {@link CSV_HEADERS} order; names fall back to codes. */
const CSV_CELLS = [
  csvCell('i.id'), csvCell('coalesce(c.name, i.category)'), csvCell(labelled('i.source', SOURCE_LABELS)),
  csvCell(labelled('i.status', STATUS_LABELS)), yesNo('i.immediate'), shanghai('i.reported_at'), shanghai('i.dispatched_at'),
  shanghai('i.deadline'), shanghai('i.closed_at'), yesNo(OVERDUE), csvCell('coalesce(s.name, i.street)'),
  csvCell('coalesce(m.name, i.community)'), csvCell('coalesce(g.name, i.grid_code)'), 'i.lon::VARCHAR', 'i.lat::VARCHAR',
  csvCell('i.address'), csvCell('i.description'), csvCell('coalesce(d.name, i.department)'),
];

/**
 * One page of the export as CSV text (CRLF lines) in list order. DuckDB formats the lines: moving
 * 10k rows into JS objects and back out as text costs several times the query itself.
 */
export async function csvPage(db: Database, f: Filters, opts: Omit<PageOptions, 'sort'>): Promise<{ text: string; rows: number; next: IssueCursor | null }> {
  const { where, params } = pageWhere(f, { ...opts, sort: 'reported' });
  const order = orderBy('reported', 'i');
  const row = await db.one<{ rows: number; text: string | null; last_key: string | null; last_id: string | null }>(
    `WITH ${keysSql(where, '$limit')}
     SELECT count(*) AS rows, string_agg(concat_ws(',', ${CSV_CELLS.join(', ')}) || chr(13) || chr(10), '' ORDER BY ${order}) AS text,
       last(i.reported_at::VARCHAR ORDER BY ${order}) AS last_key, last(i.id ORDER BY ${order}) AS last_id
     FROM issues i JOIN keys k ON k.reported_at = i.reported_at AND k.id = i.id
     LEFT JOIN categories c ON c.code = i.category
     LEFT JOIN ${PUBLISHED_GRIDS} g ON g.code = i.grid_code
     LEFT JOIN regions m ON m.code = i.community
     LEFT JOIN regions s ON s.code = i.street
     LEFT JOIN departments d ON d.code = i.department`,
    { ...params, limit: opts.limit },
  );
  const rows = row?.rows ?? 0;
  // A full page may be followed by more; the one after the last full page comes back empty.
  const next = rows === opts.limit && row?.last_key && row.last_id ? { key: row.last_key, id: row.last_id } : null;
  return { text: row?.text ?? '', rows, next };
}

/** Replaces site ids by `{id, name, type}`, with one lookup for the whole page. */
async function withSites(db: Database, rows: IssueRow[]): Promise<IssueItem[]> {
  const ids = [...new Set(rows.flatMap((r) => r.siteIds))];
  const sites = ids.length
    ? await db.all<SiteRef>('SELECT id, name, type FROM sites WHERE list_contains($ids, id)', { ids: listValue(ids) })
    : [];
  const byId = new Map(sites.map((s) => [s.id, s]));
  return rows.map(({ siteIds, ...row }) => ({ ...row, sites: siteIds.map((id) => byId.get(id) ?? { id, name: id, type: '' }) }));
}

/** The issue with its timeline, places and the workflow events legal now; undefined if unknown. */
export async function issueDetail(db: Database, id: string, now: Date): Promise<IssueDetail | undefined> {
  return (await issueDetails(db, [id], now)).get(id);
}

/**
 * {@link issueDetail} of several issues with one query per part instead of one per issue (the
 * reports of one ingest batch). `reportedFrom`, when the caller knows every issue was reported at
 * or after it, lets DuckDB skip the older row groups of both tables (they are stored in time
 * order): an issue's events never precede its report (issueTimeProblems, and transitions in order).
 */
export async function issueDetails(db: Database, ids: readonly string[], now: Date, reportedFrom?: Date): Promise<Map<string, IssueDetail>> {
  if (!ids.length) return new Map();
  const from = reportedFrom ? sqlTimestamp(reportedFrom) : null;
  const records = await db.all<DetailRecord>(
    itemsSql(`i.id IN (SELECT unnest($ids::VARCHAR[]))${from ? ' AND i.reported_at >= $from::TIMESTAMP' : ''}`, String(ids.length), ', i.client_id, i.opened_at, i.rework_count, i.outside_grid'),
    { ids: listValue([...ids]), now: sqlTimestamp(now), ...(from && { from }) },
  );
  if (!records.length) return new Map();
  const items = await withSites(db, records.map(toRow));
  const events = await db.all<{
    issue_id: string; seq: number; type: string; occurred_at: Date; actor: string | null; imported: boolean | null; note: string | null;
    department: string | null; department_name: string | null;
  }>(
    `SELECT e.issue_id, e.seq, e.type, e.occurred_at, e.actor, e.imported, e.note, e.department, d.name AS department_name
     FROM issue_events e LEFT JOIN departments d ON d.code = e.department
     WHERE e.issue_id IN (SELECT unnest($ids::VARCHAR[]))${from ? ' AND e.occurred_at >= $from::TIMESTAMP' : ''} ORDER BY e.issue_id, e.seq`,
    { ids: listValue(records.map((r) => r.id)), ...(from && { from }) },
  );
  const eventsOf = new Map<string, typeof events>();
  for (const e of events) {
    const list = eventsOf.get(e.issue_id);
    if (list) list.push(e);
    else eventsOf.set(e.issue_id, [e]);
  }
  return new Map(records.map((record, i) => [record.id, {
    ...items[i]!, clientId: record.client_id, openedAt: iso(record.opened_at), reworkCount: record.rework_count, outsideGrid: record.outside_grid,
    events: (eventsOf.get(record.id) ?? []).map((e) => ({
      seq: e.seq, type: e.type, at: e.occurred_at.toISOString(), actor: e.actor, imported: e.imported === true, note: e.note,
      department: e.department ? { code: e.department, name: e.department_name ?? e.department } : null,
    })),
    allowedEvents: allowedEvents(stateOf(record), now.getTime()),
  }]));
}

type StateRecord = {
  status: IssueStatus; reported_at: Date; opened_at: Date | null; dispatched_at: Date | null; deadline: Date | null;
  closed_at: Date | null; immediate: boolean; rework_count: number;
};

function stateOf(r: StateRecord): IssueState {
  const ms = (d: Date | null) => (d ? d.getTime() : null);
  return {
    status: r.status, reportedAt: r.reported_at.getTime(), openedAt: ms(r.opened_at), dispatchedAt: ms(r.dispatched_at),
    deadline: ms(r.deadline), closedAt: ms(r.closed_at), immediate: r.immediate, reworkCount: r.rework_count,
  };
}

/** What a workflow decision needs: the state, the category's time limit, when the last event happened and the 整改后 photos held. */
export type WorkflowContext = { state: IssueState; limit: TimeLimit; lastEventAt: number | null; afterPhotos: number };
/** `department`: the department a dispatch sends the case to (its code), which becomes the issue's; null keeps the issue's. */
export type NewEvent = { type: WorkflowEvent; at: number; actor: string; note: string | null; department: Ref | null };

/**
 * Reads the issue, lets `decide` compute its next state (it may throw to refuse), then writes the
 * issue row and appends the event (seq = max + 1) in one transaction. Undefined if the issue is
 * unknown: then the transaction rolls back, so the data version does not move.
 */
export async function applyWorkflowEvent(
  w: Writer,
  id: string,
  decide: (ctx: WorkflowContext) => { next: IssueState; event: NewEvent },
): Promise<TimelineEvent | undefined> {
  const applied = w.transaction(async (tx) => {
    const row = await tx.one<StateRecord & { time_limit: number | null; limit_unit: LimitUnit | null; last_at: Date | null; last_seq: number | null; after_photos: number }>(
      `SELECT i.status, i.reported_at, i.opened_at, i.dispatched_at, i.deadline, i.closed_at, i.immediate, i.rework_count,
         c.time_limit, c.limit_unit,
         (SELECT max(occurred_at) FROM issue_events e WHERE e.issue_id = i.id) AS last_at,
         (SELECT max(seq) FROM issue_events e WHERE e.issue_id = i.id) AS last_seq,
         (SELECT count(*) FROM photos p WHERE p.issue_id = i.id AND p.kind = 'after')::INTEGER AS after_photos
       FROM issues i LEFT JOIN categories c ON c.code = i.category WHERE i.id = $id LIMIT 1`,
      { id },
    );
    if (!row) throw NO_SUCH_ISSUE;
    const limit = row.time_limit !== null && row.limit_unit ? { limit: row.time_limit, unit: row.limit_unit, calendar: workCalendar() } : null;
    const { next, event } = decide({ state: stateOf(row), limit, lastEventAt: row.last_at?.getTime() ?? null, afterPhotos: row.after_photos });
    await writeState(tx, id, next, event.department?.code ?? null);
    const seq = (row.last_seq ?? 0) + 1;
    if (event.department) noteDepartmentMove(w.db, event.at);
    await tx.run(
      `INSERT INTO issue_events (issue_id, seq, type, occurred_at, actor, note, department)
       VALUES ($id, $seq, $type, epoch_ms($at::BIGINT), $actor, $note, $department)`,
      { id, seq, type: event.type, at: event.at, actor: event.actor, note: event.note, department: event.department?.code ?? null },
    );
    return { seq, type: event.type, at: new Date(event.at).toISOString(), actor: event.actor, imported: false, note: event.note, department: event.department };
  });
  return applied.catch((err: unknown) => {
    if (err === NO_SUCH_ISSUE) return undefined;
    throw err;
  });
}

const NO_SUCH_ISSUE = Symbol('no such issue');

/** Writes the issue's new state; `department` (a code) moves it to that department, null keeps its own. */
async function writeState(tx: Session, id: string, s: IssueState, department: string | null): Promise<void> {
  const ts = (name: string) => `${name} = CASE WHEN $${name}::BIGINT IS NULL THEN NULL ELSE epoch_ms($${name}::BIGINT) END`;
  await tx.run(
    `UPDATE issues SET status = $status, immediate = $immediate, rework_count = $rework,
       ${ts('opened_at')}, ${ts('dispatched_at')}, ${ts('deadline')}, ${ts('closed_at')},
       department = coalesce($department::VARCHAR, department), updated_at = now()::TIMESTAMP
     WHERE id = $id`,
    {
      id, status: s.status, immediate: s.immediate, rework: s.reworkCount,
      opened_at: s.openedAt, dispatched_at: s.dispatchedAt, deadline: s.deadline, closed_at: s.closedAt, department,
    },
  );
}

/** The next free id of the form `API` + YYYYMMDD + 6-digit sequence for issues ingested on `day`. */
export async function nextIngestId(db: Database, day: string): Promise<string> {
  const prefix = `API${day.replaceAll('-', '')}`;
  const row = await db.one<{ last: string | null }>(
    `SELECT max(id) AS last FROM issues WHERE starts_with(id, $prefix) AND length(id) = $len`,
    { prefix, len: prefix.length + 6 },
  );
  const seq = row?.last ? Number(row.last.slice(prefix.length)) + 1 : 1;
  return `${prefix}${String(seq).padStart(6, '0')}`;
}

/**
 * A bound on the report times of a page (`k` rows, newest first) from the KPI engine, after the
 * cursor if any; undefined when it cannot tell (loading, fewer rows, a cursor it cannot read).
 */
export async function reportedFloor(engine: KpiEngine, f: Filters, now: Date, k: number, cursor: IssueCursor | undefined): Promise<Date | undefined> {
  let through: number | null = null;
  if (cursor) {
    // The cursor holds DuckDB's text of a TIMESTAMP (naive UTC, up to microseconds); parsing drops
    // what is below the millisecond, as the engine's whole milliseconds do.
    const parsed = parseTimestamp(`${cursor.key}Z`);
    if (parsed.value === undefined) return undefined;
    through = parsed.value;
  }
  const bound = await engine.newestReportedBound(f, now, k, through);
  return bound === null || bound === undefined ? undefined : new Date(bound);
}
