/**
 * When a case last moved to a department by a workflow event (a dispatch naming a department),
 * kept in memory per database: every statistics request asks (resolve.ts), and asking DuckDB after
 * each write put a scan of issue_events in front of the first request behind it. Read from the
 * table once; after that the one writer of such events (`applyWorkflowEvent`) says so here.
 * Imported events never count (filters.ts `departmentInstant`): an import does not move a case
 * "from a moment", it states where the case was all along.
 */
import type { Database } from '../db/database.ts';
import { perDatabase } from '../db/per-database.ts';

type Held = { loaded: Promise<number | null> | null; noted: number | null };

const heldOf = perDatabase((): Held => ({ loaded: null, noted: null }));

/** The latest non-imported event naming a department, as stored (epoch ms; null: none). */
async function stored(db: Database): Promise<number | null> {
  const row = await db.one<{ at: Date | null }>(
    `SELECT max(occurred_at) AS at FROM issue_events WHERE imported IS NOT TRUE AND department IS NOT NULL`,
  );
  return row?.at?.getTime() ?? null;
}

/**
 * When a case last moved to a department, null if none ever did: a case's department at any
 * later instant is its present one. Reads the table on the first call only (server start).
 */
export async function lastDepartmentMove(db: Database): Promise<Date | null> {
  const h = heldOf(db);
  if (!h.loaded) {
    const loading = stored(db);
    h.loaded = loading;
    // A failed read is tried again by the next request.
    loading.catch(() => h.loaded === loading && (h.loaded = null));
  }
  const loaded = await h.loaded;
  const at = loaded === null ? h.noted : h.noted === null ? loaded : Math.max(loaded, h.noted);
  return at === null ? null : new Date(at);
}

/**
 * A writer records an event naming a department at `at` (epoch ms). Called inside the write's
 * transaction, before it commits: no reader can see the event before the instant is known. A
 * rollback leaves the instant later than the data's, which only makes counts read departments as
 * of an instant they did not need to (the same answer), never the other way round.
 */
export function noteDepartmentMove(db: Database, at: number): void {
  const h = heldOf(db);
  if (h.noted === null || at > h.noted) h.noted = at;
}
