/**
 * Names for writes in the audit log (`issue.ingest`, `plan.split` …), derived from method and
 * path so routes need no audit code of their own. Pure: no Hono, no database.
 */

/** What a write is about, as far as its method and path tell. */
export type WriteDescription = { action: string; target: string | null; planId: number | null };

type Rule = { method: string; path: RegExp; action: (m: RegExpExecArray) => string; target?: (m: RegExpExecArray) => string | null; plan?: boolean };

const PLAN_OPS: Record<string, string> = { split: 'plan.split', merge: 'plan.merge', vertices: 'plan.vertex', undo: 'plan.undo', redo: 'plan.redo', publish: 'plan.publish' };

const RULES: Rule[] = [
  { method: 'POST', path: /^\/api\/import\/([^/]+)$/, action: (m) => `import.${m[1]}`, target: (m) => m[1]! },
  { method: 'POST', path: /^\/api\/issues$/, action: () => 'issue.ingest' },
  { method: 'POST', path: /^\/api\/issues\/([^/]+)\/events$/, action: () => 'issue.event', target: (m) => m[1]! },
  { method: 'POST', path: /^\/api\/plans$/, action: () => 'plan.create' },
  { method: 'PATCH', path: /^\/api\/plans\/(\d+)$/, action: () => 'plan.rename', plan: true },
  { method: 'DELETE', path: /^\/api\/plans\/(\d+)$/, action: () => 'plan.discard', plan: true },
  { method: 'POST', path: /^\/api\/plans\/(\d+)\/(split|merge|vertices|undo|redo|publish)$/, action: (m) => PLAN_OPS[m[2]!]!, plan: true },
  { method: 'PUT', path: /^\/api\/plans\/(\d+)\/grids\/([^/]+)$/, action: () => 'plan.update_grid', target: (m) => m[2]!, plan: true },
  { method: 'POST', path: /^\/api\/users$/, action: () => 'user.add' },
  { method: 'DELETE', path: /^\/api\/users\/(\d+)$/, action: () => 'user.revoke', target: (m) => m[1]! },
  { method: 'POST', path: /^\/api\/backups$/, action: () => 'backup.create' },
];

/** The audit action, target and plan of a write; unknown writes are `other` with the path kept. */
export function describeWrite(method: string, path: string): WriteDescription {
  const clean = path.replace(/\/+$/, '');
  for (const r of RULES) {
    if (r.method !== method.toUpperCase()) continue;
    const m = r.path.exec(clean);
    if (!m) continue;
    const target = r.target?.(m) ?? (r.plan ? m[1]! : null);
    return { action: r.action(m), target: target === null ? null : safeDecode(target), planId: r.plan ? Number(m[1]) : null };
  }
  return { action: 'other', target: null, planId: null };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
