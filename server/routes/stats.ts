import { Hono } from 'hono';
import type { AppDeps } from '../app.ts';

/** Being written (issue 3). */
export function statsRoutes(_deps: AppDeps) {
  return new Hono();
}
