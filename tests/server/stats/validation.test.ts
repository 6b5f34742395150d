/** Bad parameters of /api/stats/* are 400 invalid_parameter naming the parameter. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cityApp, type TestApp } from '../../helpers/app.ts';
import { errorOf } from './city.ts';

let t: TestApp;
beforeAll(async () => {
  t = await cityApp();
});
afterAll(async () => t.cleanup());

describe('400 naming the parameter', () => {
  it.each([
    ['/api/stats/breakdown?by=color', 'by'],
    ['/api/stats/breakdown', 'by'],
    ['/api/stats/breakdown?by=street&level=1', 'level'],
    ['/api/stats/breakdown?by=category&level=3', 'level'],
    ['/api/stats/timeseries?interval=hour', 'interval'],
    ['/api/stats/ranking?level=province', 'level'],
    ['/api/stats/ranking?n=0', 'n'],
    ['/api/stats/ranking?n=101', 'n'],
    ['/api/stats/ranking?n=ten', 'n'],
    ['/api/stats/ranking?level=street&scope=street:530111001', 'level'],
    ['/api/stats/ranking?level=grid&scope=grid:530111001001001', 'scope'],
    ['/api/stats/ranking?level=grid&scope=site:S1', 'scope'],
    ['/api/stats/summary?scope=street:530111999', 'scope'],
    ['/api/stats/summary?scope=province:53', 'scope'],
    ['/api/stats/summary?from=2026-11-30&to=2026-11-01', 'to'],
    ['/api/stats/summary?from=2026-02-30', 'from'],
    ['/api/stats/timeseries?category=9999', 'category'],
    ['/api/stats/breakdown?by=site&siteType=castle', 'siteType'],
    ['/api/stats/summary?status=lost', 'status'],
  ])('%s → %s', async (url, parameter) => {
    const err = await errorOf(t.app, url);
    expect(err).toMatchObject({ status: 400, code: 'invalid_parameter' });
    // A repeatable parameter is named by its name, not the position of the bad value.
    expect(err.parameters.map((p) => p.split('.')[0])).toEqual([parameter]);
  });
});
