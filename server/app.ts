import { Hono, type Context } from 'hono';
import { AuditLog } from './audit/log.ts';
import { auditWrites } from './audit/middleware.ts';
import { auditDocs, auditRoutes } from './audit/routes.ts';
import { authenticate } from './auth/middleware.ts';
import { authDocs, authRoutes, userRoutes } from './auth/routes.ts';
import { backupDocs, backupRoot, backupRoutes } from './backup/routes.ts';
import type { Database } from './db/database.ts';
import { errorBody, errorResponse } from './errors.ts';
import type { ScoringConfig } from './kpi/score.ts';
import type { SiteStatusRule } from './domain/site-status.ts';
import type { EventBus } from './live/bus.ts';
import { archiveDocs, archiveRoutes } from './routes/bulletins.ts';
import { bulletinRoot } from './bulletin/files.ts';
import { eventDocs, eventRoutes } from './routes/events.ts';
import { exportDocs, exportRoutes } from './routes/export.ts';
import { framesDocs, framesRoutes } from './routes/frames.ts';
import { geometryDocs, geometryRoutes } from './routes/geometry.ts';
import { gridDocs, gridRoutes } from './routes/grids.ts';
import { healthDocs, healthRoutes } from './routes/health.ts';
import { heatDocs, heatRoutes } from './routes/heat.ts';
import { importDocs, importRoutes } from './routes/import.ts';
import { inspectorDocs, inspectorRoutes } from './routes/inspectors.ts';
import { issueDocs, issueRoutes } from './routes/issues.ts';
import { metaDocs, metaRoutes } from './routes/meta.ts';
import { openApiRoutes } from './routes/openapi.ts';
import { issuePhotoRoutes, photoDocs, photoRoutes } from './routes/photos.ts';
import type { PhotoSettings } from './media/photo-service.ts';
import { planDocs, planRoutes } from './routes/plans.ts';
import { referenceDocs, referenceRoutes } from './routes/reference.ts';
import { regionDocs, regionRoutes } from './routes/regions.ts';
import { screenConfigDocs, screenConfigRoutes, type ScreenConfig } from './routes/screen-config.ts';
import { siteDocs, siteRoutes } from './routes/sites.ts';
import { statsDocs, statsRoutes } from './routes/stats.ts';
import { bulletinDocs, bulletinRoutes, type BulletinSettings } from './routes/bulletin.ts';
import { jsonBodyLimit } from './security/body-limit.ts';
import type { SecurityDeps } from './security/config.ts';
import { corsPolicy } from './security/cors.ts';
import { securityHeaders } from './security/headers.ts';
import { cacheReads } from './cache/middleware.ts';
import { ResponseCache, type CachePolicy } from './cache/response-cache.ts';
import type { KpiEngine } from './kpi/fast/engine.ts';
import type { LoopDelayMonitor } from './live/loop-delay.ts';
import type { Admission } from './live/admission.ts';
import { heavyReads } from './live/heavy-reads.ts';

export type AppDeps = {
  db: Database;
  version: string;
  /** Size cap of an uploaded import file (`/api/import`, draft imports). */
  importMaxBytes: number;
  /** Most positions per imported feature (CIVGRID_MAX_VERTICES); default DEFAULT_MAX_VERTICES. */
  importMaxVertices?: number;
  scoring: ScoringConfig;
  /** Thresholds of the key sites' 红黄绿灯 status, validated at start (CIVGRID_SITE_STATUS). */
  siteStatus: SiteStatusRule;
  /** The big screen's configuration, validated at start (CIVGRID_SCREEN_CONFIG). */
  screen: ScreenConfig;
  bus: EventBus;
  /** The current time; tests pin it so KPI answers are known. */
  now: () => Date;
  /** How far past `now` a reported event time may lie (CIVGRID_CLOCK_SKEW_MINUTES); default 10 min. */
  clockSkewMs?: number;
  /** Tokens, read mode, CORS, CSP, body and rate limits (server/security/config.ts). */
  security: SecurityDeps;
  /** Where `POST /api/backups` writes; default `backups/` beside the database. */
  backupDir?: string;
  /** The response cache for reads (server/cache); absent: every read is computed. */
  cache?: CachePolicy;
  /** The in-memory KPI engine (server/kpi/fast); absent: every KPI is counted in DuckDB. */
  engine?: KpiEngine;
  /** The event loop's delay, reported by `/api/health` (the server process starts one; tests need not). */
  loopDelay?: LoopDelayMonitor;
  /** How many aggregate reads compute at once (server/live/heavy-reads.ts, CIVGRID_HEAVY_READS); absent: no limit. */
  heavyReads?: Admission;
  /** Evidence photos: the media store, upload limits, checks and the closure rule. */
  photos: PhotoSettings;
  /** The bulletin's template folder and PDF printer; default data/bulletin and /usr/bin/chromium. */
  bulletin?: BulletinSettings;
  /** Whether `/api/inspectors` ranks inspectors by name (网格之星, CIVGRID_INSPECTOR_RANKING); default off. */
  inspectorRanking?: boolean;
  /** Where stored bulletins are kept (CIVGRID_BULLETIN_DIR); default `bulletins/` beside the database. */
  bulletinDir?: string;
  /** The scope of the scheduled monthly bulletin (CIVGRID_BULLETIN_SCOPE); default the top region. */
  bulletinScope?: string | null;
};

