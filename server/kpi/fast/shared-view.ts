/**
 * The engine's columns lent to a counting worker (pool.ts): the typed arrays, which live in shared
 * memory (shared-array.ts) and so reach the worker as the same memory, the number of rows of the
 * snapshot, and the unit indexes the count reads. The worker rebuilds a ColumnView over them;
 * nothing is copied, so a worker costs no second copy of the issues.
 */
import type { ColumnView, IssueColumns, UnitKind } from './columns.ts';
import { BLOCK } from './columns.ts';
import { UnitIndex, type UnitIndexParts } from './unit-index.ts';

const ARRAYS = [
  'reported', 'deadline', 'closed', 'hours', 'status', 'source', 'flags', 'category', 'grid', 'community', 'street', 'department',
  'siteStart', 'siteCount', 'sitePool', 'minReported', 'maxReported', 'minDeadline', 'maxDeadline', 'lon', 'lat',
  'backlogUntil', 'backlogLate',
] as const;

type ArrayName = (typeof ARRAYS)[number];

/** What a worker is lent: read-only by contract (the engine never writes a lent snapshot while a count runs: engine.ts). */
export type ColumnsLoan = {
  arrays: Pick<IssueColumns, ArrayName>;
  length: number;
  scales: Pick<IssueColumns, 'hoursDivisor' | 'closedScale' | 'closedBase'>;
  rowsWithoutStreet: number;
  indexes: Partial<Record<UnitKind, UnitIndexParts>>;
};

/** The loan of the columns as they are now, with the unit index of `kind` (built here if stale: a worker cannot build one). */
export function loanOf(cols: IssueColumns, kind: UnitKind | null): ColumnsLoan {
  const arrays = Object.fromEntries(ARRAYS.map((name) => [name, cols[name]])) as Pick<IssueColumns, ArrayName>;
  const indexes: ColumnsLoan['indexes'] = kind ? { [kind]: cols.unitIndex(kind).parts } : {};
  return { arrays, length: cols.length, scales: { hoursDivisor: cols.hoursDivisor, closedScale: cols.closedScale, closedBase: cols.closedBase }, rowsWithoutStreet: cols.rowsWithoutStreet, indexes };
}

/** A worker's view of lent columns. */
export function viewOf(loan: ColumnsLoan): ColumnView {
  const indexes = new Map(Object.entries(loan.indexes).map(([kind, parts]) => [kind, UnitIndex.of(parts)]));
  return {
    ...loan.arrays,
    length: loan.length,
    ...loan.scales,
    rowsWithoutStreet: loan.rowsWithoutStreet,
    blocks: Math.ceil(loan.length / BLOCK),
    unitIndex: (kind: UnitKind) => {
      const index = indexes.get(kind);
      if (!index) throw new Error(`the ${kind} index was not lent with the columns`);
      return index;
    },
  };
}
