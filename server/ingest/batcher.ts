/**
 * Live ingest with group commit. Each posted issue goes through the same import pipeline as a
 * file (one definition of a valid issue), but the pipeline's fixed cost (staging table,
 * duplicate check, merge transaction, assignment set-up: ~20–40 ms) is paid once per batch: while
 * one batch is written, new reports queue and go together in the next. At the 10 reports/s of a
 * busy city this keeps ingest latency flat instead of letting a queue build up behind the writer.
 *
 * A batch is all-or-nothing like any import; when it is rejected, its reports are retried one by
 * one so each request gets its own answer and a bad report never sinks a good one.
 */
import type { Database } from '../db/database.ts';
import { ApiError } from '../errors.ts';
import { runImportFeatures } from '../import/pipeline.ts';
import type { ImportProblem } from '../import/problems.ts';
import { issueExists, issueIdByClientId, nextIngestId } from '../queries/issues.ts';

/** One report to ingest, as the route validated it. */
export type IngestItem = {
  clientId: string;
  /** The id the client chose, if any; otherwise one is generated for the Shanghai day of `now`. */
  id?: string;
  crs: string;
  lon: number;
  lat: number;
  /** The pipeline's properties for this report under `id`. */
  properties: (id: string) => Record<string, unknown>;
  /** Shanghai day (YYYY-MM-DD) the generated id is numbered in. */
  day: string;
};

/** What became of a report: its issue id, and whether this request created it. */
export type IngestOutcome = { id: string; created: boolean };

/** Rejections the route turns into its own error shape. */
export class IngestRejected extends Error {
  constructor(readonly problems: readonly ImportProblem[]) {
    super(problems.map((p) => p.reason).join('; '));
  }
}

type Pending = { item: IngestItem; resolve: (o: IngestOutcome) => void; reject: (e: unknown) => void };

/** Most reports written in one transaction (a burst larger than this waits one more round). */
const MAX_BATCH = 500;

export class IngestBatcher {
  private queue: Pending[] = [];
  private scheduled = false;
  private readonly ids = new IngestIds();

  /**
   * @param run Runs a write job exclusively (the routes' queue shared with workflow transitions,
   * which read and then write the same rows).
   */
  constructor(
    private readonly db: Database,
    private readonly run: <T>(job: () => Promise<T>) => Promise<T>,
  ) {}

  /** Queues a report; resolves once it is written (or was already), rejects with ApiError or IngestRejected. */
  submit(item: IngestItem): Promise<IngestOutcome> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        void this.run(() => this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    const batch = this.queue.splice(0, MAX_BATCH);
    if (this.queue.length) void this.run(() => this.flush());
    else this.scheduled = false;
    try {
      await this.write(batch);
    } catch (err) {
      for (const p of batch) p.reject(err);
    }
  }

  /** Settles every report of `batch`. */
  private async write(batch: Pending[]): Promise<void> {
    const fresh: { p: Pending; id: string }[] = [];
    // Idempotent on clientId: a repeat inside the batch shares the first report's fate.
    const leaders = new Map<string, { p: Pending; followers: Pending[] }>();
    const explicit = new Set<string>();
    for (const p of batch) {
      const { clientId, id } = p.item;
      const leader = leaders.get(clientId);
      if (leader) {
        leader.followers.push(p);
        continue;
      }
      const known = await issueIdByClientId(this.db, clientId);
      if (known) {
        p.resolve({ id: known, created: false });
        continue;
      }
      if (id && (explicit.has(id) || (await issueExists(this.db, id)))) {
        p.reject(new ApiError(409, 'duplicate_id', `issue ${id} already exists under another clientId`, [{ field: 'id', code: 'duplicate_id' }]));
        continue;
      }
      const issueId = id ?? (await this.ids.next(this.db, p.item.day));
      explicit.add(issueId);
      const followers: Pending[] = [];
      leaders.set(clientId, { p: withFollowers(p, followers, issueId), followers });
      fresh.push({ p: leaders.get(clientId)!.p, id: issueId });
    }
    if (!fresh.length) return;

    // One import per CRS (almost always one: WGS84).
    const groups = new Map<string, typeof fresh>();
    for (const f of fresh) groups.set(f.p.item.crs, [...(groups.get(f.p.item.crs) ?? []), f]);
    for (const [crs, group] of groups) {
      const problems = await this.importAll(crs, group);
      if (!problems) {
        for (const f of group) f.p.resolve({ id: f.id, created: true });
      } else if (group.length === 1) {
        this.ids.forget();
        group[0]!.p.reject(new IngestRejected(problems));
      } else {
        this.ids.forget();
        // Someone's report is bad: give each its own transaction and its own answer.
        for (const f of group) {
          const own = await this.importAll(crs, [f]);
          if (own) f.p.reject(new IngestRejected(own));
          else f.p.resolve({ id: f.id, created: true });
        }
      }
    }
  }

  /** Imports the reports in one transaction; null when written, else the problems. */
  private async importAll(crs: string, group: readonly { p: Pending; id: string }[]): Promise<readonly ImportProblem[] | null> {
    const report = await runImportFeatures(this.db, {
      kind: 'issues', fileLabel: 'POST /api/issues', crs, actor: 'api', recordJob: false,
      features: group.map((f, index) => ({ index, id: f.id, geometry: { type: 'Point', coordinates: [f.p.item.lon, f.p.item.lat] }, properties: f.p.item.properties(f.id) })),
    });
    return report.ok ? null : report.errors;
  }
}

/** `p`, settling its `followers` (repeats of its clientId) the same way once it is settled. */
function withFollowers(p: Pending, followers: Pending[], id: string): Pending {
  return {
    item: p.item,
    resolve: (o) => {
      p.resolve(o);
      for (const f of followers) f.resolve({ id, created: false });
    },
    reject: (e) => {
      p.reject(e);
      for (const f of followers) f.reject(e);
    },
  };
}

/**
 * Generated ids `API` + YYYYMMDD + 6-digit sequence. Finding the day's highest id scans the id
 * column, so it is done once per day and the sequence is then counted here; a client that chose
 * an API-style id itself is stepped over.
 */
class IngestIds {
  private day: string | null = null;
  private last = 0;

  async next(db: Database, day: string): Promise<string> {
    if (this.day !== day) {
      const first = await nextIngestId(db, day);
      this.day = day;
      this.last = Number(first.slice(-6)) - 1;
    }
    for (;;) {
      this.last++;
      const id = `API${day.replaceAll('-', '')}${String(this.last).padStart(6, '0')}`;
      if (!(await issueExists(db, id))) return id;
    }
  }

  /** After a rejected batch the counted ids were not used; start again from the table. */
  forget(): void {
    this.day = null;
  }
}
