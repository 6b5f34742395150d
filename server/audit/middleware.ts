/**
 * Records every accepted write (2xx/3xx) in the audit log after its handler ran: who (token
 * owner, role, address), when, what (action, target, request parameters and body, a summary of
 * the answer) and, for plan edits, the plan_changes row holding the grids before and after.
 * Refused writes changed nothing and are not recorded, so bad input leaves the database as it was.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { isWrite, principalOf } from '../auth/middleware.ts';
import type { SecurityDeps } from '../security/config.ts';
import { describeWrite } from './actions.ts';
import type { AuditLog } from './log.ts';

/** Request bodies larger than this are summarised by size instead of copied. */
const MAX_BODY_CHARS = 16_384;

/** Builds the middleware. */
export function auditWrites(log: AuditLog, s: Pick<SecurityDeps, 'clientIp'>, now: () => Date): MiddlewareHandler {
  return async (c, next) => {
    if (!isWrite(c.req.method)) return next();
    const at = now();
    const started = performance.now();
    await next();
    if (c.res.status >= 400) return;
    const principal = principalOf(c);
    const what = describeWrite(c.req.method, c.req.path);
    const answer = await responseJson(c);
    const planId = what.planId ?? (what.action === 'plan.create' ? numberAt(answer, 'id') : null);
    try {
      const changeSeq = planId === null ? null : (numberAt(answer, 'seq') ?? (await log.latestChange(planId)));
      const entry = {
        at, actor: principal?.name ?? 'anonymous', userId: principal?.id ?? null, role: principal?.role ?? null, ip: s.clientIp(c),
        method: c.req.method, path: c.req.path, action: what.action,
        target: what.target ?? stringAt(answer, 'issue', 'id') ?? stringAt(answer, 'user', 'id') ?? (planId === null ? null : String(planId)),
        status: c.res.status, durationMs: performance.now() - started, planId, changeSeq,
        detail: { query: c.req.queries(), body: await requestJson(c), result: summary(answer) },
      };
      // The answer does not wait for the entry's commit (under load, the audit round's turn in the
      // write queue was a fifth of a report's latency); reads of the log wait for it instead.
      log.record(entry).catch((err: unknown) => console.error(`audit: could not record ${entry.method} ${entry.path}`, err));
    } catch (err) {
      // The write is committed and its answer ready; failing it now would invite a duplicate retry.
      console.error(`audit: could not record ${c.req.method} ${c.req.path}`, err);
    }
  };
}

/** The JSON body the handler parsed (Hono caches it), trimmed; nothing for uploads. */
async function requestJson(c: Context): Promise<unknown> {
  if (!(c.req.header('content-type') ?? '').includes('application/json')) return undefined;
  try {
    const body: unknown = await c.req.json();
    const text = JSON.stringify(body);
    return text.length <= MAX_BODY_CHARS ? body : { omitted: `${text.length} characters` };
  } catch {
    return undefined;
  }
}

async function responseJson(c: Context): Promise<unknown> {
  if (!(c.res.headers.get('content-type') ?? '').includes('application/json')) return undefined;
  try {
    return await c.res.clone().json();
  } catch {
    return undefined;
  }
}

/** The answer's figures worth keeping; never whole answers (they can hold a new token). */
function summary(answer: unknown): Record<string, unknown> | undefined {
  if (!answer || typeof answer !== 'object') return undefined;
  const a = answer as Record<string, unknown>;
  const keep = ['ok', 'kind', 'file', 'features', 'inserted', 'updated', 'outsideGrid', 'created', 'seq', 'added', 'removed', 'changed', 'archived', 'reassigned', 'tables', 'dir'];
  const out: Record<string, unknown> = {};
  for (const k of keep) if (a[k] !== undefined) out[k] = a[k];
  if (a.event && typeof a.event === 'object') out.event = a.event;
  return Object.keys(out).length ? out : undefined;
}

function numberAt(v: unknown, key: string): number | null {
  const x = v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}

function stringAt(v: unknown, outer: string, key: string): string | null {
  const o = v && typeof v === 'object' ? (v as Record<string, unknown>)[outer] : undefined;
  const x = o && typeof o === 'object' ? (o as Record<string, unknown>)[key] : undefined;
  return typeof x === 'string' || typeof x === 'number' ? String(x) : null;
}
