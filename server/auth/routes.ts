/**
 * `/api/auth/me` (the sign-in check) and `/api/users` (issue, list and revoke tokens; admin only
 * by the policy). The CLI `npm run user` uses these when a running server holds the database.
 */
import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import { invalidBody, NotFoundError } from '../domain/errors.ts';
import { ApiError } from '../errors.ts';
import type { RouteDoc } from '../openapi/build.ts';
import { jsonBody, queryError } from '../routes/validation.ts';
import type { SecurityDeps } from '../security/config.ts';
import { parseExpiry } from './expiry.ts';
import { actorOf, principalOf } from './middleware.ts';
import { abilitiesOf, ROLES } from './roles.ts';
import type { UserRecord } from './users.ts';

const addBody = z.object({
  name: z.string().trim().min(1).max(64).regex(/^[^\p{C}]+$/u, 'printable characters only').describe('who holds the token, e.g. 张三'),
  role: z.enum(ROLES),
  expires: z.string().max(40).optional().describe('lifetime (90d, 12h, 2w) or an ISO date; default: never'),
});
const idParam = z.object({ id: z.coerce.number().int().positive().describe('token id from the user list') });

/** OpenAPI entries of the sign-in check and the users API. */
export const authDocs: RouteDoc[] = [
  {
    method: 'get', path: '/api/auth/me', tag: 'security',
    summary: 'Who the bearer token belongs to: name, role, what the role may do, expiry. The web sign-in page calls it.',
    responses: { 200: '{name, role, abilities, expiresAt, reads}', 401: 'no token, or an invalid, expired or revoked one', 429: 'too many sign-in attempts from this address' },
  },
  {
    method: 'get', path: '/api/users', tag: 'security', summary: 'Every issued token (never the token itself), newest first. Admin.',
    responses: { 200: 'users', 401: 'no token', 403: 'not an admin' },
  },
  {
    method: 'post', path: '/api/users', tag: 'security', body: addBody,
    summary: 'Issue a token for a user; the answer is the only time the token is shown. Admin.',
    responses: { 201: '{user, token}', 400: 'invalid body', 401: 'no token', 403: 'not an admin' },
  },
  {
    method: 'delete', path: '/api/users/{id}', tag: 'security', params: idParam,
    summary: 'Revoke a token; it stops working at once. Admin.',
    responses: { 200: 'the revoked token', 404: 'no such token, or already revoked', 401: 'no token', 403: 'not an admin' },
  },
];

/** A user record as the API shows it. */
function view(u: UserRecord) {
  return {
    id: u.id, name: u.name, role: u.role, tokenPrefix: u.tokenPrefix, active: u.active,
    createdAt: u.createdAt.toISOString(), createdBy: u.createdBy,
    expiresAt: u.expiresAt?.toISOString() ?? null, revokedAt: u.revokedAt?.toISOString() ?? null, revokedBy: u.revokedBy,
  };
}

/** `/api/auth`: the sign-in check. */
export function authRoutes(s: SecurityDeps) {
  return new Hono().get('/me', (c) => {
    const p = principalOf(c);
    // The test-only anonymous principal is no sign-in: the page must see a real token's owner.
    if (!p || p === s.anonymous) {
      c.header('WWW-Authenticate', 'Bearer realm="civgrid"');
      throw new ApiError(401, 'unauthorized', 'send a token as Authorization: Bearer <token>');
    }
    return c.json({
      id: p.id, name: p.name, role: p.role, abilities: abilitiesOf(p.role), tokenPrefix: p.tokenPrefix,
      expiresAt: p.expiresAt?.toISOString() ?? null, reads: s.reads,
    });
  });
}

/** `/api/users`: token administration. */
export function userRoutes(s: SecurityDeps, now: () => Date) {
  return new Hono()
    .get('/', async (c) => c.json((await s.users.list()).map(view)))
    .post('/', jsonBody(addBody), async (c) => {
      const b = c.req.valid('json');
      let expiresAt: Date | null = null;
      if (b.expires !== undefined) {
        try {
          expiresAt = parseExpiry(b.expires, now());
        } catch (err) {
          throw invalidBody([{ field: 'expires', code: 'invalid_expiry', reason: (err as Error).message }]);
        }
      }
      const { user, token } = await s.users.add({ name: b.name, role: b.role, expiresAt, createdBy: actorOf(c) });
      return c.json({ user: view(user), token }, 201);
    })
    .delete('/:id', zValidator('param', idParam, queryError), async (c) => {
      const { id } = c.req.valid('param');
      const [revoked] = await s.users.revoke({ id }, actorOf(c));
      if (!revoked) throw new NotFoundError('not_found', `no active token ${id}`);
      return c.json(view(revoked));
    });
}
