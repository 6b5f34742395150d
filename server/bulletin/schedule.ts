/**
 * The monthly bulletin made by the server itself: from the 1st of each month at 08:00
 * Asia/Shanghai, the previous month's bulletin of the configured scope (the top region by
 * default) is generated and archived. The archive is the memory: a month already stored is not
 * made again, so a restart, a second tick or a server that was down at 08:00 and starts later all
 * end with exactly one scheduled bulletin per month.
 */
import { existsSync } from 'node:fs';
import type { AppDeps } from '../app.ts';
import { HOUR, localParts, shanghaiMidnight } from '../domain/time.ts';
import { topRegion } from '../kpi/resolve.ts';
import type { BulletinArchive, BulletinRecord } from './archive.ts';
import type { Env } from '../env.ts';
import { BULLETIN_FORMATS, type BulletinFormat } from './render.ts';

/** Who the archive names as the author of a scheduled bulletin. */
export const SCHEDULE_AUTHOR = 'schedule';
/** The hour of the 1st (Shanghai) from which last month's bulletin is due. */
const DUE_HOUR = 8;
/** How often the clock is looked at. */
const CHECK_MS = 60_000;

/**
 * The month (`2026-11`) whose bulletin is due at `now`: the previous one, from the 1st 08:00 on;
 * null before 08:00 on the 1st (last month is then not yet closed for the bulletin).
 */
export function dueMonth(now: Date): string | null {
  const { y, m } = localParts(now.getTime());
  const due = shanghaiMidnight(`${y}-${String(m + 1).padStart(2, '0')}-01`).getTime() + DUE_HOUR * HOUR;
  if (now.getTime() < due) return null;
  const month = new Date(Date.UTC(y, m - 1, 1));
  return `${month.getUTCFullYear()}-${String(month.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** The scope the schedule makes bulletins for: the configured one, or the top region. */
export async function scheduledScope(deps: Pick<AppDeps, 'db'>, configured: string | null): Promise<string> {
  return configured ?? (await topRegion(deps.db).then((t) => `${t.level}:${t.code}`));
}

/** Settings of {@link BulletinSchedule}. */
export interface ScheduleOptions {
  /** level:ID; null: the top region. */
  scope: string | null;
  formats: readonly BulletinFormat[];
  /** Where a failure is reported (the server's log). */
  log: (line: string) => void;
}

export class BulletinSchedule {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<BulletinRecord | null> | null = null;
  /** The month whose generation failed, so the log names a failure once rather than every minute. */
  private failed: string | null = null;

  constructor(
    private readonly deps: AppDeps,
    private readonly archive: BulletinArchive,
    private readonly opts: ScheduleOptions,
  ) {}

  /** Looks at the clock now and every minute after. */
  start(): void {
    void this.tick();
    this.timer = setInterval(() => void this.tick(), CHECK_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Generates the due month's bulletin unless it is stored already; one at a time. Returns the record made, or null. */
  tick(): Promise<BulletinRecord | null> {
    this.running ??= this.generateDue().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async generateDue(): Promise<BulletinRecord | null> {
    const period = dueMonth(this.deps.now());
    if (period === null) return null;
    try {
      const scope = await scheduledScope(this.deps, this.opts.scope);
      // Any stored bulletin of the month counts, whoever made it: an office that issued it by hand needs no second one.
      if (await this.archive.has(scope, period)) return null;
      const record = await this.archive.generate(this.deps, { scope, period, formats: this.opts.formats, author: SCHEDULE_AUTHOR });
      this.opts.log(`civgrid: generated the bulletin ${record.number} of ${scope} for ${period} (id ${record.id})`);
      return record;
    } catch (err) {
      if (this.failed !== period) this.opts.log(`civgrid: the scheduled bulletin for ${period} failed: ${(err as Error).message}`);
      this.failed = period;
      return null;
    }
  }
}

/**
 * The schedule the environment asks for, started; null when CIVGRID_BULLETIN_SCHEDULE=0. Every
 * format is made, the PDF only when Chromium is installed (a missing one must not cost the month
 * its Word and Excel files).
 */
export function startBulletinSchedule(
  env: Pick<Env, 'CIVGRID_BULLETIN_SCHEDULE' | 'CIVGRID_BULLETIN_SCOPE' | 'CIVGRID_CHROMIUM'>, deps: AppDeps, archive: BulletinArchive,
  log: (line: string) => void,
): BulletinSchedule | null {
  if (env.CIVGRID_BULLETIN_SCHEDULE === '0') return null;
  const formats = BULLETIN_FORMATS.filter((f) => f !== 'pdf' || existsSync(env.CIVGRID_CHROMIUM));
  const schedule = new BulletinSchedule(deps, archive, { scope: env.CIVGRID_BULLETIN_SCOPE ?? null, formats, log });
  schedule.start();
  return schedule;
}
