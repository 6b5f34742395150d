/**
 * Authentication and authorisation for /api: reads the bearer token, checks it, applies the
 * policy (policy.ts) and the rate limits, and remembers who is calling for the routes and the
 * audit log. Failures are ApiErrors, so they share the one error shape.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { ApiError } from '../errors.ts';
import type { SecurityDeps } from '../security/config.ts';
import { RateLimiter } from '../security/rate-limit.ts';
import { matchPath, requiredRole } from './policy.ts';
import { roleAtLeast } from './roles.ts';
import type { Principal, TokenRefusal } from './users.ts';

declare module 'hono' {
  // On the context, which sub-apps share with the middleware (the raw request is not stable:
  // body-limit middleware replaces it), so any route can ask who is calling.
  interface ContextVariableMap {
    principal: Principal;
  }
}

/** The caller of this request, or null when it carries no token (and reads are open). */
export function principalOf(c: Context): Principal | null {
  return c.get('principal') ?? null;
}

/** The caller's name for change logs and job records; `anonymous` without a token. */
export function actorOf(c: Context): string {
  return principalOf(c)?.name ?? 'anonymous';
}

/** True for methods that change something. */
export function isWrite(method: string): boolean {
  return method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS';
}

/** EventSource cannot send headers, so the live feed alone also takes `?access_token=`. */
const QUERY_TOKEN_PATHS = ['/api/events'];
const SIGN_IN_PATHS = ['/api/auth/**'];

const REFUSALS: Record<TokenRefusal, string> = {
  malformed: 'the token is not valid',
  unknown: 'the token is not valid',
  expired: 'the token has expired; ask an administrator for a new one',
  revoked: 'the token has been revoked',
};

/**
 * Builds the middleware; its rate-limit buckets live as long as the app.
 *
 * A presented token is checked before any limit keyed by address is applied: behind NAT or a
 * proxy many people share one address, and one of them presenting bad tokens must not lock the
 * others out. So the failure limit (per address) only refuses attempts whose token did not
 * verify, and a verified token is limited by its own buckets (sign-in checks, writes).
 */
export function authenticate(s: SecurityDeps): MiddlewareHandler {
  const signIn = new RateLimiter(s.signInLimit);
  // Separate from sign-in checks, so a page that checks its token often is not locked out of the API.
  const failures = new RateLimiter(s.signInLimit);
  const writes = new RateLimiter(s.writeLimit);

  return async (c, next) => {
    const { method, path } = c.req;
    const ip = s.clientIp(c);

    const presented = presentedToken(c);
    let principal: Principal | null = s.anonymous ?? null;
    if (presented !== null) {
      // Checking first costs little: a malformed token is refused by its shape, a well-formed one
      // after one lookup of its public prefix in a small, cached table.
      const verdict = presented === '' ? { ok: false as const, reason: 'malformed' as const } : await s.users.verify(presented);
      if (!verdict.ok) {
        // An address that keeps presenting bad tokens is told to slow down instead of which token failed.
        limited(c, failures.take(`ip:${ip}`), 'failed sign-ins');
        challenge(c, 'invalid_token');
        throw new ApiError(401, 'invalid_token', REFUSALS[verdict.reason]);
      }
      principal = verdict.principal;
    }
    const caller = principal ? `token:${principal.id}` : `ip:${ip}`;
    if (SIGN_IN_PATHS.some((p) => matchPath(p, path))) limited(c, signIn.take(caller), 'sign-in attempts');

    const need = requiredRole(method, path, s.reads);
    if (need) {
      if (!principal) {
        challenge(c);
        throw new ApiError(401, 'unauthorized', `sign in: ${method} ${path} needs a token with role ${need} or above`, { required: need });
      }
      if (!roleAtLeast(principal.role, need)) {
        throw new ApiError(403, 'forbidden', `role ${principal.role} may not ${method} ${path}; it needs ${need} or above`, { required: need, role: principal.role });
      }
    }
    if (isWrite(method)) limited(c, writes.take(caller), 'writes');
    if (principal) c.set('principal', principal);
    await next();
  };
}

/**
 * The token of the request: from `Authorization: Bearer …`, or `?access_token=` where allowed.
 * Returns '' for an Authorization header of another scheme (reported as an invalid token, not
 * silently ignored), null when there is none.
 */
function presentedToken(c: Context): string | null {
  const header = c.req.header('authorization');
  if (header !== undefined) {
    const m = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
    return m ? m[1]! : '';
  }
  if (c.req.method === 'GET' && QUERY_TOKEN_PATHS.some((p) => matchPath(p, c.req.path))) {
    return c.req.query('access_token') ?? null;
  }
  return null;
}

function challenge(c: Context, error?: string): void {
  c.header('WWW-Authenticate', `Bearer realm="civgrid"${error ? `, error="${error}"` : ''}`);
}

function limited(c: Context, take: { ok: true } | { ok: false; retryAfterS: number }, what: string): void {
  if (take.ok) return;
  c.header('Retry-After', String(take.retryAfterS));
  throw new ApiError(429, 'rate_limited', `too many ${what}; retry in ${take.retryAfterS} s`, { retryAfterS: take.retryAfterS });
}
