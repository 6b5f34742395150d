import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { installedServerMajors, installPostgis, isUnknownPackage, postgisPackageFor } from '../../../scripts/bench/postgis-install.ts';

describe('postgisPackageFor', () => {
  it('names the extension package of the server major version (Debian 12: PostgreSQL 15)', () => {
    expect(postgisPackageFor('15')).toBe('postgresql-15-postgis-3');
    expect(postgisPackageFor('17', [])).toBe('postgresql-17-postgis-3');
  });

  it('picks the newest PostGIS apt knows for that server, ignoring other servers and the -scripts package', () => {
    const known = ['postgresql-15-postgis-3', 'postgresql-15-postgis-3-scripts', 'postgresql-16-postgis-4', 'postgresql-15-postgis-4\n', 'postgresql-15-postgis-2'];
    expect(postgisPackageFor('15', known)).toBe('postgresql-15-postgis-4');
  });

  it('refuses something that is not a major version', () => {
    expect(() => postgisPackageFor('15; rm -rf /')).toThrow(RangeError);
  });
});

describe('isUnknownPackage', () => {
  it('recognises apt\'s "unknown package" messages and nothing else', () => {
    expect(isUnknownPackage('E: Unable to locate package postgresql-15-postgis-3')).toBe(true);
    expect(isUnknownPackage("E: Package 'postgresql-15-postgis-3' has no installation candidate")).toBe(true);
    expect(isUnknownPackage('E: Could not open lock file /var/lib/dpkg/lock-frontend - open (13: Permission denied)')).toBe(false);
  });
});

describe('installPostgis', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const serverAt = (major: string) => {
    mkdirSync(join(dir, major, 'bin'), { recursive: true });
    writeFileSync(join(dir, major, 'bin', 'postgres'), '');
  };

  it('installs the extension for the installed server, running apt-get update once when apt does not know it', async () => {
    dir = mkdtempSync(join(tmpdir(), 'civgrid-pg-lib-'));
    serverAt('13');
    serverAt('15');
    expect(installedServerMajors(dir)).toEqual(['15', '13']);
    const calls: string[] = [];
    let updated = false;
    const apt = async (args: string[]) => {
      calls.push(args.join(' '));
      if (args[0] === 'update') updated = true;
      else if (!updated) throw new Error('apt-get install failed: E: Unable to locate package postgresql-15-postgis-3');
    };
    expect(await installPostgis(() => undefined, apt, dir)).toBe('15');
    expect(calls.filter((c) => c.includes('postgis'))).toHaveLength(2);
    expect(calls).toEqual([
      expect.stringMatching(/^install -y --no-install-recommends postgresql-15-postgis-\d+$/),
      'update',
      expect.stringMatching(/^install -y --no-install-recommends postgresql-15-postgis-\d+$/),
    ]);
  });

  it('installs the server first on a machine without one, and passes other apt failures on', async () => {
    dir = mkdtempSync(join(tmpdir(), 'civgrid-pg-lib-'));
    const calls: string[] = [];
    const apt = async (args: string[]) => {
      calls.push(args.join(' '));
      if (args.at(-1) === 'postgresql') serverAt('16');
      else throw new Error('apt-get install failed: E: Could not get lock /var/lib/dpkg/lock-frontend');
    };
    await expect(installPostgis(() => undefined, apt, dir)).rejects.toThrow(/Could not get lock/);
    expect(calls).toEqual(['install -y --no-install-recommends postgresql', expect.stringMatching(/^install -y --no-install-recommends postgresql-16-postgis-\d+$/)]);
  });
});
