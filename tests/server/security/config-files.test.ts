/**
 * The JSON configuration files (CIVGRID_SCORING, CIVGRID_SCREEN_CONFIG) are read through
 * server/env.ts and validated at start: a bad file stops the server naming the variable, the
 * file and the field.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { readEnv } from '../../../server/env.ts';
import { loadScoring } from '../../../server/kpi/score.ts';
import { loadSiteStatusRule } from '../../../server/kpi/site-status-config.ts';
import { loadScreenConfig } from '../../../server/routes/screen-config.ts';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'civgrid-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

const WEIGHTS = { onTimeRate: 40, closureRate: 30, immediateRate: 10, reworkFree: 20 };

describe('configuration files', () => {
  it('come from the environment, with the committed files as defaults', () => {
    expect(readEnv({})).toMatchObject({
      CIVGRID_SCORING: 'data/scoring.json', CIVGRID_SCREEN_CONFIG: 'data/screen.json', CIVGRID_SITE_STATUS: 'data/site-status.json', CIVGRID_CALENDAR: 'data/calendar.json',
    });
    expect(readEnv({ CIVGRID_SCORING: '/etc/civgrid/scoring.json' }).CIVGRID_SCORING).toBe('/etc/civgrid/scoring.json');
    expect(loadScoring(readEnv({}).CIVGRID_SCORING).weights).toEqual(WEIGHTS);
  });

  it('a bad scoring.json names the variable, the file and the field', () => {
    const path = file('scoring-text.json', { weights: { ...WEIGHTS, closureRate: '30' }, penalties: { overdueShare: 20 } });
    expect(() => loadScoring(path)).toThrow(`invalid CIVGRID_SCORING file ${path}:\n  weights.closureRate:`);
    const misspelt = file('scoring-typo.json', { weights: WEIGHTS, penalties: { overdue: 20 } });
    expect(() => loadScoring(misspelt)).toThrow(/penalties\.overdueShare[\s\S]*penalties: Unrecognized key: "overdue"/);
    const negative = file('scoring-negative.json', { weights: { ...WEIGHTS, reworkFree: -20 }, penalties: { overdueShare: 20 } });
    expect(() => loadScoring(negative)).toThrow(/weights\.reworkFree/);
    expect(() => loadScoring(file('scoring-broken.json', '{ "weights": '))).toThrow(/cannot read CIVGRID_SCORING file .*scoring-broken\.json/);
    expect(() => loadScoring(join(dir, 'missing.json'))).toThrow(/cannot read CIVGRID_SCORING file .*missing\.json/);
  });

  it('a bad site-status.json names the variable, the file and the field', () => {
    const path = file('site-status-bad.json', { longOverdueDays: 0, red: { longOverdue: 5, share: 0.1 }, amber: { overdue: 3, share: 0.05 } });
    expect(() => loadSiteStatusRule(path)).toThrow(`invalid CIVGRID_SITE_STATUS file ${path}:\n  longOverdueDays:`);
    const misspelt = file('site-status-typo.json', { longOverdueDays: 7, red: { longOverdue: 5, share: 0.1 }, amber: { overdues: 3, share: 0.05 } });
    expect(() => loadSiteStatusRule(misspelt)).toThrow(/amber\.overdue[\s\S]*amber: Unrecognized key: "overdues"/);
  });

  it('a bad screen.json names the variable, the file and the field', () => {
    const path = file('screen-bad.json', { title: '指挥中心', refreshSeconds: 600 });
    expect(() => loadScreenConfig(path)).toThrow(`invalid CIVGRID_SCREEN_CONFIG file ${path}:\n  refreshSeconds:`);
  });

  for (const [variable, name, content, field] of [
    ['CIVGRID_SCORING', 'start-scoring.json', { weights: { ...WEIGHTS, onTimeRate: null }, penalties: { overdueShare: 20 } }, 'weights.onTimeRate'],
    ['CIVGRID_SCREEN_CONFIG', 'start-screen.json', { title: '指挥中心', period: 'week' }, 'period'],
    ['CIVGRID_SITE_STATUS', 'start-site-status.json', { longOverdueDays: 7, red: { longOverdue: 5, share: 10 }, amber: { overdue: 3, share: 0.05 } }, 'red.share'],
    ['CIVGRID_CALENDAR', 'start-calendar.json', { daysOff: [{ date: '2026-13-01', name: '×' }] }, 'daysOff.0.date'],
  ] as const) {
    it(`the server does not start with a bad ${variable} file`, async () => {
      const path = file(name, content);
      const env = { ...process.env, CIVGRID_DB: join(dir, 'never.duckdb'), CIVGRID_DEMO: '0', PORT: '0', [variable]: path };
      const started = run(process.execPath, ['--import', 'tsx', 'server/index.ts'], { env, timeout: 60_000 });
      const failure = (await started.then(() => null, (err: unknown) => err)) as { code: number; stderr: string } | null;
      expect(failure, 'the server started').not.toBeNull();
      expect(failure!.code).not.toBe(0);
      expect(failure!.stderr).toContain(`invalid ${variable} file ${path}:\n  ${field}:`);
    }, 60_000);
  }
});
