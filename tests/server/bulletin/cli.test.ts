import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';
import { ArgumentError, parseBulletinArgs, progressLine } from '../../../server/bulletin/cli.ts';

const run = promisify(execFile);

describe('npm run bulletin arguments', () => {
  test('a full command line', () => {
    expect(parseBulletinArgs(['--period', '2026-11', '--scope', 'district:530111', '--format', 'docx, xlsx,docx', '--out', 'out'])).toEqual({
      period: '2026-11', scope: 'district:530111', formats: ['docx', 'xlsx'], out: 'out',
    });
    expect(parseBulletinArgs(['--period', '2026-Q4', '--out', 'o'])).toMatchObject({ scope: null, formats: ['pdf', 'docx', 'xlsx'] });
  });

  test.each([
    [['--out', 'o'], '--period is required'],
    [['--period', 'November', '--out', 'o'], '--period "November"'],
    [['--period', '2026-11'], '--out DIR is required'],
    [['--period', '2026-11', '--out', 'o', '--scope', '530111'], '--scope "530111"'],
    [['--period', '2026-11', '--out', 'o', '--format', 'docx,odt'], '--format "odt"'],
    [['--period', '2026-11', '--out', 'o', '--format', ''], '--format needs'],
    [['--period', '2026-11', '--out', 'o', '--pages', '3'], "'--pages'"],
    [['--period', '2026-11', '--out', 'o', 'extra'], "'extra'"],
  ])('%j is refused naming the argument', (argv, named) => {
    expect(() => parseBulletinArgs(argv)).toThrow(ArgumentError);
    expect(() => parseBulletinArgs(argv)).toThrow(named);
  });

  test('the progress bar', () => {
    expect(progressLine(0, 4, 'content', 8)).toBe('[--------] 0/4 content');
    expect(progressLine(2, 4, 'docx', 8)).toBe('[####----] 2/4 docx');
    expect(progressLine(4, 4, 'done', 8)).toBe('[########] 4/4 done');
  });

  test('the script exits 2 with the argument named and the usage', async () => {
    const err = await run(process.execPath, ['--import', 'tsx', 'scripts/bulletin.ts', '--period', '2026-13x', '--out', 'tmp/never'], { env: { ...process.env, CIVGRID_DB: '/nonexistent/never.duckdb' } })
      .then(() => null, (e: { code: number; stderr: string }) => e);
    expect(err?.code).toBe(2);
    expect(err?.stderr).toContain('--period "2026-13x"');
    expect(err?.stderr).toContain('usage: npm run bulletin');
  });
});
