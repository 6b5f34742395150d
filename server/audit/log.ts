/**
 * The audit log table: one row per accepted write. Queries page newest first by id and join the
 * planner's change log for plan edits, which holds the grids before and after each change.
 */
import { INTEGER, LIST, listValue, VARCHAR, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
import type { Database } from '../db/database.ts';
import { sqlTimestamp } from '../db/sql-time.ts';
import { perDatabase } from '../db/per-database.ts';

/** One write, as recorded. */
export type AuditEntry = {
  at: Date;
  actor: string;
  userId: number | null;
  role: string | null;
  ip: string | null;
  method: string;
  path: string;
  action: string;
  target: string | null;
  status: number;
  durationMs: number;
  planId: number | null;
  changeSeq: number | null;
  detail: unknown;
};

/** Many entries in one statement: each column as a list, in entry order (ids follow it). */
const INSERT = `INSERT INTO audit_log (recorded_at, actor, user_id, role, ip, method, path, action, target, status, duration_ms, plan_id, change_seq, detail)
  SELECT unnest($at::TIMESTAMP[]), unnest($actor::VARCHAR[]), unnest($userId::INTEGER[]), unnest($role::VARCHAR[]), unnest($ip::VARCHAR[]),
    unnest($method::VARCHAR[]), unnest($path::VARCHAR[]), unnest($action::VARCHAR[]), unnest($target::VARCHAR[]), unnest($status::INTEGER[]),
    unnest($duration::INTEGER[]), unnest($planId::INTEGER[]), unnest($changeSeq::INTEGER[]), unnest($detail::VARCHAR[])`;

/** The lists' types: a list's type would otherwise be guessed from its first item, and a first null makes every item null. */
const COLUMN_TYPES: Record<string, DuckDBType> = Object.fromEntries(
  ['at', 'actor', 'userId', 'role', 'ip', 'method', 'path', 'action', 'target', 'status', 'duration', 'planId', 'changeSeq', 'detail']
    .map((name) => [name, LIST(['userId', 'status', 'duration', 'planId', 'changeSeq'].includes(name) ? INTEGER : VARCHAR)]),
);

/** The statement's parameters for `entries`. */
function columnsOf(entries: readonly AuditEntry[]): Record<string, DuckDBValue> {
  const column = (f: (e: AuditEntry) => DuckDBValue) => listValue(entries.map(f));
  return {
    at: column((e) => sqlTimestamp(e.at)), actor: column((e) => e.actor), userId: column((e) => e.userId), role: column((e) => e.role),
    ip: column((e) => e.ip), method: column((e) => e.method), path: column((e) => e.path), action: column((e) => e.action),
    target: column((e) => e.target), status: column((e) => e.status), duration: column((e) => Math.round(e.durationMs)),
    planId: column((e) => e.planId), changeSeq: column((e) => e.changeSeq),
    detail: column((e) => (e.detail === undefined ? null : JSON.stringify(e.detail))),
  };
}

/** Filters of `GET /api/audit` and the CSV export. */
export type AuditFilter = {
  from?: Date;
  /** Exclusive end. */
  to?: Date;
  actor?: string;
  /** Exact action, or a prefix ending in `*` (`plan.*`). */
  action?: string;
  /** Entries with an id below this (the previous page's last id). */
  before?: number;
  /** Just this entry. */
  id?: number;
  limit: number;
};

/** A grid as plan_changes stores it (a GeoJSON feature with at least its code). */
type GridFeature = { properties?: { code?: string } };

/** An entry as read back, with the linked plan change when there is one. */
export type AuditRow = AuditEntry & {
  id: number;
  change: { op: string; before: GridFeature[]; after: GridFeature[] } | null;
};

type Row = {
  id: number; recorded_at: Date; actor: string; user_id: number | null; role: string | null; ip: string | null; method: string; path: string;
  action: string; target: string | null; status: number; duration_ms: number; plan_id: number | null; change_seq: number | null;
  detail: string | null; change_op: string | null; before_grids: string | null; after_grids: string | null;
};


type Pending = { entry: AuditEntry; done: (err?: unknown) => void };

/**
 * The audit entries of one database waiting to be written, with group commit: every accepted
 * write records one, and under load (10 reports a second) a write job each kept the write queue so
 * busy that reports waited seconds behind audit entries. Entries that arrive while one insert waits
 * for or holds the queue go together in the next: one write job per round, however many entries.
 */
class AuditWriter {
  private pending: Pending[] = [];
  private scheduled = false;
  private readonly unsettled = new Set<Promise<void>>();

  constructor(private readonly db: Database) {}

  record(e: AuditEntry): Promise<void> {
    const recorded = new Promise<void>((resolve, reject) => {
      this.pending.push({ entry: e, done: (err) => (err === undefined ? resolve() : reject(err)) });
      if (!this.scheduled) this.schedule();
    });
    this.unsettled.add(recorded);
    const forget = () => void this.unsettled.delete(recorded);
    recorded.then(forget, forget);
    return recorded;
  }

  /** Resolves once every entry recorded so far is written (or failed). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.unsettled]);
  }

  /** One write job for the entries gathered by the time it runs; the next is queued once it ends. */
  private schedule(): void {
    this.scheduled = true;
    let batch: Pending[] = [];
    this.db
      .write(['audit'], (w) => {
        batch = this.pending.splice(0);
        return w.transaction((tx) => tx.conn.run(INSERT, columnsOf(batch.map((p) => p.entry)), COLUMN_TYPES));
      })
      .then(
        () => batch.forEach((p) => p.done()),
        (err: unknown) => (batch.length ? batch : this.pending.splice(0)).forEach((p) => p.done(err ?? new Error('audit insert failed'))),
      )
      .finally(() => (this.pending.length ? this.schedule() : (this.scheduled = false)));
  }
}

/** One writer per database: the middleware's log and the audit routes' log see the same entries. */
const writerOf = perDatabase((db) => new AuditWriter(db));

/** Resolves once every audit entry recorded so far is written: before the database closes. */
export function auditSettled(db: Database): Promise<void> {
  return writerOf(db).settled();
}

/** The audit log of one database. */
export class AuditLog {
  constructor(private readonly db: Database) {}

  /** Appends one entry; resolves once it is committed. Reads of the log wait for entries recorded before them. */
  record(e: AuditEntry): Promise<void> {
    return writerOf(this.db).record(e);
  }

  /** Entries matching the filter, newest first. */
  async query(f: AuditFilter): Promise<AuditRow[]> {
    await writerOf(this.db).settled();
    const where: string[] = [];
    const params: Record<string, string | number> = { limit: f.limit };
    if (f.from) (where.push('a.recorded_at >= $from'), (params.from = sqlTimestamp(f.from)));
    if (f.to) (where.push('a.recorded_at < $to'), (params.to = sqlTimestamp(f.to)));
    if (f.actor !== undefined) (where.push('a.actor = $actor'), (params.actor = f.actor));
    if (f.action?.endsWith('*')) (where.push('starts_with(a.action, $action)'), (params.action = f.action.slice(0, -1)));
    else if (f.action !== undefined) (where.push('a.action = $action'), (params.action = f.action));
    if (f.before !== undefined) (where.push('a.id < $before'), (params.before = f.before));
    if (f.id !== undefined) (where.push('a.id = $id'), (params.id = f.id));
    const rows = await this.db.all<Row>(
      `SELECT a.*, pc.op AS change_op, pc.before_grids, pc.after_grids
       FROM audit_log a LEFT JOIN plan_changes pc ON pc.plan_id = a.plan_id AND pc.seq = a.change_seq
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY a.id DESC LIMIT $limit`,
      params,
    );
    return rows.map(toEntry);
  }

  /** The latest change-log sequence of a plan (the change a plan write just made), or null. */
  async latestChange(planId: number): Promise<number | null> {
    return (await this.db.one<{ seq: number | null }>('SELECT max(seq) AS seq FROM plan_changes WHERE plan_id = $planId', { planId }))?.seq ?? null;
  }
}

function toEntry(r: Row): AuditRow {
  return {
    id: r.id, at: r.recorded_at, actor: r.actor, userId: r.user_id, role: r.role, ip: r.ip, method: r.method, path: r.path,
    action: r.action, target: r.target, status: r.status, durationMs: r.duration_ms, planId: r.plan_id, changeSeq: r.change_seq,
    detail: r.detail === null ? null : (JSON.parse(r.detail) as unknown),
    change: r.change_op === null ? null : { op: r.change_op, before: grids(r.before_grids), after: grids(r.after_grids) },
  };
}

function grids(text: string | null): GridFeature[] {
  if (!text) return [];
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? (v as GridFeature[]) : [];
  } catch {
    return [];
  }
}
