/**
 * The harness end to end at a tiny size (the browser stage left out: it needs a web build and
 * Chromium, which the e2e tests cover): it must finish, print the table, and write JSON of the
 * documented shape, with a figure for every operation — each of whose answers was a 200 with a
 * plausible body (scripts/bench/answers.ts), so a broken route fails this test.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { OPERATION_NAMES } from '../../../scripts/bench/operations.ts';
import { ROOT } from '../../helpers/server-process.ts';

const exec = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'civgrid-bench-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run bench at a tiny size', () => {
  it('prints the report and writes the JSON with every promised key', async () => {
    const json = join(dir, 'bench.json');
    const { stdout } = await exec(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'scripts/bench.ts'), '--issues', '3000', '--grids', '150', '--sites', '60',
        '--requests', '2', '--skip', 'browser', '--cache-dir', join(dir, 'cache'), '--json', json],
      { cwd: ROOT, timeout: 170_000, maxBuffer: 16 * 1024 * 1024 },
    );
    expect(stdout).toContain('import issues, CSV');
    expect(stdout).toMatch(/^summary\s/m);
    const out = JSON.parse(readFileSync(json, 'utf8'));
    expect(out).toMatchObject({ issues: 3000, grids: expect.any(Number) });
    for (const key of ['import_issues_per_s', 'assign_points_per_s', 'rss_peak_mb', 'db_mb']) expect(out[key], key).toBeGreaterThan(0);
    expect(out.operations.map((o: { name: string }) => o.name)).toEqual([...OPERATION_NAMES]);
    // Camera-sized photos went up and their thumbnails came back.
    expect(out.photos.mean_kb).toBeGreaterThan(1500);
    for (const key of ['upload_per_s_one_client', 'upload_per_s_four_clients', 'thumb_p50_ms']) expect(out.photos[key], key).toBeGreaterThan(0);
    expect(stdout).toContain('upload, four clients');
    for (const op of out.operations) {
      expect(op.http, op.name).toBe('ok');
      expect(op.response_kb, op.name).toBeGreaterThan(0);
      expect(op.p95_ms).toBeGreaterThanOrEqual(op.p50_ms);
      expect(op.sql_p50_ms).toBeGreaterThan(0);
      expect(op.postgis_p50_ms).toBeNull();
    }
  }, 180_000);
});
