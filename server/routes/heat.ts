import { Hono } from 'hono';
import type { AppDeps } from '../app.ts';

/** Being written (issue 3). */
export function heatRoutes(_deps: AppDeps) {
  return new Hono();
}
