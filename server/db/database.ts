import { DuckDBConnection, DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/** SQL parameters: positional (`?`/`$1`) or named (`$name`). Never interpolate values into SQL. */
export type SqlParams = DuckDBValue[] | Record<string, DuckDBValue>;
export type Row = Record<string, unknown>;

/**
 * The one wrapper around the embedded DuckDB file.
 *
 * DuckDB lets one process hold a file for writing, but many connections inside it: reads share a
 * small pool, while a transaction or an appender takes a connection of its own for its whole life
 * (an appender on a connection with an open streaming result silently ends that stream, DESIGN §7).
 */
export class Database {
  private readonly idle: DuckDBConnection[] = [];
  private closed = false;
  private readonly memos = new Map<string, Promise<unknown>>();
  private writeCount = 0;
  private rewriteCount = 0;
  /** Start times (epoch ms) of the writes running now, one entry per write. */
  private readonly writesRunning = new Set<{ startedAt: number }>();
  /** Connections lent out right now; closing waits for them. */
  private lent = 0;

  private constructor(
    readonly path: string,
    private readonly instance: DuckDBInstance,
  ) {}

  /** Opens (creating if needed) the database file; `:memory:` works for throwaway databases. */
  static async open(path: string): Promise<Database> {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const instance = await DuckDBInstance.create(path);
    return new Database(path, instance);
  }

  /**
   * `load()` once until reference data changes: for the lookups every request makes (published
   * plan, district, a scope's name). Under load each query waits behind the dashboards'
   * aggregates in DuckDB's scheduler, so a request's round trips, not their work, set its latency.
   * Whoever writes regions, grids, plans, sites or categories calls {@link referenceChanged}.
   */
  memo<T>(key: string, load: () => Promise<T>): Promise<T> {
    let value = this.memos.get(key) as Promise<T> | undefined;
    if (!value) {
      value = load();
      this.memos.set(key, value);
      // A failed lookup is not remembered.
      value.catch(() => this.memos.get(key) === value && this.memos.delete(key));
    }
    return value;
  }

  /** Reference data changed (import of anything but issues, plan writes): forget every memo. */
  referenceChanged(): void {
    this.memos.clear();
  }

  /**
   * How many writes (statements run for effect, transactions, lent connections) have finished.
   * Whoever keeps a copy derived from the tables (the KPI engine) compares it to know it must catch up.
   */
  get writes(): number {
    return this.writeCount;
  }

  /**
   * When the oldest write still running began (epoch ms), or null. Rows it changes become visible
   * when it commits, stamped with its own start: whoever catches up by `updated_at` re-reads from here.
   */
  get oldestWriteRunning(): number | null {
    let oldest: number | null = null;
    for (const w of this.writesRunning) if (oldest === null || w.startedAt < oldest) oldest = w.startedAt;
    return oldest;
  }

  /** How many times issues were rewritten wholesale (bulk import, re-assignment): a derived copy must reload. */
  get rewrites(): number {
    return this.rewriteCount;
  }

  /** Called after a committed bulk change to issues that a catch-up by time and rowid cannot follow. */
  issuesRewritten(): void {
    this.rewriteCount++;
  }

  /** Runs a query and returns its rows as plain JS objects (BIGINT → number, TIMESTAMP → Date). */
  async all<T = Row>(sql: string, params?: SqlParams): Promise<T[]> {
    return this.lend(async (conn) => readRows<T>(conn, sql, params));
  }

  /** First row of a query, or undefined. */
  async one<T = Row>(sql: string, params?: SqlParams): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  /** Runs a statement for its effect. */
  async run(sql: string, params?: SqlParams): Promise<void> {
    await this.withConnection(async (conn) => {
      await conn.run(sql, params);
    });
  }

  /** Lends a pooled connection for reading only (streams, typed vectors); does not count as a write. */
  read<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    return this.lend(fn);
  }

  /** Several reads that must see one state of the database: one transaction that writes nothing. */
  snapshot<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    return this.lend(async (conn) => {
      await conn.run('BEGIN TRANSACTION');
      try {
        return await fn(conn);
      } finally {
        await conn.run('ROLLBACK').catch(() => undefined);
      }
    });
  }

  /**
   * Runs `fn` inside one transaction on a dedicated connection: everything or nothing.
   * The callback gets a {@link Session} bound to that connection.
   */
  async transaction<T>(fn: (tx: Session) => Promise<T>): Promise<T> {
    return this.withConnection(async (conn) => {
      await conn.run('BEGIN TRANSACTION');
      try {
        const result = await fn(new Session(conn));
        await conn.run('COMMIT');
        return result;
      } catch (err) {
        await conn.run('ROLLBACK').catch(() => undefined);
        throw err;
      }
    });
  }

  /** Lends a pooled connection to `fn` (for appenders and multi-statement work on temp tables); counts as a write. */
  async withConnection<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    const running = { startedAt: Date.now() };
    this.writesRunning.add(running);
    try {
      return await this.lend(fn);
    } finally {
      this.writesRunning.delete(running);
      this.writeCount++;
    }
  }

  private async lend<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    if (this.closed) throw new Error('database is closed');
    this.lent++;
    const conn = this.idle.pop() ?? (await this.instance.connect().catch((err) => {
      this.lent--;
      throw err;
    }));
    try {
      return await fn(conn);
    } finally {
      this.lent--;
      if (this.closed || this.idle.length >= 4) conn.closeSync();
      else this.idle.push(conn);
    }
  }

  /** Flushes the WAL into the file and releases it, so another process may open it. */
  async close(): Promise<void> {
    if (this.closed) return;
    // Queries still running (a request, the KPI engine's load) finish first, so the checkpoint and
    // the instance's end never race them. (A full test run once found a write missing from a copy
    // of the file taken after a stop during the engine's load; the cause was not pinned down.)
    for (const until = Date.now() + 15_000; this.lent > 0 && Date.now() < until; ) await new Promise((r) => setTimeout(r, 20));
    await this.run('CHECKPOINT').catch(() => undefined);
    this.closed = true;
    for (const conn of this.idle.splice(0)) conn.closeSync();
    this.instance.closeSync();
  }
}

/** Query helpers bound to one connection, e.g. inside a transaction. */
export class Session {
  constructor(readonly conn: DuckDBConnection) {}
  all<T = Row>(sql: string, params?: SqlParams): Promise<T[]> {
    return readRows<T>(this.conn, sql, params);
  }
  async one<T = Row>(sql: string, params?: SqlParams): Promise<T | undefined> {
    return (await readRows<T>(this.conn, sql, params))[0];
  }
  async run(sql: string, params?: SqlParams): Promise<number> {
    const result = await this.conn.run(sql, params);
    return Number(result.rowsChanged);
  }
}

async function readRows<T>(conn: DuckDBConnection, sql: string, params?: SqlParams): Promise<T[]> {
  const reader = await conn.runAndReadAll(sql, params);
  return reader.getRowObjectsJS().map((row) => toPlain(row) as T);
}

/** BIGINT/HUGEINT come back as bigint: counts and ids here fit a double, and JSON can't carry bigint. */
function toPlain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(toPlain);
  if (value && typeof value === 'object' && !(value instanceof Date) && !(value instanceof Uint8Array)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toPlain(v);
    return out;
  }
  return value;
}

/** True when an open failed because another process holds the file's write lock. */
export function isLockError(err: unknown): boolean {
  return err instanceof Error && /lock/i.test(err.message) && /(conflict|could not set lock|held)/i.test(err.message);
}
