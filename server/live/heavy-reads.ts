/**
 * Aggregate reads take turns. Each holds the event loop for its own slices of work (finishing
 * counts, ranking thousands of units, serialising a choropleth); sixteen of them at once queue so
 * many slices that a health check or a cached read waits behind all of them. Through this gate only
 * a few compute at a time and the rest wait off the loop, in arrival order, so a cheap request
 * waits behind a few slices at most. The gate sits after the response cache: a cached answer
 * never queues.
 */
import type { MiddlewareHandler } from 'hono';
import { matchPath } from '../auth/policy.ts';
import type { Admission } from './admission.ts';

/** Reads that count issues for their answer (the response cache's aggregates, without the issue list and meta). */
export const HEAVY_READS = ['/api/stats/**', '/api/grids/**', '/api/regions/**', '/api/heat/**', '/api/sites/**', '/api/inspectors'];

/** Whether `GET path` is an aggregate read that takes its turn. */
export const isHeavyRead = (method: string, path: string) => method === 'GET' && HEAVY_READS.some((p) => matchPath(p, path));

/** Holds a place of `admission` while an aggregate read computes its answer (its handler runs). */
export function heavyReads(admission: Admission): MiddlewareHandler {
  return async (c, next) => {
    if (!isHeavyRead(c.req.method, c.req.path)) return next();
    await admission.run(next);
  };
}
