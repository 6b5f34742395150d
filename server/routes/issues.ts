import { zValidator } from '@hono/zod-validator';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import type { AppDeps } from '../app.ts';
import { ConflictError, invalidBody, invalidParameter, NotFoundError, RuleError } from '../domain/errors.ts';
import { parseTimestamp, shanghaiDate } from '../domain/time.ts';
import { closurePhotoRefusal, PHOTO_KINDS, type PhotoKind } from '../domain/photos.ts';
import { actorOf } from '../auth/middleware.ts';
import { attachPhoto, type PhotoSettings, type PreparedPhoto } from '../media/photo-service.ts';
import { issuePhotos, type Photo } from '../queries/photos.ts';
import { photoBodyLimit, preparedOrRefused } from './photos.ts';
import { EVENTS_NAMING_DEPARTMENT, futureTimeProblem, transition, WORKFLOW_EVENTS } from '../domain/workflow.ts';
import { ApiError } from '../errors.ts';
import { IngestBatcher, IngestRejected, type IngestOutcome } from '../ingest/batcher.ts';
import { FreshDetails } from '../ingest/details.ts';
import type { ImportProblem } from '../import/problems.ts';
import { filterQuery } from '../kpi/filters.ts';
import { departmentRows, resolveFilters } from '../kpi/resolve.ts';
import type { RouteDoc } from '../openapi/build.ts';
import {
  applyWorkflowEvent, issueDetail, issueDetails, issuePage, ISSUE_SORTS, reportedFloor,
  type IssueCursor, type IssueDetail, type IssueItem, type IssueSort,
} from '../queries/issues.ts';
import { importClock } from './import.ts';
import { jsonBody, queryError } from './validation.ts';

/** Query of the issue list (and the CSV export): the common filters plus a map window. */
export const issueFilterQuery = filterQuery.extend({
  bbox: z
    .string()
    .transform((s, ctx) => {
      const n = s.split(',').map((v) => Number(v.trim()));
      const [minLon, minLat, maxLon, maxLat] = n;
      if (n.length !== 4 || n.some((v) => !Number.isFinite(v)) || minLon >= maxLon || minLat >= maxLat ||
        minLon < -180 || maxLon > 180 || minLat < -90 || maxLat > 90) {
        ctx.addIssue({ code: 'custom', message: 'expected minLon,minLat,maxLon,maxLat with min < max, in degrees' });
        return z.NEVER;
      }
      return { minLon, minLat, maxLon, maxLat };
    })
    .optional()
    .describe('minLon,minLat,maxLon,maxLat (WGS84/CGCS2000 degrees)'),
});

const listQuery = issueFilterQuery.extend({
  overdue: z.enum(['0', '1', 'false', 'true']).optional()
    .describe('1: only the issues overdue now (超期未结) that the overdue KPI counts — open (not closed, cancelled or deferred) '
      + 'with the deadline passed; with a period, those whose deadline is in it (as the KPI counts them) instead of those reported in it'),
  sort: z.enum(ISSUE_SORTS).default('reported')
    .describe('reported: newest report first; deadline: oldest deadline first, issues without one last; ties by id'),
  cursor: z
    .string()
    .max(512)
    .transform((s, ctx) => decodeCursor(s) ?? (ctx.addIssue({ code: 'custom', message: 'not a cursor returned by this API' }), z.NEVER))
    .optional()
    .describe('nextCursor of the previous page (with the same sort)'),
  limit: z.coerce.number().int().min(1).max(500).default(50).describe('page size, 1–500'),
});

const idParam = z.object({ id: z.string().min(1).max(64) });

const isoTime = z.string().max(40).describe('ISO 8601; without an offset it means Asia/Shanghai');

/**
 * One issue from a patrol app or the 12345 feed. Only shapes are checked here; the values go
 * through the import pipeline's rules (category, source, status, coordinates, timestamps).
 */
