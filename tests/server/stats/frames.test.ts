/**
 * GET /api/stats/frames and GET /api/heat/frames (态势回放) on the extended fixture city (city.ts),
 * now = 2026-11-25 12:00 +08. Every answer through the SQL path and through the KPI engine; the
 * backlog is checked against a loop over the issue rows written here, not against the rules' code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../server/app.ts';
import { DAY, HOUR } from '../../../server/domain/time.ts';
import { KpiEngine } from '../../../server/kpi/fast/engine.ts';
import { FIXTURE_NOW, type TestApp } from '../../helpers/app.ts';
import { errorOf, extendedCityApp } from './city.ts';

type FramesBody = {
  step: 'hour' | 'day' | 'week'; mode: string; frames: string[]; units: string[];
  reported: number[][]; overdue: number[][]; totals: { reported: number[]; overdue: number[] }; asOf: string;
};
type SeriesBody = { buckets: { bucket: string; from: string; kpis: { reported: number; overdue: number } }[] };
type HeatFramesBody = { frames: string[]; x: number[]; y: number[]; counts: number[][]; total: number[]; max: number };
type HeatBody = { x: number[]; y: number[]; count: number[]; total: number };

let t: TestApp;
let engine: KpiEngine;
/** Issue rows as stored, for the independent backlog. */
let rows: { street: string | null; status: string; deadline: number | null; closed: number | null }[];
const paths: [string, () => TestApp['app']][] = [
  ['SQL', () => t.app],
  ['KPI engine', () => createApp({ ...t.deps, engine })],
];

beforeAll(async () => {
  t = await extendedCityApp();
  engine = new KpiEngine(t.db);
  engine.start();
  expect(await engine.ready()).toMatchObject({ state: 'ready' });
  const stored = await t.db.all<{ street: string | null; status: string; deadline: Date | null; closed_at: Date | null }>(
    `SELECT street, status, deadline, closed_at FROM issues WHERE street IN (SELECT code FROM regions WHERE level = 'street' AND parent = '530111')`,
  );
  rows = stored.map((r) => ({ street: r.street, status: r.status, deadline: r.deadline && r.deadline.getTime(), closed: r.closed_at && r.closed_at.getTime() }));
}, 60_000);
afterAll(async () => {
  await engine?.close();
  await t?.cleanup();
});

async function json<T>(app: TestApp['app'], url: string): Promise<T> {
  const res = await app.request(url);
  const body = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(200);
  return body as T;
}

/**
 * 超期未结 at instant t, straight from the rows: past its deadline, not cancelled or deferred, and not
 * closed by t (a closure after t does not count yet).
 */
function backlogAt(at: number, street?: string): number {
  return rows.filter((r) => (street === undefined || r.street === street)
    && r.status !== 'cancelled' && r.status !== 'deferred'
    && r.deadline !== null && r.deadline < at
    && !(r.status === 'closed' && r.closed !== null && r.closed <= at)).length;
}

const STEP_MS = { hour: HOUR, day: DAY, week: 7 * DAY };

