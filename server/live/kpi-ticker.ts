import { NoDataError } from '../domain/errors.ts';
import { shanghaiDate } from '../domain/time.ts';
import type { Kpis } from '../kpi/definitions.ts';
import { scopeKpis, type KpiContext } from '../kpi/query.ts';
import { resolveFilters, scopeInfo } from '../kpi/resolve.ts';

/**
 * The `kpi` event of the live feed: the top region's KPIs (the city, or the one district) to date
 * and for today (Asia/Shanghai). `district` names that region, whichever level it is.
 */
export type KpiTick = { at: string; district: { code: string; name: string }; toDate: Kpis; today: Kpis };

/** Computes one tick with the shared KPI definitions; null before any district is imported. */
export async function districtKpiTick(ctx: KpiContext): Promise<KpiTick | null> {
  const today = shanghaiDate(ctx.now);
  try {
    const toDate = await resolveFilters(ctx.db, {});
    const day = await resolveFilters(ctx.db, { from: today, to: today });
    const info = await scopeInfo(ctx.db, toDate.scope);
    return {
      at: ctx.now.toISOString(),
      district: { code: toDate.scope.id, name: info?.name ?? toDate.scope.id },
      toDate: await scopeKpis(ctx, toDate),
      today: await scopeKpis(ctx, day),
    };
  } catch (err) {
    if (err instanceof NoDataError) return null;
    throw err;
  }
}

type Listener = (tick: KpiTick) => void;
type Group = { listeners: Set<Listener>; timer: ReturnType<typeof setInterval>; latest?: KpiTick; running: boolean };

/**
 * Shares KPI ticks between live-feed clients: per tick interval one timer and one computation,
 * whatever the number of clients, and none while nobody listens. A new client gets the latest
 * tick at once instead of waiting a whole interval.
 */
export class KpiTicker {
  private readonly groups = new Map<number, Group>();

  constructor(private readonly compute: () => Promise<KpiTick | null>) {}

  /** Calls `listener` every `intervalMs` with fresh KPIs; returns the unsubscribe function. */
  subscribe(intervalMs: number, listener: Listener): () => void {
    let group = this.groups.get(intervalMs);
    if (!group) {
      const created: Group = { listeners: new Set(), running: false, timer: setInterval(() => void this.run(created), intervalMs) };
      // Ticks must not keep a process alive that has nothing else to do (tests, shutdown).
      created.timer.unref();
      this.groups.set(intervalMs, (group = created));
      void this.run(created);
    } else if (group.latest) {
      const latest = group.latest;
      queueMicrotask(() => listener(latest));
    }
    group.listeners.add(listener);
    const owner = group;
    return () => {
      owner.listeners.delete(listener);
      if (owner.listeners.size === 0 && this.groups.get(intervalMs) === owner) {
        clearInterval(owner.timer);
        this.groups.delete(intervalMs);
      }
    };
  }

  /** Intervals with at least one listener (each has one timer). */
  get activeIntervals(): number[] {
    return [...this.groups.keys()];
  }

  private async run(group: Group): Promise<void> {
    // A slow computation is not stacked up: the tick that finds one running is skipped.
    if (group.running) return;
    group.running = true;
    try {
      const tick = await this.compute();
      if (!tick) return;
      group.latest = tick;
      for (const listener of group.listeners) listener(tick);
    } catch (err) {
      console.error('kpi tick failed', err);
    } finally {
      group.running = false;
    }
  }
}
