import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Database } from './db/database.ts';
import { ApiError, errorBody } from './errors.ts';
import { healthRoutes } from './routes/health.ts';
import { importRoutes, type ImportGate } from './routes/import.ts';
import { regionRoutes } from './routes/regions.ts';

export type AppDeps = {
  db: Database;
  version: string;
  /** Who may import; until roles exist, loopback callers only. */
  importGate: ImportGate;
  importMaxBytes: number;
};

/** Builds the API app: one sub-app per resource and one error path. */
export function createApp(deps: AppDeps) {
  const app = new Hono()
    .route('/api/health', healthRoutes(deps.db, deps.version))
    .route('/api/regions', regionRoutes(deps.db))
    .route('/api/import', importRoutes(deps.db, deps.importGate, deps.importMaxBytes));

  app.notFound((c) => c.json(errorBody('not_found', `no route for ${c.req.method} ${c.req.path}`), 404));
  app.onError((err, c) => {
    if (err instanceof ApiError) return c.json(errorBody(err.code, err.message, err.details), err.status);
    if (err instanceof HTTPException) return c.json(errorBody(codeForStatus(err.status), err.message), err.status);
    // Unknown errors are logged in full and answered without internals (no stack, no SQL).
    console.error(err);
    return c.json(errorBody('internal', 'internal server error'), 500);
  });
  return app;
}

function codeForStatus(status: number): string {
  if (status === 400) return 'bad_request';
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 413) return 'too_large';
  return 'http_error';
}

export type AppType = ReturnType<typeof createApp>;
