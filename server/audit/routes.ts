/**
 * `GET /api/audit` (JSON, newest first, keyset-paged), `GET /api/audit/{id}` (one entry with the
 * plan grids before and after) and `GET /api/audit/export.csv` (everything matching, streamed).
 * Admin only, by the policy.
 */
import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import type { Database } from '../db/database.ts';
import { invalidParameter, NotFoundError } from '../domain/errors.ts';
import { DAY, isDay, parseTimestamp } from '../domain/time.ts';
import type { RouteDoc } from '../openapi/build.ts';
import { csvHeaders, csvStream } from '../routes/csv-stream.ts';
import { queryError } from '../routes/validation.ts';
import { AuditLog, type AuditFilter, type AuditRow } from './log.ts';

/** A bound of the period: an ISO date (Asia/Shanghai; `to` includes the whole day) or date-time. */
const bound = (end: boolean) =>
  z
    .string()
    .max(40)
    .transform((s, ctx) => {
      const t = parseTimestamp(s);
      if (t.error !== undefined) {
        ctx.addIssue({ code: 'custom', message: t.error });
        return z.NEVER;
      }
      return new Date(end && isDay(s.trim()) ? t.value + DAY : t.value);
    });

const filterQuery = z.object({
  from: bound(false).optional().describe('start, ISO date or date-time (no offset = Asia/Shanghai)'),
  to: bound(true).optional().describe('end (a date includes that whole day)'),
  actor: z.string().trim().min(1).max(64).optional().describe('token holder name, exactly'),
  action: z.string().regex(/^[a-z_]+(\.[a-z_]+)?\*?$|^[a-z_]+\.\*$/, 'an action like plan.split, or a prefix like plan.*').optional()
    .describe('e.g. issue.ingest, plan.publish, import.grids, user.revoke; a trailing * matches a prefix'),
});
const listQuery = filterQuery.extend({
  cursor: z.coerce.number().int().positive().optional().describe('nextCursor of the previous page'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
const idParam = z.object({ id: z.coerce.number().int().positive() });

/** OpenAPI entries of the audit log routes. */
export const auditDocs: RouteDoc[] = [
  {
    method: 'get', path: '/api/audit', tag: 'security', query: listQuery,
    summary: 'Accepted writes, newest first: who, when, what; plan edits name the grids before and after. Admin.',
    responses: { 200: '{items, nextCursor}', 400: 'invalid parameter', 401: 'no token', 403: 'not an admin' },
  },
  {
    method: 'get', path: '/api/audit/{id}', tag: 'security', params: idParam,
    summary: 'One audit entry; for a plan edit with the grids (GeoJSON features) before and after. Admin.',
    responses: { 200: 'entry', 404: 'no such entry', 401: 'no token', 403: 'not an admin' },
  },
  {
    method: 'get', path: '/api/audit/export.csv', tag: 'security', query: filterQuery, produces: 'text/csv',
    summary: 'The audit entries matching the filters as CSV (UTF-8 with BOM), streamed. Admin.',
    responses: { 200: 'CSV file', 400: 'invalid parameter', 401: 'no token', 403: 'not an admin' },
  },
];

const CSV_COLUMNS = ['id', 'at', 'actor', 'role', 'user_id', 'ip', 'method', 'path', 'action', 'target', 'status', 'duration_ms', 'plan_id', 'change_seq', 'grids_before', 'grids_after', 'detail'];
const PAGE = 5_000;

const codes = (grids: { properties?: { code?: string } }[]) => grids.map((g) => g.properties?.code ?? '?');

/** An entry for the list: grid codes only; the geometry is in the single-entry answer. */
function listItem(r: AuditRow) {
  return { ...r, at: r.at.toISOString(), change: r.change && { op: r.change.op, before: codes(r.change.before), after: codes(r.change.after) } };
}

/**
 * A CSV cell: quoted when needed, and cells a spreadsheet would run as a formula (`=`, `+`, `-`,
 * `@`) are prefixed with `'` — audit data includes text any token holder typed.
 */
export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s = typeof v === 'string' ? v : v instanceof Date ? v.toISOString() : typeof v === 'object' ? JSON.stringify(v) : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

function csvLine(r: AuditRow): string {
  const change = r.change ? [codes(r.change.before).join(' '), codes(r.change.after).join(' ')] : ['', ''];
  return [r.id, r.at, r.actor, r.role, r.userId, r.ip, r.method, r.path, r.action, r.target, r.status, r.durationMs, r.planId, r.changeSeq, ...change, r.detail]
    .map(csvCell).join(',');
}

/** The audit routes over one database. */
export function auditRoutes(db: Database) {
  const log = new AuditLog(db);
  return new Hono()
    .get('/', zValidator('query', listQuery, queryError), async (c) => {
      const q = c.req.valid('query');
      const rows = await log.query({ ...filterOf(q), before: q.cursor, limit: q.limit });
      return c.json({ items: rows.map(listItem), nextCursor: rows.length === q.limit ? rows.at(-1)!.id : null });
    })
    .get('/export.csv', zValidator('query', filterQuery, queryError), (c) => {
      const f = filterOf(c.req.valid('query'));
      let before: number | undefined;
      const body = csvStream(CSV_COLUMNS, async () => {
        const rows = await log.query({ ...f, before, limit: PAGE });
        before = rows.at(-1)?.id;
        return { text: rows.map((r) => `${csvLine(r)}\r\n`).join(''), more: rows.length === PAGE };
      }, 'audit CSV export');
      return c.body(body, 200, csvHeaders('attachment; filename="audit.csv"'));
    })
    .get('/:id', zValidator('param', idParam, queryError), async (c) => {
      const [row] = await log.query({ id: c.req.valid('param').id, limit: 1 });
      if (!row) throw new NotFoundError('not_found', `no audit entry ${c.req.valid('param').id}`);
      return c.json({ ...row, at: row.at.toISOString() });
    });
}

function filterOf(q: z.infer<typeof filterQuery>): Omit<AuditFilter, 'limit'> {
  if (q.from && q.to && q.from >= q.to) throw invalidParameter('to', 'must be after from');
  return { from: q.from, to: q.to, actor: q.actor, action: q.action };
}