const ingestBody = z.object({
  clientId: z.string().trim().min(1).max(128).describe('idempotency key: the same clientId never creates a second issue'),
  id: z.string().trim().min(1).max(64).regex(/^[\w.\-]+$/, 'letters, digits, _ . -').optional()
    .describe('issue id; generated as API + YYYYMMDD + sequence when absent'),
  category: z.string().trim().min(1).max(16).describe('小类 code'),
  source: z.string().max(32).optional().describe('patrol | inspection | camera | hotline | assigned (or a Chinese label); default patrol'),
  status: z.string().max(16).optional().describe('default reported'),
  lon: z.number(),
  lat: z.number(),
  crs: z.enum(['wgs84', 'cgcs2000', 'gcj02', 'bd09']).default('wgs84').describe('CRS of lon/lat; GCJ-02 (AMap/Tencent) and BD-09 (Baidu) are converted'),
  reportedAt: isoTime.optional().describe('default: now'),
  openedAt: isoTime.optional(),
  dispatchedAt: isoTime.optional(),
  deadline: isoTime.optional().describe('default: from the category time limit'),
  closedAt: isoTime.optional(),
  immediate: z.boolean().optional(),
  reworkCount: z.number().int().min(0).optional(),
  description: z.string().max(2000).optional(),
  address: z.string().max(500).optional(),
  reporter: z.string().trim().min(1).max(64).optional()
    .describe("who reported it, named on the timeline; default: for a patrol report, the grid's inspector"),
  department: z.string().trim().min(1).max(64).optional()
    .describe('处置单位/责任单位: a department\'s code, name or short name; default: the category\'s default department. An unknown one is refused'),
});

const eventBody = z.object({
  type: z.enum(WORKFLOW_EVENTS).describe('the workflow event (named like the state it reaches)'),
  at: isoTime.optional().describe('when it happened; default now'),
  actor: z.string().trim().min(1).max(64).describe('who did it'),
  note: z.string().max(2000).optional(),
  deadline: isoTime.optional().describe('required for extended; optional explicit deadline for dispatched'),
  department: z.string().trim().min(1).max(64).optional()
    .describe('dispatched only: the department (code, name or short name) the case goes to; a re-dispatch after returned may name another. Default: the issue keeps its department'),
});

export const issueDocs: RouteDoc[] = [
  {
    method: 'get', path: '/api/issues', tag: 'issues', query: listQuery,
    summary: 'Issues matching the filters, newest first or oldest deadline first, keyset-paged.',
    description: 'The period filters reported_at (with overdue=1: the deadline, like the overdue KPI). Returns `{items, nextCursor}`; '
      + 'pass nextCursor as `cursor` for the next page (null at the end) with the same sort.',
    responses: { 200: '{items, nextCursor}', 400: 'invalid parameter (named in the error)' },
  },
  {
    method: 'get', path: '/api/issues/{id}', tag: 'issues', params: idParam,
    summary: 'One issue with its event timeline, grid, community, street, key sites and the workflow events legal now.',
    responses: { 200: 'the issue', 404: 'no such issue' },
  },
  {
    method: 'post', path: '/api/issues', tag: 'issues', body: ingestBody,
    summary: 'Ingest one issue (patrol app, 12345 feed); idempotent on clientId; assigned to grid/community/street/sites on arrival.',
    responses: {
      200: '{issue, created: false}: this clientId was already ingested', 201: '{issue, created: true}',
      400: 'invalid body: details lists each field', 409: 'the id belongs to another issue', 413: 'body over 1 MB', 422: 'invalid issue: details lists each problem',
    },
  },
  {
    method: 'post', path: '/api/issues/{id}/events', tag: 'issues', params: idParam, body: eventBody,
    summary: 'Apply a workflow transition (docs/domain.md state machine).',
    responses: { 200: '{issue, event}', 400: 'invalid body: details lists each field', 404: 'no such issue', 409: 'illegal transition (details: event, from, to), or after_photo_required: 核查/结案 without an 整改后 photo', 422: 'the event data breaks a rule (out of order, in the future, no later deadline)' },
  },
];

const MAX_BODY = 1024 * 1024;

