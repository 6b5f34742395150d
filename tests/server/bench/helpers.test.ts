import { describe, expect, it } from 'vitest';
import { implausibleAnswer } from '../../../scripts/bench/answers.ts';
import { parseBenchArgs, UsageError } from '../../../scripts/bench/args.ts';
import { entryScripts, routeUrl } from '../../../scripts/bench/browser.ts';
import { lastYearOf, periodOf, planDistrictOf, previousPeriodOf, recentPeriod, viewportBbox, type BenchContext } from '../../../scripts/bench/context.ts';
import { displayWidth, formatNumber, formatTable, ratioText } from '../../../scripts/bench/format.ts';
import { buildOperations, OPERATION_NAMES } from '../../../scripts/bench/operations.ts';
import { playbackLines } from '../../../scripts/bench/playback.ts';
import { parsePsqlTimings } from '../../../scripts/bench/postgis.ts';
import { buildJson } from '../../../scripts/bench/report.ts';
import { percentile, perSecond, ratio, summarize } from '../../../scripts/bench/stats.ts';
import { lonLatToWorldPixel } from '../../../server/domain/mercator.ts';

describe('percentile', () => {
  it('interpolates between closest ranks, so p50 of an even count is the midpoint', () => {
    expect(percentile([4, 1, 3, 2], 50)).toBe(2.5);
  });

  it('p95 of 1…20 lies between the 19th and 20th value', () => {
    const xs = Array.from({ length: 20 }, (_, i) => i + 1);
    expect(percentile(xs, 95)).toBeCloseTo(19.05, 10);
  });

  it('of one sample is that sample at every p', () => {
    expect([0, 50, 95, 100].map((p) => percentile([7], p))).toEqual([7, 7, 7, 7]);
  });

  it('of nothing is NaN, and p outside 0–100 is refused', () => {
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });

  it('does not reorder the caller\'s array', () => {
    const xs = [3, 1, 2];
    summarize(xs);
    expect(xs).toEqual([3, 1, 2]);
  });
});

describe('ratio and rates', () => {
  it('is civgrid over PostGIS, null when a side is missing or zero', () => {
    expect(ratio(10, 40)).toBe(0.25);
    expect(ratio(null, 40)).toBeNull();
    expect(ratio(10, null)).toBeNull();
    expect(ratio(10, 0)).toBeNull();
    expect(ratio(Number.NaN, 3)).toBeNull();
  });

  it('per second from ms', () => {
    expect(perSecond(1_000_000, 2_000)).toBe(500_000);
    expect(perSecond(5, 0)).toBeNull();
  });

  it('ratio text says which side is faster', () => {
    expect(ratioText(0.25)).toBe('0.250 (4× faster)');
    expect(ratioText(2.5)).toBe('2.500 (2.50× slower)');
    expect(ratioText(null)).toBe('n/a');
  });
});

describe('formatTable', () => {
  it('aligns numbers right and prints null as n/a', () => {
    const text = formatTable(['op', 'p50'], [['summary', 12.345], ['heat', null]]);
    expect(text.split('\n')).toEqual(['op        p50', '-------  ----', 'summary  12.3', 'heat      n/a']);
  });

  it('counts CJK characters as two columns', () => {
    expect(displayWidth('关上街道')).toBe(8);
    const lines = formatTable(['name', 'n'], [['关上街道', 1], ['abc', 22]]).split('\n');
    // Right-aligned last column: every line ends at the same terminal column.
    expect(new Set(lines.map(displayWidth))).toEqual(new Set([displayWidth(lines[0])]));
    expect(lines[2]).toBe('关上街道   1');
  });

  it('formats integers without decimals and large numbers with separators', () => {
    expect(formatNumber(3)).toBe('3');
    expect(formatNumber(1234567.8)).toBe('1,234,568');
    expect(formatNumber(0.0123)).toBe('0.012');
  });
});

