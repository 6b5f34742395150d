/**
 * Command line of `npm run bench`. Pure, so the defaults are tested.
 */
import { parseArgs } from 'node:util';

/** Stages that `--skip` can leave out (for quick iterations; a full run skips nothing). */
const STAGES = ['import', 'geojson', 'bulk', 'assign', 'sql', 'http', 'photos', 'browser', 'responsive'] as const;
export type Stage = (typeof STAGES)[number];

/** What one benchmark run does. */
export interface BenchOptions {
  issues: number;
  grids: number;
  sites: number;
  seed: number;
  /** Timed requests per operation (≥ 20 for the published figures). */
  requests: number;
  vsPostgis: boolean;
  json: string | null;
  load: boolean;
  /** Seconds of each load scenario (the load test's and the heavy load's). */
  loadSeconds: number;
  /** Issues the big-import-while-serving scenario uploads; null: the dataset's all. */
  importRows: number | null;
  skip: Set<Stage>;
  /** Where generated datasets are cached, one folder per parameter set. */
  cacheDir: string;
}

/** Datasets from 5 M issues up are "city scale": 10 k grids, as in the issue's targets. */
const CITY_SCALE = 5_000_000;

export const USAGE = `npm run bench -- [--issues N] [--grids N] [--sites N] [--seed N] [--requests N]
                    [--vs-postgis] [--json FILE] [--load] [--load-seconds N] [--import-rows N]
                    [--skip ${STAGES.join(',')}]
  --issues    issues to generate (default 1000000)
  --grids     grids to generate (default 10000 from ${CITY_SCALE / 1e6} M issues up, else 2000)
  --requests  timed requests per operation (default 20)
  --vs-postgis  also load the data into a temporary PostgreSQL + PostGIS and compare
  --json FILE   write the results as JSON
  --load      instead: the load test (200 live-feed clients, 100 reads/s, 10 ingests/s
              for 60 s; default 500000 issues), then the heavy load (16 uncached heavy readers, 500
              live-feed clients, 10 ingests/s) and a big import while serving; exits 1 unless zero
              errors, p99 <= 300 ms and /api/health p95 <= 100 ms in both scenarios
  --load-seconds  length of each load scenario (default 60; also the benchmark's responsive stage)
  --import-rows   issues the import-while-serving scenario uploads (default: all of the dataset's)`;

/** Thrown for a bad command line; the message is for the user. */
export class UsageError extends Error {}

/** Parses `argv` (without node and script). */
export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        issues: { type: 'string' }, grids: { type: 'string' }, sites: { type: 'string' }, seed: { type: 'string' },
        requests: { type: 'string' }, 'load-seconds': { type: 'string' }, 'import-rows': { type: 'string' }, 'vs-postgis': { type: 'boolean' }, json: { type: 'string' }, load: { type: 'boolean' },
        skip: { type: 'string' }, 'cache-dir': { type: 'string' }, help: { type: 'boolean' },
      },
      strict: true,
    });
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n${USAGE}`);
  }
  const v = parsed.values;
  if (v.help) throw new UsageError(USAGE);
  const int = (name: string, raw: string | undefined, fallback: number, min: number) => {
    if (raw === undefined) return fallback;
    const n = Number(raw.replace(/_/g, ''));
    if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be an integer ≥ ${min}, got "${raw}"`);
    return n;
  };
  // The load test runs on the demo's size unless told otherwise; the benchmark on a million.
  const issues = int('issues', v.issues, v.load ? 500_000 : 1_000_000, 1);
  const skip = new Set<Stage>();
  for (const s of (v.skip ?? '').split(',').map((x) => x.trim()).filter(Boolean)) {
    if (!(STAGES as readonly string[]).includes(s)) throw new UsageError(`--skip: unknown stage "${s}" (${STAGES.join(', ')})`);
    skip.add(s as Stage);
  }
  return {
    issues,
    grids: int('grids', v.grids, issues >= CITY_SCALE ? 10_000 : 2_000, 133),
    sites: int('sites', v.sites, 1_500, 0),
    seed: int('seed', v.seed, 20261125, 0),
    requests: int('requests', v.requests, 20, 1),
    vsPostgis: v['vs-postgis'] ?? false,
    json: v.json ?? null,
    load: v.load ?? false,
    loadSeconds: int('load-seconds', v['load-seconds'], 60, 1),
    importRows: v['import-rows'] === undefined ? null : int('import-rows', v['import-rows'], 0, 1),
    skip,
    cacheDir: v['cache-dir'] ?? '.cache/bench',
  };
}
