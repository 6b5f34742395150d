import { DuckDBConnection, DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { PRIVATE_DIR } from '../file-modes.ts';
import { ALL_DATA, DataVersion, type DataChanges } from './data-version.ts';
import { WriteQueue } from './write-queue.ts';

/** SQL parameters: positional (`?`/`$1`) or named (`$name`). Never interpolate values into SQL. */
export type SqlParams = DuckDBValue[] | Record<string, DuckDBValue>;
export type Row = Record<string, unknown>;

/** DuckDB's memory limits in MB; undefined = DuckDB's default (80 % of RAM). */
export type MemoryLimits = {
  /** While serving. */
  memoryLimitMb?: number;
  /** While a file is imported or a plan published ({@link Database.duringImport}). */
  importMemoryLimitMb?: number;
};

/**
 * What a write job writes with: transactions that commit (moving the data version on) or roll
 * back. Valid only while its job runs.
 */
export interface Writer {
  /** The database written to: for what a writer keeps in memory beside its tables (kpi/last-move.ts). */
  readonly db: Database;
  /**
   * Runs `fn` in one transaction: everything or nothing. On `conn` when given (a connection the
   * caller holds, e.g. with its staging tables), else on a pooled one.
   */
  transaction<T>(fn: (tx: Session) => Promise<T>, conn?: DuckDBConnection): Promise<T>;
}

/**
 * The one wrapper around the embedded DuckDB file.
 *
 * DuckDB lets one process hold a file for writing, but many connections inside it: reads share a
 * small pool, while a transaction takes a connection of its own for its whole life (an appender
 * on a connection with an open streaming result silently ends that stream, docs/decisions.md).
 *
 * Every write goes through one {@link WriteQueue}, one job at a time, and each commit moves the
 * {@link DataVersion} on, naming what it changed; every cache derived from the tables keys on it.
 */
export class Database {
  private readonly idle: DuckDBConnection[] = [];
  private closing = false;
  private closed = false;
  private readonly queue = new WriteQueue();
  /** Moved on by every committed write; caches compare it to the version they were computed at. */
  readonly version = new DataVersion();
  /** The remembered lookups of one version of the reference data (see {@link memo}). */
  private memos = { since: 0, values: new Map<string, Promise<unknown>>() };
  /** Connections lent out right now; closing waits for them. */
  private lent = 0;
  /** Imports running under the import memory limit; the serving limit returns when the last ends. */
  private imports = 0;

  private constructor(
    readonly path: string,
    private readonly instance: DuckDBInstance,
    private readonly limits: MemoryLimits,
  ) {}

  /**
   * Opens (creating if needed) the database file; `:memory:` works for throwaway databases.
   * DuckDB spills what does not fit its memory limit to its default temp folder, `<file>.tmp`
   * beside the database (private, as every file the entry points' umask lets DuckDB create).
   */
  static async open(path: string, limits: MemoryLimits = {}): Promise<Database> {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true, mode: PRIVATE_DIR });
    const config = limits.memoryLimitMb === undefined ? undefined : { memory_limit: `${Math.round(limits.memoryLimitMb)}MB` };
    const instance = await DuckDBInstance.create(path, config).catch((err: unknown) => {
      throw isWalReplayFailure(err) ? new WalReplayError(path, err as Error) : err;
    });
    return new Database(path, instance, limits);
  }

  /**
   * Runs an import under the import memory limit instead of the serving one: past it a file's
   * tables and the merge spill to disk (the bulk path checks a file in row ranges so no operator
   * needs the whole file in memory), so an import's memory does not grow with the file. Without
   * an import limit the serving cap is lifted to DuckDB's default (80 % of RAM), as a cap meant for
   * serving is too small for a large file's merge. Concurrent imports share one setting. A plan's
   * publish runs under it too: it re-assigns a whole district in one transaction.
   */
  async duringImport<T>(fn: () => Promise<T>): Promise<T> {
    const { memoryLimitMb, importMemoryLimitMb } = this.limits;
    if (memoryLimitMb === undefined && importMemoryLimitMb === undefined) return fn();
    if (this.imports++ === 0) await this.setMemoryLimit(importMemoryLimitMb ?? null);
    try {
      return await fn();
    } finally {
      if (--this.imports === 0 && !this.closed) await this.setMemoryLimit(memoryLimitMb ?? null);
    }
  }

  private async setMemoryLimit(mb: number | null): Promise<void> {
    await this.lend((conn) => conn.run(mb === null ? 'RESET GLOBAL memory_limit' : `SET GLOBAL memory_limit = '${Math.round(mb)}MB'`));
  }

  /**
   * `load()` once per version of the reference data: for the lookups every request makes
   * (published plan, district, a scope's name). Under load each query waits behind the dashboards'
   * aggregates in DuckDB's scheduler, so a request's round trips, not their work, set its latency.
   */
  memo<T>(key: string, load: () => Promise<T>): Promise<T> {
    const since = this.version.of('reference');
    // A load that began before the change stays in the old map, which is dropped here.
    if (since !== this.memos.since) this.memos = { since, values: new Map() };
    const { values } = this.memos;
    let value = values.get(key) as Promise<T> | undefined;
    if (!value) {
      value = load();
      values.set(key, value);
      // A failed lookup is not remembered.
      value.catch(() => values.get(key) === value && values.delete(key));
    }
    return value;
  }

  /**
   * When the write job running now began (epoch ms), or null. Rows it changes become visible when
   * it commits, stamped no earlier than that: whoever catches up by `updated_at` re-reads from here.
   */
  get writeRunningSince(): number | null {
    return this.queue.runningSince;
  }

  /** Runs a query and returns its rows as plain JS objects (BIGINT → number, TIMESTAMP → Date). */
  async all<T = Row>(sql: string, params?: SqlParams): Promise<T[]> {
    return this.lend(async (conn) => readRows<T>(conn, sql, params));
  }

  /** First row of a query, or undefined. */
  async one<T = Row>(sql: string, params?: SqlParams): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  /**
   * Runs one statement for its effect, as a write job of its own. Data writers say what they
   * change; schema changes and maintenance leave `changes` out and count as changing everything.
   */
  async run(sql: string, params?: SqlParams, changes: DataChanges = ALL_DATA): Promise<void> {
    // Auto-committed: one round trip instead of three for the audit log's one-row inserts.
    await this.enqueue(async () => {
      await this.lend((conn) => conn.run(sql, params));
      this.version.bump(changes);
    });
  }

  /**
   * Lends a pooled connection for reads (streams, typed vectors) and for temporary tables, which
   * no other connection sees (an import's staging); changes to the database go through {@link write}.
   */
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

  /** One transaction as a write job of its own: everything or nothing, `changes` on commit. */
  transaction<T>(changes: DataChanges, fn: (tx: Session) => Promise<T>): Promise<T> {
    return this.write(changes, (w) => w.transaction(fn));
  }

  /**
   * Queues `job` behind every write queued before it and runs it alone: what it reads stays true
   * until it writes, and its transactions never conflict with another's. Each transaction it
   * commits through its {@link Writer} moves the data version on with `changes`; a job that
   * commits nothing leaves the version as it was. Inside a job, write only through its Writer.
   */
  write<T>(changes: DataChanges, job: (w: Writer) => Promise<T>): Promise<T> {
    return this.enqueue(async () => {
      let open = true;
      const writer: Writer = {
        db: this,
        transaction: async (fn, conn) => {
          if (!open) throw new Error('a Writer is only valid while its write job runs');
          const result = await (conn ? inTransaction(conn, fn) : this.lend((c) => inTransaction(c, fn)));
          this.version.bump(changes);
          return result;
        },
      };
      try {
        return await job(writer);
      } finally {
        open = false;
      }
    });
  }

  private enqueue<T>(job: () => Promise<T>): Promise<T> {
    // Nothing may start after the final checkpoint.
    if (this.closing) return Promise.reject(new Error('database is closing'));
    return this.queue.run(job);
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

  /** Lets the queued writes finish, refuses new ones, flushes the WAL into the file and releases it. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    await this.queue.drained();
    // Queries still running (a request, the KPI engine's load) finish first, so the checkpoint and
    // the instance's end never race them. (A full test run once found a write missing from a copy
    // of the file taken after a stop during the engine's load; the cause was not pinned down.)
    for (const until = Date.now() + 15_000; this.lent > 0 && Date.now() < until; ) await new Promise((r) => setTimeout(r, 20));
    await this.lend((conn) => conn.run('CHECKPOINT')).catch(() => undefined);
    this.closed = true;
    for (const conn of this.idle.splice(0)) conn.closeSync();
    this.instance.closeSync();
  }
}

/** Runs `fn` between BEGIN and COMMIT on `conn`, rolling back when it throws. */
async function inTransaction<T>(conn: DuckDBConnection, fn: (tx: Session) => Promise<T>): Promise<T> {
  await conn.run('BEGIN TRANSACTION');
  try {
    const result = await fn(new Session(conn));
    await conn.run('COMMIT');
    return result;
  } catch (err) {
    await conn.run('ROLLBACK').catch(() => undefined);
    throw err;
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

/**
 * The database file could not be opened because DuckDB failed to replay its write-ahead log (the
 * writes committed since the last checkpoint, left by a crash). The message names the files and
 * what the operator can do; DuckDB's own error is kept as the cause.
 */
export class WalReplayError extends Error {
  constructor(readonly path: string, cause: Error) {
    super(
      `cannot open ${path}: DuckDB failed to replay its write-ahead log ${path}.wal (${cause.message.split('\n')[0]}). ` +
        `Restore the latest backup into a new file (npm run restore -- <backup dir> --db <new file>) and start on that; ` +
        `or move ${path}.wal aside to open the database as of its last checkpoint, losing the writes made after it.`,
      { cause },
    );
    this.name = 'WalReplayError';
  }
}

function isWalReplayFailure(err: unknown): boolean {
  return err instanceof Error && /replaying WAL/i.test(err.message);
}
