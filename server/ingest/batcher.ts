/**
 * Live ingest with group commit. Each posted issue goes through the same import pipeline as a
 * file (one definition of a valid issue), but the pipeline's fixed cost (staging table,
 * duplicate check, merge transaction, assignment set-up: ~20–40 ms) is paid once per batch: while
 * one batch waits for or holds the database's write queue, new reports gather and go together in
 * the next. At the 10 reports/s of a busy city this keeps ingest latency flat instead of letting a
 * queue build up behind the writer. A batch is one write job: its duplicate checks and its merge
 * see no other write in between.
 *
 * A batch is all-or-nothing like any import; when it is rejected, its reports are retried one by
 * one so each request gets its own answer and a bad report never sinks a good one.
 */
import { listValue } from '@duckdb/node-api';
import { Session, type Database, type Writer } from '../db/database.ts';
import { perDatabase } from '../db/per-database.ts';
import { Assigner } from '../import/assignment.ts';
import { ConflictError } from '../domain/errors.ts';
import { runImportFeatures, type ImportClock } from '../import/pipeline.ts';
import type { ImportProblem } from '../import/problems.ts';
import { nextIngestId } from '../queries/issues.ts';

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
  private pending: Pending[] = [];
  private scheduled = false;

  /** `clock` is the server's: no time of a report may lie past its now plus the skew. */
  constructor(private readonly db: Database, private readonly clock: ImportClock) {}

  /** Queues a report; resolves once it is written (or was already), rejects with a ConflictError (id taken) or IngestRejected. */
  submit(item: IngestItem): Promise<IngestOutcome> {
    return new Promise((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (!this.scheduled) this.schedule();
    });
  }

  /** Queues one write job for the reports gathered by the time it runs; the next is queued once it ends. */
  private schedule(): void {
    this.scheduled = true;
    let batch: Pending[] = [];
    this.db
      .write(['issues'], (w) => {
        batch = this.pending.splice(0, MAX_BATCH);
        return this.write(batch, w);
      })
      .catch((err: unknown) => {
        // Only a job that could not run at all (the database is closing) leaves its reports unsettled.
        for (const p of batch.length ? batch : this.pending.splice(0)) p.reject(err);
      })
      .finally(() => (this.pending.length ? this.schedule() : (this.scheduled = false)));
  }

  /**
   * Settles every report of `batch`. Under load every query waits its turn behind the dashboards'
   * aggregates, so the checks are one query for the whole batch, not one per report or per kind
   * of check (clientIds, chosen ids, the ids to generate).
   */
  private async write(batch: Pending[], w: Writer): Promise<void> {
    const ids = idsOf(this.db);
    const chosen = batch.flatMap((p) => (p.item.id ? [p.item.id] : []));
    // The ids the batch's reports without one will most likely get, looked up in the same query as
    // the clientIds and chosen ids: under load every query waits its turn behind the readers.
    const days = new Set(batch.filter((p) => !p.item.id).map((p) => p.item.day));
    const upcoming = days.size === 1 ? await ids.upcoming(this.db, [...days][0]!, batch.length, new Set(chosen)) : [];
    const found = await lookUp(this.db, batch.map((p) => p.item.clientId), [...chosen, ...upcoming]);
    const known = found.byClientId;
    const taken = new Set(chosen.filter((id) => found.ids.has(id)));
    const cleared = new Set(upcoming.filter((id) => !found.ids.has(id)));
    // Idempotent on clientId: a repeat inside the batch shares the first report's fate.
    const leaders = new Map<string, Pending[]>();
    const fresh: { p: Pending; id?: string }[] = [];
    for (const p of batch) {
      const { clientId, id } = p.item;
      const existing = known.get(clientId);
      if (existing) {
        p.resolve({ id: existing, created: false });
      } else if (leaders.has(clientId)) {
        leaders.get(clientId)!.push(p);
      } else if (id && taken.has(id)) {
        p.reject(new ConflictError('duplicate_id', `issue ${id} already exists under another clientId`, [{ field: 'id', code: 'duplicate_id' }]));
      } else {
        if (id) taken.add(id);
        const followers: Pending[] = [];
        leaders.set(clientId, followers);
        fresh.push({ p: withFollowers(p, followers), id });
      }
    }
    if (!fresh.length) return;
    const named = await ids.assign(this.db, fresh.map((f) => ({ id: f.id, day: f.p.item.day })), taken, cleared);
    const ready = fresh.map((f, i) => ({ p: f.p, id: named[i]! }));

    // One import per CRS (almost always one: WGS84).
    const groups = new Map<string, typeof ready>();
    for (const f of ready) {
      const group = groups.get(f.p.item.crs);
      if (group) group.push(f);
      else groups.set(f.p.item.crs, [f]);
    }
    for (const [crs, group] of groups) {
      const problems = await this.importAll(crs, group, w);
      if (!problems) {
        for (const f of group) f.p.resolve({ id: f.id, created: true });
      } else if (group.length === 1) {
        group[0]!.p.reject(new IngestRejected(problems));
      } else {
        // Someone's report is bad: give each its own transaction and its own answer.
        for (const f of group) {
          const own = await this.importAll(crs, [f], w);
          if (own) f.p.reject(new IngestRejected(own));
          else f.p.resolve({ id: f.id, created: true });
        }
      }
    }
  }

  /** Imports the reports in one transaction; null when written, else the problems. */
  private async importAll(crs: string, group: readonly { p: Pending; id: string }[], w: Writer): Promise<readonly ImportProblem[] | null> {
    const report = await runImportFeatures(this.db, {
      kind: 'issues', fileLabel: 'POST /api/issues', crs, actor: 'api', recordJob: false, newOnly: true, writer: w, ...this.clock,
      features: group.map((f, index) => ({ index, id: f.id, geometry: { type: 'Point', coordinates: [f.p.item.lon, f.p.item.lat] }, properties: f.p.item.properties(f.id) })),
    });
    return report.ok ? null : report.errors;
  }
}

