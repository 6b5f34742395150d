/**
 * The data version: one counter the write queue moves on after every committed write, and for
 * each kind of data the version of the latest write that changed it. A cache remembers the
 * version it was computed at and is fresh while no kind it derives from changed after that.
 */

/**
 * What a write changed, as far as derived caches care:
 * - `issues`: reports added or moved along the workflow (a copy can follow them row by row);
 * - `issuesRewritten`: issues replaced or re-assigned wholesale (a copy must reload);
 * - `reference`: regions, the published plan and its grids, sites, categories (what dashboards draw);
 * - `drafts`: draft plans, their grids and change logs (the planner's working set);
 * - `users`: users and their tokens;
 * - `audit`: the audit log;
 * - `photos`: evidence photos attached to issues or taken off them.
 */
export const DATA_KINDS = ['issues', 'issuesRewritten', 'reference', 'drafts', 'users', 'audit', 'photos'] as const;
export type DataKind = (typeof DATA_KINDS)[number];

/** What one write changes; a write that cannot say (schema changes, restores) changes everything. */
export type DataChanges = readonly DataKind[];
export const ALL_DATA: DataChanges = DATA_KINDS;

/** The counter and, per kind, the version that last changed it. */
export class DataVersion {
  private value = 0;
  private readonly last = new Map<DataKind, number>();

  /** The version now: the number of committed writes so far. */
  get current(): number {
    return this.value;
  }

  /** The version of the latest write that changed any of `kinds` (0 when none did). */
  of(...kinds: DataKind[]): number {
    let latest = 0;
    for (const k of kinds) latest = Math.max(latest, this.last.get(k) ?? 0);
    return latest;
  }

  /** Whether nothing of `kinds` changed after `version` (a cache computed at `version` is still exact). */
  unchangedSince(version: number, ...kinds: DataKind[]): boolean {
    return this.of(...kinds) <= version;
  }

  /** Records a committed write that changed `changes`; only the write queue calls this. */
  bump(changes: DataChanges): number {
    this.value++;
    for (const k of changes) this.last.set(k, this.value);
    return this.value;
  }
}
