/**
 * `/api/geometry`: the map's shapes served once per version (server/queries/geometry-file.ts). The
 * file URLs name their version, so they are cached for a year and revalidated by ETag; the index
 * and the values routes (`/api/grids/values`, `/api/regions/values`) say which version is current.
 */
import { zValidator } from '@hono/zod-validator';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../app.ts';
import { NotFoundError } from '../domain/errors.ts';
import type { RouteDoc } from '../openapi/build.ts';
import { geometryFile, REGION_FILE_LEVELS, type GeometryFile, type GeometryLayer } from '../queries/geometry-file.ts';
import { queryError } from './validation.ts';

const fileParam = z.object({
  file: z.string().regex(/^[\w-]{1,64}\.json$/, 'expected <version>.json').describe('`<version>.json`, the version from the index or a values answer'),
});
const regionFileParam = fileParam.extend({ level: z.enum(REGION_FILE_LEVELS).describe('region level') });

/** OpenAPI entries of this route (see server/openapi). */
export const geometryDocs: RouteDoc[] = [
  {
    method: 'get', path: '/api/geometry', tag: 'map',
    summary: 'The current version and URL of each geometry file: the published grids and the district, street and community outlines.',
    responses: { 200: '{ grids: { version, url, features }, regions: { district, street, community } }' },
  },
  {
    method: 'get', path: '/api/geometry/grids/{file}', tag: 'map', params: fileParam,
    summary: 'The published plan\'s grids as GeoJSON (outlines simplified by 3 m; code, name, community, street, inspector, households, areaKm2), at an immutable URL.',
    description: 'Cached for a year (`immutable`) with an ETag; `If-None-Match` answers 304. Sent gzipped when the client accepts it. '
      + 'The feature order is the order of `/api/grids/values`.',
    responses: { 200: 'GeoJSON FeatureCollection', 304: 'not modified', 404: 'stale_geometry: not the current version (details.current)' },
    produces: 'application/geo+json',
  },
  {
    method: 'get', path: '/api/geometry/regions/{level}/{file}', tag: 'map', params: regionFileParam,
    summary: 'All regions of one level as GeoJSON (code, name, level, parent, areaKm2, grids), at an immutable URL.',
    description: 'Cached like the grids file; the feature order is the order of `/api/regions/values?level=…`.',
    responses: { 200: 'GeoJSON FeatureCollection', 304: 'not modified', 404: 'stale_geometry: not the current version (details.current)' },
    produces: 'application/geo+json',
  },
];

/** Where a file of `layer` at `version` is served. */
export function geometryUrl(layer: GeometryLayer, version: string): string {
  return layer === 'grids' ? `/api/geometry/grids/${version}.json` : `/api/geometry/regions/${layer}/${version}.json`;
}

/** Whether the client takes gzip (`Accept-Encoding`, ignoring `q=0`). */
function acceptsGzip(header: string | undefined): boolean {
  return (header ?? '').split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    return (coding === 'gzip' || coding === '*') && !params.some((p) => /^\s*q=0(\.0*)?\s*$/.test(p));
  });
}

/** Whether `If-None-Match` names `etag` (weak or strong, or `*`). */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((t) => {
    const tag = t.trim().replace(/^W\//, '');
    return tag === '*' || tag === etag;
  });
}

/** Answers a file: 404 for another version, 304 when the client holds this one, else the body. */
function serveFile(c: Context, file: GeometryFile, asked: string, reads: 'open' | 'token'): Response {
  const version = asked.replace(/\.json$/, '');
  if (version !== file.version) {
    throw new NotFoundError('stale_geometry', `the ${file.layer} geometry is now version ${file.version}, not ${version}`, { current: file.version });
  }
  const gzip = acceptsGzip(c.req.header('accept-encoding'));
  // The two encodings are two representations, each with its own tag.
  const etag = `"${file.version}${gzip ? '-gz' : ''}"`;
  const headers: Record<string, string> = {
    etag,
    // With tokens on, no shared cache may keep what a token was needed for.
    'cache-control': `${reads === 'open' ? 'public' : 'private'}, max-age=31536000, immutable`,
    vary: 'accept-encoding',
  };
  if (matches(c.req.header('if-none-match'), etag)) return c.body(null, 304, headers);
  const body = gzip ? file.gzip : file.body;
  return c.body(body, 200, { ...headers, 'content-type': 'application/geo+json', ...(gzip ? { 'content-encoding': 'gzip' } : {}) });
}

/** `GET /api/geometry…`: the index and the versioned files. */
export function geometryRoutes(deps: AppDeps) {
  const { db } = deps;
  const reads = deps.security.reads;
  const entry = async (layer: GeometryLayer) => {
    const file = await geometryFile(db, layer);
    return { version: file.version, url: geometryUrl(layer, file.version), features: file.units.length };
  };
  return new Hono()
    .get('/', async (c) => {
      const [grids, district, street, community] = await Promise.all([entry('grids'), ...REGION_FILE_LEVELS.map(entry)]);
      // The index moves with the data: always asked again, while the files it names never are.
      c.header('cache-control', 'no-cache');
      return c.json({ grids, regions: { district, street, community } });
    })
    .get('/grids/:file', zValidator('param', fileParam, queryError), async (c) => {
      const { file } = c.req.valid('param');
      return serveFile(c, await geometryFile(db, 'grids'), file, reads);
    })
    .get('/regions/:level/:file', zValidator('param', regionFileParam, queryError), async (c) => {
      const { level, file } = c.req.valid('param');
      return serveFile(c, await geometryFile(db, level), file, reads);
    });
}
