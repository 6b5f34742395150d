/**
 * Installing PostgreSQL + PostGIS on a fresh Debian machine for `--vs-postgis`.
 *
 * Debian's `postgis` package only *recommends* the extension itself (`postgresql-<major>-postgis-<n>`),
 * so `apt-get install --no-install-recommends postgresql postgis` gives a server without PostGIS.
 * The extension package must be named for the installed server's major version; and a machine that
 * never ran `apt-get update` knows no package at all. The decisions are pure functions (tested);
 * {@link installPostgis} runs them with apt.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/** The PostGIS major version Debian 11–13 package; used when apt-cache cannot list any. */
const DEFAULT_POSTGIS_MAJOR = 3;

/** PostgreSQL major versions whose server binary is installed (`/usr/lib/postgresql/<major>/bin/postgres`), newest first. */
export function installedServerMajors(libDir = '/usr/lib/postgresql'): string[] {
  if (!existsSync(libDir)) return [];
  return readdirSync(libDir)
    .filter((v) => /^\d+$/.test(v) && existsSync(join(libDir, v, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
}

/**
 * The PostGIS extension package for server `major`: the newest `postgresql-<major>-postgis-<n>`
 * among `available` (package names apt knows, e.g. from `apt-cache pkgnames`), else the usual
 * `postgresql-<major>-postgis-3`. Packages of other server versions or the `-scripts` companions never match.
 */
export function postgisPackageFor(major: string, available: readonly string[] = []): string {
  if (!/^\d+$/.test(major)) throw new RangeError(`not a PostgreSQL major version: "${major}"`);
  const pattern = new RegExp(`^postgresql-${major}-postgis-(\\d+)$`);
  const newest = available
    .map((name) => pattern.exec(name.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => b - a)[0];
  return `postgresql-${major}-postgis-${newest ?? DEFAULT_POSTGIS_MAJOR}`;
}

/** Whether apt's message says it does not know a package (package lists never fetched or stale): `apt-get update` then helps. */
export function isUnknownPackage(aptOutput: string): boolean {
  return /Unable to locate package|has no installation candidate|is not available, but is referred to/.test(aptOutput);
}

/** Runs one `apt-get` command (arguments after `apt-get`); injected in tests. */
export type AptRunner = (args: string[]) => Promise<void>;

const aptEnv = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };

/** Runs `apt-get` with `args`; rejects with apt's own output in the message. */
const runApt: AptRunner = async (args) => {
  try {
    await exec('apt-get', args, { maxBuffer: 64 * 1024 * 1024, env: aptEnv });
  } catch (err) {
    const e = err as Error & { stderr?: string; stdout?: string };
    throw new Error(`apt-get ${args.join(' ')} failed: ${(e.stderr || e.stdout || e.message).trim().split('\n').slice(-3).join(' ')}`);
  }
};

/** `apt-get install` of `packages`; when apt does not know one, `apt-get update` once and again. */
async function installWithUpdate(apt: AptRunner, packages: string[], updated: { done: boolean }, log: (line: string) => void): Promise<void> {
  const install = () => apt(['install', '-y', '--no-install-recommends', ...packages]);
  try {
    await install();
  } catch (err) {
    if (updated.done || !isUnknownPackage((err as Error).message)) throw err;
    log(`postgis: apt does not know ${packages.join(' ')}; apt-get update …`);
    await apt(['update']);
    updated.done = true;
    await install();
  }
}

/** Package names apt knows with `prefix` (empty when apt-cache fails: the default name is then tried). */
async function knownPackages(prefix: string): Promise<string[]> {
  try {
    return (await exec('apt-cache', ['pkgnames', prefix], { maxBuffer: 16 * 1024 * 1024 })).stdout.split('\n');
  } catch {
    return [];
  }
}

/**
 * Installs a PostgreSQL server when none is there, then the PostGIS extension package matching the
 * newest installed server's major version. Resolves to that major version.
 */
export async function installPostgis(log: (line: string) => void, apt: AptRunner = runApt, libDir?: string): Promise<string> {
  const updated = { done: false };
  let majors = installedServerMajors(libDir);
  if (!majors.length) {
    log('postgis: no PostgreSQL server; apt-get install -y --no-install-recommends postgresql …');
    await installWithUpdate(apt, ['postgresql'], updated, log);
    majors = installedServerMajors(libDir);
    if (!majors.length) throw new Error('PostgreSQL is still missing after apt-get install postgresql');
  }
  const major = majors[0]!;
  const pkg = postgisPackageFor(major, await knownPackages(`postgresql-${major}-postgis-`));
  log(`postgis: apt-get install -y --no-install-recommends ${pkg} (the extension for PostgreSQL ${major}) …`);
  await installWithUpdate(apt, [pkg], updated, log);
  return major;
}
