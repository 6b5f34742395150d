/**
 * The arguments and the progress bar of `npm run bulletin`, kept out of the script so they can
 * be tested without starting a process. Pure.
 */
import { parseArgs } from 'node:util';
import { BULLETIN_FORMATS, type BulletinFormat } from './render.ts';

/** How the command is called. */
export const BULLETIN_USAGE = `usage: npm run bulletin -- --period 2026-11 [--scope district:530111] [--format ${BULLETIN_FORMATS.join(',')}] --out DIR`;

/** What the command was asked for. */
export interface BulletinArgs {
  period: string;
  scope: string | null;
  formats: BulletinFormat[];
  out: string;
}

/** A bad command line: the message names the argument. */
export class ArgumentError extends Error {}

const PERIOD = /^\d{4}-(\d{2}|Q[1-4])$|^\d{4}-\d{2}-\d{2}\.\.\d{4}-\d{2}-\d{2}$/;
const SCOPE = /^[a-z]+:[\w-]{1,64}$/;

/** Parses `argv` (after the script name); throws {@link ArgumentError} naming the argument at fault. */
export function parseBulletinArgs(argv: readonly string[]): BulletinArgs {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv], allowPositionals: false,
      options: { period: { type: 'string' }, scope: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' } },
    }));
  } catch (err) {
    throw new ArgumentError((err as Error).message);
  }
  if (!values.period) throw new ArgumentError('--period is required (2026-11, 2026-Q4 or 2026-10-01..2026-10-31)');
  if (!PERIOD.test(values.period)) throw new ArgumentError(`--period "${values.period}" is not 2026-11, 2026-Q4 or 2026-10-01..2026-10-31`);
  if (values.scope !== undefined && !SCOPE.test(values.scope)) throw new ArgumentError(`--scope "${values.scope}" is not level:ID (e.g. district:530111)`);
  if (!values.out) throw new ArgumentError('--out DIR is required (the folder the files are written to)');
  const formats = (values.format ?? BULLETIN_FORMATS.join(',')).split(',').map((f) => f.trim()).filter(Boolean);
  const unknown = formats.filter((f) => !(BULLETIN_FORMATS as readonly string[]).includes(f));
  if (unknown.length || !formats.length) {
    throw new ArgumentError(`--format ${unknown.length ? `"${unknown.join(',')}" is not` : 'needs'} one or more of ${BULLETIN_FORMATS.join(', ')}`);
  }
  return { period: values.period, scope: values.scope ?? null, formats: [...new Set(formats)] as BulletinFormat[], out: values.out };
}

/** One line of the progress bar: `[########------------]  2/5 docx`. */
export function progressLine(done: number, total: number, step: string, width = 20): string {
  const filled = total > 0 ? Math.round((done / total) * width) : width;
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(done).padStart(String(total).length)}/${total} ${step}`;
}
