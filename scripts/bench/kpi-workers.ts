/**
 * `npx tsx scripts/bench/kpi-workers.ts --db FILE [--workers N] [--runs N]` — the KPI engine
 * counting on the main thread against counting in its worker threads, in this process, over a
 * benchmark database (`.cache/bench/<dataset>/civgrid.duckdb`, opened read-only by copying it
 * first: run it while no server holds the file). For each dashboard answer it prints the median
 * time of `--runs` runs, then the same answers sent all at once (16 of them), and for each mode the
 * longest the event loop was held (perf_hooks monitorEventLoopDelay) and the process RSS with the
 * engine loaded. Figures only compare on an otherwise idle machine, in one sitting. `npm run bench
 * -- --load` runs it too (measureKpiWorkers), after the served scenarios.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Database } from '../../server/db/database.ts';
import { KpiEngine } from '../../server/kpi/fast/engine.ts';
import type { FilterQuery } from '../../server/kpi/filters.ts';
import { totalCounts, type KpiContext } from '../../server/kpi/query.ts';
import { resolveFilters } from '../../server/kpi/resolve.ts';
import { loadScoring } from '../../server/kpi/score.ts';
import { bucketsOf } from '../../server/kpi/timeseries.ts';
import { breakdownCounts, bucketCounts, unitCounts } from '../../server/queries/stats.ts';
import { pickContext } from './context.ts';
import { DEFAULT_NOW } from '../../server/demo/index.ts';

/** One mode's figures: median ms per answer, 16 answers at once, the longest event-loop delay and RSS. */
export type KpiWorkersMode = { mode: string; workers: number; times: Map<string, number>; together: number; maxDelayMs: number; rssMb: number };

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

/**
 * Counts the dashboard answers on the main thread, then in `workers` worker threads, over a copy of
 * the benchmark database `dbPath` (removed after), and returns both modes' figures.
 */
export async function measureKpiWorkers(dbPath: string, opts: { workers?: number; runs?: number; log?: (line: string) => void } = {}): Promise<KpiWorkersMode[]> {
  const workers = opts.workers ?? 2;
  const runs = opts.runs ?? 15;
  const dir = mkdtempSync(join(tmpdir(), 'civgrid-kpi-workers-'));
  copyFileSync(dbPath, join(dir, 'civgrid.duckdb'));
  const db = await Database.open(join(dir, 'civgrid.duckdb'));
  try {
    const now = DEFAULT_NOW;
    const bench = await pickContext(db, now);
    const period: FilterQuery = { from: bench.period.from, to: bench.period.to };
    const top = `${bench.top.level}:${bench.top.code}`;
    opts.log?.(`kpi workers: period ${period.from} … ${period.to}, ${top}, ${runs} runs`);

    /** The counts behind each dashboard answer the HTTP benchmark times (its routes' main counts). */
    const answers: [string, (ctx: KpiContext) => Promise<unknown>][] = [
      ['summary', async (ctx) => totalCounts(ctx, await resolveFilters(db, { ...period, scope: top }))],
      ['ranking (streets)', async (ctx) => unitCounts(ctx, await resolveFilters(db, { ...period, scope: top }), 'street', { hours: false })],
      ['grids', async (ctx) => unitCounts(ctx, await resolveFilters(db, { ...period, scope: top }), 'grid', { hours: true })],
      ['breakdown', async (ctx) => breakdownCounts(ctx, await resolveFilters(db, { ...period, scope: top }), 'category', 2)],
      ['series (days)', async (ctx) => {
        const f = await resolveFilters(db, { ...period, scope: top });
        return bucketCounts(ctx, f, 'day', bucketsOf({ start: f.start!, end: f.end! }, 'day', 5_000)!);
      }],
      ['street', async (ctx) => totalCounts(ctx, await resolveFilters(db, { ...period, scope: `street:${bench.street.code}` }))],
      ['site', async (ctx) => totalCounts(ctx, await resolveFilters(db, { ...period, scope: `site:${bench.site.id}` }))],
    ];

    const measure = async (mode: string, threads: number): Promise<KpiWorkersMode> => {
      const engine = new KpiEngine(db, undefined, { workers: threads });
      engine.start();
      const state = await engine.ready();
      if (state.state !== 'ready') throw new Error(`the engine did not load: ${JSON.stringify(state)}`);
      const ctx: KpiContext = { db, now, scoring: loadScoring(), engine };
      for (const [, run] of answers) await run(ctx);
      const delay = monitorEventLoopDelay({ resolution: 1 });
      delay.enable();
      const times = new Map<string, number>();
      for (const [name, run] of answers) {
        const ms: number[] = [];
        for (let i = 0; i < runs; i++) {
          const t = performance.now();
          await run(ctx);
          ms.push(performance.now() - t);
          // Each answer its own turn of the loop, as each request is in the server: the delay then measures one answer's hold.
          await new Promise(setImmediate);
        }
        times.set(name, median(ms));
      }
      const together: number[] = [];
      for (let i = 0; i < 5; i++) {
        const t = performance.now();
        await Promise.all(Array.from({ length: 16 }, (_, k) => answers[k % answers.length][1](ctx)));
        together.push(performance.now() - t);
        await new Promise(setImmediate);
      }
      // The sampling timer records a hold when it next runs: let it run before reading the figure.
      await new Promise((r) => setTimeout(r, 20));
      delay.disable();
      const rss = process.memoryUsage().rss;
      await engine.close();
      return { mode, workers: threads, times, together: median(together), maxDelayMs: delay.max / 1e6, rssMb: mb(rss) };
    };
    return [await measure('main thread', 0), await measure(`${workers} workers`, workers)];
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Both modes side by side, as a Markdown table. */
export function renderKpiWorkers(results: readonly KpiWorkersMode[]): string {
  const names = [...results[0].times.keys()];
  return [
    `| answer | ${results.map((r) => r.mode).join(' | ')} |`,
    `| --- | ${results.map(() => '---:').join(' | ')} |`,
    ...names.map((name) => `| ${name.padEnd(18)} | ${results.map((r) => `${r.times.get(name)!.toFixed(1)} ms`).join(' | ')} |`),
    `| 16 answers at once | ${results.map((r) => `${r.together.toFixed(0)} ms`).join(' | ')} |`,
    `| event loop held, max | ${results.map((r) => `${r.maxDelayMs.toFixed(0)} ms`).join(' | ')} |`,
    // One process runs both modes, the main thread's first: the second figure includes what the first left behind.
    `| process RSS, engine loaded | ${results.map((r) => `${r.rssMb} MB`).join(' | ')} |`,
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values: v } = parseArgs({ options: { db: { type: 'string' }, workers: { type: 'string' }, runs: { type: 'string' } } });
  if (!v.db || !existsSync(v.db)) throw new Error('--db FILE: a benchmark database (see `npm run bench`)');
  const results = await measureKpiWorkers(v.db, { workers: Number(v.workers ?? 2), runs: Number(v.runs ?? 15), log: (line) => console.error(line) });
  console.log(renderKpiWorkers(results));
}
