import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Database } from '../db/database.ts';
import { HOUR } from '../domain/time.ts';
import { REFERENCE_LAYERS } from '../domain/reference-layers.ts';
import type { ImportKind } from '../import/kind.ts';
import { runImport } from '../import/pipeline.ts';
import { formatProblem } from '../import/problems.ts';
import { generateDemo } from './index.ts';
import type { MediaStore } from '../media/store.ts';
import { demoPhotoIssues, loadDemoPhotos } from './photos.ts';
import { redispatchDemoCases } from './departments.ts';
import { count, DemoProgress } from './progress.ts';

export type DemoOptions = {
  seed: number;
  issues: number;
  /** County-level units of 昆明市 (default the six urban districts). */
  districts?: readonly string[];
  grids?: number;
  sites?: number;
  /** End of the three years of issues; same seed and same `now` give the same files. */
  now?: Date;
  outDir?: string;
  log?: (line: string) => void;
  /** Where the demo's evidence photos go; without it the demo has none. */
  media?: MediaStore;
};

/** Import order: each kind references the ones before it. */
const ORDER: Exclude<ImportKind, 'reference'>[] = ['departments', 'categories', 'regions', 'grids', 'sites', 'issues'];

/**
 * Generates the demo city into `data/demo/` and loads it through the same import pipeline a
 * user's files go through, telling `log` how far it is (see DemoProgress). Returns per-kind
 * timings so callers can report throughput.
 */
export async function loadDemo(db: Database, opts: DemoOptions): Promise<{ generateMs: number; imports: Record<string, { features: number; ms: number }> }> {
  const log = opts.log ?? (() => undefined);
  const progress = new DemoProgress(log);
  const outDir = resolve(opts.outDir ?? 'data/demo');
  mkdirSync(outDir, { recursive: true });
  const t0 = Date.now();
  const generated = await generateDemo({
    seed: opts.seed, issues: opts.issues, districts: opts.districts, grids: opts.grids, sites: opts.sites, now: opts.now, outDir, onProgress: progress.generating,
  });
  const generateMs = Date.now() - t0;
  log(`generated ${Object.entries(generated.counts).map(([k, n]) => `${n} ${k}`).join(', ')} in ${(generateMs / 1000).toFixed(1)} s`);
  const imports: Record<string, { features: number; ms: number }> = {};
  for (const kind of ORDER) {
    const onProgress = progress.importing(kind, generated.counts[kind]);
    // The generated history ends at the demo's now, which may differ from the clock's.
    const now = opts.now ? () => opts.now! : undefined;
    const report = await runImport(db, { kind, path: generated.files[kind], actor: 'demo', onProgress, now });
    if (!report.ok) {
      const lines = report.errors.slice(0, 10).map((p) => formatProblem(report.file, p));
      throw new Error(`demo ${kind} import was rejected:\n${lines.join('\n')}`);
    }
    imports[kind] = { features: report.features, ms: report.durationMs };
    log(`imported ${count(report.features)} ${kind} in ${(report.durationMs / 1000).toFixed(1)} s`);
  }
  const redispatched = await redispatchDemoCases(db, opts.now ?? new Date());
  log(`re-dispatched ${redispatched} cases to another department`);
  if (opts.media) {
    const t1 = Date.now();
    const photos = await loadDemoPhotos(db, opts.media, { seed: opts.seed, issueCount: demoPhotoIssues(opts.issues), at: opts.now ?? new Date() });
    log(`attached ${count(photos)} demo photos in ${((Date.now() - t1) / 1000).toFixed(1)} s`);
  }
  // Reference layers last: nothing refers to them.
  for (const layer of REFERENCE_LAYERS) {
    const report = await runImport(db, { kind: 'reference', layer, path: generated.files[layer], actor: 'demo' });
    if (!report.ok) throw new Error(`demo ${layer} layer was rejected:\n${report.errors.slice(0, 10).map((p) => formatProblem(report.file, p)).join('\n')}`);
    imports[layer] = { features: report.features, ms: report.durationMs };
    log(`imported ${report.features} ${layer} in ${(report.durationMs / 1000).toFixed(1)} s`);
  }
  return { generateMs, imports };
}

/** The demo's "now": the given instant, else the hour of `now` (whole hours keep reruns within an hour identical). */
export function demoNow(iso: string | undefined, now: Date): Date {
  if (iso) return new Date(iso);
  return new Date(Math.floor(now.getTime() / HOUR) * HOUR);
}
