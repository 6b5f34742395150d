/**
 * The benchmark's dataset: the demo generator's files at the requested size, cached under
 * `.cache/bench/<hash>/` and keyed by the parameters and the generator's own source, so a changed
 * generator never benchmarks stale files.
 */
import { parse } from 'csv-parse';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_NOW, generateDemo, type DemoResult } from '../../server/demo/index.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** What defines a dataset. */
export interface DatasetParams {
  issues: number;
  grids: number;
  sites: number;
  seed: number;
}

/** A generated dataset on disk. */
export interface Dataset {
  dir: string;
  files: DemoResult['files'];
  counts: Record<string, number>;
  /** End of the generated three years: the benchmark's "now". */
  now: Date;
  /** Seconds the generator took, or null when the files came from the cache. */
  generateSeconds: number | null;
}

/** Hash of everything the generator's output depends on besides the parameters. */
function generatorFingerprint(): string {
  const h = createHash('sha256');
  const demoDir = join(ROOT, 'server', 'demo');
  for (const f of readdirSync(demoDir).filter((n) => n.endsWith('.ts')).sort()) h.update(f).update(readFileSync(join(demoDir, f)));
  for (const f of ['data/demo-names.json', 'data/taxonomy.json']) h.update(f).update(readFileSync(join(ROOT, f)));
  return h.digest('hex');
}

/** The cache folder name: readable size plus a short hash of parameters and generator. */
function datasetKey(p: DatasetParams, fingerprint: string): string {
  const hash = createHash('sha256').update(JSON.stringify({ ...p, now: DEFAULT_NOW.toISOString(), fingerprint })).digest('hex').slice(0, 12);
  return `${p.issues}i-${p.grids}g-${hash}`;
}

/**
 * Returns the dataset for `p`, generating it if the cache lacks it. A `dataset.json` written last
 * marks a complete folder, so an interrupted generation is redone rather than reused.
 */
export async function ensureDataset(p: DatasetParams, cacheDir: string, log: (line: string) => void): Promise<Dataset> {
  const dir = resolve(cacheDir, datasetKey(p, generatorFingerprint()));
  const marker = join(dir, 'dataset.json');
  if (existsSync(marker)) {
    const saved = JSON.parse(readFileSync(marker, 'utf8')) as { files: DemoResult['files']; counts: Record<string, number> };
    log(`dataset: reusing ${dir}`);
    return { dir, files: saved.files, counts: saved.counts, now: DEFAULT_NOW, generateSeconds: null };
  }
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  log(`dataset: generating ${p.issues.toLocaleString('en-US')} issues, ${p.grids} grids into ${dir} …`);
  const t0 = performance.now();
  const result = await generateDemo({ seed: p.seed, issues: p.issues, grids: p.grids, sites: p.sites, outDir: dir, now: DEFAULT_NOW });
  const generateSeconds = (performance.now() - t0) / 1000;
  await writeFile(marker, JSON.stringify({ params: p, files: result.files, counts: result.counts, generateSeconds }, null, 2));
  log(`dataset: generated in ${generateSeconds.toFixed(1)} s`);
  return { dir, files: result.files, counts: result.counts, now: DEFAULT_NOW, generateSeconds };
}

const NUMERIC = new Set(['lon', 'lat']);

/**
 * Writes the first `limit` issues of the CSV as a GeoJSON FeatureCollection with one feature per
 * line (the layout civgrid exports and streams), for the GeoJSON import figure. Cached beside the
 * CSV; returns the path and how many features it holds.
 */
export async function geojsonSlice(csvPath: string, limit: number): Promise<{ path: string; features: number }> {
  const path = csvPath.replace(/\.csv$/, `-${limit}.geojson`);
  const countFile = `${path}.count`;
  if (existsSync(countFile)) return { path, features: Number(readFileSync(countFile, 'utf8')) };
  const tmp = `${path}.partial`;
  const out = createWriteStream(tmp);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  const parser = createReadStream(csvPath).pipe(parse({ columns: true, skip_empty_lines: true }));
  let n = 0;
  await write('{"type":"FeatureCollection","features":[\n');
  for await (const row of parser as AsyncIterable<Record<string, string>>) {
    if (n >= limit) break;
    const properties: Record<string, string> = {};
    for (const [k, v] of Object.entries(row)) if (!NUMERIC.has(k) && v !== '') properties[k] = v;
    const feature = { type: 'Feature', properties, geometry: { type: 'Point', coordinates: [Number(row.lon), Number(row.lat)] } };
    await write(`${n ? ',\n' : ''}${JSON.stringify(feature)}`);
    n++;
  }
  parser.destroy();
  await write('\n]}\n');
  out.end();
  await once(out, 'finish');
  await rename(tmp, path);
  await writeFile(countFile, String(n));
  return { path, features: n };
}