describe('parseBenchArgs', () => {
  it('defaults to 1 M issues on 2,000 grids', () => {
    expect(parseBenchArgs([])).toMatchObject({ issues: 1_000_000, grids: 2_000, requests: 20, vsPostgis: false, json: null });
  });

  it('runs the load test on the demo size unless told otherwise', () => {
    expect(parseBenchArgs(['--load'])).toMatchObject({ load: true, issues: 500_000, grids: 2_000 });
    expect(parseBenchArgs(['--load', '--issues', '200000']).issues).toBe(200_000);
  });

  it('uses 10,000 grids from 5 M issues up unless told otherwise', () => {
    expect(parseBenchArgs(['--issues', '10000000']).grids).toBe(10_000);
    expect(parseBenchArgs(['--issues', '10_000_000', '--grids', '3000']).grids).toBe(3_000);
  });

  it('rejects unknown options, bad numbers and unknown stages', () => {
    expect(() => parseBenchArgs(['--issue', '5'])).toThrow(UsageError);
    expect(() => parseBenchArgs(['--issues', '1e3x'])).toThrow(/--issues/);
    expect(() => parseBenchArgs(['--skip', 'nap'])).toThrow(/unknown stage "nap"/);
  });
});

describe('periods and viewports', () => {
  it('the 90 days before now end yesterday, Shanghai time', () => {
    const p = recentPeriod(new Date('2026-11-25T00:00:00+08:00'), 90);
    expect([p.from, p.to]).toEqual(['2026-08-27', '2026-11-24']);
    expect(p.start.toISOString()).toBe('2026-08-26T16:00:00.000Z');
    expect((p.end.getTime() - p.start.getTime()) / 86_400_000).toBe(90);
  });

  it('环比 is the equal period before, 同比 the same days a year earlier', () => {
    const p = periodOf('2026-08-27', '2026-11-24');
    const prev = previousPeriodOf(p);
    expect([prev.from, prev.to]).toEqual(['2026-05-29', '2026-08-26']);
    expect([lastYearOf(p).from, lastYearOf(p).to]).toEqual(['2025-08-27', '2025-11-24']);
  });

  it('a viewport bbox spans the viewport in world pixels at its zoom', () => {
    const [minLon, minLat, maxLon, maxLat] = viewportBbox(102.75, 25.0, 13, 1366, 768);
    const [x0, y0] = lonLatToWorldPixel(minLon, maxLat, 13);
    const [x1, y1] = lonLatToWorldPixel(maxLon, minLat, 13);
    expect(x1 - x0).toBeCloseTo(1366, 6);
    expect(y1 - y0).toBeCloseTo(768, 6);
  });
});

const CONTEXT: BenchContext = {
  now: new Date('2026-11-25T00:00:00+08:00'),
  period: periodOf('2026-08-27', '2026-11-24'),
  previous: periodOf('2026-05-29', '2026-08-26'),
  lastYear: periodOf('2025-08-27', '2025-11-24'),
  top: { level: 'district', code: '530111' },
  street: { code: '530111001', name: '关上街道', issues: 10, district: '530111' },
  site: { id: "S'1", name: '市场', issues: 5, lon: 102.75, lat: 25.0 },
  viewports: { 11: [102.5, 24.8, 103.0, 25.2], 13: [102.7, 24.97, 102.8, 25.03], 15: [102.74, 24.99, 102.76, 25.01] },
};

describe('the planner in the browser figures', () => {
  it('is measured on the busiest street\'s district in a city (it draws no map before a district is chosen), as is in one district', () => {
    expect(planDistrictOf(CONTEXT)).toBeNull();
    expect(planDistrictOf({ ...CONTEXT, top: { level: 'city', code: '530100' } })).toBe('530111');
    expect(routeUrl('/plan', '530111')).toBe('/plan?district=530111');
    expect(routeUrl('/plan', null)).toBe('/plan');
    expect(routeUrl('/screen', '530111')).toBe('/screen');
  });
});

