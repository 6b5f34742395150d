/**
 * Comparisons judged with the same hindsight as the current period, on the extended city (city.ts),
 * now = 2026-11-25 12:00 +08, the period November 2026. Each compared period is evaluated as of the
 * moment that stands to it as now stands to November: 同比 as of 2025-11-25 12:00, 环比 (10-01 …
 * 10-31, the month before) as of 10-26 12:00 (November's end minus 5½ days). The issues added here (all 0202, deadlines given):
 *
 *   id   street  reported     deadline     closed       as of its comparison moment
 *   Y01  太和    2025-11-03   2025-11-06   2025-12-10   overdue (closed after 2025-11-25 12:00)
 *   Y02  太和    2025-11-04   2025-11-07   2025-11-20   closed, late
 *   Y03  太和    2025-11-27   2025-11-28   2025-11-28   not reported yet
 *   P01  太和    2026-10-05   2026-10-08   2026-11-10   overdue (closed after 10-26 12:00)
 *   P02  关上    2026-10-05   2026-10-08   2026-10-09   closed, late
 *   P03  关上    2026-10-28   2026-10-29   —            not reported yet
 *
 * Every test runs through the SQL path and through the KPI engine.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../server/app.ts';
import { KpiEngine } from '../../../server/kpi/fast/engine.ts';
import type { TestApp } from '../../helpers/app.ts';
import { importOk } from '../../helpers/db.ts';
import { extendedCityApp, ok, statsClient } from './city.ts';

const TAIHE = [102.76, 24.97];
const GUANSHANG = [102.72, 24.97];

const issue = (id: string, [lon, lat]: number[], props: Record<string, unknown>) => ({
  type: 'Feature',
  properties: { id, category: '0202', source: 'patrol', immediate: false, rework_count: 0, ...props },
  geometry: { type: 'Point', coordinates: [lon, lat] },
});
const closed = (reported: string, deadline: string, closedAt: string) =>
  ({ status: 'closed', reported_at: `${reported}T10:00:00+08:00`, deadline: `${deadline}T10:00:00+08:00`, closed_at: `${closedAt}T10:00:00+08:00` });

const ISSUES = [
  issue('Y01', TAIHE, closed('2025-11-03', '2025-11-06', '2025-12-10')),
  issue('Y02', TAIHE, closed('2025-11-04', '2025-11-07', '2025-11-20')),
  issue('Y03', TAIHE, closed('2025-11-27', '2025-11-28', '2025-11-28')),
  issue('P01', TAIHE, closed('2026-10-05', '2026-10-08', '2026-11-10')),
  issue('P02', GUANSHANG, closed('2026-10-05', '2026-10-08', '2026-10-09')),
  issue('P03', GUANSHANG, { status: 'dispatched', reported_at: '2026-10-28T10:00:00+08:00', deadline: '2026-10-29T10:00:00+08:00' }),
];

const NOVEMBER = { from: '2026-11-01', to: '2026-11-30' };

let t: TestApp;
let engine: KpiEngine;
const paths: [string, () => ReturnType<typeof statsClient>][] = [
  ['SQL', () => statsClient(t.app)],
  ['KPI engine', () => statsClient(createApp({ ...t.deps, engine }))],
];

beforeAll(async () => {
  t = await extendedCityApp();
  const dir = mkdtempSync(join(tmpdir(), 'civgrid-as-of-'));
  try {
    const path = join(dir, 'issues.geojson');
    writeFileSync(path, JSON.stringify({ type: 'FeatureCollection', features: ISSUES }));
    await importOk(t.db, { kind: 'issues', path });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  engine = new KpiEngine(t.db);
  engine.start();
  expect(await engine.ready()).toMatchObject({ state: 'ready' });
}, 60_000);
afterAll(async () => {
  await engine?.close();
  await t?.cleanup();
});

describe.each(paths)('comparisons as of the same moment (%s)', (_, stats) => {
  it('同比: last year’s November as of 2025-11-25 12:00, an issue closed since counts as overdue', async () => {
    const body = await ok(stats().summary.$get({ query: NOVEMBER }));
    expect(body.lastYear).toMatchObject({ period: { from: '2025-11-01', to: '2025-11-30' }, asOf: '2025-11-25T04:00:00.000Z' });
    // Y01 overdue then, Y02 closed late; Y03 not reported yet. Judged now, all three were closed.
    expect(body.lastYear?.kpis).toMatchObject({ reported: 2, due: 2, closed: 1, closedOnTime: 0, overdue: 1, closureRate: 0.5 });
    // November: 3 overdue against 1 = +200 %, not "up from nothing".
    expect(body.change.lastYear).toMatchObject({ overduePct: 200 });
  });

  it('环比: October as of the same point in it, an issue closed since counts as overdue', async () => {
    const body = await ok(stats().summary.$get({ query: NOVEMBER }));
    expect(body.previous).toMatchObject({ period: { from: '2026-10-01', to: '2026-10-31' }, asOf: '2026-10-26T04:00:00.000Z' });
    // I05 and J01 closed on time, P02 closed late before 10-26, P01 closed after it: overdue then. P03 not reported yet.
    expect(body.previous?.kpis).toMatchObject({ reported: 4, due: 4, closed: 3, closedOnTime: 2, overdue: 1, closureRate: 0.75, onTimeRate: 0.5 });
  });

  it('同比 to date: everything to date one year before, the backlog then', async () => {
    const body = await ok(stats().summary.$get({ query: {} }));
    expect(body.previous).toBeNull();
    expect(body.lastYear).toMatchObject({ period: { from: null, to: null }, asOf: '2025-11-25T04:00:00.000Z' });
    expect(body.lastYear?.kpis).toMatchObject({ reported: 2, due: 2, closed: 1, overdue: 1 });
  });

  it('ranks the previous month as of the same point in it', async () => {
    // October as of 10-26 12:00: 关上 I05 on time, P02 late → 40·½ + 30 + 20 = 70; 太和 J01 on time and
    // immediate, P01 overdue → 20 + 15 + 5 + 20 − 10 = 50. Judged now, P01 was closed and 太和 scored 75.
    const body = await ok(stats().ranking.$get({ query: { level: 'street', ...NOVEMBER } }));
    expect(body.previousAsOf).toBe('2026-10-26T04:00:00.000Z');
    expect(body.red.map((e) => [e.code, e.rank, e.previousRank, e.rankChange])).toEqual([
      ['530111001', 1, 1, 0],
      ['530111002', 2, 2, 0],
    ]);
  });
});