describe.each(paths)('GET /api/stats/frames (%s)', (_, app) => {
  it.each([
    ['day', '2026-10-01', '2026-11-30'],
    ['week', '2026-09-01', '2026-11-30'],
    ['hour', '2026-11-02', '2026-11-03'],
  ] as const)('totals by %s equal the time series’ buckets', async (step, from, to) => {
    const period = `from=${from}&to=${to}`;
    const [frames, series] = await Promise.all([
      json<FramesBody>(app(), `/api/stats/frames?level=street&step=${step}&${period}`),
      json<SeriesBody>(app(), `/api/stats/timeseries?interval=${step}&${period}`),
    ]);
    expect(frames.step).toBe(step);
    expect(frames.frames).toHaveLength(series.buckets.length);
    // A frame starts where its bucket's counting starts: the bucket, or the period start for a clipped first week.
    expect(frames.frames.map((f) => f.slice(0, step === 'hour' ? 13 : 10))).toEqual(
      series.buckets.map((b) => (step === 'hour' ? b.bucket.slice(0, 13) : b.from)),
    );
    expect(frames.totals.reported).toEqual(series.buckets.map((b) => b.kpis.reported));
    expect(frames.totals.reported.reduce((s, n) => s + n, 0)).toBeGreaterThan(0);
  });

  it('counts the backlog at each frame’s end as the rows say, per unit and in total', async () => {
    const body = await json<FramesBody>(app(), '/api/stats/frames?level=street&step=day&from=2026-10-01&to=2026-11-30');
    const ends = body.frames.map((f) => Math.min(Date.parse(f) + DAY, FIXTURE_NOW.getTime()));
    expect(body.units).toEqual(['530111001', '530111002', '530111003']);
    body.units.forEach((unit, u) => expect(body.overdue[u], unit).toEqual(ends.map((end) => backlogAt(end, unit))));
    expect(body.totals.overdue).toEqual(ends.map((end) => backlogAt(end)));
    // Not a flat line: issues fall due and get closed over these two months.
    expect(new Set(body.totals.overdue).size).toBeGreaterThan(2);
  });

  it('ends a to-date playback with the summary’s 超期未结 to date', async () => {
    const [frames, summary] = await Promise.all([
      json<FramesBody>(app(), '/api/stats/frames?level=grid'),
      json<{ kpis: { overdue: number } }>(app(), '/api/stats/summary'),
    ]);
    expect(frames.asOf).toBe(FIXTURE_NOW.toISOString());
    expect(frames.totals.overdue.at(-1)).toBe(summary.kpis.overdue);
    expect(summary.kpis.overdue).toBeGreaterThan(0);
  });

  it('sums reports from the period start in cumulative mode; the backlog is the same in both', async () => {
    const query = '/api/stats/frames?level=street&step=week&from=2026-09-01&to=2026-11-30';
    const [window, cumulative] = await Promise.all([json<FramesBody>(app(), query), json<FramesBody>(app(), `${query}&mode=cumulative`)]);
    const running = (xs: number[]) => xs.map((_, k) => xs.slice(0, k + 1).reduce((s, n) => s + n, 0));
    expect(cumulative.mode).toBe('cumulative');
    expect(cumulative.reported).toEqual(window.reported.map(running));
    expect(cumulative.totals.reported).toEqual(running(window.totals.reported));
    expect(cumulative.overdue).toEqual(window.overdue);
    const summary = await json<{ kpis: { reported: number } }>(app(), '/api/stats/summary?from=2026-09-01&to=2026-11-30');
    expect(cumulative.totals.reported.at(-1)).toBe(summary.kpis.reported);
  });

  it('lists the scope itself at its own level, and the units under it at a finer one', async () => {
    const own = await json<FramesBody>(app(), '/api/stats/frames?scope=street:530111001&level=street&from=2026-11-01&to=2026-11-07');
    expect(own.units).toEqual(['530111001']);
    expect(own.reported[0]).toEqual(own.totals.reported);
    const grids = await json<FramesBody>(app(), '/api/stats/frames?scope=street:530111001&level=grid&from=2026-11-01&to=2026-11-07');
    expect(grids.units.length).toBeGreaterThan(1);
    expect(grids.reported).toHaveLength(grids.units.length);
  });
});

