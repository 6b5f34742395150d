import type { Database } from '../db/database.ts';
import type { DataKind } from '../db/data-version.ts';
import { PUBLISHED_GRIDS } from './published-grids.ts';

export type TableCounts = { regions: number; grids: number; sites: number; issues: number };

/** Row counts of the main tables; grids are the published ones (every district's published plan). */
export async function tableCounts(db: Database): Promise<TableCounts> {
  const row = await db.one<TableCounts>(`SELECT
    (SELECT count(*) FROM regions) AS regions,
    (SELECT count(*) FROM ${PUBLISHED_GRIDS}) AS grids,
    (SELECT count(*) FROM sites) AS sites,
    (SELECT count(*) FROM issues) AS issues`);
  return row!;
}

/** The kinds of data the counts follow. */
const COUNTED: DataKind[] = ['issues', 'issuesRewritten', 'reference'];
/** Those that change more than the issues' number (imports, reference data). */
const OTHERS: DataKind[] = ['issuesRewritten', 'reference'];

/** How long a health check waits for fresh counts after reference data changed before answering the last ones it has. */
export const COUNTS_WAIT_MS = 25;

/**
 * The table counts for `/api/health`, answered from memory: recounted in the background when the
 * data changed. Under load DuckDB's threads are busy with aggregates and imports, and a liveness
 * check must not queue behind them; counts a moment old are still true of the data a moment ago.
 * When only issues were written since the last count (reports, workflow events: ten a second
 * under load), `heldIssues` — the KPI engine's copy, when caught up with every write — gives the
 * issues' number without asking DuckDB at all, and without it the check answers the last counts
 * at once while DuckDB recounts (waiting for each recount added its wait to every check under
 * load). After an import or a reference change a check waits up to `waitMs` for the new counts
 * (the first call always waits).
 */
export class CachedCounts {
  private last: { counts: TableCounts; version: number; others: number } | null = null;
  private refresh: Promise<TableCounts> | null = null;

  constructor(
    private readonly db: Database,
    private readonly waitMs = COUNTS_WAIT_MS,
    private readonly heldIssues: () => number | null = () => null,
  ) {}

  /** The counts: the last ones while only issues changed, else fresh when DuckDB answers within the wait. */
  async get(): Promise<TableCounts> {
    const version = this.db.version.of(...COUNTED);
    if (this.last && this.last.version === version) return this.last.counts;
    if (this.last && this.last.others === this.db.version.of(...OTHERS)) {
      const held = this.heldIssues();
      if (held !== null) return { ...this.last.counts, issues: held };
      // A failed recount leaves the last counts in place; a later check tries again.
      this.recount(version).catch(() => undefined);
      return this.last.counts;
    }
    const fresh = this.recount(version);
    if (!this.last) return fresh;
    const stale = this.last.counts;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<TableCounts>((res) => (timer = setTimeout(() => res(stale), this.waitMs)));
    return Promise.race([fresh.catch(() => stale), late]).finally(() => clearTimeout(timer));
  }

  /** One recount at a time; the version is read before counting, so a write during it triggers the next. */
  private recount(version: number): Promise<TableCounts> {
    const others = this.db.version.of(...OTHERS);
    this.refresh ??= tableCounts(this.db)
      .then((counts) => {
        if (!this.last || this.last.version <= version) this.last = { counts, version, others };
        return counts;
      })
      .finally(() => (this.refresh = null));
    return this.refresh;
  }
}
