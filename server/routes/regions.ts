import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../app.ts';
import { listRegions } from '../queries/regions.ts';
import { queryError } from './validation.ts';

const query = z.object({
  level: z.enum(['district', 'street', 'community']),
  parent: z.string().regex(/^\d{6,12}$/, 'parent must be a region code of 6–12 digits').optional(),
});

/** `GET /api/regions?level=…&parent=…` — GeoJSON FeatureCollection of regions. */
export function regionRoutes({ db }: AppDeps) {
  return new Hono().get('/', zValidator('query', query, queryError), async (c) => {
    const { level, parent } = c.req.valid('query');
    return c.json({ type: 'FeatureCollection' as const, features: await listRegions(db, level, parent) });
  });
}
