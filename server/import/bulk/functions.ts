import {
  BIGINT, BOOLEAN, DOUBLE, DuckDBScalarFunction, INTEGER,
  type DuckDBBigIntVector, type DuckDBBooleanVector, type DuckDBDataChunk, type DuckDBDoubleVector, type DuckDBIntegerVector, type DuckDBType, type DuckDBVector,
} from '@duckdb/node-api';
import type { Session } from '../../db/database.ts';
import { bboxOf } from '../../domain/geometry.ts';
import type { IssueTimes } from '../../domain/workflow.ts';
import { inArea, type DeploymentArea } from '../../spatial/deployment-area.ts';
import type { IssueBulkRules } from '../kinds/issues.ts';

/** Distinguishes the functions of concurrent imports: DuckDB's function catalog is per database. */
let serial = 0;

type Cell = number | boolean | null;
type Reader = (i: number) => Cell;

/** Reads item `i` of an input column as a number (bigint converted), boolean or null. */
function reader(vector: DuckDBVector): Reader {
  const v = vector as DuckDBBigIntVector | DuckDBDoubleVector | DuckDBIntegerVector | DuckDBBooleanVector;
  return (i) => {
    const x = v.getItem(i);
    return typeof x === 'bigint' ? Number(x) : x;
  };
}

/**
 * The rules that are TypeScript in server/domain and have no SQL form, run by DuckDB over column
 * vectors of 2,048 rows while it stages a file: an issue's deadline from the work calendar (only
 * for rows without one of their own) and whether a point lies in the deployment's area (until
 * the first one does). Each calls the same function the record path calls per record.
 */
export class RowFunctions {
  /** `(reported, dispatched, deadline BIGINT, category INTEGER) → BIGINT` epoch ms, NULL when none. */
  readonly deadline: string;
  /** `(lon, lat DOUBLE) → BOOLEAN`: the point lies in the deployment area. */
  readonly inArea: string;
  // The catalog keeps registered functions; after dispose they must not pin the import's state.
  private rules: IssueBulkRules | null;

  /** `categories` are the values the category lookup table's `k` column indexes. */
  constructor(session: Session, rules: IssueBulkRules, area: DeploymentArea | null, categories: readonly string[]) {
    this.rules = rules;
    const n = ++serial;
    this.deadline = `civgrid_deadline_${n}`;
    this.inArea = `civgrid_in_area_${n}`;
    const times = (r: Cell, d: Cell, dl: Cell): IssueTimes => {
      const t: IssueTimes = {};
      if (r !== null) t.reportedAt = r as number;
      if (d !== null) t.dispatchedAt = d as number;
      if (dl !== null) t.deadline = dl as number;
      return t;
    };
    this.register(session, this.deadline, [BIGINT, BIGINT, BIGINT, INTEGER], BIGINT, true,
      (rules, [r, d, dl, k]) => rules.deadline(times(r!, d!, dl!), categories[k as number]!));
    this.register(session, this.inArea, [DOUBLE, DOUBLE], BOOLEAN, false,
      (_, [lon, lat]) => area !== null && inArea(area, bboxOf({ type: 'Point', coordinates: [lon as number, lat as number] })));
  }

  /** `nulls`: the function sees NULL inputs (otherwise DuckDB answers NULL for them itself). */
  private register(session: Session, name: string, params: DuckDBType[], returns: DuckDBType, nulls: boolean, fn: (rules: IssueBulkRules, row: Cell[]) => Cell) {
    session.conn.registerScalarFunction(DuckDBScalarFunction.create({
      name, returnType: returns, parameterTypes: params, specialHandling: nulls,
      mainFunction: (info, input: DuckDBDataChunk, output) => {
        const rules = this.rules;
        if (!rules) return info.setError(`${name} was used after its import finished`);
        const columns = params.map((_, c) => reader(input.getColumnVector(c)));
        const out = output as DuckDBBigIntVector | DuckDBBooleanVector;
        const row: Cell[] = new Array(params.length);
        for (let i = 0, n = input.rowCount; i < n; i++) {
          for (let c = 0; c < columns.length; c++) row[c] = columns[c]!(i);
          const v = fn(rules, row);
          if (returns === BIGINT) (out as DuckDBBigIntVector).setItem(i, v === null ? null : BigInt(v as number));
          else (out as DuckDBBooleanVector).setItem(i, v as boolean | null);
        }
        out.flush();
      },
    }));
  }

  /** Unpins the import's rules and state from the catalog's functions. */
  dispose(): void {
    this.rules = null;
  }
}
