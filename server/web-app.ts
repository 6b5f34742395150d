/** The built web app (workspace, big screen, planner) served beside the API by server/index.ts. */
import { serveStatic } from '@hono/node-server/serve-static';
import type { Hono } from 'hono';

/**
 * Serves the files of `root` (the Vite build), and its `index.html` for any other GET, so
 * client-side routes (/screen, /plan …) load the single-page app. Paths under /api never get
 * here: the API answers every one of them itself, unknown ones with a JSON 404 (server/app.ts).
 */
export function serveWebApp(app: Hono, root: string): void {
  app.use('/*', serveStatic({ root }));
  app.get('*', serveStatic({ root, path: 'index.html' }));
}
