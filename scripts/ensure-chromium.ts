/**
 * Makes sure the browser the e2e tests drive is on this machine: Debian's Chromium plus CJK fonts
 * (without them every Chinese label renders as tofu and screenshots are useless), and poppler's
 * pdftotext, with which the bulletin tests read the PDF Chromium printed.
 *
 * Run by `npm test` before Vitest. It never skips silently: either the browser is there, it
 * installs it (as root with apt-get), or it prints the command to run and exits 1.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

// Where tests/helpers/browser.ts expects Chromium; Debian's package installs it here.
const CHROMIUM_PATH = '/usr/bin/chromium';
const CJK_FONT_FILE = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';
const PDFTOTEXT_PATH = '/usr/bin/pdftotext';
const PACKAGES = ['chromium', 'fonts-noto-cjk', 'poppler-utils'];

function hasCjkFont(): boolean {
  if (existsSync(CJK_FONT_FILE)) return true;
  return spawnSync('dpkg', ['-s', 'fonts-noto-cjk'], { stdio: 'ignore' }).status === 0;
}

function missing(): string[] {
  const out: string[] = [];
  if (!existsSync(CHROMIUM_PATH)) out.push('chromium');
  if (!hasCjkFont()) out.push('fonts-noto-cjk');
  if (!existsSync(PDFTOTEXT_PATH)) out.push('poppler-utils');
  return out;
}

function canInstall(): boolean {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  return isRoot && spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
}

function run(cmd: string, args: string[]): void {
  console.log(`[ensure-chromium] $ ${cmd} ${args.join(' ')}`);
  // Non-interactive so CI (no stdin) never blocks on a debconf prompt.
  execFileSync(cmd, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

function main(): number {
  const before = missing();
  if (before.length === 0) {
    console.log(`[ensure-chromium] ok: ${CHROMIUM_PATH}, fonts-noto-cjk and pdftotext are installed`);
    return 0;
  }
  const manual = `sudo apt-get install -y ${PACKAGES.join(' ')}`;
  if (!canInstall()) {
    console.error(`[ensure-chromium] missing: ${before.join(', ')}. Install with:\n  ${manual}`);
    return 1;
  }
  console.log(`[ensure-chromium] missing: ${before.join(', ')}; installing with apt-get`);
  try {
    run('apt-get', ['update']);
    run('apt-get', ['install', '-y', '--no-install-recommends', ...PACKAGES]);
  } catch (err) {
    console.error(`[ensure-chromium] apt-get failed: ${(err as Error).message}\nInstall with:\n  ${manual}`);
    return 1;
  }
  const after = missing();
  if (after.length > 0) {
    console.error(`[ensure-chromium] still missing after install: ${after.join(', ')}`);
    return 1;
  }
  const version = spawnSync(CHROMIUM_PATH, ['--version'], { encoding: 'utf8' }).stdout.trim();
  console.log(`[ensure-chromium] installed: ${version || CHROMIUM_PATH}`);
  return 0;
}

process.exitCode = main();
