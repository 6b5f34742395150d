/**
 * Writes the demo city's files (no database involved):
 *   tsx scripts/demo-generate.ts --seed 1 --issues 500000 [--districts all|CODE,…] [--grids N] [--sites N] --out data/demo [--now 2026-11-25T00:00:00+08:00]
 */
import { parseArgs } from 'node:util';
import { parseDistricts } from '../server/demo/city.ts';
import { generateDemo } from '../server/demo/index.ts';
import { restrictNewFiles } from '../server/file-modes.ts';

// The files it writes (database, WAL, backups, generated data) are private: 0600 in 0700 folders.
restrictNewFiles();

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    issues: { type: 'string', default: '500000' },
    districts: { type: 'string' },
    grids: { type: 'string' },
    sites: { type: 'string' },
    out: { type: 'string', default: 'data/demo' },
    now: { type: 'string' },
  },
});

const int = (name: string, raw: string) => {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, got "${raw}"`);
  return n;
};
const now = values.now ? new Date(values.now) : undefined;
if (now && Number.isNaN(now.getTime())) throw new Error(`--now is not a date: "${values.now}"`);

const started = performance.now();
const result = await generateDemo({
  seed: int('seed', values.seed),
  issues: int('issues', values.issues),
  districts: parseDistricts(values.districts),
  grids: values.grids === undefined ? undefined : int('grids', values.grids),
  sites: values.sites === undefined ? undefined : int('sites', values.sites),
  outDir: values.out,
  now,
});
console.log(JSON.stringify({ ...result, seconds: Math.round((performance.now() - started) / 100) / 10 }, null, 2));
