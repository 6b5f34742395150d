import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../app.ts';
import { invalidParameter } from '../domain/errors.ts';
import { filterQuery } from '../kpi/filters.ts';
import { binCenter, binGrid, CELL_DEFAULT, CELL_MAX, CELL_MIN, MAX_BINS, type BinGrid } from '../kpi/heat.ts';
import { resolveFilters } from '../kpi/resolve.ts';
import type { RouteDoc } from '../openapi/build.ts';
import { heatBins, heatFrameBins } from '../queries/geo-heat.ts';
import { seriesRange } from '../queries/stats.ts';
import { frameSlotMs, framesOf } from '../kpi/frames.ts';
import { kpiContextOf } from '../kpi/query.ts';
import { shanghaiIso } from '../domain/time.ts';
import type { Bbox } from '../domain/geometry.ts';
import { frameParams } from './frames.ts';
import { jsonWithIntRows } from './int-rows.ts';
import { bboxParam, queryError, zoomParam } from './validation.ts';

const query = filterQuery.extend({
  bbox: bboxParam.describe('minLon,minLat,maxLon,maxLat in degrees (latitudes within Web Mercator\'s ±85.05°)'),
  zoom: zoomParam.describe('map zoom 0–22 (256-px tiles)'),
  cell: z.coerce.number().int('cell must be an integer').min(CELL_MIN).max(CELL_MAX).default(CELL_DEFAULT)
    .describe(`bin edge in screen pixels, ${CELL_MIN}–${CELL_MAX} (default ${CELL_DEFAULT})`),
  centers: z.enum(['0', '1', 'false', 'true']).optional().describe('1 adds lon/lat arrays of the bin centres'),
});

const framesQuery = query.omit({ centers: true }).extend(frameParams);

/** Most bin × frame counts in one answer (dense columns; about 10 MB of JSON). */
export const MAX_BIN_FRAMES = 4_000_000;

/** OpenAPI entries of this route (see server/openapi). */
export const heatDocs: RouteDoc[] = [
  {
    method: 'get', path: '/api/heat', tag: 'map', query,
    summary: 'Heat-map bins: filtered issues reported in the period, counted per Web-Mercator pixel bin of the zoom, inside bbox.',
    description: 'Columnar answer: bin i covers world pixels [origin[0] + x[i]·cell, +cell) × [origin[1] + y[i]·cell, +cell) at `zoom`; '
      + 'bins are aligned to the world origin so they stay put while the map pans. total = sum of count = issues in the bbox; max = largest bin.',
    responses: { 200: 'bins as columns', 400: 'invalid parameter (named in the error), or a bbox spanning too many bins for the zoom' },
  },
  {
    method: 'get', path: '/api/heat/frames', tag: 'map', query: framesQuery,
    summary: '态势回放 heat: the /api/heat bins of every frame of the period (the frames of /api/stats/frames), in one columnar answer.',
    description: 'x, y: every bin occupied in some frame, binned as /api/heat (same origin, cols, rows); counts[k][i]: issues of bin i '
      + 'reported in frame k (window) or from the period start to the end of frame k (cumulative); total[k] = sum of counts[k]; max = the '
      + `largest count of any frame, for one colour scale over the playback. At most ${MAX_BIN_FRAMES.toLocaleString('en-US')} bin × frame counts.`,
    responses: { 200: '{zoom, cell, bbox, origin, cols, rows, step, mode, frames, x, y, counts, total, max}', 400: 'invalid parameter (named in the error)' },
  },
];

/** The bins a bbox spans at a zoom, refused when a request would be a raw-point dump in disguise. */
function checkedGrid(bbox: Bbox, zoom: number, cell: number): BinGrid {
  const grid = binGrid(bbox, zoom, cell);
  if (grid.cols * grid.rows > MAX_BINS) {
    throw invalidParameter('bbox', `spans ${grid.cols}×${grid.rows} bins at zoom ${zoom}; narrow it, zoom out or use a larger cell`);
  }
  return grid;
}

/** `GET /api/heat?bbox=…&zoom=Z&cell=…&<filters>` — server-side heat bins, as columns; `/frames`: per playback frame. */
export function heatRoutes(deps: AppDeps) {
  const { db } = deps;
  return new Hono()
    .get('/', zValidator('query', query, queryError), async (c) => {
      const q = c.req.valid('query');
      const grid = checkedGrid(q.bbox, q.zoom, q.cell);
      const f = await resolveFilters(db, q);
      const bins = await heatBins(kpiContextOf(deps), f, q.bbox, grid);
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
    })
    .get('/frames', zValidator('query', framesQuery, queryError), async (c) => {
      const q = c.req.valid('query');
      const grid = checkedGrid(q.bbox, q.zoom, q.cell);
      const ctx = kpiContextOf(deps);
      const f = await resolveFilters(db, q);
      const range = await seriesRange(ctx, f);
      const { step, frames } = range ? framesOf(range, q.step, ctx.now) : { step: q.step ?? 'day', frames: [] };
      const { x, y, counts } = range && frames.length
        ? await heatFrameBins(ctx, { ...f, ...range }, q.bbox, grid, frames, frameSlotMs(step), MAX_BIN_FRAMES)
        : { x: [], y: [], counts: new Int32Array(0) };
      if (!counts) {
        throw invalidParameter('bbox', `${x.length} bins × ${frames.length} frames is more than ${MAX_BIN_FRAMES.toLocaleString('en-US')} counts; narrow it, zoom out, use a larger cell or a coarser step`);
      }
      const bins = x.length;
      if (q.mode === 'cumulative') for (let o = bins; o < counts.length; o++) counts[o] += counts[o - bins];
      const total = new Array<number>(frames.length).fill(0);
      let max = 0;
      for (let k = 0; k < frames.length; k++) {
        for (let o = k * bins, last = o + bins; o < last; o++) {
          total[k] += counts[o];
          if (counts[o] > max) max = counts[o];
        }
      }
      return jsonWithIntRows(c, {
        zoom: q.zoom, cell: q.cell, bbox: q.bbox,
        origin: [grid.col0 * q.cell, grid.row0 * q.cell] as [number, number],
        cols: grid.cols, rows: grid.rows,
        step, mode: q.mode,
        frames: frames.map((fr) => shanghaiIso(fr.start)),
        x, y, total, max,
      }, { counts: { values: counts, width: bins, count: frames.length } });
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
