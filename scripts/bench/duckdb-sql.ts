/**
 * civgrid's engine without the HTTP layer: the operations' SQL run directly on the benchmark's
 * DuckDB file, timed like the PostGIS side (same statements, one connection, one after another).
 */
import { Database } from '../../server/db/database.ts';
import type { Operation, OperationName } from './operations.ts';
import { summarize, timeRuns, type LatencySummary } from './stats.ts';

/**
 * p50/p95 per operation. Results are read in full (as the server would) but not converted to JS
 * objects, so this is the engine's time.
 */
export async function timeDuckdbSql(dbPath: string, ops: readonly Operation[], runs: number): Promise<Map<OperationName, LatencySummary>> {
  const db = await Database.open(dbPath);
  try {
    return await db.read(async (conn) => {
      const out = new Map<OperationName, LatencySummary>();
      for (const op of ops) {
        const samples = await timeRuns(runs, async () => {
          for (const sql of op.sql.duckdb) await conn.runAndReadAll(sql);
        });
        out.set(op.name, summarize(samples));
      }
      return out;
    });
  } finally {
    await db.close();
  }
}
