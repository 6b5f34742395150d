/**
 * The audit log table: one row per accepted write. Queries page newest first by id and join the
 * planner's change log for plan edits, which holds the grids before and after each change.
 */
import type { Database } from '../db/database.ts';
import { sqlTimestamp } from '../db/sql-time.ts';

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


/** The audit log of one database. */
export class AuditLog {
  constructor(private readonly db: Database) {}

  /** Appends one entry. */
  async record(e: AuditEntry): Promise<void> {
    await this.db.run(
      `INSERT INTO audit_log (recorded_at, actor, user_id, role, ip, method, path, action, target, status, duration_ms, plan_id, change_seq, detail)
       VALUES ($at, $actor, $userId, $role, $ip, $method, $path, $action, $target, $status, $duration, $planId, $changeSeq, $detail)`,
      {
        at: sqlTimestamp(e.at), actor: e.actor, userId: e.userId, role: e.role, ip: e.ip, method: e.method, path: e.path,
        action: e.action, target: e.target, status: e.status, duration: Math.round(e.durationMs), planId: e.planId,
        changeSeq: e.changeSeq, detail: e.detail === undefined ? null : JSON.stringify(e.detail),
      },
      ['audit'],
    );
  }

  /** Entries matching the filter, newest first. */
  async query(f: AuditFilter): Promise<AuditRow[]> {
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