describe('GET /api/stats/frames: steps and limits', () => {
  it.each([
    ['2026-11-01', '2026-11-03', 'hour', 72],
    ['2026-10-01', '2026-11-30', 'day', 61],
    ['2026-01-01', '2026-11-30', 'week', 49],
  ] as const)('chooses the step by the period’s length (%s … %s: %s)', async (from, to, step, count) => {
    const body = await json<FramesBody>(t.app, `/api/stats/frames?level=street&from=${from}&to=${to}`);
    expect([body.step, body.frames.length]).toEqual([step, count]);
    expect(Date.parse(body.frames[1]) - Date.parse(body.frames[0])).toBeLessThanOrEqual(STEP_MS[step]);
  });

  it('refuses a step too fine for the period, naming the maximum and a step that fits', async () => {
    const res = await t.app.request('/api/stats/frames?step=hour&from=2026-10-01&to=2026-10-31');
    const body = (await res.json()) as { error: { message: string; details: { parameter: string }[] } };
    expect(res.status).toBe(400);
    expect(body.error.details.map((d) => d.parameter)).toEqual(['step']);
    expect(body.error.message).toMatch(/more than 400 frames.*step=day/);
  });

  it('refuses a period too long for any step, naming the maximum', async () => {
    const res = await t.app.request('/api/stats/frames?from=2000-01-01&to=2026-11-30');
    const body = (await res.json()) as { error: { message: string } };
    expect(res.status).toBe(400);
    expect(body.error.message).toMatch(/more than 400 frames/);
  });

  it.each([
    ['an unknown level', '/api/stats/frames?level=province', 'level'],
    ['a level coarser than the scope', '/api/stats/frames?scope=community:530111002001&level=street', 'level'],
    ['an unknown step', '/api/stats/frames?step=minute', 'step'],
    ['an unknown mode', '/api/stats/frames?mode=sum', 'mode'],
    ['a malformed bbox', '/api/heat/frames?bbox=102.6,24.9,102.9&zoom=12', 'bbox'],
    ['a heat step too fine', '/api/heat/frames?bbox=102.6,24.9,102.9,25.1&zoom=12&step=hour&from=2026-10-01&to=2026-10-31', 'step'],
  ])('refuses %s with 400 naming the parameter', async (_, url, parameter) => {
    expect(await errorOf(t.app, url)).toMatchObject({ status: 400, code: 'invalid_parameter', parameters: [parameter] });
  });

  it('is documented in the OpenAPI document', async () => {
    const doc = (await (await t.app.request('/api/openapi.json')).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/stats/frames', '/api/heat/frames']));
  });
});

describe('GET /api/heat/frames', () => {
  const BBOX = 'bbox=102.6,24.85,102.95,25.1&zoom=13';
  const PERIOD = 'from=2026-10-01&to=2026-11-30';

  it('bins every frame as /api/heat bins the whole period', async () => {
    const [frames, heat] = await Promise.all([
      json<HeatFramesBody>(t.app, `/api/heat/frames?${BBOX}&step=week&${PERIOD}`),
      json<HeatBody>(t.app, `/api/heat?${BBOX}&${PERIOD}`),
    ]);
    expect(frames.counts).toHaveLength(frames.frames.length);
    for (const row of frames.counts) expect(row).toHaveLength(frames.x.length);
    const whole = new Map(heat.x.map((x, i) => [`${x},${heat.y[i]}`, heat.count[i]]));
    const summed = new Map(frames.x.map((x, i) => [`${x},${frames.y[i]}`, frames.counts.reduce((s, row) => s + row[i], 0)]));
    expect(summed).toEqual(whole);
    expect(heat.total).toBeGreaterThan(1);
  });

  it('has the reports of each frame: totals equal /api/stats/frames in the same period, by day, week (the first clipped) and hour', async () => {
    for (const [step, period] of [['day', PERIOD], ['week', PERIOD], ['hour', 'from=2026-11-09&to=2026-11-10']]) {
      const [heat, stats] = await Promise.all([
        json<HeatFramesBody>(t.app, `/api/heat/frames?${BBOX}&step=${step}&${period}`),
        json<FramesBody>(t.app, `/api/stats/frames?level=street&step=${step}&${period}`),
      ]);
      expect(heat.frames, step).toEqual(stats.frames);
      // The bbox holds every issue of the district.
      expect(heat.total, step).toEqual(stats.totals.reported);
      expect(heat.max, step).toBe(Math.max(...heat.counts.flat()));
      expect(heat.max, step).toBeGreaterThan(0);
    }
  });

  it('accumulates the counts in cumulative mode', async () => {
    const [window, cumulative] = await Promise.all([
      json<HeatFramesBody>(t.app, `/api/heat/frames?${BBOX}&step=week&${PERIOD}`),
      json<HeatFramesBody>(t.app, `/api/heat/frames?${BBOX}&step=week&${PERIOD}&mode=cumulative`),
    ]);
    expect(cumulative.counts.at(-1)).toEqual(window.x.map((_, i) => window.counts.reduce((s, row) => s + row[i], 0)));
  });
});
