/** One body-size rule for every JSON write, so no route can forget it. */
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ApiError } from '../errors.ts';
import { matchPath } from '../auth/policy.ts';
import type { SecurityDeps } from './config.ts';

/**
 * Routes whose bodies are files under their own, configurable caps: imports stream to disk
 * (CIVGRID_IMPORT_MAX_MB); photos, and reports sent with their photos as multipart, are held to the
 * photo limit (CIVGRID_PHOTO_MAX_MB) by their routes.
 */
const STREAMED = ['/api/import/**', '/api/issues/*/photos'];
const MULTIPART = ['/api/issues'];

/**
 * 413 `too_large` for request bodies over `jsonMaxBytes`, checked from Content-Length or while
 * reading a chunked body, before any handler parses it. Imports are exempt (they stream).
 */
export function jsonBodyLimit(s: Pick<SecurityDeps, 'jsonMaxBytes'>): MiddlewareHandler {
  const limit = bodyLimit({
    maxSize: s.jsonMaxBytes,
    onError: () => {
      throw new ApiError(413, 'too_large', `the request body exceeds ${s.jsonMaxBytes} bytes`);
    },
  });
  return async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD' || STREAMED.some((p) => matchPath(p, c.req.path))) return next();
    const multipart = (c.req.header('content-type') ?? '').startsWith('multipart/form-data');
    if (multipart && MULTIPART.some((p) => matchPath(p, c.req.path))) return next();
    return limit(c, next);
  };
}
