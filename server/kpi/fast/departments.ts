/**
 * The department column as of an instant, for the KPI engine: the held column is each issue's
 * department now, and a re-dispatch moves a case "from that moment" (`departmentAt`,
 * server/domain/kpi-rules.ts). Re-dispatches are rare, so only the issues an event written after
 * the import moved keep their list of department changes; as of t, a copy of the column with just
 * those rows set to their department then stands in for it (none needed when no case moved after t).
 * Pure: load.ts reads the changes.
 */
import { departmentAt, type DepartmentChange } from '../../domain/kpi-rules.ts';
import type { CodeColumn, IssueColumns, RowBatch } from './columns.ts';
import { sharedArray, type SharedArrayType } from './shared-array.ts';

export class DepartmentMoves {
  /** The last patched copy and what it was made of: repeated questions as of the same moment reuse it. */
  private cached: { key: string; cols: IssueColumns; length: number; version: number; column: CodeColumn } | null = null;


  /** `bySlot`: a row's department changes in event order, as dictionary codes (-1: one the dictionary lacks). */
  constructor(readonly bySlot: ReadonlyMap<number, readonly DepartmentChange<number>[]>) {}

  /** No issue moved: the column is the same at every instant. */
  static readonly NONE = new DepartmentMoves(new Map());

  /**
   * The department column as of `asOf` (epoch ms; null: the present): the held column itself when
   * no listed row had another department then, else a copy with those rows set.
   */
  columnAt(cols: IssueColumns, asOf: number | null): CodeColumn {
    if (asOf === null || this.bySlot.size === 0) return cols.department;
    const patches: number[] = [];
    for (const [slot, changes] of this.bySlot) {
      if (slot >= cols.length) continue;
      const then = departmentAt(changes, cols.department[slot], asOf);
      if (then !== cols.department[slot]) patches.push(slot, then);
    }
    if (patches.length === 0) return cols.department;
    const key = patches.join(',');
    const c = this.cached;
    if (c && c.key === key && c.cols === cols && c.length === cols.length && c.version === cols.departmentVersion) return c.column;
    // In shared memory: it goes to the counting workers with each count, not copied into each part's message.
    const column = sharedArray(cols.department.constructor as SharedArrayType<CodeColumn>, cols.length);
    column.set(cols.department.subarray(0, cols.length));
    for (let i = 0; i < patches.length; i += 2) column[patches[i]] = patches[i + 1];
    this.cached = { key, cols, length: cols.length, version: cols.departmentVersion, column };
    return column;
  }

  /** True when some listed case had another department at an instant after `from` (epoch ms) than it has now. */
  movedAfter(from: number): boolean {
    for (const changes of this.bySlot.values()) if (changes.length > 1 && changes[changes.length - 1].at > from) return true;
    return false;
  }
}

/** Department-naming events as read: rowid, time (epoch ms) and department code of each, in event order per rowid. */
export type MoveRows = [number, number, number][];

/** The changes read, by the row slots of `cols` (rows it does not hold are left out). */
export function movesOf(rows: MoveRows, cols: IssueColumns): DepartmentMoves {
  const bySlot = new Map<number, DepartmentChange<number>[]>();
  for (const [rid, at, code] of rows) {
    const slot = cols.slotOf(rid);
    if (slot < 0) continue;
    let list = bySlot.get(slot);
    if (!list) bySlot.set(slot, (list = []));
    list.push({ at, department: code });
  }
  return bySlot.size ? new DepartmentMoves(bySlot) : DepartmentMoves.NONE;
}

/** True when a batch moves a held row to another department, or changes one that moved before: the changes are to be read again. */
export function movesBatch(cols: IssueColumns, batch: RowBatch): boolean {
  for (let i = 0; i < batch.length; i++) {
    const rowid = batch.rowid[i];
    const slot = cols.slotOf(rowid);
    if (slot >= 0 && (cols.department[slot] !== batch.department[i] || cols.moves.bySlot.has(slot))) return true;
  }
  return false;
}