/** `p`, settling its `followers` (repeats of its clientId) the same way once it is settled. */
function withFollowers(p: Pending, followers: Pending[]): Pending {
  return {
    item: p.item,
    resolve: (o) => {
      p.resolve(o);
      for (const f of followers) f.resolve({ id: o.id, created: false });
    },
    reject: (e) => {
      p.reject(e);
      for (const f of followers) f.reject(e);
    },
  };
}

/** In one query: the issue ids of the clientIds ingested before, and which of `ids` exist already. */
async function lookUp(db: Database, clientIds: readonly string[], ids: readonly string[]): Promise<{ byClientId: Map<string, string>; ids: Set<string> }> {
  const rows = await db.all<{ client_id: string | null; id: string }>(
    // Two semi-joins in one statement: an OR of the two conditions is a slow filter over every row.
    `SELECT client_id, id FROM issues WHERE client_id IN (SELECT unnest($clientIds::VARCHAR[]))
     UNION ALL SELECT client_id, id FROM issues WHERE id IN (SELECT unnest($ids::VARCHAR[]))`,
    // '' (no issue's id) keeps the list's type known when there is no id to look up.
    { clientIds: listValue([...new Set(clientIds)]), ids: listValue([...new Set(ids), '']) },
  );
  const asked = new Set(clientIds);
  const wanted = new Set(ids);
  return {
    byClientId: new Map(rows.filter((r) => r.client_id !== null && asked.has(r.client_id)).map((r) => [r.client_id!, r.id])),
    ids: new Set(rows.filter((r) => wanted.has(r.id)).map((r) => r.id)),
  };
}

/** Which of `ids` exist already. */
async function existingIds(db: Database, ids: readonly string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const rows = await db.all<{ id: string }>('SELECT id FROM issues WHERE id IN (SELECT unnest($ids::VARCHAR[]))', { ids: listValue([...new Set(ids)]) });
  return new Set(rows.map((r) => r.id));
}

/**
 * Makes ready what the first report of `day` would otherwise wait for: the grid and zone indexes
 * that place it (seconds for a city's 10 k grids; they block the event loop while built) and the
 * scan for the day's highest id (seconds over 10 M issues under load). The server calls it at
 * start, so the first reports are not answered after a timeout while the dashboards load.
 */
export async function warmIngest(db: Database, day: string): Promise<void> {
  await db.read((conn) => Assigner.cached(new Session(conn), db.version));
  await idsOf(db).startDay(db, day);
}

/** The generated id numbered `n` on `day`. */
const idOf = (day: string, n: number) => `API${day.replaceAll('-', '')}${String(n).padStart(6, '0')}`;

/** One id sequence per database, shared by whoever ingests into it (write jobs: one at a time). */
const idsOf = perDatabase(() => new IngestIds());

/**
 * Generated ids `API` + YYYYMMDD + 6-digit sequence. Finding the day's highest id scans the id
 * column, so it is done once per day and the sequence is then counted here; if a client chose an
 * API-style id itself, the count starts again after the table's highest.
 */
class IngestIds {
  private day: string | null = null;
  private last = 0;
  private starting: { day: string; done: Promise<void> } | null = null;

  /**
   * The reports' ids: their own where they chose one, else fresh ones not in the table or `taken`.
   * `cleared`: ids known not to be in the table, which need no look-up.
   */
  async assign(db: Database, reports: readonly { id?: string; day: string }[], taken: ReadonlySet<string>, cleared: ReadonlySet<string> = new Set()): Promise<string[]> {
    for (;;) {
      const out: string[] = [];
      for (const r of reports) out.push(r.id ?? (await this.next(db, r.day, taken)));
      const unchecked = out.filter((id, i) => reports[i]!.id === undefined && !cleared.has(id));
      if (!unchecked.length || !(await existingIds(db, unchecked)).size) return out;
      this.day = null;
    }
  }

  /** The next `count` ids of `day` in sequence, except those in `skip`, without taking them. */
  async upcoming(db: Database, day: string, count: number, skip: ReadonlySet<string>): Promise<string[]> {
    await this.startDay(db, day);
    const out: string[] = [];
    for (let n = this.last; out.length < count; ) {
      const id = idOf(day, ++n);
      if (!skip.has(id)) out.push(id);
    }
    return out;
  }

  /** Counts on from the table's highest id of `day`, unless already counting that day; one scan at a time. */
  async startDay(db: Database, day: string): Promise<void> {
    while (this.day !== day) {
      if (this.starting?.day !== day) {
        const done = nextIngestId(db, day).then((first) => {
          this.day = day;
          this.last = Number(first.slice(-6)) - 1;
        }).finally(() => this.starting?.done === done && (this.starting = null));
        this.starting = { day, done };
      }
      await this.starting!.done;
    }
  }

  private async next(db: Database, day: string, taken: ReadonlySet<string>): Promise<string> {
    await this.startDay(db, day);
    for (;;) {
      const id = idOf(day, ++this.last);
      if (!taken.has(id)) return id;
    }
  }
}
