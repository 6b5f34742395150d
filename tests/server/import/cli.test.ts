import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zipEntries } from '../../helpers/fixture-writers.ts';
import { jpeg } from '../../helpers/photos.ts';
import { ROOT, startServerProcess, type ServerProcess } from '../../helpers/server-process.ts';

const run = promisify(execFile);
const CITY = join(ROOT, 'tests/fixtures/city');

/** Runs `scripts/import.ts` like `npm run import --` does; resolves with exit code and output. */
async function importCli(dbPath: string, args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'scripts/import.ts', ...args], {
      cwd: ROOT, env: { ...process.env, CIVGRID_DB: dbPath },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('npm run import', () => {
  let dir: string;
  let dbPath: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'civgrid-cli-'));
    dbPath = join(dir, 'cli.duckdb');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('imports straight into the database when no server holds it', async () => {
    const r = await importCli(dbPath, [join(CITY, 'categories.json'), '--kind', 'categories']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/categories\.json as categories: 6 features \(6 new, 0 updated\)/);
  });

  it('prints each problem with file, feature, field and reason, and exits 1', async () => {
    const r = await importCli(dbPath, [join(ROOT, 'tests/fixtures/bad/issues-unknown-category.geojson'), '--kind', 'issues']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/issues-unknown-category\.geojson: feature #0 \(id B1\) field category: category "9999" is not in the taxonomy/);
  });

  it('takes --as-draft only for grids', async () => {
    const r = await importCli(dbPath, [join(CITY, 'categories.json'), '--kind', 'categories', '--as-draft']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--as-draft imports grids/);
  });

  it('imports photos from a folder, printing progress and each refused photo', async () => {
    const folder = join(dir, 'photos');
    mkdirSync(folder);
    writeFileSync(join(folder, 'I99_before_1.jpg'), await jpeg());
    const r = await importCli(dbPath, [folder, '--kind', 'photos']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/checked 1 \/ 1 photos/);
    expect(r.stderr).toMatch(/I99_before_1\.jpg: no issue I99 \[unknown_issue\]/);
    expect(r.stderr).toMatch(/nothing was imported/);
  });

  it('rejects a bad --kind with the usage', async () => {
    const r = await importCli(dbPath, [join(CITY, 'categories.json'), '--kind', 'people']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--kind must be one of/);
  });

  describe('while a server holds the database', () => {
    let server: ServerProcess;
    beforeAll(async () => {
      server = await startServerProcess({ dbPath, imports: [{ file: join(CITY, 'regions.geojson'), kind: 'regions' }] });
    });
    afterAll(async () => server?.stop());

    it('hands the file to the server, which imports it', async () => {
      const r = await importCli(dbPath, [join(CITY, 'grids.geojson'), '--kind', 'grids']);
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/held by the server/);
      expect(r.stdout).toMatch(/8 features \(8 new, 0 updated\)/);
      const health = (await (await fetch(`${server.url}/api/health`)).json()) as { counts: { grids: number } };
      expect(health.counts.grids).toBe(8);
    });

    it('refuses grids that would break the published plan, and takes them into a new draft with --as-draft', async () => {
      const file = join(ROOT, 'tests/fixtures/bad/grids-overlap.geojson');
      const refused = await importCli(dbPath, [file, '--kind', 'grids']);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/plan_not_publishable/);
      expect(refused.stderr).toMatch(/feature #0 \(id 530111001001002\) field geometry: grids 530111001001001 and 530111001001002 overlap/);
      const drafted = await importCli(dbPath, [file, '--kind', 'grids', '--as-draft']);
      expect(drafted.code, drafted.stderr).toBe(0);
      expect(drafted.stdout).toMatch(/into a new draft plan \d+ \(导入 grids-overlap\.geojson\); the published plan is unchanged/);
    });

    it('hands a zip of photos to the server', async () => {
      const zip = join(dir, 'photos.zip');
      writeFileSync(zip, zipEntries({ 'I99_after_1.jpg': await jpeg() }));
      const r = await importCli(dbPath, [zip, '--kind', 'photos']);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/held by the server/);
      expect(r.stderr).toMatch(/I99_after_1\.jpg: no issue I99 \[unknown_issue\]/);
    });

    it('reports a rejection coming back from the server', async () => {
      const r = await importCli(dbPath, [join(ROOT, 'tests/fixtures/bad/grids-self-intersection.geojson'), '--kind', 'grids']);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/self_intersection/);
    });
  });
});
