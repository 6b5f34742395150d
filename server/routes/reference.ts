import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../app.ts';
import { REFERENCE_LAYERS } from '../domain/reference-layers.ts';
import type { RouteDoc } from '../openapi/build.ts';
import { MAX_ANSWER_VERTICES, referenceFeatures } from '../queries/reference.ts';
import { bboxParam, queryError, zoomParam } from './validation.ts';

const params = z.object({ layer: z.enum(REFERENCE_LAYERS) });

const query = z.object({
  bbox: bboxParam.optional().describe('minLon,minLat,maxLon,maxLat in degrees (default: the whole layer)'),
  zoom: zoomParam.describe('map zoom 0–22 (256-px tiles): decides detail and which classes are sent'),
});

/** OpenAPI entries of this route (see server/openapi). */
export const referenceDocs: RouteDoc[] = [
  {
    method: 'get', path: '/api/reference/{layer}', tag: 'map', params, query,
    summary: 'A reference layer (roads, water, poi) as GeoJSON for one map view: the features in bbox drawn at zoom, simplified to about a pixel.',
    description: 'Properties: name (or null) and class — roads main | secondary | minor, water area | river, poi the landmark type as imported. '
      + 'Main roads and water are sent at every zoom, secondary roads from zoom 11, minor roads and landmarks from 13. An answer holds at most '
      + `${MAX_ANSWER_VERTICES.toLocaleString('en-US')} vertices; past that the least important features are left out and \`truncated\` is true.`,
    responses: { 200: 'GeoJSON FeatureCollection with `truncated`', 400: 'invalid parameter (named in the error)' },
  },
];

/** `GET /api/reference/:layer?bbox=…&zoom=Z` — one reference layer, cut for a map view. */
export function referenceRoutes(deps: AppDeps) {
  return new Hono().get('/:layer', zValidator('param', params, queryError), zValidator('query', query, queryError), async (c) => {
    const q = c.req.valid('query');
    return c.json(await referenceFeatures(deps.db, c.req.valid('param').layer, q.bbox ?? null, q.zoom));
  });
}