/** Issue list, detail, ingest and workflow transitions under `/api/issues`. */
export function issueRoutes(deps: AppDeps) {
  const { db, bus } = deps;
  const clock = importClock(deps);
  const ingest = new IngestBatcher(db, clock);
  const limit = bodyLimit({
    maxSize: MAX_BODY,
    onError: () => {
      throw new ApiError(413, 'too_large', `the request body exceeds ${MAX_BODY} bytes`);
    },
  });
  const detail = async (id: string): Promise<IssueWithPhotos> => {
    const found = await issueDetail(db, id, deps.now());
    if (!found) throw new NotFoundError('not_found', `no issue ${id}`);
    return { ...found, photos: await issuePhotos(db, id, deps.photos.checks) };
  };
  const fresh = new FreshDetails((ids, from) => issueDetails(db, ids, deps.now(), from));
  /** A report's answer; one this request created holds no photos but those it attached. */
  const answerOf = async (outcome: IngestOutcome, reportedAt: number, attached: boolean): Promise<IssueWithPhotos> => {
    const found = outcome.created && !attached ? await fresh.get(outcome.id, reportedAt) : undefined;
    return found ? { ...found, photos: [] } : detail(outcome.id);
  };
  /** Ingests one report (idempotent on clientId) and attaches its photos, read and checked beforehand. */
  const ingestReport = async (c: Context, body: IngestBody, photos: readonly ReportPhoto[]) => {
    const now = deps.now();
    let outcome;
    try {
      outcome = await ingest.submit({
        clientId: body.clientId, id: body.id, crs: body.crs, lon: body.lon, lat: body.lat, day: shanghaiDate(now),
        properties: (id) => ingestProperties(body, id, now),
      });
    } catch (err) {
      throw err instanceof IngestRejected ? invalidIssue(err.problems) : err;
    }
    // A retried report attaches its photos again: the same pictures on the same issue change nothing.
    if (photos.length > 0) {
      await db.write(['photos'], async (w) => {
        for (const p of photos) {
          await attachPhoto(w, deps.photos.store, p.photo, { issueId: outcome.id, kind: p.kind, filename: p.filename, uploader: actorOf(c), at: now.getTime() });
        }
      });
    }
    // The report was valid, so its time parses (the pipeline's own parser).
    const issue = await answerOf(outcome, parseTimestamp(body.reportedAt ?? now.toISOString()).value ?? 0, photos.length > 0);
    if (!outcome.created) return c.json({ issue, created: false }, 200);
    bus.publish('issue.created', { issue: itemOf(issue) });
    return c.json({ issue, created: true }, 201);
  };

  /** The department an event names (code, name or short name), or a 422 naming what is wrong. */
  const departmentNamed = async (type: string, text: string) => {
    if (!(EVENTS_NAMING_DEPARTMENT as readonly string[]).includes(type)) {
      throw invalidEvent('department', 'invalid_event', `only ${EVENTS_NAMING_DEPARTMENT.join(', ')} names a department, not ${type}`);
    }
    const found = (await departmentRows(db)).find((d) => d.code === text) ?? (await departmentRows(db)).find((d) => d.name === text || d.short_name === text);
    if (!found) throw invalidEvent('department', 'unknown_department', `department "${text}" is neither the code, the name nor the short name of a department`);
    return { code: found.code, name: found.name };
  };

  return new Hono()
    .get('/', zValidator('query', listQuery, queryError), async (c) => {
      const q = c.req.valid('query');
      if (q.cursor && q.cursor.sort !== q.sort) {
        throw invalidParameter('cursor', `it continues sort=${q.cursor.sort}, not sort=${q.sort}`);
      }
      const f = await resolveFilters(db, q);
      const overdue = q.overdue === '1' || q.overdue === 'true';
      const now = deps.now();
      // The engine knows each issue's filters and report time, not its map position nor what "overdue now" is.
      const floor = deps.engine && q.sort === 'reported' && !q.bbox && !overdue ? await reportedFloor(deps.engine, f, now, q.limit + 1, q.cursor) : undefined;
      const page = await issuePage(db, f, { bbox: q.bbox, after: q.cursor, limit: q.limit, now, sort: q.sort, overdue, reportedFloor: floor });
      return c.json({ items: page.items, nextCursor: page.next ? encodeCursor(q.sort, page.next) : null });
    })
    .get('/:id', zValidator('param', idParam, queryError), async (c) => c.json(await detail(c.req.valid('param').id)))
    .post('/', multipartReport(deps.photos, ingestReport), limit, jsonBody(ingestBody), async (c) => ingestReport(c, c.req.valid('json'), []))
    .post('/:id/events', limit, zValidator('param', idParam, queryError), jsonBody(eventBody), async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const now = deps.now().getTime();
      const at = body.at === undefined ? now : timestampField('at', body.at);
      const deadline = body.deadline === undefined ? undefined : timestampField('deadline', body.deadline);
      const future = futureTimeProblem(at, now, clock.clockSkewMs, 'at');
      if (future) throw invalidEvent('at', 'in_future', future);
      const department = body.department === undefined ? null : await departmentNamed(body.type, body.department);
      // One write job: the event is published before the next write can move the issue again.
      return db.write(['issues'], async (w) => {
        const event = await applyWorkflowEvent(w, id, ({ state, limit: timeLimit, lastEventAt, afterPhotos }) => {
          const r = transition(state, { event: body.type, at, deadline, limit: timeLimit });
          if (!r.ok && r.code === 'illegal_transition') {
            throw new ConflictError('illegal_transition', r.reason, { event: body.type, from: r.from, to: r.to });
          }
          const floor = Math.max(state.reportedAt, lastEventAt ?? 0);
          if (at < floor) throw invalidEvent('at', 'out_of_order', `at must not be before the issue's last event (${new Date(floor).toISOString()})`);
          if (!r.ok) throw invalidEvent('deadline', 'invalid_event', r.reason);
          const refusal = deps.photos.closeNeedsAfterPhoto ? closurePhotoRefusal(body.type, afterPhotos) : null;
          if (refusal) throw new ConflictError(refusal.code, refusal.reason, { event: body.type, rule: 'close_needs_after_photo' });
          return { next: r.next, event: { type: body.type, at, actor: body.actor, note: body.note ?? null, department } };
        });
        if (!event) throw new NotFoundError('not_found', `no issue ${id}`);
        const issue = await detail(id);
        bus.publish('issue.updated', { issue: itemOf(issue), event });
        return c.json({ issue, event }, 200);
      });
    });
}