/** Every route's documentation, in the order the docs page lists them. */
const API_DOCS = [
  ...healthDocs, ...metaDocs, ...regionDocs, ...gridDocs, ...geometryDocs, ...siteDocs, ...referenceDocs, ...statsDocs, ...framesDocs, ...inspectorDocs, ...heatDocs,
  ...issueDocs, ...photoDocs, ...bulletinDocs, ...archiveDocs, ...eventDocs, ...exportDocs, ...importDocs, ...planDocs, ...screenConfigDocs, ...authDocs, ...auditDocs, ...backupDocs,
];

/** Builds the API app: one sub-app per resource and one error path. */
export function createApp(deps: AppDeps) {
  // Order matters: headers wrap everything (errors too), CORS answers preflights before any
  // token is asked for, oversized bodies are refused before anyone reads them, and the audit
  // sees the caller the authentication found.
  const app = new Hono()
    .use('*', securityHeaders(deps.security))
    .use('/api/*', corsPolicy(deps.security))
    .use('/api/*', jsonBodyLimit(deps.security))
    .use('/api/*', authenticate(deps.security))
    .use('/api/*', auditWrites(new AuditLog(deps.db), deps.security, deps.now))
    .use('/api/*', deps.cache ? cacheReads(new ResponseCache(deps.db.version, deps.cache)) : (_c, next) => next())
    // After the cache: an answer it holds is served at once, only a computed one takes its turn.
    .use('/api/*', deps.heavyReads ? heavyReads(deps.heavyReads) : (_c, next) => next())
    .route('/api/health', healthRoutes(deps.db, deps.version, deps.engine, deps.loopDelay))
    .route('/api/meta', metaRoutes(deps))
    .route('/api/regions', regionRoutes(deps))
    .route('/api/grids', gridRoutes(deps))
    .route('/api/geometry', geometryRoutes(deps))
    .route('/api/sites', siteRoutes(deps))
    .route('/api/reference', referenceRoutes(deps))
    .route('/api/stats/frames', framesRoutes(deps))
    .route('/api/stats', statsRoutes(deps))
    .route('/api/inspectors', inspectorRoutes(deps))
    .route('/api/heat', heatRoutes(deps))
    .route('/api/issues', issuePhotoRoutes(deps))
    .route('/api/issues', issueRoutes(deps))
    .route('/api/photos', photoRoutes(deps))
    .route('/api/bulletin', bulletinRoutes(deps))
    .route('/api/events', eventRoutes(deps))
    .route('/api/export', exportRoutes(deps))
    .route('/api/bulletins', archiveRoutes(deps))
    .route('/api/import', importRoutes(deps))
    .route('/api/plans', planRoutes(deps))
    .route('/api/screen-config', screenConfigRoutes(deps.screen))
    .route('/api/auth', authRoutes(deps.security))
    .route('/api/users', userRoutes(deps.security, deps.now))
    .route('/api/audit', auditRoutes(deps.db))
    .route('/api/backups', backupRoutes(deps.db, backupRoot(deps.db, deps.backupDir), deps.now, { media: deps.photos.store, bulletins: bulletinRoot(deps.db.path, deps.bulletinDir) }))
    .route('/api', openApiRoutes(deps, API_DOCS));

  const notFound = (c: Context) => c.json(errorBody('not_found', `no route for ${c.req.method} ${c.req.path}`), 404);
  // Registered last, so it answers only what no route did: without it, a GET of an unknown API
  // path would fall through to the web app's index.html (server/web-app.ts) as 200 text/html.
  app.all('/api', notFound);
  app.all('/api/*', notFound);
  app.notFound(notFound);
  app.onError((err, c) => {
    const known = errorResponse(err);
    if (known) return c.json(known.body, known.status);
    // Unknown errors are logged in full and answered without internals (no stack, no SQL).
    console.error(err);
    return c.json(errorBody('internal', 'internal server error'), 500);
  });
  return app;
}

export type AppType = ReturnType<typeof createApp>;
