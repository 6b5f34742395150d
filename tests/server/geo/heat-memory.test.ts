/**
 * Heat bins counted from the KPI engine's columns must be DuckDB's, bin for bin and frame for frame:
 * every period, scope and filter, zooms and cells from city-wide to street level, bbox edges
 * through issues, and positions finer than the engine's 1e-7° (binned at that resolution by both).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bbox } from '../../../server/domain/geometry.ts';
import { KpiEngine } from '../../../server/kpi/fast/engine.ts';
import type { FilterQuery } from '../../../server/kpi/filters.ts';
import { frameSlotMs, framesOf } from '../../../server/kpi/frames.ts';
import { binGrid } from '../../../server/kpi/heat.ts';
import type { KpiContext } from '../../../server/kpi/query.ts';
import { resolveFilters } from '../../../server/kpi/resolve.ts';
import { loadScoring } from '../../../server/kpi/score.ts';
import { heatBins, heatFrameBins } from '../../../server/queries/geo-heat.ts';
import { seriesRange } from '../../../server/queries/stats.ts';
import { FIXTURE_NOW, type TestApp } from '../../helpers/app.ts';
import { postJson } from '../issues/helpers.ts';
import { extendedCityApp } from '../stats/city.ts';

/** An engine that fails the test instead of letting the SQL path answer for it. */
function strict(engine: KpiEngine): KpiEngine {
  const declined = () => new Error(`the engine declined (${JSON.stringify(engine.state)})`);
  return {
    heat: async (...args: Parameters<KpiEngine['heat']>) => (await engine.heat(...args)) ?? Promise.reject(declined()),
    heatFrames: async (...args: Parameters<KpiEngine['heatFrames']>) => (await engine.heatFrames(...args)) ?? Promise.reject(declined()),
  } as unknown as KpiEngine;
}

const BOXES: Bbox[] = [[102.69, 24.89, 102.81, 25.01], [102.69, 24.89, 102.75, 24.97]];
const ZOOMS: [number, number][] = [[10, 8], [15, 16], [17, 4]];
const QUERIES: FilterQuery[] = [
  {}, { from: '2026-10-01', to: '2026-10-31', category: ['01'] }, { scope: 'street:530111002' },
  { source: ['patrol', 'hotline'], siteType: ['market'] }, { status: ['closed'] }, { from: '2026-11-23', to: '2026-11-25' },
];

describe('heat bins from memory', () => {
  let t: TestApp;
  let engine: KpiEngine;
  const ctx = (fast: boolean): KpiContext => ({ db: t.db, now: FIXTURE_NOW, scoring: loadScoring(), engine: fast ? strict(engine) : undefined });

  beforeAll(async () => {
    t = await extendedCityApp();
    // Finer than 1e-7°: both paths bin 102.7499999960 as 102.75, on the edge of the west-half box.
    await t.db.transaction(['issues'], (tx) => tx.run(`UPDATE issues SET lon = 102.749999996 WHERE lon = 102.75`));
    engine = new KpiEngine(t.db);
    t.deps.engine = engine;
    engine.start();
    expect(await engine.ready()).toMatchObject({ state: 'ready' });
  }, 60_000);
  afterAll(async () => t?.cleanup());

  it('equal the SQL bins, and a playback\'s per frame (hours, days, weeks), for every box, zoom, cell, period, scope and filter', async () => {
    let occupied = 0;
    for (const q of QUERIES) {
      const f = await resolveFilters(t.db, q);
      // The playback's frames as the route makes them: the step chosen by the period's length.
      const range = (await seriesRange(ctx(false), f))!;
      const { step, frames } = framesOf(range, undefined, FIXTURE_NOW);
      for (const bbox of BOXES) {
        for (const [zoom, cell] of ZOOMS) {
          const grid = binGrid(bbox, zoom, cell);
          const label = `${JSON.stringify(q)} ${bbox} z${zoom}/${cell}`;
          const sql = await heatBins(ctx(false), f, bbox, grid);
          expect(await heatBins(ctx(true), f, bbox, grid), label).toEqual(sql);
          occupied += sql.x.length;
          const playback = [{ ...f, ...range }, bbox, grid, frames, frameSlotMs(step), 1e7] as const;
          expect(await heatFrameBins(ctx(true), ...playback), `${label} by ${step}`).toEqual(await heatFrameBins(ctx(false), ...playback));
        }
      }
    }
    expect(occupied).toBeGreaterThan(30);
  });

  it('counts the issue on the bbox edge once its position is rounded, in both paths', async () => {
    const f = await resolveFilters(t.db, {});
    const total = async (fast: boolean, maxLon: number) => {
      const bbox: Bbox = [102.69, 24.89, maxLon, 25.01];
      return (await heatBins(ctx(fast), f, bbox, binGrid(bbox, 14, 8))).count.reduce((s, n) => s + n, 0);
    };
    // I06, stored a hair west of 102.75, is binned at 102.75: on the edge of the one box, east of the other.
    for (const fast of [false, true]) expect(await total(fast, 102.75), `fast: ${fast}`).toBe((await total(fast, 102.7499999)) + 1);
  });

  it('counts a report the moment its POST has answered, through the route', async () => {
    const url = '/api/heat?bbox=102.69,24.89,102.81,25.01&zoom=12&from=2026-11-01&to=2026-11-30';
    const before = (await (await t.app.request(url)).json()) as { total: number };
    expect((await postJson(t.app, '/api/issues', { clientId: 'heat-1', category: '0101', lon: 102.72, lat: 24.97 })).status).toBe(201);
    const after = (await (await t.app.request(url)).json()) as { total: number };
    expect(after.total).toBe(before.total + 1);
    const f = await resolveFilters(t.db, { from: '2026-11-01', to: '2026-11-30' });
    const grid = binGrid([102.69, 24.89, 102.81, 25.01], 12, 8);
    expect(await heatBins(ctx(true), f, [102.69, 24.89, 102.81, 25.01], grid)).toEqual(await heatBins(ctx(false), f, [102.69, 24.89, 102.81, 25.01], grid));
  });
});