type IngestBody = z.infer<typeof ingestBody>;

/** A photo sent with a report: read and checked, with the kind its form field names. */
type ReportPhoto = { photo: PreparedPhoto; kind: PhotoKind; filename: string | null };

/** At most this many photos travel with one report. */
const MAX_REPORT_PHOTOS = 6;

/**
 * A report sent as multipart: the issue as JSON in the `issue` field and its photos as files in
 * `before`, `after` or `other` fields. Every photo is read and checked before anything is written,
 * so a bad picture refuses the whole report. JSON requests pass on to the JSON route.
 */
function multipartReport(s: PhotoSettings, ingest: (c: Context, body: IngestBody, photos: ReportPhoto[]) => Promise<Response>): MiddlewareHandler {
  const limit = photoBodyLimit(s.maxBytes, MAX_REPORT_PHOTOS);
  return async (c, next) => {
    if (!(c.req.header('content-type') ?? '').startsWith('multipart/form-data')) return next();
    let response: Response | undefined;
    await limit(c, async () => {
      const form = await c.req.parseBody({ all: true });
      const text = form.issue;
      if (typeof text !== 'string') throw invalidBody([{ field: 'issue', code: 'required', reason: 'the multipart report needs an `issue` field holding the issue as JSON' }]);
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch (err) {
        throw invalidBody([{ field: 'issue', code: 'malformed_json', reason: err instanceof Error ? err.message : 'not JSON' }]);
      }
      const body = ingestBody.safeParse(raw);
      if (!body.success) throw invalidBody(body.error.issues.map((i) => ({ field: ['issue', ...i.path.map(String)].join('.'), code: i.code, reason: i.message })));
      const files = PHOTO_KINDS.flatMap((kind) => [form[kind] ?? []].flat().map((v) => ({ kind, v })));
      const unknown = Object.keys(form).filter((k) => k !== 'issue' && !(PHOTO_KINDS as readonly string[]).includes(k));
      if (unknown.length) throw invalidBody(unknown.map((field) => ({ field, code: 'unknown_field', reason: 'expected issue, before, after or other' })));
      if (files.length > MAX_REPORT_PHOTOS) throw invalidBody([{ field: null, code: 'too_many_photos', reason: `at most ${MAX_REPORT_PHOTOS} photos per report` }]);
      const photos: ReportPhoto[] = [];
      for (const { kind, v } of files) {
        if (!(v instanceof File)) throw invalidBody([{ field: kind, code: 'not_a_file', reason: `${kind} must be a file` }]);
        photos.push({ photo: await preparedOrRefused(Buffer.from(await v.arrayBuffer()), s), kind, filename: v.name || null });
      }
      response = await ingest(c, body.data, photos);
    });
    return response;
  };
}

