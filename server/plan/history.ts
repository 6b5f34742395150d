/**
 * Undo/redo over the append-only change log. Undo and redo are changes too (they name the change
 * they revert or re-apply), so the log stays a complete record of who did what, and the two
 * stacks are recomputed from it — which is why they survive a restart.
 */

/** Ops that change grids and can be undone (the kinds of PlanEdit, and file imports into a draft). */
const UNDOABLE_OPS = new Set(['vertex', 'split', 'merge', 'update', 'import']);

/** The part of a change-log row the stacks depend on. */
export type LogEntry = { seq: number; op: string };

/** Sequence numbers that undo would revert next (last = top) and that redo would re-apply next. */
export function historyStacks(log: readonly LogEntry[]): { undo: number[]; redo: number[] } {
  const undo: number[] = [];
  let redo: number[] = [];
  for (const e of [...log].sort((a, b) => a.seq - b.seq)) {
    if (UNDOABLE_OPS.has(e.op)) {
      undo.push(e.seq);
      redo = [];
    } else if (e.op === 'undo') {
      const seq = undo.pop();
      if (seq !== undefined) redo.push(seq);
    } else if (e.op === 'redo') {
      const seq = redo.pop();
      if (seq !== undefined) undo.push(seq);
    }
  }
  return { undo, redo };
}
