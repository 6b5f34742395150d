import { LIST, VARCHAR, type DuckDBAppender, type DuckDBConnection } from '@duckdb/node-api';

/** Column types a staging table may use. Timestamps travel as BIGINT epoch ms and become TIMESTAMP on merge. */
export type StagingType = 'VARCHAR' | 'DOUBLE' | 'BIGINT' | 'INTEGER' | 'BOOLEAN' | 'VARCHAR[]';
export type StagingColumn = readonly [name: string, type: StagingType];

const STRING_LIST = LIST(VARCHAR);

/**
 * A connection-local temp table that validated rows stream into. Nothing reaches the real tables
 * until the merge transaction, so a rejected file leaves the database untouched, and a crash
 * drops the temp table with the connection.
 */
export class StagingTable {
  private appender?: DuckDBAppender;
  rows = 0;

  private constructor(
    readonly name: string,
    private readonly columns: readonly StagingColumn[],
    private readonly conn: DuckDBConnection,
  ) {}

  static async create(conn: DuckDBConnection, name: string, columns: readonly StagingColumn[]): Promise<StagingTable> {
    const cols = ['_idx BIGINT', ...columns.map(([n, t]) => `"${n}" ${t}`)].join(', ');
    await conn.run(`CREATE OR REPLACE TEMP TABLE ${name} (${cols})`);
    const table = new StagingTable(name, columns, conn);
    table.appender = await conn.createAppender(name, 'main', 'temp');
    return table;
  }

  /** Appends one row; `values` follow the column order, `null`/`undefined` become NULL. */
  append(index: number, values: readonly unknown[]): void {
    const app = this.appender!;
    app.appendBigInt(BigInt(index));
    this.columns.forEach(([, type], i) => {
      const v = values[i];
      if (v === null || v === undefined) return app.appendNull();
      switch (type) {
        case 'VARCHAR': return app.appendVarchar(String(v));
        case 'DOUBLE': return app.appendDouble(v as number);
        case 'BIGINT': return app.appendBigInt(typeof v === 'string' ? BigInt(v) : BigInt(Math.round(v as number)));
        case 'INTEGER': return app.appendInteger(v as number);
        case 'BOOLEAN': return app.appendBoolean(v as boolean);
        case 'VARCHAR[]': return app.appendList(v as string[], STRING_LIST);
      }
    });
    app.endRow();
    this.rows++;
  }

  /** Counts rows that an INSERT … SELECT put into the table beside the appender (the bulk import path). */
  countInserted(n: number): void {
    this.rows += n;
  }

  /** Flushes buffered rows and closes the appender: the rows are visible to SQL, no more can be added. */
  finish(): void {
    this.appender?.closeSync();
    this.appender = undefined;
  }

  async drop(): Promise<void> {
    this.finish();
    await this.conn.run(`DROP TABLE IF EXISTS temp.${this.name}`);
  }
}
