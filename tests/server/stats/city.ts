/**
 * Shared helpers of the statistics tests: JSON requests, the additive KPI fields, and the fixture
 * city extended with a second month of issues (for 环比 rank changes), a cancelled and a deferred
 * issue, overlapping key sites, and a street without grids (for the 网格外 row).
 */
import type { AppDeps } from '../../../server/app.ts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testClient } from 'hono/testing';
import { expect } from 'vitest';
import type { Kpis } from '../../../server/kpi/definitions.ts';
import { cityApp, type TestApp } from '../../helpers/app.ts';
import { importOk } from '../../helpers/db.ts';

/** The typed client of `/api/stats` (what the web app uses), bound to a test app. */
export const statsClient = (app: TestApp['app']) => testClient(app).api.stats;

/** The JSON body of a response that must be 200 (the body is shown when it is not). */
export async function ok<T>(res: Promise<{ status: number; json(): Promise<T> }>): Promise<T> {
  const r = await res;
  const body = await r.json();
  expect(r.status, JSON.stringify(body)).toBe(200);
  return body;
}

/** The status and the named parameters of an error response. */
export async function errorOf(app: TestApp['app'], url: string): Promise<{ status: number; code: string; parameters: string[] }> {
  const res = await app.request(url);
  const body = (await res.json()) as { error: { code: string; details?: { parameter: string }[] } };
  return { status: res.status, code: body.error.code, parameters: (body.error.details ?? []).map((d) => d.parameter) };
}

/** The KPI fields that add up over a partition of the issues (rates and medians do not). */
export const ADDITIVE = ['reported', 'immediate', 'due', 'closed', 'closedOnTime', 'overdue', 'rework'] as const;

/** Field-wise sum of the additive KPIs. */
export function sumKpis(list: Pick<Kpis, (typeof ADDITIVE)[number]>[]): Record<(typeof ADDITIVE)[number], number> {
  return Object.fromEntries(ADDITIVE.map((k) => [k, list.reduce((s, x) => s + x[k], 0)])) as Record<(typeof ADDITIVE)[number], number>;
}

/** Only the additive fields of a KPI record, for comparing against a sum. */
export function additive(k: Pick<Kpis, (typeof ADDITIVE)[number]>) {
  return sumKpis([k]);
}

const square = (x0: number, y0: number, x1: number, y1: number) => ({
  type: 'Polygon', coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]],
});

const feature = (properties: Record<string, unknown>, geometry: unknown) => ({ type: 'Feature', properties, geometry });
const point = (lon: number, lat: number) => ({ type: 'Point', coordinates: [lon, lat] });
const issue = (id: string, lon: number, lat: number, props: Record<string, unknown>) =>
  feature({ id, immediate: false, rework_count: 0, description: `测试问题${id}`, address: '测试地址', ...props }, point(lon, lat));

/**
 * S4 (park, a polygon) and S5 (market, a point with the market's 100 m zone) both cover I01 and I02,
 * which already lie in S1 (market): those two issues are then in three sites of two types.
 */
const EXTRA_SITES = [
  feature({ id: 'S4', type: 'park', name: '双桥小游园', unit: '关上街道办事处' }, square(102.719, 24.969, 102.721, 24.971)),
  feature({ id: 'S5', type: 'market', name: '双桥早市', unit: '关上街道办事处' }, point(102.7202, 24.9702)),
];

/**
 * 测试街道 530111003 / 无网格社区 530111003001: east of the grids (102.8–102.9), so an issue there has a
 * street and a community but no grid.
 */
const EXTRA_REGIONS = [
  feature({ code: '530111003', name: '测试街道', level: 'street', parent: '530111' }, square(102.8, 24.9, 102.9, 25.0)),
  feature({ code: '530111003001', name: '无网格社区', level: 'community', parent: '530111003' }, square(102.8, 24.9, 102.9, 25.0)),
];

/**
 * - J01 太和/金太社区第1网格, 0202 (3 days from dispatch): reported, dispatched and closed on
 *   2026-10-10 (immediate) → due 10-13 09:10, closed on time: 太和's October is perfect.
 * - J02 太和, cancelled on 2026-11-12 with a passed deadline: reported, never due.
 * - J03 测试街道 (no grid), 0202 reported 2026-11-24 10:00 → deadline 11-27, not due at "now".
 * - J04 关上社区第1网格, 0202, deferred, reported 2026-11-21 00:30 +08 (= 11-20 16:30 UTC): reported on
 *   the Shanghai day 11-21, never due (its deadline, 11-24, is three days away from both days).
 */
const EXTRA_ISSUES = [
  issue('J01', 102.76, 24.97, {
    category: '0202', source: 'patrol', status: 'closed', immediate: true,
    reported_at: '2026-10-10T09:00:00+08:00', dispatched_at: '2026-10-10T09:10:00+08:00', closed_at: '2026-10-10T12:00:00+08:00',
  }),
  issue('J02', 102.76, 24.97, { category: '0101', source: 'hotline', status: 'cancelled', reported_at: '2026-11-12T10:00:00+08:00' }),
  issue('J03', 102.85, 24.95, { category: '0202', source: 'camera', status: 'reported', reported_at: '2026-11-24T10:00:00+08:00' }),
  issue('J04', 102.71, 24.91, { category: '0202', source: 'inspection', status: 'deferred', reported_at: '2026-11-21T00:30:00+08:00' }),
];

/**
 * The fixture city plus the extra regions, sites and issues above, imported through the real
 * pipeline. The sites import reassigns every issue, so I07 (102.85, 24.95) — outside the fixture's
 * regions — now lies in 测试街道 / 无网格社区 without a grid, like J03.
 */
export async function extendedCityApp(overrides: Partial<AppDeps> = {}): Promise<TestApp> {
  const t = await cityApp(overrides);
  const dir = mkdtempSync(join(tmpdir(), 'civgrid-stats-'));
  try {
    const write = (name: string, features: unknown[]) => {
      const path = join(dir, name);
      writeFileSync(path, JSON.stringify({ type: 'FeatureCollection', features }));
      return path;
    };
    await importOk(t.db, { kind: 'regions', path: write('regions.geojson', EXTRA_REGIONS) });
    await importOk(t.db, { kind: 'sites', path: write('sites.geojson', EXTRA_SITES) });
    await importOk(t.db, { kind: 'issues', path: write('issues.geojson', EXTRA_ISSUES) });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return t;
}
