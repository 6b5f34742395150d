/**
 * Entry point, kept small: it starts the page's first API requests (web/api/early.ts) and the
 * loading of the page's own chunk, then loads the app (web/app.ts) — so the answers and the
 * page's code travel while the browser fetches and compiles Vue, instead of after.
 */
import { startEarly } from './api/early';
import { pageLoader } from './pages';

startEarly(location.pathname);
void pageLoader(location.pathname)?.();
void import('./app');