describe('operations', () => {
  const ops = buildOperations(CONTEXT);

  it('cover the eleven measured operations, in the order of the report, then playback', () => {
    expect(ops.map((o) => o.name)).toEqual([...OPERATION_NAMES]);
  });

  it('drill-downs request summary, timeseries and breakdown of one scope', () => {
    const street = ops.find((o) => o.name === 'street')!;
    expect(street.http.map((p) => p.split('?')[0])).toEqual(['/api/stats/summary', '/api/stats/timeseries', '/api/stats/breakdown']);
    expect(street.http.every((p) => p.includes('scope=street%3A530111001') && p.includes('from=2026-08-27') && p.includes('to=2026-11-24'))).toBe(true);
  });

  it('PostgreSQL text uses no DuckDB-only function, and the reverse', () => {
    for (const op of ops) {
      for (const sql of op.sql.postgres) expect(sql).not.toMatch(/\bmedian\(|\blist_contains\(|\bepoch\(/);
      for (const sql of op.sql.duckdb) expect(sql).not.toMatch(/percentile_cont|ST_|@>/);
      expect(op.sql.postgres.length).toBe(op.sql.duckdb.length);
    }
  });

  it('quotes values into SQL literals', () => {
    const site = ops.find((o) => o.name === 'site')!;
    expect(site.sql.duckdb[0]).toContain(`list_contains(i.site_ids, 'S''1')`);
    expect(site.sql.postgres[0]).toContain(`ARRAY['S''1']`);
  });
});

describe('psql and HTML parsing', () => {
  it('reads \\timing lines, including ones over a second', () => {
    expect(parsePsqlTimings('Time: 1.250 ms\nfoo\nTime: 1234.567 ms (00:01.235)\n')).toEqual([1.25, 1234.567]);
  });

  it('finds entry scripts and module preloads in built HTML', () => {
    const html = '<script type="module" crossorigin src="/assets/index-1.js"></script><link rel="modulepreload" crossorigin href="/assets/vue-2.js"><link rel="stylesheet" href="/a.css">';
    expect(entryScripts(html)).toEqual(['/assets/index-1.js', '/assets/vue-2.js']);
  });
});

describe('buildJson', () => {
  it('has every key of the JSON report, with n/a operations as null', () => {
    const json = buildJson({ issues: 10, grids: 2, sites: 1, datasetDir: '/tmp', generateSeconds: null, operations: buildOperations(CONTEXT) });
    expect(Object.keys(json).slice(0, 7)).toEqual(['issues', 'grids', 'import_issues_per_s', 'assign_points_per_s', 'rss_peak_mb', 'db_mb', 'operations']);
    expect(json.operations.map((o) => o.name)).toEqual([...OPERATION_NAMES]);
    expect(json.operations[0]).toMatchObject({ name: 'summary', p50_ms: null, p95_ms: null, postgis_p50_ms: null, ratio: null });
  });

  it('reports the playback frame time of the time bar and the wall, and the requests made while playing, those for frame data apart', () => {
    const base = { issues: 10, grids: 2, sites: 1, datasetDir: '/tmp', generateSeconds: null };
    expect(buildJson(base)).toMatchObject({ playback_frame_ms: { workspace: null, screen: null, target: 50 } });
    const json = buildJson({ ...base, playback: { workspace: { msPerFrame: 21.04, frames: 120, longTasks: 2, requests: 0, frameRequests: 0, requestPaths: {} }, screen: { error: 'no replay' } } });
    expect(json).toMatchObject({
      playback_frame_ms: { workspace: 21, screen: null, target: 50 },
      playback_requests_while_playing: { workspace: 0, screen: null },
      playback_frame_requests_while_playing: { workspace: 0, screen: null },
      playback_screen_error: 'no replay',
    });
    const wall = { msPerFrame: 30, frames: 300, longTasks: 0, requests: 5, frameRequests: 2, requestPaths: { '/api/stats/frames': 1, '/api/heat/frames': 1, '/api/stats/summary': 3 } };
    const live = buildJson({ ...base, playback: { workspace: { error: 'no map' }, screen: wall } });
    expect(live).toMatchObject({ playback_requests_while_playing: { screen: 5 }, playback_frame_requests_while_playing: { workspace: null, screen: 2 } });
    expect(playbackLines({ workspace: { error: 'no map' }, screen: wall })[2]).toContain('5 requests (2 for frame data): /api/stats/summary 3, /api/stats/frames 1');
  });
});

describe('implausibleAnswer', () => {
  it('passes an answer with data and names what is missing from one without', () => {
    expect(implausibleAnswer('/api/stats/summary?from=2026-09-01', JSON.stringify({ kpis: { reported: 3 } }))).toBeNull();
    expect(implausibleAnswer('/api/stats/summary?from=2026-09-01', JSON.stringify({ kpis: { reported: 0 } }))).toBe('/api/stats/summary: expected kpis.reported > 0');
    expect(implausibleAnswer('/api/issues', JSON.stringify({ items: [], nextCursor: null }))).toBe('/api/issues: expected a page of issues');
    expect(implausibleAnswer('/api/grids', '<html>')).toBe('/api/grids: not JSON');
  });

  it('has a check for the route of every operation', () => {
    const ops = buildOperations(CONTEXT);
    for (const path of ops.flatMap((o) => o.http)) expect(implausibleAnswer(path, '{}'), path).not.toMatch(/^no answer check/);
  });
});