/** The body in the import's canonical property names, so the pipeline's aliases and rules apply unchanged. */
function ingestProperties(b: IngestBody, id: string, now: Date): Record<string, unknown> {
  return {
    id, client_id: b.clientId, category: b.category, source: b.source, status: b.status,
    reported_at: b.reportedAt ?? now.toISOString(), opened_at: b.openedAt, dispatched_at: b.dispatchedAt,
    deadline: b.deadline, closed_at: b.closedAt, immediate: b.immediate, rework_count: b.reworkCount,
    description: b.description, address: b.address, reporter: b.reporter, department: b.department,
  };
}

/** Pipeline field names as the API body spells them. */
const BODY_FIELDS: Record<string, string> = {
  client_id: 'clientId', reported_at: 'reportedAt', opened_at: 'openedAt', dispatched_at: 'dispatchedAt',
  closed_at: 'closedAt', rework_count: 'reworkCount', geometry: 'lon,lat',
};

function invalidIssue(problems: readonly ImportProblem[]): RuleError {
  const details = problems.map((p) => ({ field: p.field ? (BODY_FIELDS[p.field] ?? p.field) : null, code: p.code, reason: p.reason }));
  return new RuleError('invalid_issue', `the issue was rejected: ${details.map((d) => d.reason).join('; ')}`, details);
}

/** A workflow event whose data breaks a rule (as opposed to one not allowed now: a conflict). */
function invalidEvent(field: string, code: string, reason: string): RuleError {
  return new RuleError('invalid_event', reason, [{ field, code, reason }]);
}

function timestampField(field: string, raw: string): number {
  const t = parseTimestamp(raw);
  if (t.error !== undefined) throw invalidBody([{ field, code: 'invalid_timestamp', reason: t.error }]);
  return t.value;
}

/** An issue's detail with its evidence photos. */
type IssueWithPhotos = IssueDetail & { photos: Photo[] };

function itemOf(d: IssueWithPhotos): IssueItem {
  const { clientId: _c, openedAt: _o, reworkCount: _r, outsideGrid: _g, events: _e, allowedEvents: _a, photos: _p, ...item } = d;
  return item;
}

/**
 * Cursors are opaque to clients: base64url of the last row's `[reported_at, id]` (default sort) or
 * `["deadline", deadline, id]` (deadline null when the row has none), so a cursor names its order.
 */
function encodeCursor(sort: IssueSort, c: IssueCursor): string {
  return Buffer.from(JSON.stringify(sort === 'reported' ? [c.key, c.id] : [sort, c.key, c.id])).toString('base64url');
}

const TIMESTAMP_KEY = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?$/;

function decodeCursor(text: string): (IssueCursor & { sort: IssueSort }) | null {
  try {
    const v: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    const id = (x: unknown): x is string => typeof x === 'string' && x.length <= 64;
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && TIMESTAMP_KEY.test(v[0]) && id(v[1])) {
      return { sort: 'reported', key: v[0], id: v[1] };
    }
    if (Array.isArray(v) && v.length === 3 && v[0] === 'deadline' && (v[1] === null || (typeof v[1] === 'string' && TIMESTAMP_KEY.test(v[1]))) && id(v[2])) {
      return { sort: 'deadline', key: v[1], id: v[2] };
    }
  } catch {
    // Not base64 JSON: reported as an invalid parameter below.
  }
  return null;
}
