/**
 * First start tells how far it is: the demo's stages as they start, running counts of the long
 * ones at most every few seconds (a clock injected here, so nothing is timed), and the import
 * pipeline's reports of reading, checking and merging.
 */
import { parse } from 'csv-parse/sync';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../server/db/database.ts';
import { loadDemo } from '../../../server/demo/load.ts';
import { DemoProgress } from '../../../server/demo/progress.ts';
import { PROGRESS_EVERY, runImport, type ImportProgress } from '../../../server/import/pipeline.ts';
import { FIXTURE_NOW } from '../../helpers/fixture-clock.ts';
import { freshDb } from '../../helpers/db.ts';

describe('DemoProgress', () => {
  it('prints each stage as it starts and running counts at most every 3 s', () => {
    const lines: string[] = [];
    let t = 0;
    const p = new DemoProgress((line) => lines.push(line), () => t);
    p.generating({ stage: 'regions' });
    p.generating({ stage: 'issues', total: 500_000 });
    t = 1_000;
    p.generating({ stage: 'issues', done: 100_000, total: 500_000 });
    t = 3_000;
    p.generating({ stage: 'issues', done: 250_000, total: 500_000 });
    t = 4_000;
    p.generating({ stage: 'issues', done: 300_000, total: 500_000 });
    const reading = p.importing('issues', 500_000);
    t = 5_000;
    reading({ stage: 'reading', features: 10_000 });
    t = 8_000;
    reading({ stage: 'reading', features: 210_000 });
    reading({ stage: 'checking', features: 500_000 });
    reading({ stage: 'merging', features: 500_000 });
    expect(lines).toEqual([
      'generating regions…',
      'generating 500,000 issues…',
      'generating issues: 50 % (250,000 of 500,000)',
      'importing 500,000 issues…',
      'importing issues: 42 % read (210,000 of 500,000)',
      'importing issues: checking 500,000 records…',
      'importing issues: writing 500,000 records…',
    ]);
  });
});

describe('loading a small demo', () => {
  let db: Database;
  let dir: string;
  let cleanup: () => Promise<void>;
  const lines: string[] = [];
  const ISSUES = PROGRESS_EVERY + 2_000;

  beforeAll(async () => {
    ({ db, dir, cleanup } = await freshDb());
    await loadDemo(db, { seed: 3, issues: ISSUES, grids: 140, sites: 40, now: FIXTURE_NOW, outDir: join(dir, 'demo'), log: (line) => lines.push(line) });
  }, 120_000);
  afterAll(async () => {
    await cleanup();
  });

  it('prints every stage of generating and importing, in order', () => {
    const stages = [
      'generating regions…', 'generating grids…', 'generating sites…', 'generating 12,000 issues…',
      'importing 60 categories…', 'importing regions: checking', 'importing grids: writing', 'importing 40 sites…',
      'importing 12,000 issues…', 'importing issues: checking 12,000 records…', 'importing issues: writing 12,000 records…', 'imported 12,000 issues',
    ];
    const at = stages.map((s) => lines.findIndex((l) => l.startsWith(s)));
    expect(at.every((i) => i >= 0), lines.join('\n')).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  it('reports reading every PROGRESS_EVERY records, then checking and merging', async () => {
    const seen: ImportProgress[] = [];
    // A FeatureCollection: read feature by feature (a CSV of issues is read in bulk, below).
    const rows = parse(readFileSync(join(dir, 'demo', 'issues.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    const geojson = join(dir, 'issues.geojson');
    writeFileSync(geojson, JSON.stringify({
      type: 'FeatureCollection',
      features: rows.map(({ lon, lat, ...props }) => ({
        type: 'Feature',
        properties: Object.fromEntries(Object.entries(props).filter(([, v]) => v !== '')),
        geometry: { type: 'Point', coordinates: [Number(lon), Number(lat)] },
      })),
    }));
    const report = await runImport(db, { kind: 'issues', path: geojson, onProgress: (p) => seen.push(p) });
    expect(report.ok, JSON.stringify(report.errors.slice(0, 3))).toBe(true);
    expect(seen).toEqual([
      { stage: 'reading', features: PROGRESS_EVERY },
      { stage: 'checking', features: ISSUES },
      { stage: 'merging', features: ISSUES },
    ]);
  }, 60_000);

  it('reports a file read in bulk once read, then checking and merging', async () => {
    const seen: ImportProgress[] = [];
    const report = await runImport(db, { kind: 'issues', path: join(dir, 'demo', 'issues.csv'), onProgress: (p) => seen.push(p) });
    expect(report.ok).toBe(true);
    expect(seen).toEqual([
      { stage: 'reading', features: ISSUES },
      { stage: 'checking', features: ISSUES },
      { stage: 'merging', features: ISSUES },
    ]);
  }, 60_000);
});
