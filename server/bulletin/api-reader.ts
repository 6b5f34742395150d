/**
 * The read API, asked in-process. A bulletin must say exactly what the screens say for the same
 * scope, period and filters, so instead of counting again it asks the very routes the screens ask
 * (without the HTTP server, the token check or the response cache in between). A refusal comes back
 * as the error the route threw, so a bad scope in a bulletin request is the same 400 as anywhere.
 */
import { Hono } from 'hono';
import type { AppDeps } from '../app.ts';
import { gridRoutes } from '../routes/grids.ts';
import { heatRoutes } from '../routes/heat.ts';
import { issueRoutes } from '../routes/issues.ts';
import { metaRoutes } from '../routes/meta.ts';
import { photoRoutes } from '../routes/photos.ts';
import { regionRoutes } from '../routes/regions.ts';
import { siteRoutes } from '../routes/sites.ts';
import { statsRoutes } from '../routes/stats.ts';

/** Query values; arrays repeat the parameter, null and undefined are left out. */
export type ApiQuery = Record<string, string | number | readonly string[] | null | undefined>;

/** Reads `path` (below /api) with the query and returns its JSON. */
export type ApiRead = <T>(path: string, query?: ApiQuery) => Promise<T>;

/** A reader over the read routes of `deps`. */
export function apiReader(deps: AppDeps): ApiRead {
  const api = new Hono()
    .route('/meta', metaRoutes(deps))
    .route('/regions', regionRoutes(deps))
    .route('/grids', gridRoutes(deps))
    .route('/sites', siteRoutes(deps))
    .route('/stats', statsRoutes(deps))
    .route('/heat', heatRoutes(deps))
    .route('/issues', issueRoutes(deps))
    .route('/photos', photoRoutes(deps));
  // The route's own error, not a generic 500: the caller maps it like any request's.
  api.onError((err) => {
    throw err;
  });
  return async <T>(path: string, query: ApiQuery = {}): Promise<T> => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value === null || value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value]) params.append(key, String(v));
    }
    const res = await api.request(`${path}?${params}`);
    if (!res.ok) throw new Error(`GET /api${path} answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as T;
  };
}
