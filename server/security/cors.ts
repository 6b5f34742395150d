/** CORS: closed unless origins are configured (CIVGRID_CORS_ORIGINS), then only for those. */
import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import type { SecurityDeps } from './config.ts';

/**
 * Answers preflights and adds Access-Control-* headers for the configured origins only. With no
 * origins it adds nothing, so browsers keep other sites from reading answers. Credentials stay
 * off: tokens travel in the Authorization header, never in cookies.
 */
export function corsPolicy(s: Pick<SecurityDeps, 'corsOrigins'>): MiddlewareHandler {
  const allowed = new Set(s.corsOrigins);
  if (!allowed.size) return async (_c, next) => next();
  return cors({
    origin: (origin) => (allowed.has(origin) ? origin : null),
    allowMethods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowHeaders: ['Authorization', 'Content-Type', 'Last-Event-ID', 'X-Civgrid-User'],
    exposeHeaders: ['Retry-After', 'Content-Disposition'],
    maxAge: 600,
    credentials: false,
  });
}
