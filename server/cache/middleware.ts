/**
 * The response cache as Hono middleware for /api: GET answers of the read routes listed here are
 * served from {@link ResponseCache}, which follows the database's data version (writes need do
 * nothing). Runs after authentication, so a cached answer is only ever given to a caller allowed
 * to read it (reads do not differ by role).
 */
import type { MiddlewareHandler } from 'hono';
import { matchPath } from '../auth/policy.ts';
import type { ResponseCache } from './response-cache.ts';

/**
 * Dashboard reads: the same answer for everyone, and one a second or two old is as good (see
 * ResponseCache). One issue's detail is not cached: whoever just changed it must see the change.
 */
const CACHED = ['/api/stats/**', '/api/regions/**', '/api/grids/**', '/api/sites/**', '/api/reference/**', '/api/heat/**', '/api/meta/**', '/api/inspectors', '/api/issues'];

/** Serves the cached reads. */
export function cacheReads(cache: ResponseCache): MiddlewareHandler {
  return async (c, next) => {
    const { method, path } = c.req;
    if (method !== 'GET' || !CACHED.some((p) => matchPath(p, path))) return next();

    let computed = false;
    const answer = await cache.through(c.req.url, async () => {
      computed = true;
      await next();
      const type = c.res.headers.get('content-type') ?? '';
      if (c.res.status !== 200 || !type.startsWith('application/json')) return null;
      return { body: new Uint8Array(await c.res.clone().arrayBuffer()), contentType: type };
    });
    // This request computed the answer: c.res already holds it. Otherwise it is a hit, or a
    // concurrent miss that waited (null: that request failed, so this one runs on its own).
    if (computed) return;
    if (!answer) return next();
    c.header('x-civgrid-cache', 'hit');
    return c.body(answer.body, 200, { 'content-type': answer.contentType });
  };
}
