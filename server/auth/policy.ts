/**
 * Who may call what: one table of (method, path pattern) → least role, applied by the
 * authentication middleware to every request under /api. New routes are covered without edits:
 * an unlisted read needs what reads need, an unlisted write needs admin.
 */
import type { Role } from './roles.ts';

/** `public`: anyone, token or not. `read`: open or viewer, depending on the server's read mode. */
export type Requirement = Role | 'public' | 'read';

/** One rule. `path` uses `*` for one path segment and a trailing `/**` for any depth. */
export type PolicyRule = { methods: readonly string[]; path: string; need: Requirement; why: string };

const READS = ['GET', 'HEAD'] as const;
const WRITES = ['POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** The policy, first match wins. README "Security and operations" prints it. */
export const POLICY: readonly PolicyRule[] = [
  { methods: READS, path: '/api/health', need: 'public', why: 'monitoring probes carry no token' },
  { methods: READS, path: '/api/auth/me', need: 'public', why: 'the sign-in check answers 401 itself when no token is sent' },
  { methods: READS, path: '/api/users/**', need: 'admin', why: 'the user list names every token holder' },
  { methods: READS, path: '/api/audit/**', need: 'admin', why: 'the audit log is for administrators' },
  { methods: WRITES, path: '/api/import/**', need: 'admin', why: 'imports replace reference data in bulk' },
  { methods: ['POST'], path: '/api/issues', need: 'operator', why: 'ingest from the patrol app and the 12345 feed' },
  { methods: ['POST'], path: '/api/issues/*/events', need: 'operator', why: 'workflow transitions' },
  { methods: ['POST'], path: '/api/issues/*/photos', need: 'operator', why: 'evidence photos from the patrol app' },
  { methods: READS, path: '/api/photos/*/original', need: 'admin', why: 'originals keep the EXIF GPS and device data' },
  { methods: ['POST'], path: '/api/bulletins', need: 'operator', why: 'generating and archiving the monthly bulletin' },
  { methods: WRITES, path: '/api/plans/**', need: 'planner', why: 'grid plan drafts, edits and publishing' },
  { methods: WRITES, path: '/api/users/**', need: 'admin', why: 'issuing and revoking tokens' },
  { methods: WRITES, path: '/api/backups/**', need: 'admin', why: 'backups write files on the server' },
  { methods: READS, path: '/api/**', need: 'read', why: 'dashboards, maps, exports, live feed, API docs' },
  { methods: WRITES, path: '/api/**', need: 'admin', why: 'default for writes nobody listed: deny all but admin' },
];

/** Whether `path` matches `pattern` (`*` one segment, trailing `/**` zero or more segments). */
export function matchPath(pattern: string, path: string): boolean {
  const p = pattern.split('/');
  const s = path.replace(/\/+$/, '').split('/');
  if (p.at(-1) === '**') {
    const head = p.slice(0, -1);
    return s.length >= head.length && head.every((seg, i) => seg === '*' || seg === s[i]);
  }
  return p.length === s.length && p.every((seg, i) => seg === '*' || seg === s[i]);
}

/**
 * The rule that governs a request. Methods outside the table (OPTIONS, TRACE …) fall to the
 * admin default, so nothing is ever unchecked.
 */
function ruleFor(method: string, path: string): PolicyRule {
  const m = method.toUpperCase();
  const rule = POLICY.find((r) => r.methods.includes(m) && matchPath(r.path, path));
  return rule ?? { methods: [m], path, need: 'admin', why: 'method not in the policy' };
}

/** The least role a request needs, or null when anyone may make it. */
export function requiredRole(method: string, path: string, reads: 'open' | 'token'): Role | null {
  const { need } = ruleFor(method, path);
  if (need === 'public') return null;
  if (need === 'read') return reads === 'open' ? null : 'viewer';
  return need;
}
