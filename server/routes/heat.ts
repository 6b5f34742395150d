import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../app.ts';
import { invalidParameter } from '../domain/errors.ts';
import { filterQuery } from '../kpi/filters.ts';
import { binCenter, binGrid, CELL_DEFAULT, CELL_MAX, CELL_MIN, MAX_BINS, type BinGrid } from '../kpi/heat.ts';
import { resolveFilters } from '../kpi/resolve.ts';
import type { RouteDoc } from '../openapi/build.ts';
import { heatBins } from '../queries/geo-heat.ts';
import { bboxParam, queryError, zoomParam } from './validation.ts';

const query = filterQuery.extend({
  bbox: bboxParam.describe('minLon,minLat,maxLon,maxLat in degrees (latitudes within Web Mercator\'s ±85.05°)'),
  zoom: zoomParam.describe('map zoom 0–22 (256-px tiles)'),
  cell: z.coerce.number().int('cell must be an integer').min(CELL_MIN).max(CELL_MAX).default(CELL_DEFAULT)
    .describe(`bin edge in screen pixels, ${CELL_MIN}–${CELL_MAX} (default ${CELL_DEFAULT})`),
  centers: z.enum(['0', '1', 'false', 'true']).optional().describe('1 adds lon/lat arrays of the bin centres'),
});

/** OpenAPI entries of this route (see server/openapi). */
export const heatDocs: RouteDoc[] = [
  {
    method: 'get', path: '/api/heat', tag: 'map', query,
    summary: 'Heat-map bins: filtered issues reported in the period, counted per Web-Mercator pixel bin of the zoom, inside bbox.',
    description: 'Columnar answer: bin i covers world pixels [origin[0] + x[i]·cell, +cell) × [origin[1] + y[i]·cell, +cell) at `zoom`; '
      + 'bins are aligned to the world origin so they stay put while the map pans. total = sum of count = issues in the bbox; max = largest bin.',
    responses: { 200: 'bins as columns', 400: 'invalid parameter (named in the error), or a bbox spanning too many bins for the zoom' },
  },
];

/** `GET /api/heat?bbox=…&zoom=Z&cell=…&<filters>` — server-side heat bins, as columns. */
export function heatRoutes(deps: AppDeps) {
  const { db } = deps;
  return new Hono().get('/', zValidator('query', query, queryError), async (c) => {
    const q = c.req.valid('query');
    const grid = binGrid(q.bbox, q.zoom, q.cell);
    if (grid.cols * grid.rows > MAX_BINS) {
      const reason = `spans ${grid.cols}×${grid.rows} bins at zoom ${q.zoom}; narrow it, zoom out or use a larger cell`;
      throw invalidParameter('bbox', reason);
    }
    const f = await resolveFilters(db, q);
    const bins = await heatBins({ db, now: deps.now(), scoring: deps.scoring }, f, q.bbox, grid);
    let total = 0;
    let max = 0;
    for (const n of bins.count) {
      total += n;
      if (n > max) max = n;
    }
    const centers = q.centers === '1' || q.centers === 'true' ? binCenters(grid, bins) : {};
    return c.json({
      zoom: q.zoom, cell: q.cell, bbox: q.bbox,
      origin: [grid.col0 * q.cell, grid.row0 * q.cell] as [number, number],
      cols: grid.cols, rows: grid.rows,
      ...bins, ...centers, total, max,
    });
  });
}

/** Bin centres as lon/lat columns, to 6 decimals (~0.1 m). */
function binCenters(grid: BinGrid, bins: { x: number[]; y: number[] }): { lon?: number[]; lat?: number[] } {
  const lon = new Array<number>(bins.x.length);
  const lat = new Array<number>(bins.x.length);
  for (let i = 0; i < bins.x.length; i++) {
    const [cx, cy] = binCenter(grid, bins.x[i], bins.y[i]);
    lon[i] = Math.round(cx * 1e6) / 1e6;
    lat[i] = Math.round(cy * 1e6) / 1e6;
  }
  return { lon, lat };
}
